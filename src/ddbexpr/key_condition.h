// Key conditions of Query: the KeyConditionExpression must be an equality on
// the partition key, optionally AND one condition on the sort key
// (=, <, <=, >, >=, BETWEEN, begins_with), each comparing the key with a
// value.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-KeyConditionExpression
//
//   MOE_TRY(ConditionAst ast, ParseCondition(text, ExpressionKind::kKeyCondition, tracker));
//   MOE_TRY(KeyCondition kc, ExtractKeyCondition(ast, "pk", "sk"));
//
// Checking the values' types against the key schema stays with the engine.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ddbexpr/ast.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::ddbexpr {

struct SortKeyCondition {
  enum class Op : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };
  Op op = Op::kEq;
  Value value;                 // the operand; BETWEEN's lower bound
  std::optional<Value> upper;  // BETWEEN's upper bound
};

struct KeyCondition {
  Value hash_value;
  std::optional<SortKeyCondition> range;
};

// Splits `ast` into the partition-key value and the sort-key condition for a
// key schema of `hash_key` and `range_key` (empty when the table or index
// has no sort key). Errors, kValidation with DynamoDB's messages:
//   "Query condition missed key schema element: <hash_key>"
//   "Query key condition not supported" (a non-key attribute, or the
//       partition key compared other than by "=")
//   "KeyConditionExpressions must only contain one condition per key"
//   "Invalid operator used in KeyConditionExpression: OR" (also NOT, IN, <>,
//       and functions other than begins_with)
//   "KeyConditionExpressions cannot have conditions on nested attributes"
//   "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
//   "Invalid condition in KeyConditionExpression: No key attribute specified"
Result<KeyCondition> ExtractKeyCondition(const ConditionAst& ast, std::string_view hash_key,
                                         std::string_view range_key);

}  // namespace moe::ddbexpr
