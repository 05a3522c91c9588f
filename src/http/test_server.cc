#include "http/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace moe::testing {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "HttpTestServer: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 413: return "Request Entity Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

HttpTestServer::HttpTestServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) Die("socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) Die("bind");
  if (::listen(listen_fd_, 512) != 0) Die("listen");
  socklen_t len = sizeof(addr);
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) Die("getsockname");
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

HttpTestServer::~HttpTestServer() { Stop(); }

void HttpTestServer::Stop() {
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    // shutdown() wakes threads blocked in poll/recv on these sockets; each
    // thread closes its own descriptor.
    ::shutdown(listen_fd_, SHUT_RDWR);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  cv_.notify_all();
  acceptor_.join();
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) t.join();
  ::close(listen_fd_);
}

bool HttpTestServer::Wait(long ms) {
  std::unique_lock lock(mu_);
  if (ms < 0) {
    cv_.wait(lock, [this] { return stopping_; });
  } else {
    cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
  }
  return !stopping_;
}

void HttpTestServer::AcceptLoop() {
  for (;;) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    int ready = ::poll(&pfd, 1, -1);
    if (ready < 0 && errno == EINTR) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    std::lock_guard lock(mu_);
    if (stopping_) {
      if (fd >= 0) ::close(fd);
      return;
    }
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    connections_.fetch_add(1);
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void HttpTestServer::Serve(int fd) {
  std::string buffer;
  bool reset = false;
  while (ServeOne(fd, &buffer, &reset)) {
  }
  if (reset) {
    // SO_LINGER with a zero timeout turns close() into a TCP RST.
    linger lg{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  }
  std::lock_guard lock(mu_);
  open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  ::close(fd);
}

bool HttpTestServer::ServeOne(int fd, std::string* buffer_ptr, bool* reset) {
  std::string& buffer = *buffer_ptr;
  char chunk[16384];
  // Read one request: head up to the blank line, then Content-Length bytes.
  size_t head_end;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  HttpRequest request;
  size_t content_length = 0;
  bool close_after = false;
  {
    std::string_view head(buffer.data(), head_end);
    size_t eol = head.find("\r\n");
    std::string_view request_line = head.substr(0, eol);
    size_t sp1 = request_line.find(' ');
    size_t sp2 = request_line.find(' ', sp1 + 1);
    if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) return false;
    request.method = std::string(request_line.substr(0, sp1));
    request.url = "http://127.0.0.1:" + std::to_string(port_) +
                  std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
    std::string_view rest = eol == std::string_view::npos ? "" : head.substr(eol + 2);
    while (!rest.empty()) {
      size_t next = rest.find("\r\n");
      std::string_view line = rest.substr(0, next);
      rest = next == std::string_view::npos ? "" : rest.substr(next + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name = Lower(Trim(line.substr(0, colon)));
      std::string value(Trim(line.substr(colon + 1)));
      if (name == "content-length") {
        std::from_chars(value.data(), value.data() + value.size(), content_length);
      } else if (name == "connection" && Lower(value) == "close") {
        close_after = true;
      }
      request.headers.emplace_back(std::move(name), std::move(value));
    }
  }
  buffer.erase(0, head_end + 4);
  while (buffer.size() < content_length) {
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  request.body = buffer.substr(0, content_length);
  buffer.erase(0, content_length);
  requests_.fetch_add(1);

  Mode mode = mode_.load();
  if (mode == Mode::kHang) {
    Wait(-1);
    return false;
  }
  if (mode == Mode::kReset) {
    *reset = true;
    return false;
  }
  if (long delay = delay_ms_.load(); delay > 0 && !Wait(delay)) return false;

  HttpResponse response = handler_(request);
  Crc32 crc = crc_.load();
  if (crc != Crc32::kNone) {
    uLong sum = crc32(0L, reinterpret_cast<const Bytef*>(response.body.data()),
                      static_cast<uInt>(response.body.size()));
    uint32_t value = static_cast<uint32_t>(sum) + (crc == Crc32::kWrong ? 1u : 0u);
    response.headers.emplace_back("x-amz-crc32", std::to_string(value));
  }
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + Reason(response.status) +
                    "\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (Lower(name) == "content-length") continue;
    out += name + ": " + value + "\r\n";
  }
  if (close_after) out += "Connection: close\r\n";
  out += "\r\n";
  out += response.body;
  return WriteAll(fd, out) && !close_after;
}

}  // namespace moe::testing
