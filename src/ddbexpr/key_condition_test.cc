#include <gtest/gtest.h>

#include "ddbexpr/key_condition.h"
#include "ddbexpr/test_util.h"

namespace moe::ddbexpr {
namespace {

const AttributeValues kV = {{":h", "user#1"}, {":r", 5}, {":r2", 9}, {":p", "2024-"}};

Result<KeyCondition> Extract(std::string_view text, std::string_view hash = "pk", std::string_view range = "sk") {
  PlaceholderTracker tracker(nullptr, &kV);
  auto ast = ParseCondition(text, ExpressionKind::kKeyCondition, tracker);
  if (!ast) return ast.error();
  return ExtractKeyCondition(*ast, hash, range);
}

std::string ExtractError(std::string_view text, std::string_view hash = "pk", std::string_view range = "sk") {
  auto r = Extract(text, hash, range);
  if (r) return "<ok>";
  EXPECT_EQ(r.error().code(), ErrorCode::kValidation);
  return r.error().message();
}

TEST(KeyConditionTest, HashOnly) {
  auto kc = Extract("pk = :h");
  ASSERT_TRUE(kc);
  EXPECT_EQ(kc->hash_value, Value("user#1"));
  EXPECT_FALSE(kc->range.has_value());
  auto flipped = Extract(":h = pk", "pk", "");
  ASSERT_TRUE(flipped);
  EXPECT_EQ(flipped->hash_value, Value("user#1"));
}

TEST(KeyConditionTest, EverySortKeyOperator) {
  using Op = SortKeyCondition::Op;
  struct Case {
    const char* text;
    Op op;
  } cases[] = {
      {"pk = :h AND sk = :r", Op::kEq},   {"pk = :h AND sk < :r", Op::kLt},
      {"pk = :h AND sk <= :r", Op::kLe},  {"pk = :h AND sk > :r", Op::kGt},
      {"pk = :h AND sk >= :r", Op::kGe},  {"sk >= :r AND pk = :h", Op::kGe},
      {"pk = :h AND :r < sk", Op::kGt},   {"pk = :h AND :r >= sk", Op::kLe},
      {"pk = :h AND begins_with(sk, :p)", Op::kBeginsWith},
      {"(pk = :h) AND (sk BETWEEN :r AND :r2)", Op::kBetween},
  };
  for (const Case& c : cases) {
    auto kc = Extract(c.text);
    ASSERT_TRUE(kc) << c.text << ": " << kc.error().message();
    ASSERT_TRUE(kc->range.has_value()) << c.text;
    EXPECT_EQ(kc->range->op, c.op) << c.text;
  }
  auto between = Extract("pk = :h AND sk BETWEEN :r AND :r2");
  EXPECT_EQ(between->range->value, Value(5));
  EXPECT_EQ(between->range->upper, Value(9));
  EXPECT_EQ(Extract("pk = :h AND begins_with(sk, :p)")->range->value, Value("2024-"));
}

TEST(KeyConditionTest, Errors) {
  EXPECT_EQ(ExtractError("sk = :r"), "Query condition missed key schema element: pk");
  EXPECT_EQ(ExtractError("pk > :h"), "Query key condition not supported");
  EXPECT_EQ(ExtractError("pk = :h AND extra = :r"), "Query key condition not supported");
  EXPECT_EQ(ExtractError("pk = :h AND sk = :r", "pk", ""), "Query key condition not supported");
  EXPECT_EQ(ExtractError("pk = :h AND pk = :h"), "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(ExtractError("pk = :h AND sk > :r AND sk < :r2"),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(ExtractError("pk = :h OR sk = :r"), "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(ExtractError("pk = :h AND NOT sk = :r"), "Invalid operator used in KeyConditionExpression: NOT");
  EXPECT_EQ(ExtractError("pk = :h AND sk IN (:r, :r2)"), "Invalid operator used in KeyConditionExpression: IN");
  EXPECT_EQ(ExtractError("pk = :h AND sk <> :r"), "Invalid operator used in KeyConditionExpression: <>");
  EXPECT_EQ(ExtractError("pk = :h AND attribute_exists(sk)"),
            "Invalid operator used in KeyConditionExpression: attribute_exists");
  EXPECT_EQ(ExtractError("pk = :h AND contains(sk, :p)"), "Invalid operator used in KeyConditionExpression: contains");
  EXPECT_EQ(ExtractError("pk = :h AND size(sk) > :r"), "Invalid operator used in KeyConditionExpression: size");
  EXPECT_EQ(ExtractError("pk.x = :h"), "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(ExtractError("pk = sk"),
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
  EXPECT_EQ(ExtractError(":h = :h"), "Invalid condition in KeyConditionExpression: No key attribute specified");
  // Parse errors carry the KeyConditionExpression prefix.
  EXPECT_EQ(ExtractError("pk ="), "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  EXPECT_EQ(ExtractError(""), "Invalid KeyConditionExpression: The expression can not be empty;");
}

}  // namespace
}  // namespace moe::ddbexpr
