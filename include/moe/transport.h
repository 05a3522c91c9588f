// Transport: how a signed request reaches a DynamoDB-compatible server and
// its answer comes back. One client, many transports:
//   - the curl transport (NewCurlTransport below): HTTP/1.1 over libcurl,
//     TLS verified, keep-alive, many requests in flight on one event-loop
//     thread;
//   - the loopback transport (local engine, in-process, no socket);
//   - FaultyTransport (moe/faulty_transport.h): wraps any transport and
//     injects throttles, 5xx, timeouts, resets and partial batch results.
//
//   auto transport = moe::NewCurlTransport({});
//   moe::HttpRequest req{.url = "http://127.0.0.1:8000/", .body = "{}"};
//   req.headers.push_back({"x-amz-target", "DynamoDB_20120810.ListTables"});
//   moe::Result<moe::HttpResponse> res = transport->SendSync(std::move(req));
//
// Thread safety: implementations are safe for concurrent use; Send may be
// called from any thread, including from inside a completion callback.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "moe/result.h"

namespace moe {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // absolute: scheme, host, optional port, path
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;

  // The first header named `name` (lower-case), or "" when absent.
  std::string_view Header(std::string_view name) const;
};

class Transport {
 public:
  using Callback = std::function<void(Result<HttpResponse>)>;

  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  virtual ~Transport() = default;

  // Sends `request`; `done` runs exactly once with the response (any HTTP
  // status) or a transport error: kNetwork (connect failure, reset),
  // kTimeout, kBadResponse (x-amz-crc32 mismatch), all retryable; or
  // kInvalidArgument for a request that cannot be sent (malformed URL).
  // `done` may run on the transport's own thread or, for in-process
  // transports, before Send returns; it must not block for long, must not
  // throw, and must not destroy the transport (it may call Send).
  virtual void Send(HttpRequest request, Callback done) = 0;

  // Sends and waits for the answer on the calling thread. Must not be called
  // from a completion callback (it would wait on the thread that answers).
  Result<HttpResponse> SendSync(HttpRequest request);
};

struct CurlOptions {
  // Connection establishment deadline. Default: 3 s.
  std::chrono::milliseconds connect_timeout{3000};
  // Whole-request deadline (connect + send + receive). Default: 30 s.
  std::chrono::milliseconds request_timeout{30000};
  // Verify the server's TLS certificate and host name. Default: true.
  // Turning it off logs a warning once per transport.
  bool verify_tls = true;
  // Upper bound on open connections per host (keep-alive pool). Default: 64.
  int max_connections_per_host = 64;
  // Check the x-amz-crc32 response header when present. Default: true.
  bool check_crc32 = true;
};

// An HTTP transport on libcurl's multi interface, driven by one background
// thread that the transport owns (joined on destruction; requests still in
// flight then complete with kNetwork "transport shut down"). Callbacks run on
// that thread. Errors: kTimeout (connect or request deadline), kNetwork
// (refused, reset, DNS, TLS), kBadResponse (CRC32 mismatch), and
// kInvalidArgument (malformed URL or unsupported scheme; not retryable).
// Never returns null: if libcurl or the thread cannot start, every Send
// fails with kNetwork naming the cause.
std::unique_ptr<Transport> NewCurlTransport(const CurlOptions& options);

// A service answered in-process: requests are routed by their x-amz-target
// header (`target_prefix` + operation) to `handle`, and answered as the
// service would answer over HTTP: 200 with the handler's body, or the
// error's status (HttpStatusFor) with `error_body(error)`; a target without
// the prefix is kUnknownOperation. No socket, no thread hop: the callback
// runs before Send returns. The embedded engine's and the embedded Kinesis
// journal's loopback transports are this.
struct LoopbackService {
  std::string target_prefix;      // "DynamoDB_20120810."
  std::string content_type;       // of the answers: "application/x-amz-json-1.0"
  std::string request_id_prefix;  // x-amzn-requestid is this + a counter
  std::function<Result<std::string>(std::string_view operation, std::string_view body)> handle;
  std::function<std::string(const Error& error)> error_body;
};
std::unique_ptr<Transport> NewLoopbackService(LoopbackService service);

}  // namespace moe
