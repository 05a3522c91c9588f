// Writing HTTP/1.1 responses into a connection's output buffer, with the
// headers DynamoDB sends: x-amzn-RequestId (unique per request), x-amz-crc32
// (zlib CRC32 of the body, decimal), Date, Content-Length.
//
// Thread safety: ResponseWriter is not thread-safe; each event loop owns one.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "server/buffer.h"

namespace moe::server::internal {

inline constexpr std::string_view kAmzJson = "application/x-amz-json-1.0";

struct Response {
  int status = 200;
  std::string_view content_type;  // empty: none
  std::string_view body;
  bool close = false;              // adds Connection: close
  bool amz_headers = true;         // x-amzn-RequestId and x-amz-crc32
  std::string_view extra_headers;  // preformatted lines, each ending CRLF
};

// "OK", "Not Found", ...; "Unknown" for statuses the server never sends.
std::string_view ReasonPhrase(int status);

class ResponseWriter {
 public:
  // `seed` makes request ids unique across writers and processes.
  explicit ResponseWriter(uint64_t seed);
  ResponseWriter(const ResponseWriter&) = delete;
  ResponseWriter& operator=(const ResponseWriter&) = delete;

  void Write(const Response& response, Buffer* out);

  static constexpr size_t kRequestIdSize = 52;

 private:
  std::string_view DateLine();

  char id_prefix_[kRequestIdSize - 16];
  uint64_t counter_ = 0;
  time_t date_second_ = -1;
  std::string date_line_;
};

}  // namespace moe::server::internal
