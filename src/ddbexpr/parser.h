// Parsers for DynamoDB's expression language. Each takes one expression
// string of a request and the request's PlaceholderTracker, and returns a
// self-contained tree (placeholders resolved) or a kValidation error with
// DynamoDB's message, prefixed "Invalid <Kind>: " where DynamoDB does so:
//
//   Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a ="
//   Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size
//   Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :v
//
// Rules: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
//
// Limits (each a kValidation error): an expression of more than 4096 bytes;
// more than 300 operators and functions; more than 100 IN operands; nesting
// (parentheses, NOT, function calls) deeper than kMaxNestingDepth. Parsing
// is linear in the expression's length and its recursion is bounded by
// kMaxNestingDepth.
//
// Thread safety: free functions; the tracker is the only shared state.
#pragma once

#include <cstddef>
#include <string_view>

#include "ddbexpr/ast.h"
#include "ddbexpr/placeholders.h"
#include "moe/result.h"

namespace moe::ddbexpr {

inline constexpr size_t kMaxExpressionBytes = 4096;
inline constexpr int kMaxOperators = 300;
inline constexpr size_t kMaxInOperands = 100;
inline constexpr int kMaxNestingDepth = 256;

// A condition, filter or key-condition expression (kind says which; it only
// changes the error prefix). Key conditions additionally go through
// ExtractKeyCondition (key_condition.h).
Result<ConditionAst> ParseCondition(std::string_view expression, ExpressionKind kind,
                                    PlaceholderTracker& tracker);

// An update expression: SET / REMOVE / ADD / DELETE clauses, each at most once,
// in any order; document paths must not overlap.
Result<UpdateAst> ParseUpdate(std::string_view expression, PlaceholderTracker& tracker);

// A projection expression: comma-separated, non-overlapping document paths.
Result<ProjectionAst> ParseProjection(std::string_view expression, PlaceholderTracker& tracker);

}  // namespace moe::ddbexpr
