// Request validation with DynamoDB's messages: required members, table and
// index names, keys against the key schema, items against the schema and the
// 400 KB limit. Every error is kValidation (ValidationException), not
// retryable.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "local/storage.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::local {

inline constexpr size_t kMaxItemBytes = 400 * 1024;
inline constexpr size_t kMaxHashKeyBytes = 2048;
inline constexpr size_t kMaxRangeKeyBytes = 1024;

// "1 validation error detected: Value null at 'tableName' failed to satisfy
// constraint: Member must not be null"
Error MissingMember(std::string_view member);

// "One or more parameter values were invalid: <what>"
Error InvalidParameter(std::string_view what);

// A table or index name: 3..255 characters of [a-zA-Z0-9_.-]. `member` is
// the camelCase wire name used in the message ("tableName", "indexName").
Status ValidateName(std::string_view name, std::string_view member);

// A table name that must be present (null -> MissingMember) and well formed.
Status ValidateTableName(const std::string& name);

// A Limit member: at least 1 (and at most `max` when given).
Status ValidateLimit(const std::optional<int>& limit, std::string_view member,
                     std::optional<int> max = std::nullopt);

// A key (GetItem, DeleteItem, UpdateItem, BatchGetItem, ...): exactly the key
// attributes of `shape`, of the schema's types, non-empty, within the key
// size limits. "The provided key element does not match the schema".
Status ValidateKey(const Item& key, const KeyShape& shape);

// An item to put: has the key attributes with their types, index key
// attributes (when present) have their schema types, and it fits 400 KB.
Status ValidateItem(const Item& item, const Table& table);

// The size check alone ("Item size has exceeded the maximum allowed size").
Status ValidateItemSize(const Item& item);

}  // namespace moe::local
