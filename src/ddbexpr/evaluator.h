// Evaluation of condition and filter expressions against one item, with
// DynamoDB's semantics: a missing attribute makes a comparison false (and
// "<>" true); values of different types are never equal and never ordered;
// "<", "<=", ">", ">=" and BETWEEN order S by UTF-8 bytes, N numerically and
// B bytewise, and are false for every other type.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
//
//   PlaceholderTracker tracker(&names, &values);
//   MOE_TRY(ConditionAst cond, ParseCondition(text, ExpressionKind::kCondition, tracker));
//   MOE_TRY(bool ok, EvaluateCondition(cond, existing_item));   // empty Item if none
//   if (!ok) return ConditionalCheckFailed ...
//
// Thread safety: pure functions.
#pragma once

#include "ddbexpr/ast.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::ddbexpr {

// Whether `item` satisfies `ast` (an absent item is passed as an empty Item).
// Errors, kValidation, prefixed "Invalid <Kind>: ":
//  - BETWEEN whose bounds (read from the item) are of one type with the lower
//    above the upper: "The BETWEEN operator requires upper bound to be greater
//    than or equal to lower bound; lower bound operand: AttributeValue: {N:5},
//    upper bound operand: AttributeValue: {N:1}";
//  - attribute_type whose type operand (read from the item) is not a type tag.
// Not retryable.
Result<bool> EvaluateCondition(const ConditionAst& ast, const Item& item);

}  // namespace moe::ddbexpr
