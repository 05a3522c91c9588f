// Adversarial inputs: size, operator, IN-operand and nesting limits. Every
// case asserts the outcome only; none depends on timing.
#include <gtest/gtest.h>

#include <string>

#include "ddbexpr/evaluator.h"
#include "ddbexpr/test_util.h"
#include "ddbexpr/update.h"

namespace moe::ddbexpr {
namespace {

const AttributeValues kV = {{":v", 1}};

std::string Nested(int depth) {
  // (a = :v AND (a = :v AND (... a = :v ...)))
  std::string s;
  for (int i = 0; i < depth; ++i) s += "(a = :v AND ";
  s += "a = :v";
  s += std::string(static_cast<size_t>(depth), ')');
  return s;
}

TEST(LimitsTest, ExpressionOf4096BytesIsAcceptedAnd4097Rejected) {
  std::string ok = "a = :v";
  ok += std::string(4096 - ok.size(), ' ');
  EXPECT_EQ(testing::ConditionError(ok, kV), "<ok>");
  EXPECT_EQ(testing::ConditionError(ok + " ", kV),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size");
  std::string update = "SET a = :v" + std::string(4096, ' ');
  EXPECT_EQ(testing::UpdateError(update, kV),
            "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size");
  EXPECT_EQ(testing::ProjectionError(std::string(5000, 'a')),
            "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size");
}

TEST(LimitsTest, DeepNestingWithinLimitsParsesAndEvaluates) {
  // 149 levels: 149 AND + 150 "=" = 299 operators, within the budget of 300.
  std::string text = Nested(149);
  ConditionAst ast = testing::MustCondition(text, kV);
  EXPECT_TRUE(*EvaluateCondition(ast, Item{{"a", 1}}));
  EXPECT_FALSE(*EvaluateCondition(ast, Item{{"a", 2}}));
  EXPECT_EQ(ToString(testing::MustCondition(ToString(ast), kV)), ToString(ast));
  // 150 plain parentheses around a comparison are fine too (apart from
  // DynamoDB's redundant-parentheses rule, which applies to directly nested ones).
  std::string parens;
  for (int i = 0; i < 150; ++i) parens += "NOT (";
  parens += "a = :v" + std::string(150, ')');
  ConditionAst not_chain = testing::MustCondition(parens, kV);
  EXPECT_TRUE(*EvaluateCondition(not_chain, Item{{"a", 1}}));  // even number of NOTs
}

TEST(LimitsTest, ThreeHundredOperatorsAreAcceptedAndOneMoreRejected) {
  // 150 comparisons joined by 149 ANDs and wrapped in one NOT: 300 operators.
  std::string text = "NOT (a = :v";
  for (int i = 1; i < 150; ++i) text += " AND a = :v";
  text += ")";
  ASSERT_LE(text.size(), 4096u);
  EXPECT_EQ(testing::ConditionError(text, kV), "<ok>");
  EXPECT_EQ(testing::ConditionError(text + " OR a = :v", kV),
            "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
  // Functions count as operators too.
  std::string funcs = "attribute_exists(a)";
  for (int i = 1; i < 151; ++i) funcs += " OR attribute_exists(a)";  // 151 functions + 150 ORs
  EXPECT_EQ(testing::ConditionError(funcs, kV),
            "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
  std::string updates = "SET a = :v";
  for (int i = 0; i < 301; ++i) updates += " + :v";
  EXPECT_NE(testing::UpdateError(updates, kV), "<ok>");
  std::string sums = "SET a0=:v+:v";
  for (int i = 1; i < 300; ++i) sums += ",a" + std::to_string(i) + "=:v+:v";
  ASSERT_LE(sums.size(), 4096u);
  EXPECT_EQ(testing::UpdateError(sums, kV), "<ok>");
  EXPECT_EQ(testing::UpdateError(sums + ",b=if_not_exists(b,:v)", kV),
            "Invalid UpdateExpression: The expression contains too many operators; operator count: 301");
}

TEST(LimitsTest, InOperandLimit) {
  std::string ok = "a IN (:v";
  for (int i = 1; i < 100; ++i) ok += ", :v";
  EXPECT_EQ(testing::ConditionError(ok + ")", kV), "<ok>");
  EXPECT_EQ(testing::ConditionError(ok + ", :v)", kV),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; number of "
            "operands: 101");
}

TEST(LimitsTest, PathologicalNestingIsRejectedWithoutRecursingDeep) {
  // 10,000 levels: rejected by size before any parsing.
  std::string deep = std::string(10000, '(') + "a = :v" + std::string(10000, ')');
  EXPECT_EQ(testing::ConditionError(deep, kV),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size");
  // 2,000 levels fit in 4 KB; the nesting bound stops the parser.
  std::string within = std::string(2000, '(') + "a = :v" + std::string(2000, ')');
  ASSERT_LE(within.size(), 4096u);
  EXPECT_EQ(testing::ConditionError(within, kV),
            "Invalid ConditionExpression: The expression is nested too deeply; maximum nesting depth: 256");
  std::string nots;
  for (int i = 0; i < 1300; ++i) nots += "NOT ";
  nots += "a = :v";
  EXPECT_NE(testing::ConditionError(nots, kV), "<ok>");
  std::string funcs = "SET a = " + std::string(2000, '(') + ":v" + std::string(2000, ')');
  EXPECT_EQ(testing::UpdateError(funcs, kV),
            "Invalid UpdateExpression: The expression is nested too deeply; maximum nesting depth: 256");
  std::string size_calls;
  for (int i = 0; i < 400; ++i) size_calls += "size(";
  size_calls += "a" + std::string(400, ')') + " = :v";
  EXPECT_NE(testing::ConditionError(size_calls, kV), "<ok>");
  // Unbalanced input of the same size: a syntax error, not a crash.
  EXPECT_NE(testing::ConditionError(std::string(4000, '('), kV), "<ok>");
  EXPECT_NE(testing::ProjectionError(std::string(4000, '[')), "<ok>");
}

TEST(LimitsTest, LongFlatChainsStayShallow) {
  // 300 operators in one OR chain: one n-ary node, evaluated without deep recursion.
  std::string text = "a = :v";
  for (int i = 0; i < 149; ++i) text += " OR a = :v";
  ConditionAst ast = testing::MustCondition(text, kV);
  EXPECT_EQ(ast.node(ast.root).children.size(), 150u);
  EXPECT_FALSE(*EvaluateCondition(ast, Item{}));
  std::string proj = "a0";
  for (int i = 1; i < 500; ++i) proj += ", a" + std::to_string(i);
  EXPECT_EQ(testing::MustProjection(proj).paths.size(), 500u);
}

}  // namespace
}  // namespace moe::ddbexpr
