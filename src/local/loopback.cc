// The loopback transport: hands requests to an Engine in-process.

#include <atomic>
#include <cstdio>
#include <strings.h>

#include "moe/local.h"
#include "moe/model.h"

namespace moe::local {

namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";

class LoopbackTransport final : public Transport {
 public:
  explicit LoopbackTransport(Engine& engine) : engine_(engine) {}

  void Send(HttpRequest request, Callback done) override {
    std::string_view target;
    for (const auto& [name, value] : request.headers) {
      if (name.size() == 12 && strncasecmp(name.c_str(), "x-amz-target", 12) == 0) {
        target = value;
        break;
      }
    }
    HttpResponse response;
    char id[32];
    std::snprintf(id, sizeof(id), "LOOPBACK%016llx",
                  static_cast<unsigned long long>(next_id_.fetch_add(1, std::memory_order_relaxed)));
    response.headers.emplace_back("x-amzn-requestid", id);
    response.headers.emplace_back("content-type", "application/x-amz-json-1.0");
    Result<std::string> body = target.starts_with(kTargetPrefix)
                                   ? engine_.Handle(target.substr(kTargetPrefix.size()), request.body)
                                   : Result<std::string>(Error(ErrorCode::kUnknownOperation, ""));
    if (body) {
      response.status = 200;
      response.body = std::move(body).value();
    } else {
      response.status = HttpStatusFor(body.error().code());
      response.body = ErrorToJson(body.error());
    }
    done(std::move(response));
  }

 private:
  Engine& engine_;
  std::atomic<uint64_t> next_id_{1};
};

}  // namespace

std::unique_ptr<Transport> NewLoopbackTransport(Engine& engine) {
  return std::make_unique<LoopbackTransport>(engine);
}

}  // namespace moe::local
