#include "tests/support/kinesis_backend.h"

#include <cstdlib>

#include "testing/server_process.h"
#include "tests/support/backend.h"

namespace moe {
namespace {

std::unique_ptr<KinesisClient> MakeClient(const std::string& endpoint, ClientOptions options,
                                          std::shared_ptr<Transport> default_transport) {
  ClientOptions defaults = TestClientOptions(endpoint);
  if (options.clock != nullptr) defaults.clock = options.clock;
  defaults.transport = options.transport ? options.transport : std::move(default_transport);
  defaults.retry = options.retry;
  auto client = KinesisClient::Create(std::move(defaults));
  if (!client) {
    std::fprintf(stderr, "kinesis client: %s\n", client.error().ToString().c_str());
    std::abort();
  }
  return std::move(*client);
}

class KinesaliteBackend : public KinesisBackend {
 public:
  explicit KinesaliteBackend(std::unique_ptr<testing::ServerProcess> server)
      : server_(std::move(server)) {}
  std::string name() const override { return "kinesalite"; }
  std::unique_ptr<KinesisClient> NewClient(ClientOptions options) override {
    return MakeClient(server_->endpoint(), std::move(options), nullptr);
  }
  std::shared_ptr<Transport> NewTransport() override { return NewCurlTransport({}); }

 private:
  std::unique_ptr<testing::ServerProcess> server_;
};

class LocalStreamsBackend : public KinesisBackend {
 public:
  explicit LocalStreamsBackend(std::unique_ptr<kinesis::LocalStreams> streams)
      : streams_(std::move(streams)), loopback_(kinesis::NewLoopbackTransport(*streams_)) {}
  std::string name() const override { return "local"; }
  std::unique_ptr<KinesisClient> NewClient(ClientOptions options) override {
    return MakeClient("http://loopback.invalid", std::move(options), loopback_);
  }
  std::shared_ptr<Transport> NewTransport() override { return loopback_; }

 private:
  std::unique_ptr<kinesis::LocalStreams> streams_;
  std::shared_ptr<Transport> loopback_;
};

}  // namespace

Result<std::unique_ptr<KinesisBackend>> StartKinesisBackend(Clock* clock) {
  const char* which = std::getenv("MOE_TEST_KINESIS_BACKEND");
  std::string name = which != nullptr ? which : "kinesalite";
  if (name == "kinesalite") {
    MOE_TRY(auto server, testing::StartKinesalite());
    return std::unique_ptr<KinesisBackend>(new KinesaliteBackend(std::move(server)));
  }
  if (name == "local") {
    // New streams stay CREATING briefly, as on kinesalite, so waiters are exercised.
    kinesis::LocalStreamsOptions options{.clock = clock,
                                         .stream_transition = std::chrono::milliseconds(20)};
    return std::unique_ptr<KinesisBackend>(
        new LocalStreamsBackend(kinesis::LocalStreams::Create(std::move(options))));
  }
  return Error::InvalidArgument("unknown MOE_TEST_KINESIS_BACKEND: " + name);
}

}  // namespace moe
