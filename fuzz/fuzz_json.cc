// Fuzz target: the DynamoDB-JSON codec. Whatever parses must serialize and
// parse back to the same item, in both the DynamoDB and the plain form; and
// whatever the fast reader (simdjson) accepts, the strict reader (rapidjson)
// must accept with the same item.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_fast.h"
#include "core/json_reader.h"
#include "fuzz/fuzz_check.h"
#include "moe/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  if (std::optional<moe::internal::fast::Element> root = moe::internal::fast::Parse(input)) {
    moe::internal::fast::Object obj;
    moe::Item fast;
    if (root->get_object().get(obj) == simdjson::SUCCESS &&
        moe::internal::fast::AttributeMap(obj, 0, &fast)) {
      moe::internal::JsonDocument doc;
      MOE_FUZZ_CHECK(moe::internal::ParseJson(input, &doc).has_value());
      auto strict = moe::internal::AttributeMapFromJson(doc);
      MOE_FUZZ_CHECK(strict.has_value() && *strict == fast);
    }
  }

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
