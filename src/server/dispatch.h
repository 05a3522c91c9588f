// What the server answers to one parsed request: the routing (health check,
// DynamoDB POST, CORS preflight, 404/405), the Host check, SigV4
// verification, and the call into the handler. Knows nothing of sockets, so
// every event loop shares one Dispatcher.
//
// Thread safety: const after construction; Handle may run concurrently when
// the handler allows it.
#pragma once

#include <string>
#include <string_view>

#include "moe/server.h"
#include "server/buffer.h"
#include "server/http_parser.h"
#include "server/response.h"

namespace moe::server::internal {

// The X-Amz-Target prefix of DynamoDB's JSON 1.0 API.
inline constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";

// Whether `host` (as given to ServerOptions) names a loopback address.
bool IsLoopbackHost(std::string_view host);
// Whether a Host header names the local machine: localhost, 127.0.0.1 or
// [::1], with or without a port.
bool IsLocalHostHeader(std::string_view host_header);

class Dispatcher {
 public:
  // `options` and `handler` are borrowed and must outlive the dispatcher.
  // `loopback`: whether the server is bound to a loopback address.
  Dispatcher(const ServerOptions& options, const Handler& handler, bool loopback);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Answers one complete request into `out`. Returns false when the
  // connection must close after the answer is written.
  bool Handle(const RequestHead& head, std::string_view body, ResponseWriter* writer,
              Buffer* out) const;

  // Answers a request refused before its body was read (400, 408, 411, 413,
  // 431, 505). The connection always closes after.
  void Reject(int status, std::string_view reason, ResponseWriter* writer, Buffer* out) const;

 private:
  bool Api(const RequestHead& head, std::string_view body, std::string_view cors,
           ResponseWriter* writer, Buffer* out) const;
  bool Preflight(const RequestHead& head, ResponseWriter* writer, Buffer* out) const;
  bool OriginAllowed(std::string_view origin) const;
  Status VerifySignature(const RequestHead& head, std::string_view body) const;

  const ServerOptions& options_;
  const Handler& handler_;
  bool check_host_;
  Clock& clock_;
  std::string health_body_;
};

}  // namespace moe::server::internal
