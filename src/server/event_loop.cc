#include "server/event_loop.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "server/buffer.h"
#include "server/io_batch.h"

namespace moe::server::internal {

namespace {

// Output above this stops reading (and answering) until the client reads.
constexpr size_t kHighWater = 1 << 20;
// Bytes asked of each read when no body size is known.
constexpr size_t kReadChunk = 16 * 1024;
// Buffers larger than this are freed once empty.
constexpr size_t kKeepBuffer = 256 * 1024;
// A connection closing after an error answer keeps discarding input this
// long at most, so that the client reads the answer instead of a reset.
constexpr std::chrono::milliseconds kMaxLinger{2000};
constexpr int kMaxEvents = 256;

}  // namespace

struct EventLoop::Connection {
  int fd = -1;
  size_t index = 0;       // in connections_
  uint32_t interest = 0;  // current epoll events
  bool closed = false;
  Buffer in;
  Buffer out;
  size_t scan_from = 0;      // where the search for the end of the head resumes
  size_t pending_total = 0;  // head + body of a request waiting for its body; 0 if none
  bool continue_sent = false;
  bool close_after_write = false;
  bool peer_closed = false;  // read returned 0
  bool blocked = false;      // stopped answering until the output drains
  bool draining = false;     // answered and shut down; discarding input until EOF
  Time last_activity;
  Time request_start;  // first byte of the request in progress
  Time drain_deadline;
};

Result<std::unique_ptr<EventLoop>> EventLoop::Create(int listen_fd, SharedState* shared,
                                                     uint64_t seed) {
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) {
    ::close(listen_fd);
    return Error(ErrorCode::kIo, std::string("epoll_create1: ") + std::strerror(errno));
  }
  int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    ::close(listen_fd);
    ::close(epoll_fd);
    return Error(ErrorCode::kIo, std::string("eventfd: ") + std::strerror(errno));
  }
  return std::unique_ptr<EventLoop>(new EventLoop(listen_fd, epoll_fd, wake_fd, shared, seed));
}

EventLoop::EventLoop(int listen_fd, int epoll_fd, int wake_fd, SharedState* shared, uint64_t seed)
    : listen_fd_(listen_fd),
      epoll_fd_(epoll_fd),
      wake_fd_(wake_fd),
      shared_(shared),
      writer_(seed),
      batch_(shared->options.io_uring ? IoBatch::Create(kMaxEvents) : nullptr) {
  if (batch_) shared_->io_uring_loops.fetch_add(1);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &wake_tag_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  ListenerInterest(true);
  auto shortest = std::min(shared_->options.idle_timeout, shared_->options.request_timeout);
  tick_ = std::clamp(shortest / 4, std::chrono::milliseconds(1), std::chrono::milliseconds(250));
}

EventLoop::~EventLoop() {
  for (auto& c : connections_) ::close(c->fd);
  shared_->open_connections.fetch_sub(static_cast<int>(connections_.size()));
  ::close(listen_fd_);
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void EventLoop::Stop() {
  stopping_.store(true);
  uint64_t one = 1;
  ssize_t n = ::write(wake_fd_, &one, sizeof one);
  (void)n;  // a full counter already wakes the loop
}

void EventLoop::ListenerInterest(bool on) {
  if (on == listener_on_) return;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &listener_tag_;
  epoll_ctl(epoll_fd_, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, listen_fd_, &ev);
  listener_on_ = on;
}

void EventLoop::Run() {
  epoll_event events[kMaxEvents];
  now_ = std::chrono::steady_clock::now();
  Time next_sweep = now_ + tick_;
  while (!stopping_.load(std::memory_order_relaxed)) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - now_);
    int n = epoll_wait(epoll_fd_, events, kMaxEvents,
                       static_cast<int>(std::max<int64_t>(wait.count(), 0)) + 1);
    now_ = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &listener_tag_) {
        Accept();
      } else if (tag == &wake_tag_) {
        uint64_t count;
        ssize_t r = ::read(wake_fd_, &count, sizeof count);
        (void)r;
      } else {
        auto* c = static_cast<Connection*>(tag);
        uint32_t e = events[i].events;
        if (!c->closed && (e & EPOLLOUT)) OnWritable(c);
        if (!c->closed && (e & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
          if (batch_) {
            readable_.push_back(c);
          } else {
            OnReadable(c);
          }
        }
      }
    }
    if (!readable_.empty()) ReadAll();
    closed_.clear();
    if (now_ >= next_sweep) {
      Sweep();
      closed_.clear();
      next_sweep = now_ + tick_;
    }
  }
}

