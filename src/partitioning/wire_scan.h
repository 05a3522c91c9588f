// Just enough reading of DynamoDB request and response bodies for the
// partition observer: the tables, indexes and partition keys an attempt
// touches, and the ConsumedCapacity of its answer, without decoding whole
// items or result pages.
// Thread safety: free functions without shared state.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/model.h"
#include "moe/rate_limiter.h"

namespace moe::partitioning::internal {

// Calls `fn(name, raw_value)` for each member of the JSON object `json`
// (raw_value is the member's JSON text). Returns false when `json` is not a
// well-formed object, or when fn returns false.
bool ForEachMember(std::string_view json,
                   const std::function<bool(std::string_view, std::string_view)>& fn);
// The raw JSON text of member `name` of object `json`, if present.
std::optional<std::string_view> Member(std::string_view json, std::string_view name);
// The content of a JSON string without escapes ("\"a\"" -> "a"); nullopt for
// anything else.
std::optional<std::string_view> PlainString(std::string_view raw);

// Finds a table's (or "table/index") partition key attribute; empty when unknown.
using HashKeyLookup = std::function<std::string(const std::string& table_or_index)>;

// One table, index or key an attempt touches.
struct Target {
  std::string table;
  std::string index;
  std::string key;  // partition key text; empty when not known
};

struct RequestView {
  Direction direction = Direction::kWrite;
  std::vector<Target> targets;
};

// What `operation`'s request `body` touches. Unknown operations and
// malformed bodies give no targets.
RequestView ReadRequest(std::string_view operation, std::string_view body,
                        const HashKeyLookup& hash_key);

// What a BatchWriteItem or BatchGetItem answer left unprocessed
// (UnprocessedItems / UnprocessedKeys), read like a request; no targets for
// other operations or when everything was processed.
RequestView ReadUnprocessed(std::string_view operation, std::string_view response_body,
                            const HashKeyLookup& hash_key);

// The ConsumedCapacity entries of a response body (none when absent).
std::vector<ConsumedCapacity> ReadConsumedCapacity(std::string_view body);

}  // namespace moe::partitioning::internal
