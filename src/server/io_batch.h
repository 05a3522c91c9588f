// IoBatch: the socket reads and writes of one event-loop round, issued with
// one system call through io_uring instead of one recv or send each.
//
// Why: on virtual machines a system call's entry and exit can cost more than
// a small recv or send itself (1.2 us for getppid on the machine moe is
// benchmarked on). The event loop learns from epoll which connections are
// readable, queues one receive per connection here, runs them together,
// answers the requests, then queues and runs the sends the same way.
//
// Semantics are those of recv/send with MSG_DONTWAIT on a non-blocking
// socket: an operation never waits for data or buffer space (it completes
// with -EAGAIN instead), so Run returns as soon as the kernel has executed
// the queued operations, and each result is what the plain call would have
// returned (bytes, or -errno).
//
// Create returns null when the kernel refuses io_uring (a seccomp filter
// such as Docker's default, or a kernel without it) or would park a receive
// that finds no data instead of answering -EAGAIN (Create checks on a
// socket pair); the caller then uses plain recv and send. No library: the system calls and
// <linux/io_uring.h> only. Not thread-safe: one per loop.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace moe::server::internal {

class IoBatch {
 public:
  // Room for `capacity` operations per Run.
  static std::unique_ptr<IoBatch> Create(unsigned capacity);
  virtual ~IoBatch() = default;

  // Queue an operation; at most `capacity` before each Run.
  virtual void Recv(int fd, char* data, size_t size) = 0;
  virtual void Send(int fd, const char* data, size_t size) = 0;
  // Runs the queued operations; their results, in queue order, stay valid
  // until the next call of Recv, Send or Run.
  // Operations the kernel refuses to take (it never should) report
  // -ECANCELED, were not executed, and must be redone with plain calls; the
  // batch is then broken() and must not be used again.
  virtual std::span<const int> Run() = 0;
  virtual bool broken() const = 0;

  // Tests only: the kernel refuses every later submission.
  virtual void BreakForTesting() = 0;
};

}  // namespace moe::server::internal
