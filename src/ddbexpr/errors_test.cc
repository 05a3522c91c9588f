// Every class of parse error, with DynamoDB's message.
#include <gtest/gtest.h>

#include "ddbexpr/test_util.h"

namespace moe::ddbexpr {
namespace {

using testing::ConditionError;
using testing::ProjectionError;
using testing::UpdateError;

const AttributeValues kV = {{":v", 1}, {":w", 5}, {":s", "x"}, {":l", List{1}}, {":ss", StringSet{"a"}},
                            {":b", Bytes{"\x01"}}, {":t", "S"}, {":bad", "STRING"}, {":m", Map{{"k", 1}}},
                            {":bool", true}, {":null", nullptr}};

std::string Syntax(std::string_view kind, std::string_view token, std::string_view near) {
  return "Invalid " + std::string(kind) + ": Syntax error; token: \"" + std::string(token) + "\", near: \"" +
         std::string(near) + "\"";
}

TEST(SyntaxErrorTest, Conditions) {
  const char* k = "ConditionExpression";
  EXPECT_EQ(ConditionError("foo", kV), Syntax(k, "<EOF>", "foo"));
  EXPECT_EQ(ConditionError("a =", kV), Syntax(k, "<EOF>", "="));
  EXPECT_EQ(ConditionError("a = :v AND", kV), Syntax(k, "<EOF>", "AND"));
  EXPECT_EQ(ConditionError("a == :v", kV), Syntax(k, "=", "== :v"));
  EXPECT_EQ(ConditionError("a = :v b", kV), Syntax(k, "b", ":v b"));
  EXPECT_EQ(ConditionError("a AND b = :v", kV), Syntax(k, "AND", "a AND b"));
  EXPECT_EQ(ConditionError("a = :v OR b", kV), Syntax(k, "<EOF>", "b"));
  EXPECT_EQ(ConditionError("(a = :v", kV), Syntax(k, "<EOF>", ":v"));
  EXPECT_EQ(ConditionError("a = :v)", kV), Syntax(k, ")", ":v)"));
  EXPECT_EQ(ConditionError("a = :v + :w", kV), Syntax(k, "+", ":v + :w"));
  EXPECT_EQ(ConditionError("a BETWEEN :v OR :w", kV), Syntax(k, "OR", ":v OR :w"));
  EXPECT_EQ(ConditionError("a IN :v", kV), Syntax(k, ":v", "IN :v"));
  EXPECT_EQ(ConditionError("a IN ()", kV), Syntax(k, ")", "()"));
  EXPECT_EQ(ConditionError("a.1 = :v", kV), Syntax(k, "1", ".1 ="));
  EXPECT_EQ(ConditionError("a[x] = :v", kV), Syntax(k, "x", "[x]"));
  EXPECT_EQ(ConditionError("a[-1] = :v", kV), Syntax(k, "-", "[-1"));
  EXPECT_EQ(ConditionError("a = :", kV), Syntax(k, ":", "= :"));
  EXPECT_EQ(ConditionError("# = :v", kV), Syntax(k, "#", "# ="));
  EXPECT_EQ(ConditionError("a = :v; b", kV), Syntax(k, ";", ":v; b"));
  EXPECT_EQ(ConditionError("attribute_exists(a", kV), Syntax(k, "<EOF>", "a"));
  EXPECT_EQ(ConditionError("(a)", kV), Syntax(k, "<EOF>", ")"));
  EXPECT_EQ(ConditionError(":v", kV), Syntax(k, "<EOF>", ":v"));
  EXPECT_EQ(ConditionError("NOT", kV), Syntax(k, "<EOF>", "NOT"));
}

TEST(SyntaxErrorTest, InvalidNames) {
  const char* k = "ConditionExpression";
  EXPECT_EQ(ConditionError("1abc = :v", kV), Syntax(k, "1abc", "1abc ="));
  EXPECT_EQ(ConditionError("_a = :v", kV), Syntax(k, "_a", "_a ="));
  EXPECT_EQ(ConditionError("first-name = :v", kV), Syntax(k, "-", "first-name"));
  EXPECT_EQ(ConditionError("a@b = :v", kV), Syntax(k, "@", "a@b"));
  EXPECT_EQ(ConditionError("caf\xC3\xA9 = :v", kV), Syntax(k, "\xC3\xA9", "caf\xC3\xA9 ="));
  // Digits and underscores are fine after the first letter.
  EXPECT_EQ(ConditionError("a_1.b2_ = :v", kV), "<ok>");
}

TEST(SyntaxErrorTest, KindNamesTheParameter) {
  EXPECT_EQ(ConditionError("a =", kV, {}, ExpressionKind::kFilter), Syntax("FilterExpression", "<EOF>", "="));
  EXPECT_EQ(ConditionError("a =", kV, {}, ExpressionKind::kKeyCondition),
            Syntax("KeyConditionExpression", "<EOF>", "="));
}

TEST(SyntaxErrorTest, Updates) {
  const char* k = "UpdateExpression";
  EXPECT_EQ(UpdateError("ADD hits : incr", kV), Syntax(k, ":", "hits : incr"));
  EXPECT_EQ(UpdateError("INVALID SYNTAX HERE", kV), Syntax(k, "INVALID", "INVALID SYNTAX"));
  EXPECT_EQ(UpdateError("SET a = VALUE 1", kV), Syntax(k, "1", "VALUE 1"));
  EXPECT_EQ(UpdateError("SET a", kV), Syntax(k, "<EOF>", "a"));
  EXPECT_EQ(UpdateError("SET a =", kV), Syntax(k, "<EOF>", "="));
  EXPECT_EQ(UpdateError("SET a = :v,", kV), Syntax(k, "<EOF>", ","));
  EXPECT_EQ(UpdateError("SET a = :v + :w + :v", kV), Syntax(k, "+", ":w + :v"));
  EXPECT_EQ(UpdateError("SET a = b c", kV), Syntax(k, "c", "b c"));
  EXPECT_EQ(UpdateError("ADD a b", kV), Syntax(k, "b", "a b"));
  EXPECT_EQ(UpdateError("ADD a", kV), Syntax(k, "<EOF>", "a"));
  EXPECT_EQ(UpdateError("DELETE a :ss,", kV), Syntax(k, "<EOF>", ","));
  EXPECT_EQ(UpdateError("REMOVE", kV), Syntax(k, "<EOF>", "REMOVE"));
  EXPECT_EQ(UpdateError("SET a = :v REMOVE", kV), Syntax(k, "<EOF>", "REMOVE"));
  EXPECT_EQ(UpdateError("SET a = :v = :w", kV), Syntax(k, "=", ":v = :w"));
  EXPECT_EQ(UpdateError("SET :v = a", kV), Syntax(k, ":v", "SET :v ="));
}

TEST(SyntaxErrorTest, Projections) {
  const char* k = "ProjectionExpression";
  EXPECT_EQ(ProjectionError("first-name"), Syntax(k, "-", "first-name"));
  EXPECT_EQ(ProjectionError("a,"), Syntax(k, "<EOF>", ","));
  EXPECT_EQ(ProjectionError("a b"), Syntax(k, "b", "a b"));
  EXPECT_EQ(ProjectionError(",a"), Syntax(k, ",", ",a"));
  EXPECT_EQ(ProjectionError("(a1)"), Syntax(k, "(", "(a1"));
  EXPECT_EQ(ProjectionError("a[1"), Syntax(k, "<EOF>", "1"));
}

TEST(SemanticErrorTest, EmptyExpressions) {
  EXPECT_EQ(ConditionError(""), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(ConditionError(" \t\n"), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(UpdateError(""), "Invalid UpdateExpression: The expression can not be empty;");
  EXPECT_EQ(ProjectionError(" "), "Invalid ProjectionExpression: The expression can not be empty;");
}

TEST(SemanticErrorTest, ReservedWordsAndEscapes) {
  EXPECT_EQ(ConditionError("size = :v", kV),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size");
  EXPECT_EQ(ConditionError("a.Status = :v", kV),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Status");
  EXPECT_EQ(UpdateError("SET a = :v REMOVE #n, name", kV, {{"#n", "x"}}),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
  EXPECT_EQ(ProjectionError("a, data"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: data");
  EXPECT_EQ(ConditionError("#s = :v", kV, {{"#s", "size"}}), "<ok>");
  EXPECT_EQ(UpdateError("SET #s.#t = :v", kV, {{"#s", "size"}, {"#t", "name"}}), "<ok>");
  // A syntax error later in the expression takes precedence.
  EXPECT_EQ(ConditionError("size = :v AND", kV), Syntax("ConditionExpression", "<EOF>", "AND"));
}

TEST(SemanticErrorTest, UndefinedPlaceholders) {
  EXPECT_EQ(ConditionError("#x = :v", kV),
            "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; "
            "attribute name: #x");
  EXPECT_EQ(ConditionError("a = :nope", kV),
            "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
            "attribute value: :nope");
  EXPECT_EQ(UpdateError("SET a = :nope"),
            "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
            "attribute value: :nope");
  EXPECT_EQ(UpdateError("REMOVE a.#x"),
            "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; "
            "attribute name: #x");
  EXPECT_EQ(ProjectionError("#x"),
            "Invalid ProjectionExpression: An expression attribute name used in the document path is not "
            "defined; attribute name: #x");
  // Reserved words are reported before undefined placeholders.
  EXPECT_EQ(ConditionError("#x = :v AND size = :v", kV),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size");
}

TEST(SemanticErrorTest, Functions) {
  const std::string p = "Invalid ConditionExpression: ";
  EXPECT_EQ(ConditionError("foo(a)", kV), p + "Invalid function name; function: foo");
  EXPECT_EQ(ConditionError("Size(a) = :v", kV), p + "Invalid function name; function: Size");
  EXPECT_EQ(ConditionError("attribute_exists(a, b)", kV),
            p + "Incorrect number of operands for operator or function; operator or function: attribute_exists, "
                "number of operands: 2");
  EXPECT_EQ(ConditionError("begins_with(a)", kV),
            p + "Incorrect number of operands for operator or function; operator or function: begins_with, "
                "number of operands: 1");
  EXPECT_EQ(ConditionError("attribute_exists(:v)", kV),
            p + "Operator or function requires a document path; operator or function: attribute_exists");
  EXPECT_EQ(ConditionError("size(a)", kV),
            p + "The function is not allowed to be used this way in an expression; function: size");
  EXPECT_EQ(ConditionError("size(a) AND a = :v", kV),
            p + "The function is not allowed to be used this way in an expression; function: size");
  EXPECT_EQ(ConditionError("attribute_exists(a) = :v", kV),
            p + "The function is not allowed to be used this way in an expression; function: attribute_exists");
  EXPECT_EQ(ConditionError("a IN (:v, contains(b, :s))", kV),
            p + "The function is not allowed to be used this way in an expression; function: contains");
  EXPECT_EQ(ConditionError("if_not_exists(a, :v) = :v", kV),
            p + "The function is not allowed in a condition expression; function: if_not_exists");
  EXPECT_EQ(ConditionError("begins_with(a, :v)", kV),
            p + "Incorrect operand type for operator or function; operator or function: begins_with, operand "
                "type: N");
  EXPECT_EQ(ConditionError("attribute_type(a, :v)", kV),
            p + "Incorrect operand type for operator or function; operator or function: attribute_type, operand "
                "type: N");
  EXPECT_EQ(ConditionError("attribute_type(a, :bad)", kV),
            p + "Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  EXPECT_EQ(ConditionError("size(:v) > :w", kV),
            p + "Incorrect operand type for operator or function; operator or function: size, operand type: N");
  EXPECT_EQ(ConditionError("size(:s) > :w", kV), "<ok>");
  EXPECT_EQ(ConditionError("a = a", kV),
            p + "The first operand must be distinct from the remaining operands for this operator or function; "
                "operator: =, first operand: [a]");
  EXPECT_EQ(ConditionError("contains(a.b[1], a.b[1])", kV),
            p + "The first operand must be distinct from the remaining operands for this operator or function; "
                "operator: contains, first operand: [a, b, [1]]");
}

TEST(SemanticErrorTest, Between) {
  const std::string p = "Invalid ConditionExpression: ";
  EXPECT_EQ(ConditionError("a BETWEEN :w AND :v", kV),
            p + "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower "
                "bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(ConditionError("a BETWEEN :v AND :s", kV),
            p + "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: "
                "AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}");
  EXPECT_EQ(ConditionError("a BETWEEN :v AND :v", kV), "<ok>");
}

TEST(SemanticErrorTest, RedundantParentheses) {
  const std::string p = "Invalid ConditionExpression: ";
  EXPECT_EQ(ConditionError("((a = :v))", kV), p + "The expression has redundant parentheses;");
  EXPECT_EQ(ConditionError("((a)) = :v", kV), p + "The expression has redundant parentheses;");
  EXPECT_EQ(ConditionError("a = ((:v))", kV), p + "The expression has redundant parentheses;");
  EXPECT_EQ(ConditionError("(a = :v) AND ((b = :v) OR c = :v)", kV), "<ok>");
}

TEST(SemanticErrorTest, UpdateClausesAndTypes) {
  const std::string p = "Invalid UpdateExpression: ";
  EXPECT_EQ(UpdateError("SET a = :v SET b = :v", kV),
            p + "The \"SET\" section can only be used once in an update expression;");
  EXPECT_EQ(UpdateError("REMOVE a ADD n :v remove b", kV),
            p + "The \"REMOVE\" section can only be used once in an update expression;");
  EXPECT_EQ(UpdateError("SET a = foo(b)", kV), p + "Invalid function name; function: foo");
  EXPECT_EQ(UpdateError("SET a = size(b)", kV),
            p + "The function is not allowed in an update expression; function: size");
  EXPECT_EQ(UpdateError("SET a = if_not_exists(b)", kV),
            p + "Incorrect number of operands for operator or function; operator or function: if_not_exists, "
                "number of operands: 1");
  EXPECT_EQ(UpdateError("SET a = if_not_exists(:v, b)", kV),
            p + "Operator or function requires a document path; operator or function: if_not_exists");
  EXPECT_EQ(UpdateError("SET a = b + :s", kV),
            p + "Incorrect operand type for operator or function; operator or function: +, operand type: S");
  EXPECT_EQ(UpdateError("SET a = :l - b", kV),
            p + "Incorrect operand type for operator or function; operator or function: -, operand type: L");
  EXPECT_EQ(UpdateError("SET a = list_append(b, :v)", kV),
            p + "Incorrect operand type for operator or function; operator or function: list_append, operand "
                "type: N");
  EXPECT_EQ(UpdateError("ADD a :s", kV),
            p + "Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
  EXPECT_EQ(UpdateError("ADD a :l", kV),
            p + "Incorrect operand type for operator or function; operator: ADD, operand type: LIST");
  EXPECT_EQ(UpdateError("DELETE a :v", kV),
            p + "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER");
  EXPECT_EQ(UpdateError("DELETE a :m", kV),
            p + "Incorrect operand type for operator or function; operator: DELETE, operand type: MAP");
  EXPECT_EQ(UpdateError("ADD a :ss, n :v DELETE d :ss", kV), "<ok>");
}

TEST(SemanticErrorTest, OverlappingPaths) {
  const std::string p = "Invalid UpdateExpression: ";
  EXPECT_EQ(UpdateError("SET a = :v REMOVE a.b", kV),
            p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path "
                "one: [a], path two: [a, b]");
  EXPECT_EQ(UpdateError("SET a = :v, a = :w", kV),
            p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path "
                "one: [a], path two: [a]");
  EXPECT_EQ(UpdateError("SET #a[1] = :v ADD x.y[1].z :v", kV, {{"#a", "x.y"}}), "<ok>");
  EXPECT_EQ(UpdateError("SET a[1].b = :v REMOVE a[1]", kV),
            p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path "
                "one: [a, [1], b], path two: [a, [1]]");
  EXPECT_EQ(UpdateError("SET a[1] = :v REMOVE a.b", kV),
            p + "Two document paths conflict with each other; must remove or rewrite one of these paths; path "
                "one: [a, [1]], path two: [a, b]");
  EXPECT_EQ(UpdateError("SET a[1] = :v, a[2] = :v, a.b2 = :w REMOVE b", kV).find("conflict") != std::string::npos,
            true);
  EXPECT_EQ(UpdateError("SET a.b = :v, a.c = :v REMOVE a[0].x", kV).find("conflict") != std::string::npos, true);
  EXPECT_EQ(ProjectionError("a.b, a"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite "
            "one of these paths; path one: [a, b], path two: [a]");
  EXPECT_EQ(ProjectionError("a.b, a.c, b[0], b[1]"), "<ok>");
}

}  // namespace
}  // namespace moe::ddbexpr