void EventLoop::Accept() {
  for (int i = 0; i < 64; ++i) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        ListenerInterest(false);  // the sweep turns it back on
      }
      return;
    }
    if (shared_->open_connections.fetch_add(1) >= shared_->options.max_connections) {
      shared_->open_connections.fetch_sub(1);
      shared_->rejected.fetch_add(1, std::memory_order_relaxed);
      ::close(fd);
      continue;
    }
    shared_->accepted.fetch_add(1, std::memory_order_relaxed);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->index = connections_.size();
    c->interest = EPOLLIN;
    c->last_activity = now_;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = c.get();
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      ::close(fd);
      shared_->open_connections.fetch_sub(1);
      continue;
    }
    connections_.push_back(std::move(c));
  }
}

void EventLoop::Close(Connection* c) {
  if (c->closed) return;
  c->closed = true;
  ::close(c->fd);  // also leaves the epoll set
  shared_->open_connections.fetch_sub(1);
  size_t i = c->index;
  closed_.push_back(std::move(connections_[i]));
  if (i + 1 != connections_.size()) {
    connections_[i] = std::move(connections_.back());
    connections_[i]->index = i;
  }
  connections_.pop_back();
}

void EventLoop::UpdateInterest(Connection* c) {
  uint32_t want = 0;
  if (!c->peer_closed && !c->blocked) want |= EPOLLIN;
  if (!c->out.empty()) want |= EPOLLOUT;
  if (want == c->interest) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.ptr = c;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c->fd, &ev);
  c->interest = want;
}

size_t EventLoop::ReadSize(const Connection* c) {
  size_t want = kReadChunk;
  if (c->pending_total > c->in.size()) want = std::max(want, c->pending_total - c->in.size());
  return want;
}

void EventLoop::OnReadable(Connection* c) {
  size_t want = ReadSize(c);
  ssize_t n = ::recv(c->fd, c->in.PrepareWrite(want), want, 0);
  OnReceived(c, n < 0 ? -errno : n);
}

void EventLoop::ReadAll() {
  for (Connection* c : readable_) {
    size_t want = ReadSize(c);
    batch_->Recv(c->fd, c->in.PrepareWrite(want), want);
  }
  std::span<const int> results = batch_->Run();
  batching_sends_ = true;
  for (size_t i = 0; i < readable_.size(); ++i) {
    Connection* c = readable_[i];
    if (c->closed) continue;
    if (results[i] == -ECANCELED) {
      OnReadable(c);  // never executed (see IoBatch::Run)
    } else {
      OnReceived(c, results[i]);
    }
  }
  batching_sends_ = false;
  readable_.clear();
  if (!sendable_.empty()) SendAll();
  if (batch_->broken()) {  // plain recv and send from now on
    batch_.reset();
    shared_->io_uring_loops.fetch_sub(1);
  }
}

void EventLoop::SendAll() {
  // Each queued connection has output and appears once (one readable event
  // per connection per round); nothing closes it between queueing and here.
  for (Connection* c : sendable_) batch_->Send(c->fd, c->out.data(), c->out.size());
  std::span<const int> results = batch_->Run();
  for (size_t i = 0; i < sendable_.size(); ++i) {
    Connection* c = sendable_[i];
    int n = results[i];
    if (n > 0) {
      c->out.Consume(static_cast<size_t>(n));
      c->last_activity = now_;
    } else if (n != -EAGAIN && n != -EINTR && n != -ECANCELED) {
      Close(c);
      continue;
    }
    // What was not sent (a short write, a full socket, a send never
    // executed) and everything after a send (closing, interest) goes the
    // plain way.
    Flush(c);
  }
  sendable_.clear();
}

void EventLoop::OnReceived(Connection* c, ssize_t n) {
  bool was_empty = c->in.empty();
  if (n < 0) {
    if (n == -EAGAIN || n == -EINTR) return;
    Close(c);
    return;
  }
  if (n == 0) {
    // Half-closed: answer the complete requests already read, then close
    // (Flush closes once the output is written).
    c->peer_closed = true;
    if (c->draining) {
      Close(c);
    } else if (c->blocked) {
      UpdateInterest(c);
    } else {
      Process(c);
    }
    return;
  }
  c->last_activity = now_;
  if (c->draining) {
    c->in.Clear();
    return;
  }
  c->in.Commit(static_cast<size_t>(n));
  if (was_empty) c->request_start = now_;
  if (!c->blocked) Process(c);
}

void EventLoop::OnWritable(Connection* c) {
  if (!Flush(c)) return;
  if (c->blocked && c->out.size() < kHighWater / 2) {
    c->blocked = false;
    Process(c);
  }
}

