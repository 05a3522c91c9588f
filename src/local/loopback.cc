// The loopback transport: hands requests to an Engine in-process.
#include "moe/local.h"
#include "moe/model.h"

namespace moe::local {

std::unique_ptr<Transport> NewLoopbackTransport(Engine& engine) {
  return NewLoopbackService(
      {.target_prefix = "DynamoDB_20120810.",
       .content_type = "application/x-amz-json-1.0",
       .request_id_prefix = "LOOPBACK",
       .handle = [&engine](std::string_view op, std::string_view body) {
         return engine.Handle(op, body);
       },
       .error_body = [](const Error& error) { return ErrorToJson(error); }});
}

}  // namespace moe::local
