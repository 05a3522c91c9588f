// Parsing of one HTTP/1.1 request head (request line and header block), as
// the server's connections see it: bytes that may hold part of a request or
// several pipelined ones. The parser never copies; every view points into the
// caller's buffer and is valid while that buffer is unchanged.
// https://www.rfc-editor.org/rfc/rfc9112
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>

#include "core/ascii.h"
#include <vector>

namespace moe::server::internal {

// Upper bound of a request head; a larger one is answered 431.
inline constexpr size_t kMaxHeadBytes = 64 * 1024;

struct RequestHead {
  std::string_view method;
  std::string_view target;  // as sent: path and query
  std::string_view path;    // before '?'
  int minor_version = 1;    // HTTP/1.<minor>
  // Every header as sent (names keep their case; values are trimmed).
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  // The headers the server acts on (empty when absent).
  std::string_view host;
  std::string_view amz_target;
  std::string_view origin;
  size_t content_length = 0;
  bool has_transfer_encoding = false;
  bool keep_alive = true;        // from the version and Connection
  bool expect_continue = false;  // Expect: 100-continue
  size_t head_bytes = 0;         // through the blank line

  // The first header named `name` (case-insensitive), or "".
  std::string_view Header(std::string_view name) const;
};

enum class HeadStatus {
  kIncomplete,  // no blank line yet; read more
  kComplete,    // `head` filled in
  kError,       // malformed; `error_status` says how to answer
};

struct HeadParse {
  HeadStatus status = HeadStatus::kIncomplete;
  int error_status = 0;         // 400, 431 or 505 with kError
  std::string_view error_text;  // a short reason with kError
};

// Parses the head at the start of `data`. `scan_from` is where to resume the
// search for the blank line (bytes before it are known not to complete one);
// on kIncomplete it is updated. Leading empty lines are skipped, as RFC 9112
// section 2.2 allows. `head` is cleared and refilled (its vector capacity is
// reused).
HeadParse ParseHead(std::string_view data, size_t* scan_from, RequestHead* head);

using moe::internal::EqualsIgnoreCase;

}  // namespace moe::server::internal