void EventLoop::Process(Connection* c) {
  for (;;) {
    Answer(c);
    if (batching_sends_ && !c->blocked && !c->out.empty()) {
      sendable_.push_back(c);  // SendAll writes it with the round's other answers
      return;
    }
    if (!Flush(c)) return;
    // Stopped at the high-water mark but the socket took most of it: go on.
    if (!c->blocked || c->out.size() >= kHighWater / 2) return;
    c->blocked = false;
  }
}

void EventLoop::Answer(Connection* c) {
  const SharedState& s = *shared_;
  while (!c->close_after_write && !c->in.empty()) {
    if (c->out.size() >= kHighWater) {
      c->blocked = true;
      break;
    }
    std::string_view data = c->in.view();
    if (c->pending_total != 0) {
      if (data.size() < c->pending_total) break;
      c->scan_from = 0;  // the buffer may have moved; parse the head again
    }
    HeadParse parsed = ParseHead(data, &c->scan_from, &head_);
    if (parsed.status == HeadStatus::kIncomplete) break;
    if (parsed.status == HeadStatus::kError) {
      s.dispatcher.Reject(parsed.error_status, parsed.error_text, &writer_, &c->out);
      c->close_after_write = true;
      break;
    }
    if (head_.has_transfer_encoding) {
      s.dispatcher.Reject(411, "Length Required: chunked request bodies are not supported",
                          &writer_, &c->out);
      c->close_after_write = true;
      break;
    }
    if (head_.content_length > s.options.max_body_bytes) {
      s.dispatcher.Reject(413, {}, &writer_, &c->out);
      c->close_after_write = true;
      break;
    }
    size_t total = head_.head_bytes + head_.content_length;
    if (data.size() < total) {
      c->pending_total = total;
      c->in.PrepareWrite(total - data.size());  // one allocation for the whole body
      if (head_.expect_continue && !c->continue_sent) {
        c->out.Append("HTTP/1.1 100 Continue\r\n\r\n");
        c->continue_sent = true;
      }
      break;
    }
    bool keep = s.dispatcher.Handle(head_, data.substr(head_.head_bytes, head_.content_length),
                                    &writer_, &c->out);
    now_ = std::chrono::steady_clock::now();  // the handler may have taken a while
    shared_->requests.fetch_add(1, std::memory_order_relaxed);
    c->in.Consume(total);
    c->pending_total = 0;
    c->scan_from = 0;
    c->continue_sent = false;
    c->request_start = now_;
    if (!keep) c->close_after_write = true;
  }
  if (c->in.empty()) c->in.ShrinkIfEmpty(kKeepBuffer);
}

bool EventLoop::Flush(Connection* c) {
  while (!c->out.empty()) {
    ssize_t n = ::send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c->out.Consume(static_cast<size_t>(n));
      c->last_activity = now_;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EINTR) continue;
    Close(c);
    return false;
  }
  if (c->out.empty()) {
    c->out.ShrinkIfEmpty(kKeepBuffer);
    if (c->peer_closed && !c->blocked) {
      Close(c);  // nothing more can arrive and nothing is owed
      return false;
    }
    if (c->close_after_write) {
      if (!c->draining) {
        // Half-close and discard what the client still sends, so it reads
        // the answer rather than a reset caused by unread input.
        ::shutdown(c->fd, SHUT_WR);
        c->draining = true;
        c->blocked = false;
        c->in.Clear();
        c->drain_deadline = now_ + std::min<std::chrono::milliseconds>(
                                       kMaxLinger, shared_->options.request_timeout);
      }
    }
  }
  UpdateInterest(c);
  return true;
}

void EventLoop::Sweep() {
  const ServerOptions& o = shared_->options;
  if (!listener_on_) ListenerInterest(true);
  for (size_t i = connections_.size(); i-- > 0;) {
    Connection* c = connections_[i].get();
    if (c->draining) {
      if (now_ >= c->drain_deadline) Close(c);
      continue;
    }
    bool in_request = !c->in.empty() && !c->blocked && !c->close_after_write;
    if (in_request && now_ - c->request_start >= o.request_timeout) {
      shared_->timeouts.fetch_add(1, std::memory_order_relaxed);
      c->in.Clear();
      c->pending_total = 0;
      shared_->dispatcher.Reject(408, "Request Timeout", &writer_, &c->out);
      c->close_after_write = true;
      Flush(c);
      continue;
    }
    if (now_ - c->last_activity >= o.idle_timeout && !in_request) {
      shared_->timeouts.fetch_add(1, std::memory_order_relaxed);
      Close(c);
    }
  }
}

}  // namespace moe::server::internal
