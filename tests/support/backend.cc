#include "tests/support/backend.h"

#include <cstdlib>

#include "moe/credentials.h"
#include "moe/local.h"
#include "moe/server.h"
#include "testing/server_process.h"

namespace moe {
namespace {

std::unique_ptr<DynamoDbClient> MakeClient(const std::string& endpoint, ClientOptions options,
                                           std::shared_ptr<Transport> default_transport) {
  ClientOptions defaults = TestClientOptions(endpoint);
  if (options.clock != nullptr) defaults.clock = options.clock;
  defaults.transport = options.transport ? options.transport : std::move(default_transport);
  defaults.retry = options.retry;
  auto client = DynamoDbClient::Create(std::move(defaults));
  if (!client) {
    std::fprintf(stderr, "client: %s\n", client.error().ToString().c_str());
    std::abort();
  }
  return std::move(*client);
}

// dynalite (npm) in a child process.
class DynaliteBackend : public Backend {
 public:
  explicit DynaliteBackend(std::unique_ptr<testing::ServerProcess> server)
      : server_(std::move(server)) {}
  std::string name() const override { return "dynalite"; }
  std::string endpoint() const override { return server_->endpoint(); }
  std::unique_ptr<DynamoDbClient> NewClient(ClientOptions options) override {
    return MakeClient(endpoint(), std::move(options), nullptr);
  }
  std::shared_ptr<Transport> NewTransport() override { return NewCurlTransport({}); }

 private:
  std::unique_ptr<testing::ServerProcess> server_;
};

// Tables stay CREATING/DELETING briefly, like DynamoDB and dynalite, so
// waiters are exercised on every backend.
local::EngineOptions SuiteEngineOptions() {
  local::EngineOptions options;
  options.table_transition = std::chrono::milliseconds(50);
  return options;
}

// The embedded engine in-process, through the loopback transport.
class EngineBackend : public Backend {
 public:
  explicit EngineBackend(std::unique_ptr<local::Engine> engine)
      : engine_(std::move(engine)), loopback_(local::NewLoopbackTransport(*engine_)) {}
  std::string name() const override { return "engine"; }
  std::string endpoint() const override { return "http://loopback.invalid"; }
  std::unique_ptr<DynamoDbClient> NewClient(ClientOptions options) override {
    return MakeClient(endpoint(), std::move(options), loopback_);
  }
  std::shared_ptr<Transport> NewTransport() override { return loopback_; }

 private:
  std::unique_ptr<local::Engine> engine_;
  std::shared_ptr<Transport> loopback_;
};

// The engine behind moe's HTTP server on a free loopback port, over curl.
class ServeBackend : public Backend {
 public:
  ServeBackend(std::unique_ptr<local::Engine> engine, std::unique_ptr<server::Server> server)
      : engine_(std::move(engine)), server_(std::move(server)) {}
  ~ServeBackend() override { server_->Stop(); }
  std::string name() const override { return "serve"; }
  std::string endpoint() const override {
    return "http://127.0.0.1:" + std::to_string(server_->port());
  }
  std::unique_ptr<DynamoDbClient> NewClient(ClientOptions options) override {
    return MakeClient(endpoint(), std::move(options), nullptr);
  }
  std::shared_ptr<Transport> NewTransport() override { return NewCurlTransport({}); }

 private:
  std::unique_ptr<local::Engine> engine_;
  std::unique_ptr<server::Server> server_;
};

}  // namespace

ClientOptions TestClientOptions(const std::string& endpoint) {
  ClientOptions options;
  options.endpoint = endpoint;
  options.region = "us-east-1";
  options.credentials = NewStaticCredentialsProvider({"AKIDTEST", "test-secret-key", ""});
  options.getenv = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  return options;
}

Result<std::unique_ptr<Backend>> StartBackend() {
  const char* which = std::getenv("MOE_TEST_BACKEND");
  std::string name = which != nullptr ? which : "dynalite";
  if (name == "dynalite") {
    MOE_TRY(auto server, testing::StartDynalite());
    return std::unique_ptr<Backend>(new DynaliteBackend(std::move(server)));
  }
  if (name == "engine") {
    MOE_TRY(auto engine, local::Engine::Open(SuiteEngineOptions()));
    return std::unique_ptr<Backend>(new EngineBackend(std::move(engine)));
  }
  if (name == "serve") {
    MOE_TRY(auto engine, local::Engine::Open(SuiteEngineOptions()));
    server::ServerOptions options;
    options.port = 0;
    local::Engine* e = engine.get();
    MOE_TRY(auto server,
            server::Server::Start(options, [e](std::string_view op, std::string_view body) {
              return e->Handle(op, body);
            }));
    return std::unique_ptr<Backend>(new ServeBackend(std::move(engine), std::move(server)));
  }
  return Error::InvalidArgument("unknown MOE_TEST_BACKEND: " + name);
}

void BackendTest::SetUp() {
  auto backend = StartBackend();
  ASSERT_TRUE(backend) << backend.error().ToString();
  backend_ = std::move(*backend);
  client_ = backend_->NewClient();
}

}  // namespace moe
