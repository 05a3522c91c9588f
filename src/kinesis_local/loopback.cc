// The loopback transport for LocalStreams: Kinesis requests in-process.

#include <strings.h>

#include <atomic>

#include "moe/kinesis.h"
#include "moe/kinesis_local.h"

namespace moe::kinesis {
namespace {

constexpr std::string_view kTargetPrefix = "Kinesis_20131202.";

class StreamsLoopback final : public Transport {
 public:
  explicit StreamsLoopback(LocalStreams& streams) : streams_(streams) {}

  void Send(HttpRequest request, Callback done) override {
    std::string_view target;
    for (const auto& [name, value] : request.headers) {
      if (strcasecmp(name.c_str(), "x-amz-target") == 0) target = value;
    }
    HttpResponse response;
    response.headers.emplace_back(
        "x-amzn-requestid", "LOCALSTREAMS" + std::to_string(next_id_.fetch_add(1)));
    response.headers.emplace_back("content-type", "application/x-amz-json-1.1");
    Result<std::string> body =
        target.starts_with(kTargetPrefix)
            ? streams_.Handle(target.substr(kTargetPrefix.size()), request.body)
            : Result<std::string>(Error(ErrorCode::kUnknownOperation, ""));
    if (body) {
      response.status = 200;
      response.body = std::move(body).value();
    } else {
      response.status = HttpStatusFor(body.error().code());
      response.body = kinesis::ErrorToJson(body.error());
    }
    done(std::move(response));
  }

 private:
  LocalStreams& streams_;
  std::atomic<uint64_t> next_id_{1};
};

}  // namespace

std::unique_ptr<Transport> NewLoopbackTransport(LocalStreams& streams) {
  return std::make_unique<StreamsLoopback>(streams);
}

}  // namespace moe::kinesis
