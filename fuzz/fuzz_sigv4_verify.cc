// Fuzz target: SigV4 verification of a raw HTTP request (the vectors' format:
// request line, "Name:value" lines, a blank line, the body). The clock stands
// at the vectors' date and AKIDEXAMPLE is known, so the signed requests of
// the seed corpus verify and mutations explore every rejection.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "moe/clock.h"
#include "moe/sigv4.h"
#include "sigv4/vectors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto request = moe::sigv4::testing::ParseRawRequest(input);
  if (!request) return 0;
  moe::sigv4::SecretLookup lookup = [](std::string_view id) -> std::optional<std::string> {
    if (id == "AKIDEXAMPLE") return std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return std::nullopt;
  };
  const moe::Clock::TimePoint now = moe::ManualClock::FromUnixSeconds(1440938160);
  moe::Status status = moe::sigv4::Verify(*request, lookup, now);
  if (!status) {
    moe::ErrorCode code = status.error().code();
    MOE_FUZZ_CHECK(code == moe::ErrorCode::kMissingAuthenticationToken ||
                   code == moe::ErrorCode::kIncompleteSignature ||
                   code == moe::ErrorCode::kUnrecognizedClient ||
                   code == moe::ErrorCode::kInvalidSignature);
  }
  moe::sigv4::VerifyOptions raw{.normalize_path = false, .double_encode_path = false};
  (void)moe::sigv4::Verify(*request, lookup, now, raw);
  return 0;
}
