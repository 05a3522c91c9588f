// One epoll event loop: a listening socket, the connections it accepted, and
// their timeouts. The server runs one loop per thread; each loop owns its
// listener (SO_REUSEPORT when there are several), so no connection ever
// moves between threads and the handler runs on the loop thread.
//
// Level-triggered epoll over non-blocking sockets. A connection reads into
// its input buffer, answers every complete request found there (pipelining)
// into its output buffer, then writes once. EPOLLOUT is watched only while
// output is pending; EPOLLIN is dropped while the output is over a high-water
// mark, so a client that pipelines without reading cannot grow memory.
// With io_uring (ServerOptions::io_uring, when the kernel allows it) a round
// of events issues its reads as one system call and, after answering, its
// writes as another (io_batch.h); the rules above are unchanged, and
// anything unusual (a partial write, the high-water mark) takes the plain
// path. Timeouts are checked by a sweep every tick (a quarter of the shortest
// timeout, at most 250 ms) driven by epoll_wait's timeout.
//
// Thread safety: Run is called on the loop's thread; Stop and the shared
// counters may be used from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "moe/result.h"
#include "moe/server.h"
#include "server/dispatch.h"
#include "server/http_parser.h"
#include "server/io_batch.h"
#include "server/response.h"

namespace moe::server::internal {

// State all loops of one server share.
struct SharedState {
  SharedState(const ServerOptions& o, const Dispatcher& d) : options(o), dispatcher(d) {}
  const ServerOptions& options;
  const Dispatcher& dispatcher;
  std::atomic<int> open_connections{0};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> rejected{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<int> io_uring_loops{0};
};

class EventLoop {
 public:
  // Takes ownership of `listen_fd` (listening, non-blocking).
  // Errors: kIo when epoll or eventfd cannot be created.
  static Result<std::unique_ptr<EventLoop>> Create(int listen_fd, SharedState* shared,
                                                   uint64_t seed);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop();

  // Serves until Stop; then closes the listener and every connection.
  void Run();
  // Asks Run to return; safe from any thread, idempotent.
  void Stop();

 private:
  using Time = std::chrono::steady_clock::time_point;
  struct Connection;

  EventLoop(int listen_fd, int epoll_fd, int wake_fd, SharedState* shared, uint64_t seed);

  void Accept();
  // Bytes to ask of the next read.
  static size_t ReadSize(const Connection* c);
  // Reads with recv, then OnReceived.
  void OnReadable(Connection* c);
  // Reads every connection in readable_ in one batch, answers them, then
  // writes the answers in one batch (SendAll).
  void ReadAll();
  void SendAll();
  // After a read of `n` bytes (or -errno) into the input buffer.
  void OnReceived(Connection* c, ssize_t n);
  void OnWritable(Connection* c);
  // Answers the complete requests in the input buffer, then writes.
  void Process(Connection* c);
  // Answers requests until the input runs out, the output reaches the
  // high-water mark (sets blocked) or the connection is to close.
  void Answer(Connection* c);
  // Writes pending output; returns false when the connection was closed.
  bool Flush(Connection* c);
  void UpdateInterest(Connection* c);
  void Close(Connection* c);
  void Sweep();
  void ListenerInterest(bool on);

  int listen_fd_;
  int epoll_fd_;
  int wake_fd_;
  SharedState* shared_;
  ResponseWriter writer_;
  RequestHead head_;  // reused for every request
  std::atomic<bool> stopping_{false};
  bool listener_on_ = false;
  Time now_;
  std::chrono::milliseconds tick_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<std::unique_ptr<Connection>> closed_;  // freed after each batch of events
  std::unique_ptr<IoBatch> batch_;                   // null: plain recv and send
  std::vector<Connection*> readable_;                // this round's, for ReadAll
  std::vector<Connection*> sendable_;                // answered during ReadAll, for SendAll
  bool batching_sends_ = false;                      // Process queues writes in sendable_
  // Addresses that tag the listener and the wake-up eventfd in epoll data.
  char listener_tag_ = 0;
  char wake_tag_ = 0;
};

}  // namespace moe::server::internal
