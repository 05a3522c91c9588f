// Reading JSON: a thin layer over rapidjson's DOM (chosen by measurement, see
// docs/json.md). Parsing is iterative, so hostile nesting cannot overflow the
// stack; conversion into moe values stops at kMaxDepth levels.
// Not thread-safe per document; documents are independent.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "moe/result.h"
#include "moe/value.h"

namespace moe::internal {

using JsonDocument = rapidjson::Document;
using JsonValue = rapidjson::Value;

// A JsonDocument whose values go first into a 32 KB buffer of the calling
// thread rather than rapidjson's default: a new 64 KB heap chunk per
// document, whose malloc, free and consolidation were a tenth of the
// engine's Put+Get profile. A document that outgrows the buffer continues in
// heap chunks. One per thread at a time: a second one alive on the same
// thread (a nested parse) uses the heap, so any nesting is correct.
class ScratchDocument {
 public:
  ScratchDocument() : doc_(ClaimScratch()) {}
  ~ScratchDocument();
  ScratchDocument(const ScratchDocument&) = delete;
  ScratchDocument& operator=(const ScratchDocument&) = delete;

  JsonDocument& doc() { return doc_; }

 private:
  using Pool = rapidjson::MemoryPoolAllocator<>;
  // The pool over this thread's buffer when it is free, else null (the
  // document then makes its own).
  Pool* ClaimScratch();

  std::optional<Pool> pool_;  // before doc_: the document allocates from it
  JsonDocument doc_;
};

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
