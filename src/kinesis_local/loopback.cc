// The loopback transport for LocalStreams: Kinesis requests in-process.
#include "moe/kinesis.h"
#include "moe/kinesis_local.h"

namespace moe::kinesis {

std::unique_ptr<Transport> NewLoopbackTransport(LocalStreams& streams) {
  return NewLoopbackService(
      {.target_prefix = "Kinesis_20131202.",
       .content_type = "application/x-amz-json-1.1",
       .request_id_prefix = "LOCALSTREAMS",
       .handle = [&streams](std::string_view op, std::string_view body) {
         return streams.Handle(op, body);
       },
       .error_body = [](const Error& error) { return kinesis::ErrorToJson(error); }});
}

}  // namespace moe::kinesis
