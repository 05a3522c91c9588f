// Server: puts a DynamoDB operation handler on HTTP/1.1, speaking DynamoDB's
// JSON 1.0 protocol. It is the network front of `moe serve`; the handler is
// usually moe::local::Engine::Handle, but any function of (operation, body)
// will do.
//
//   moe::server::ServerOptions options;
//   options.port = 0;                                      // pick a free port
//   auto server = moe::server::Server::Start(std::move(options),
//       [&](std::string_view op, std::string_view body) { return engine->Handle(op, body); });
//   if (!server) return server.error();
//   int port = (*server)->port();
//   ...
//   (*server)->Stop();                                     // or let it go out of scope
//
// The wire protocol:
//   POST / with `X-Amz-Target: DynamoDB_20120810.<Operation>` calls
//     handler(Operation, body). Success: 200 with the handler's body,
//     Content-Type application/x-amz-json-1.0, x-amzn-RequestId and
//     x-amz-crc32 (zlib CRC32 of the body, decimal). An Error: the status
//     HttpStatusFor(code) and the body ErrorToJson(error) (model.h). A missing
//     or foreign target: 400 UnknownOperationException.
//   GET / answers 200 "healthy: dynamodb.<region>.amazonaws.com " like
//     DynamoDB; GET /metrics answers ServerOptions::metrics when set; other
//     paths 404, other methods 405.
//   A body over max_body_bytes: 413 RequestEntityTooLarge, answered as soon as
//     the headers arrive; the connection is closed after. Chunked request
//     bodies are not supported (411, then close). A header block over 64 KiB:
//     431, then close. A request not complete within request_timeout: 408,
//     then close.
// Protocol reference:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
//
// Thread safety: Start, port, stats and Stop may be called from any thread,
// but Stop must not be called from inside the handler (it joins the loop
// threads). The handler runs on the event-loop threads: with threads == 1
// calls are serialized; with threads > 1 it is called concurrently and must
// be safe for concurrent use.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "moe/clock.h"
#include "moe/result.h"
#include "moe/sigv4.h"

namespace moe::server {

// Answers one DynamoDB operation: `operation` is the X-Amz-Target suffix
// ("PutItem"), `body` the request JSON; returns the response JSON or the
// Error DynamoDB would answer with. Both views are valid only during the call.
using Handler =
    std::function<Result<std::string>(std::string_view operation, std::string_view body)>;

struct ServerOptions {
  // Address to bind: an IPv4 or IPv6 literal or a host name. Default:
  // "127.0.0.1" (never exposed beyond the machine unless asked).
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one (see Server::port). Default: 8000.
  int port = 8000;
  // Largest accepted request body; larger is answered 413 without reading
  // it. Default: 16 MiB (DynamoDB's own limit).
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Open connections beyond this are accepted and closed at once.
  // Default: 1024.
  int max_connections = 1024;
  // A connection with no request in progress is closed after this long.
  // Default: 60 s.
  std::chrono::milliseconds idle_timeout{60000};
  // From the first byte of a request to its last (slowloris protection);
  // past it the server answers 408 and closes. Default: 10 s.
  std::chrono::milliseconds request_timeout{10000};
  // Check each POST's SigV4 signature with `secrets`; failures are answered
  // with sigv4::Verify's error (400). Default: false (like DynamoDB Local).
  bool verify_signatures = false;
  // The secret key of an access key id; required with verify_signatures.
  // Default: unset.
  sigv4::SecretLookup secrets;
  // Allowed distance between the signature's date and the clock. Default: 15 min.
  std::chrono::seconds signature_skew{900};
  // When bound to a loopback address, answer 403 to requests whose Host is
  // not localhost, 127.0.0.1 or [::1] (any port): DNS-rebinding protection
  // for browsers on the same machine. Default: true.
  bool check_host_header = true;
  // Origins allowed to call the server from a browser ("*" allows any).
  // Empty disables CORS: no preflight, no Access-Control-* headers.
  // Default: empty.
  std::vector<std::string> cors_origins;
  // Event-loop threads; with more than one, each has its own SO_REUSEPORT
  // listener and the kernel spreads connections. Default: 1.
  int threads = 1;
  // Batch each event-loop round's socket reads, and then its writes, into
  // one system call with io_uring, where the build has liburing and the
  // kernel allows it (otherwise, and when false: one recv or send each).
  // Behaviour is the same either way; it saves CPU where system calls are
  // dear (virtual machines). Default: true.
  bool io_uring = true;
  // When set, GET /metrics answers 200 with what it returns, as Prometheus
  // text (Content-Type text/plain; version=0.0.4); `moe serve` puts the
  // engine's simulator metrics there. Called on the event-loop threads, so
  // it must be safe for concurrent use when threads > 1. Default: unset
  // (GET /metrics is 404 like any other path).
  std::function<std::string()> metrics;
  // Region named by the health check. Default: "us-east-1".
  std::string region = "us-east-1";
  // Wall clock for signature dates. Timeouts use the monotonic system clock
  // (they are I/O deadlines). Borrowed; must outlive the server.
  // Default: Clock::Real().
  Clock* clock = nullptr;
};

// Counters since Start; each read is a consistent-enough snapshot (relaxed).
struct ServerStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_rejected = 0;  // over max_connections
  uint64_t connections_open = 0;
  uint64_t requests = 0;  // responses written, any status
  uint64_t timeouts = 0;  // idle and request timeouts
  // Event loops batching their socket calls with io_uring (0 when
  // ServerOptions::io_uring is off or the kernel refuses io_uring).
  int io_uring_loops = 0;
};

class Server {
 public:
  // Binds, listens and starts the event-loop threads; returns once the
  // server accepts connections.
  // Errors: kInvalidArgument (threads < 1, max_connections < 1,
  // max_body_bytes 0, a timeout not positive, port out of range, no handler,
  // verify_signatures without secrets); kIo (the address cannot be resolved or bound, with
  // the system's reason). Not retryable as is.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, Handler handler);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Calls Stop().
  ~Server();

  // The bound port (the chosen one when options.port was 0).
  int port() const;
  ServerStats stats() const;

  // Closes the listeners and every connection (responses in flight are
  // dropped) and joins the loop threads. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace moe::server
