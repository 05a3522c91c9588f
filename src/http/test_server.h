// HttpTestServer: a tiny HTTP/1.1 server for tests of anything that speaks
// HTTP through a Transport.
//
// Binds 127.0.0.1 on a free port, serves keep-alive connections (one thread
// per connection) and answers each request with `handler`. It can also be told
// to misbehave: delay answers, never answer, reset the connection, or send a
// wrong x-amz-crc32. Requests with a body must carry Content-Length (no
// chunked uploads).
//
//   moe::testing::HttpTestServer server([](const moe::HttpRequest& req) {
//     return moe::HttpResponse{.status = 200, .body = req.body};
//   });
//   moe::HttpRequest req{.url = server.url(), .body = "hi"};
//
// Thread safety: the setters and counters are safe to call from any thread
// while the server runs; `handler` runs on connection threads, concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "moe/transport.h"

namespace moe::testing {

class HttpTestServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // What the server does after reading a request.
  enum class Mode {
    kAnswer,  // call the handler and answer (after the delay, if any)
    kHang,    // never answer; keep the connection open until Stop()
    kReset,   // close the connection at once with a TCP reset, no answer
  };
  // Whether the answer carries x-amz-crc32.
  enum class Crc32 { kNone, kCorrect, kWrong };

  // Starts listening and serving. Aborts the test binary if it cannot bind.
  explicit HttpTestServer(Handler handler);
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;
  ~HttpTestServer();  // Stop()

  int port() const { return port_; }
  // "http://127.0.0.1:<port>/"
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

  void set_mode(Mode mode) { mode_.store(mode); }
  void set_crc32(Crc32 crc) { crc_.store(crc); }
  // Wait this long before answering each request (interrupted by Stop()).
  void set_delay(std::chrono::milliseconds delay) { delay_ms_.store(delay.count()); }

  // Connections accepted and requests read so far.
  int connections_accepted() const { return connections_.load(); }
  int requests_received() const { return requests_.load(); }

  // Closes the listener and every connection and joins all threads. Idempotent.
  void Stop();

 private:
  void AcceptLoop();
  void Serve(int fd);
  // Reads and answers one request; false when the connection is done.
  bool ServeOne(int fd, std::string* buffer, bool* reset);
  // Waits `ms`, or until Stop(); returns false when stopping.
  bool Wait(long ms);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<Mode> mode_{Mode::kAnswer};
  std::atomic<Crc32> crc_{Crc32::kNone};
  std::atomic<long> delay_ms_{0};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;            // guarded by mu_
  std::vector<int> open_fds_;        // guarded by mu_
  std::vector<std::thread> workers_; // guarded by mu_
  std::thread acceptor_;
};

}  // namespace moe::testing
