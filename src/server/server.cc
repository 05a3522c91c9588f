#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "moe/server.h"
#include "server/dispatch.h"
#include "server/event_loop.h"

namespace moe::server {

using internal::Dispatcher;
using internal::EventLoop;
using internal::SharedState;

namespace {

Error SystemError(std::string what) {
  return Error(ErrorCode::kIo, std::move(what) + ": " + std::strerror(errno));
}

// A non-blocking listening socket on `addr`; SO_REUSEPORT when `reuse_port`.
Result<int> Listen(const sockaddr* addr, socklen_t len, bool reuse_port) {
  int fd = ::socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return SystemError("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    Error e = SystemError("setsockopt(SO_REUSEPORT)");
    ::close(fd);
    return e;
  }
  if (::bind(fd, addr, len) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    Error e = SystemError("bind/listen");
    ::close(fd);
    return e;
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, bool loopback)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        dispatcher_(options_, handler_, loopback),
        shared_(options_, dispatcher_) {}

  ~Impl() { Stop(); }

  Status Open() {
    std::string host = options_.host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    std::string port = std::to_string(options_.port);
    int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
    if (rc != 0) {
      return Error(ErrorCode::kIo, "cannot resolve '" + options_.host + "': " + gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
    sockaddr_storage addr{};
    std::memcpy(&addr, found->ai_addr, found->ai_addrlen);
    socklen_t len = found->ai_addrlen;

    bool reuse_port = options_.threads > 1;
    std::random_device random;
    for (int i = 0; i < options_.threads; ++i) {
      MOE_TRY(int fd, Listen(reinterpret_cast<sockaddr*>(&addr), len, reuse_port));
      if (i == 0) {
        port_ = BoundPort(fd);
        // The other listeners share the port picked for the first.
        if (addr.ss_family == AF_INET6) {
          reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(static_cast<uint16_t>(port_));
        } else {
          reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(static_cast<uint16_t>(port_));
        }
      }
      uint64_t seed = (uint64_t{random()} << 32) ^ random() ^ static_cast<uint64_t>(i);
      MOE_TRY(auto loop, EventLoop::Create(fd, &shared_, seed));
      loops_.push_back(std::move(loop));
    }
    for (auto& loop : loops_) threads_.emplace_back([l = loop.get()] { l->Run(); });
    return Ok();
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(stop_mu_);
    for (auto& loop : loops_) loop->Stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    loops_.clear();  // closes listeners and connections
  }

  int port() const { return port_; }

  ServerStats stats() const {
    ServerStats s;
    s.connections_accepted = shared_.accepted.load(std::memory_order_relaxed);
    s.connections_rejected = shared_.rejected.load(std::memory_order_relaxed);
    s.connections_open = static_cast<uint64_t>(std::max(0, shared_.open_connections.load()));
    s.requests = shared_.requests.load(std::memory_order_relaxed);
    s.timeouts = shared_.timeouts.load(std::memory_order_relaxed);
    s.io_uring_loops = shared_.io_uring_loops.load(std::memory_order_relaxed);
    return s;
  }

 private:
  const ServerOptions options_;
  const Handler handler_;
  const Dispatcher dispatcher_;
  SharedState shared_;
  int port_ = 0;
  std::mutex stop_mu_;
  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::vector<std::thread> threads_;
};

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Handler handler) {
  if (!handler) return Error::InvalidArgument("Server::Start: no handler");
  if (options.threads < 1) return Error::InvalidArgument("Server::Start: threads must be >= 1");
  if (options.max_connections < 1) {
    return Error::InvalidArgument("Server::Start: max_connections must be >= 1");
  }
  if (options.port < 0 || options.port > 65535) {
    return Error::InvalidArgument("Server::Start: port out of range");
  }
  if (options.idle_timeout.count() <= 0 || options.request_timeout.count() <= 0) {
    return Error::InvalidArgument("Server::Start: timeouts must be positive");
  }
  if (options.max_body_bytes == 0) {
    return Error::InvalidArgument("Server::Start: max_body_bytes must be >= 1");
  }
  if (options.verify_signatures && !options.secrets) {
    return Error::InvalidArgument("Server::Start: verify_signatures needs secrets");
  }
  bool loopback = internal::IsLoopbackHost(options.host);
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler), loopback);
  MOE_TRY_STATUS(impl->Open());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }
int Server::port() const { return impl_->port(); }
ServerStats Server::stats() const { return impl_->stats(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace moe::server
