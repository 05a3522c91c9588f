#include "tests/support/backend.h"

#include <cstdlib>

#include "moe/credentials.h"
#include "testing/server_process.h"

namespace moe {
namespace {

class DynaliteBackend : public Backend {
 public:
  explicit DynaliteBackend(std::unique_ptr<testing::ServerProcess> server) : server_(std::move(server)) {}
  std::string name() const override { return "dynalite"; }
  std::string endpoint() const override { return server_->endpoint(); }
  std::unique_ptr<DynamoDbClient> NewClient(ClientOptions options) override {
    ClientOptions defaults = TestClientOptions(endpoint());
    if (options.clock != nullptr) defaults.clock = options.clock;
    if (options.transport) defaults.transport = options.transport;
    defaults.retry = options.retry;
    auto client = DynamoDbClient::Create(std::move(defaults));
    if (!client) {
      std::fprintf(stderr, "client: %s\n", client.error().ToString().c_str());
      std::abort();
    }
    return std::move(*client);
  }

 private:
  std::unique_ptr<testing::ServerProcess> server_;
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
  return Error::InvalidArgument("unknown MOE_TEST_BACKEND: " + name);
}

}  // namespace moe
