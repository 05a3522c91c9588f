// NewLoopbackService: a JSON-protocol handler behind the Transport interface.
#include <strings.h>

#include <atomic>

#include "moe/transport.h"

namespace moe {
namespace {

class LoopbackServiceTransport final : public Transport {
 public:
  explicit LoopbackServiceTransport(LoopbackService service) : service_(std::move(service)) {}

  void Send(HttpRequest request, Callback done) override {
    std::string_view target;
    for (const auto& [name, value] : request.headers) {
      if (strcasecmp(name.c_str(), "x-amz-target") == 0) {
        target = value;
        break;
      }
    }
    HttpResponse response;
    response.headers.emplace_back(
        "x-amzn-requestid",
        service_.request_id_prefix +
            std::to_string(next_id_.fetch_add(1, std::memory_order_relaxed)));
    response.headers.emplace_back("content-type", service_.content_type);
    Result<std::string> body =
        target.starts_with(service_.target_prefix)
            ? service_.handle(target.substr(service_.target_prefix.size()), request.body)
            : Result<std::string>(Error(ErrorCode::kUnknownOperation, ""));
    if (body) {
      response.status = 200;
      response.body = std::move(body).value();
    } else {
      response.status = HttpStatusFor(body.error().code());
      response.body = service_.error_body(body.error());
    }
    done(std::move(response));
  }

 private:
  const LoopbackService service_;
  std::atomic<uint64_t> next_id_{1};
};

}  // namespace

std::unique_ptr<Transport> NewLoopbackService(LoopbackService service) {
  return std::make_unique<LoopbackServiceTransport>(std::move(service));
}

}  // namespace moe
