#include "cli.h"

#include <unistd.h>

#include "core/json_reader.h"
#include "moe/credentials.h"
#include "moe/json.h"
#include "moe/kinesis_local.h"
#include "moe/local.h"

namespace moe::cli {

namespace {

// The loopback transport together with the engine it serves, so that a
// client made for "local:" owns its engine.
class OwnedEngineTransport final : public Transport {
 public:
  explicit OwnedEngineTransport(std::unique_ptr<local::Engine> engine)
      : engine_(std::move(engine)), loopback_(local::NewLoopbackTransport(*engine_)) {}
  void Send(HttpRequest request, Callback done) override {
    loopback_->Send(std::move(request), std::move(done));
  }

 private:
  std::unique_ptr<local::Engine> engine_;
  std::unique_ptr<Transport> loopback_;
};

// The embedded journal with its loopback, so that a client made for it owns it.
class OwnedStreamsTransport final : public Transport {
 public:
  explicit OwnedStreamsTransport(std::unique_ptr<kinesis::LocalStreams> streams)
      : streams_(std::move(streams)), loopback_(kinesis::NewLoopbackTransport(*streams_)) {}
  void Send(HttpRequest request, Callback done) override {
    loopback_->Send(std::move(request), std::move(done));
  }

 private:
  std::unique_ptr<kinesis::LocalStreams> streams_;
  std::unique_ptr<Transport> loopback_;
};

// "local:" (in memory) or "local:/dir" (on disk) from --endpoint or the
// AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL environment variables.
std::optional<std::string> LocalEndpoint(const GlobalOptions& g) {
  std::string endpoint = g.endpoint;
  GetenvFn env = ProcessEnvironment();
  if (endpoint.empty()) endpoint = env("AWS_ENDPOINT_URL_DYNAMODB").value_or("");
  if (endpoint.empty()) endpoint = env("AWS_ENDPOINT_URL").value_or("");
  if (endpoint.rfind("local:", 0) != 0) return std::nullopt;
  return endpoint.substr(6);
}

}  // namespace

bool IsLocalEndpoint(const GlobalOptions& g) { return LocalEndpoint(g).has_value(); }

Result<std::unique_ptr<DynamoDbClient>> MakeEngineClient(const GlobalOptions& g,
                                                         local::EngineOptions engine_options,
                                                         ClientOptions options,
                                                         local::Engine** engine) {
  std::optional<std::string> dir = LocalEndpoint(g);
  if (!dir) return Error::InvalidArgument("the embedded engine needs --endpoint local:");
  engine_options.data_dir = *dir;
  MOE_TRY(auto opened, local::Engine::Open(std::move(engine_options)));
  if (engine != nullptr) *engine = opened.get();
  options.endpoint = "http://local.invalid";
  options.region = g.region;
  options.profile = g.profile;
  options.transport = std::make_shared<OwnedEngineTransport>(std::move(opened));
  // The embedded engine checks no signature; sign with fixed local keys.
  options.credentials = NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
  return DynamoDbClient::Create(std::move(options));
}

Result<std::unique_ptr<DynamoDbClient>> MakeClient(const GlobalOptions& g,
                                                   std::shared_ptr<CallObserver> observer) {
  ClientOptions options;
  options.observer = std::move(observer);
  if (LocalEndpoint(g)) return MakeEngineClient(g, {}, std::move(options), nullptr);
  options.endpoint = g.endpoint;
  options.region = g.region;
  options.profile = g.profile;
  return DynamoDbClient::Create(std::move(options));
}

Result<std::unique_ptr<KinesisClient>> MakeKinesisClient(const GlobalOptions& g) {
  ClientOptions options;
  options.region = g.region;
  options.profile = g.profile;
  options.endpoint = g.kinesis_endpoint;
  if (options.endpoint.empty())
    options.endpoint = ProcessEnvironment()("AWS_ENDPOINT_URL_KINESIS").value_or("");
  std::optional<std::string> local_dir;
  if (options.endpoint.rfind("local:", 0) == 0) {
    local_dir = options.endpoint.substr(6);
  } else if (options.endpoint.empty()) {
    local_dir = LocalEndpoint(g);
  }
  if (local_dir) {
    kinesis::LocalStreamsOptions streams_options;
    if (!local_dir->empty()) streams_options.data_dir = *local_dir + "/kinesis";
    MOE_TRY(auto streams, kinesis::LocalStreams::Open(std::move(streams_options)));
    options.endpoint = "http://local.invalid";
    options.transport = std::make_shared<OwnedStreamsTransport>(std::move(streams));
    options.credentials = NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
  }
  return KinesisClient::Create(std::move(options));
}

Result<Item> ParseItem(const GlobalOptions& g, const std::string& json) {
  return g.ddb_json ? ParseDynamoJson(json) : ItemFromPlainJson(json);
}

Result<Map> ParseValues(const GlobalOptions& g, const std::string& json) {
  if (json.empty()) return Map{};
  return ParseItem(g, json);
}

Result<std::map<std::string, std::string, std::less<>>> ParseNames(const std::string& json) {
  std::map<std::string, std::string, std::less<>> names;
  if (json.empty()) return names;
  internal::JsonDocument doc;
  MOE_TRY_STATUS(internal::ParseJson(json, &doc));
  if (!doc.IsObject()) return Error::InvalidArgument("--names must be a JSON object of strings");
  for (const auto& m : doc.GetObject()) {
    if (!m.value.IsString())
      return Error::InvalidArgument("--names must be a JSON object of strings");
    names.emplace(internal::View(m.name), internal::View(m.value));
  }
  return names;
}

std::string FormatItem(const GlobalOptions& g, const Item& item) {
  return g.ddb_json ? ToDynamoJson(item) : ItemToPlainJson(item);
}

int Fail(const Error& error) {
  std::fprintf(stderr, "moe: %s\n", error.ToString().c_str());
  return 1;
}

Progress::Progress(std::string label) : label_(std::move(label)), tty_(::isatty(2) != 0) {}

void Progress::Update(size_t done, size_t total) {
  if (!tty_ || total == 0) return;
  int percent = static_cast<int>(done * 100 / total);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  constexpr int kWidth = 30;
  int filled = percent * kWidth / 100;
  std::fprintf(stderr, "\r%s [%s%s] %3d%% %zu/%zu", label_.c_str(),
               std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(), percent,
               done, total);
  std::fflush(stderr);
}

void Progress::Finish() {
  if (tty_ && last_percent_ >= 0) std::fprintf(stderr, "\n");
}

}  // namespace moe::cli
