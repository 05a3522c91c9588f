// Fuzz target: what `moe serve` does with the bytes of one connection, minus
// the socket. The head parser must agree with itself however the bytes
// arrive (all at once or in pieces, as reads deliver them); a complete
// request then goes through the dispatcher (routing, Host check, CORS, SigV4
// verification) with an echoing handler.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "moe/clock.h"
#include "moe/server.h"
#include "server/buffer.h"
#include "server/dispatch.h"
#include "server/http_parser.h"
#include "server/response.h"

namespace {

using moe::server::internal::HeadParse;
using moe::server::internal::HeadStatus;
using moe::server::internal::ParseHead;
using moe::server::internal::RequestHead;

// The date of the SigV4 vectors, so their signed requests verify.
moe::ManualClock& VectorClock() {
  static moe::ManualClock clock(moe::ManualClock::FromUnixSeconds(1440938160));
  return clock;
}

moe::server::ServerOptions Options(bool verify) {
  moe::server::ServerOptions options;
  options.verify_signatures = verify;
  options.secrets = [](std::string_view id) -> std::optional<std::string> {
    if (id == "AKIDEXAMPLE") return std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return std::nullopt;
  };
  options.cors_origins = {"http://app.example"};
  options.clock = &VectorClock();
  return options;
}

struct Fixture {
  moe::server::ServerOptions plain = Options(false);
  moe::server::ServerOptions signed_ = Options(true);
  moe::server::Handler echo = [](std::string_view operation,
                                 std::string_view body) -> moe::Result<std::string> {
    if (operation == "Fail") return moe::Error::Validation("fuzz");
    return std::string(body.substr(0, 64));
  };
  moe::server::internal::Dispatcher open{plain, echo, /*loopback=*/true};
  moe::server::internal::Dispatcher verifying{signed_, echo, /*loopback=*/false};
  moe::server::internal::ResponseWriter writer{1};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  size_t scan_from = 0;
  RequestHead head;
  HeadParse whole = ParseHead(input, &scan_from, &head);

  // The same bytes in pieces whose sizes come from the input itself.
  size_t piece_scan = 0;
  RequestHead piece_head;
  HeadParse piece{};
  size_t have = 0;
  size_t step = size == 0 ? 1 : 1 + data[0] % 61;
  while (true) {
    have = std::min(size, have + step);
    piece = ParseHead(input.substr(0, have), &piece_scan, &piece_head);
    if (piece.status != HeadStatus::kIncomplete || have == size) break;
  }
  MOE_FUZZ_CHECK(piece.status == whole.status);
  if (whole.status == HeadStatus::kError) {
    MOE_FUZZ_CHECK(whole.error_status == 400 || whole.error_status == 431 ||
                   whole.error_status == 505);
    MOE_FUZZ_CHECK(piece.error_status == whole.error_status);
    moe::server::internal::Buffer out;
    fixture->open.Reject(whole.error_status, whole.error_text, &fixture->writer, &out);
    return 0;
  }
  if (whole.status != HeadStatus::kComplete) return 0;
  MOE_FUZZ_CHECK(head.head_bytes <= size && head.head_bytes == piece_head.head_bytes);
  MOE_FUZZ_CHECK(head.method == piece_head.method && head.target == piece_head.target);
  MOE_FUZZ_CHECK(head.content_length == piece_head.content_length);
  MOE_FUZZ_CHECK(head.headers.size() == piece_head.headers.size());

  // The body is what follows the head, as much as Content-Length claims and
  // the input holds (the event loop waits for the rest; here it is cut).
  std::string_view body = input.substr(head.head_bytes);
  body = body.substr(0, std::min(body.size(), head.content_length));
  moe::server::internal::Buffer out;
  (void)fixture->open.Handle(head, body, &fixture->writer, &out);
  moe::server::internal::Buffer signed_out;
  (void)fixture->verifying.Handle(head, body, &fixture->writer, &signed_out);
  return 0;
}
