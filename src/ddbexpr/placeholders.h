// PlaceholderTracker: one request's ExpressionAttributeNames and
// ExpressionAttributeValues, shared by every parse of that request's
// expressions. Parsers resolve "#n" and ":v" through it (marking them used);
// after the last parse the engine calls CheckAllUsed(), because DynamoDB
// rejects a request that defines a placeholder none of its expressions use.
//
//   PlaceholderTracker tracker(&req.names, &req.values);
//   MOE_TRY(auto cond, ParseCondition(req.condition, ExpressionKind::kCondition, tracker));
//   MOE_TRY(auto update, ParseUpdate(req.update, tracker));
//   MOE_TRY_STATUS(tracker.CheckAllUsed());
//
// Thread safety: not thread-safe; one tracker per request. It borrows the
// maps, which must outlive it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "moe/result.h"
#include "moe/value.h"

namespace moe::ddbexpr {

using AttributeNames = std::map<std::string, std::string, std::less<>>;  // "#n" -> name
using AttributeValues = moe::Map;                                        // ":v" -> value

class PlaceholderTracker {
 public:
  // Either map may be null (the request did not send it).
  PlaceholderTracker(const AttributeNames* names, const AttributeValues* values)
      : names_(names), values_(values) {}

  // The name or value behind `placeholder` ("#n", ":v"), marking it used;
  // null when the request does not define it.
  const std::string* FindName(std::string_view placeholder);
  const Value* FindValue(std::string_view placeholder);

  // kValidation when a defined placeholder was never used:
  // "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
  // (names are checked before values).
  Status CheckAllUsed() const;

 private:
  const AttributeNames* names_;
  const AttributeValues* values_;
  std::set<std::string, std::less<>> used_names_;
  std::set<std::string, std::less<>> used_values_;
};

}  // namespace moe::ddbexpr
