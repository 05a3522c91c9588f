// Reading JSON: a thin layer over rapidjson's DOM (chosen by measurement, see
// docs/json.md). Parsing is iterative, so hostile nesting cannot overflow the
// stack; conversion into moe values stops at kMaxDepth levels.
// Not thread-safe per document; documents are independent.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#include "moe/result.h"
#include "moe/value.h"

namespace moe::internal {

using JsonDocument = rapidjson::Document;
using JsonValue = rapidjson::Value;

// DynamoDB allows 32 levels of nesting in an attribute value.
constexpr int kMaxDepth = 32;

// Parses `json` into `doc`. Errors: kSerialization naming the problem and its offset.
Status ParseJson(std::string_view json, JsonDocument* doc);

// DynamoDB JSON {"S": "x"} -> Value; `depth` counts the enclosing levels.
Result<Value> AttributeValueFromJson(const JsonValue& json, int depth = 0);
// {"name": {"S": "x"}, ...} -> Map.
Result<Map> AttributeMapFromJson(const JsonValue& json, int depth = 0);

inline std::string_view View(const JsonValue& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

}  // namespace moe::internal
