// Fuzz target: the table-family registry's decoding of its stored state. The
// input is DynamoDB JSON (what the manager table would hold); whatever
// decodes must encode and decode to the same state, and a refusal is always
// kBadResponse.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "moe/json.h"
#include "moe/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto item = moe::ParseDynamoJson(input);
  if (!item) return 0;
  auto state = moe::DecodeFamilyState(*item);
  if (!state) {
    if (state.error().code() != moe::ErrorCode::kBadResponse) {
      std::fprintf(stderr, "%s\n", state.error().ToString().c_str());
    }
    MOE_FUZZ_CHECK(state.error().code() == moe::ErrorCode::kBadResponse);
    return 0;
  }
  (void)state->WriteTables();
  (void)state->ReadPeriods();
  auto back = moe::DecodeFamilyState(moe::EncodeFamilyState(*state));
  MOE_FUZZ_CHECK(back.has_value() && *back == *state);
  return 0;
}
