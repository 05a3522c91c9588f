// Helpers for the ddbexpr tests: parse with inline placeholder maps and get
// either the tree or the error message.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "ddbexpr/ast.h"
#include "ddbexpr/parser.h"
#include "ddbexpr/placeholders.h"
#include "moe/json.h"

namespace moe {
// Readable gtest failure output for values and items.
inline void PrintTo(const Value& v, std::ostream* os) { *os << ToDynamoJson(v); }
}  // namespace moe

namespace moe::ddbexpr::testing {

inline ConditionAst MustCondition(std::string_view text, const AttributeValues& values = {},
                                  const AttributeNames& names = {}) {
  PlaceholderTracker tracker(&names, &values);
  auto ast = ParseCondition(text, ExpressionKind::kCondition, tracker);
  EXPECT_TRUE(ast.has_value()) << text << ": " << (ast ? "" : ast.error().message());
  return ast ? std::move(*ast) : ConditionAst{};
}

inline std::string ConditionError(std::string_view text, const AttributeValues& values = {},
                                  const AttributeNames& names = {},
                                  ExpressionKind kind = ExpressionKind::kCondition) {
  PlaceholderTracker tracker(&names, &values);
  auto ast = ParseCondition(text, kind, tracker);
  if (ast) return "<ok>";
  EXPECT_EQ(ast.error().code(), ErrorCode::kValidation);
  return ast.error().message();
}

inline UpdateAst MustUpdate(std::string_view text, const AttributeValues& values = {},
                            const AttributeNames& names = {}) {
  PlaceholderTracker tracker(&names, &values);
  auto ast = ParseUpdate(text, tracker);
  EXPECT_TRUE(ast.has_value()) << text << ": " << (ast ? "" : ast.error().message());
  return ast ? std::move(*ast) : UpdateAst{};
}

inline std::string UpdateError(std::string_view text, const AttributeValues& values = {},
                               const AttributeNames& names = {}) {
  PlaceholderTracker tracker(&names, &values);
  auto ast = ParseUpdate(text, tracker);
  if (ast) return "<ok>";
  EXPECT_EQ(ast.error().code(), ErrorCode::kValidation);
  return ast.error().message();
}

inline ProjectionAst MustProjection(std::string_view text, const AttributeNames& names = {}) {
  PlaceholderTracker tracker(&names, nullptr);
  auto ast = ParseProjection(text, tracker);
  EXPECT_TRUE(ast.has_value()) << text << ": " << (ast ? "" : ast.error().message());
  return ast ? std::move(*ast) : ProjectionAst{};
}

inline std::string ProjectionError(std::string_view text, const AttributeNames& names = {}) {
  PlaceholderTracker tracker(&names, nullptr);
  auto ast = ParseProjection(text, tracker);
  if (ast) return "<ok>";
  return ast.error().message();
}

}  // namespace moe::ddbexpr::testing
