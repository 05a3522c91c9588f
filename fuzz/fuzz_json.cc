// Fuzz target: the DynamoDB-JSON codec. Whatever parses must serialize and
// parse back to the same item, in both the DynamoDB and the plain form.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "moe/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto item = moe::ParseDynamoJson(input)) {
    auto back = moe::ParseDynamoJson(moe::ToDynamoJson(*item));
    MOE_FUZZ_CHECK(back.has_value() && *back == *item);
  }
  if (auto value = moe::ParseDynamoJsonValue(input)) {
    auto back = moe::ParseDynamoJsonValue(moe::ToDynamoJson(*value));
    MOE_FUZZ_CHECK(back.has_value() && *back == *value);
  }
  // Plain JSON only yields S, N, BOOL, NULL, L and M, which round-trip.
  if (auto doc = moe::ItemFromPlainJson(input)) {
    auto back = moe::ItemFromPlainJson(moe::ItemToPlainJson(*doc));
    MOE_FUZZ_CHECK(back.has_value() && *back == *doc);
  }
  if (auto bytes = moe::Base64Decode(input)) {
    auto again = moe::Base64Decode(moe::Base64Encode(*bytes));
    MOE_FUZZ_CHECK(again.has_value() && *again == *bytes);
  }
  return 0;
}
