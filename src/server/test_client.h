// A tiny blocking HTTP/1.1 client over raw sockets, for the server's tests:
// it sends exactly the bytes a test chooses (split, pipelined, slow) and
// parses responses with Content-Length bodies.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "moe/server.h"

namespace moe::server::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// The server suites run twice under CTest: as they are (socket calls batched
// with io_uring where the kernel allows) and with MOE_SERVER_TEST_PLAIN_IO
// set (one recv or send each). Tests pass their options through this.
void ApplyTestIo(ServerOptions* options);

class TestConnection {
 public:
  // Connects to 127.0.0.1:port ([::1]:port with `ipv6`); check ok() afterwards.
  explicit TestConnection(int port, bool ipv6 = false);
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Sends all of `bytes`; false when the peer has closed or reset.
  bool Send(std::string_view bytes);
  // Reads one response (waiting up to `timeout`); nullopt on EOF, error or
  // timeout. Bytes past the response are kept for the next call.
  std::optional<RawResponse> Read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits until the server closes the connection (EOF or reset), discarding
  // data. False if it is still open after `bound`.
  bool WaitClosed(std::chrono::milliseconds bound = std::chrono::seconds(10));
  void Close();

 private:
  // Reads more bytes into pending_; false on EOF, error or timeout.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string pending_;
};

// "POST / HTTP/1.1" with Host 127.0.0.1, X-Amz-Target DynamoDB_20120810.<op>
// (omitted when op is empty), Content-Length and `extra_headers` (CRLF-ended).
std::string PostRequest(std::string_view op, std::string_view body,
                        std::string_view extra_headers = {});

// The zlib CRC32 of `s`, decimal.
std::string Crc32(std::string_view s);

}  // namespace moe::server::testing
