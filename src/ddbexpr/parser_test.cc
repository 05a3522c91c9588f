// Tokenizer, reserved words, placeholder tracking and parse/print round trips.
#include <gtest/gtest.h>

#include "ddbexpr/ddbexpr.h"
#include "ddbexpr/lexer.h"
#include "ddbexpr/parser.h"
#include "ddbexpr/reserved_words.h"
#include "ddbexpr/test_util.h"

namespace moe::ddbexpr {
namespace {

using testing::MustCondition;
using testing::MustProjection;
using testing::MustUpdate;

const AttributeValues kValues = {{":v", 1}, {":w", "x"}, {":l", List{1}}, {":s", StringSet{"a"}},
                                 {":t", "S"}};
const AttributeNames kNames = {{"#n", "size"}, {"#m", "name"}};

TEST(LexerTest, SplitsTokensAndKeepsInvalidOnes) {
  std::string_view src = "a.b[12] <> :v AND #n >= _x";
  std::vector<Token> t = Tokenize(src);
  std::vector<TokenKind> kinds;
  for (const Token& tok : t) kinds.push_back(tok.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::kName, TokenKind::kDot, TokenKind::kName,
                                            TokenKind::kLBracket, TokenKind::kNumber, TokenKind::kRBracket,
                                            TokenKind::kNe, TokenKind::kValuePlaceholder, TokenKind::kName,
                                            TokenKind::kNamePlaceholder, TokenKind::kGe, TokenKind::kInvalid,
                                            TokenKind::kEof}));
  EXPECT_EQ(TokenText(src, t[11]), "_x");
  EXPECT_EQ(TokenText(src, t.back()), "<EOF>");
}

TEST(LexerTest, NearContextSpansPreviousAndNextToken) {
  std::string_view src = "ADD hits : incr";
  std::vector<Token> t = Tokenize(src);
  ASSERT_EQ(t[2].kind, TokenKind::kInvalid);  // a lone ':'
  EXPECT_EQ(NearContext(src, t, 2), "hits : incr");
  EXPECT_EQ(NearContext(src, t, 0), "ADD hits");
  EXPECT_EQ(NearContext(src, t, t.size() - 1), "incr");
}

TEST(LexerTest, MultiByteCharacterIsOneToken) {
  std::string_view src = "a = \xC3\xA9";
  std::vector<Token> t = Tokenize(src);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(TokenText(src, t[2]), "\xC3\xA9");
}

TEST(ReservedWordsTest, TableIsSortedAndComplete) {
  EXPECT_TRUE(ReservedWordsSorted());
  EXPECT_EQ(ReservedWordCount(), 573u);
  for (const char* w : {"ABORT", "size", "Name", "zone", "ttl", "status", "DATA", "VALUE", "KEYS", "year"}) {
    EXPECT_TRUE(IsReservedWord(w)) << w;
  }
  for (const char* w : {"", "pk", "attribute_exists", "begins_with", "abortx", "zones", "averylongnotreservedword"}) {
    EXPECT_FALSE(IsReservedWord(w)) << w;
  }
}

TEST(PlaceholderTrackerTest, ReportsUnusedNamesBeforeValues) {
  AttributeNames names = {{"#a", "x"}, {"#b", "y"}, {"#c", "z"}};
  AttributeValues values = {{":u", 1}, {":v", 2}};
  PlaceholderTracker tracker(&names, &values);
  EXPECT_NE(tracker.FindName("#b"), nullptr);
  EXPECT_EQ(tracker.FindName("#zz"), nullptr);
  Status s = tracker.CheckAllUsed();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}");
  tracker.FindName("#a");
  tracker.FindName("#c");
  tracker.FindValue(":u");
  s = tracker.CheckAllUsed();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}");
  tracker.FindValue(":v");
  EXPECT_TRUE(tracker.CheckAllUsed());
  PlaceholderTracker none(nullptr, nullptr);
  EXPECT_EQ(none.FindValue(":v"), nullptr);
  EXPECT_TRUE(none.CheckAllUsed());
}

TEST(PlaceholderTrackerTest, SharedAcrossExpressionsOfOneRequest) {
  AttributeNames names = {{"#a", "x"}};
  AttributeValues values = {{":v", 1}, {":w", 2}};
  PlaceholderTracker tracker(&names, &values);
  ASSERT_TRUE(ParseCondition("#a = :v", ExpressionKind::kCondition, tracker));
  EXPECT_FALSE(tracker.CheckAllUsed());
  ASSERT_TRUE(ParseUpdate("SET b = :w", tracker));
  EXPECT_TRUE(tracker.CheckAllUsed());
}

// Parsing the canonical text again yields the same canonical text.
void ExpectConditionRoundTrip(std::string_view text, std::string_view canonical) {
  ConditionAst ast = MustCondition(text, kValues, kNames);
  EXPECT_EQ(ToString(ast), canonical) << text;
  ConditionAst again = MustCondition(ToString(ast), kValues, kNames);
  EXPECT_EQ(ToString(again), canonical);
  EXPECT_EQ(again.nodes.size(), ast.nodes.size());
}

TEST(RoundTripTest, Conditions) {
  ExpectConditionRoundTrip("a=:v", "a = :v");
  ExpectConditionRoundTrip("a.b[3].#n <> :v", "a.b[3].#n <> :v");
  ExpectConditionRoundTrip("a < :v and b <= :v or c > :v AND d >= :v",
                           "a < :v AND b <= :v OR c > :v AND d >= :v");
  ExpectConditionRoundTrip("(a = :v OR b = :v) AND c = :v", "(a = :v OR b = :v) AND c = :v");
  ExpectConditionRoundTrip("a = :v AND (b = :v AND c = :v)", "a = :v AND (b = :v AND c = :v)");
  ExpectConditionRoundTrip("NOT a = :v", "NOT a = :v");
  ExpectConditionRoundTrip("not (a = :v or b = :v)", "NOT (a = :v OR b = :v)");
  ExpectConditionRoundTrip("a BETWEEN :v AND :v", "a BETWEEN :v AND :v");
  ExpectConditionRoundTrip("a in (:v,:w ,  :l)", "a IN (:v, :w, :l)");
  ExpectConditionRoundTrip("attribute_exists(a) AND attribute_not_exists(#m.x)",
                           "attribute_exists(a) AND attribute_not_exists(#m.x)");
  ExpectConditionRoundTrip("attribute_type(a, :t) OR begins_with(a, :w) OR contains(a, :w)",
                           "attribute_type(a, :t) OR begins_with(a, :w) OR contains(a, :w)");
  ExpectConditionRoundTrip("size(a) > :v", "size(a) > :v");
  ExpectConditionRoundTrip("(a) = :v", "a = :v");
  ExpectConditionRoundTrip("(size(a)) >= (:v)", "size(a) >= :v");
  ExpectConditionRoundTrip("\n\ta\r\n=\t:v ", "a = :v");
}

TEST(RoundTripTest, ConditionTreeShape) {
  ConditionAst ast = MustCondition("a = :v OR b = :v AND NOT c = :v", kValues);
  const Node& root = ast.node(ast.root);
  ASSERT_EQ(root.kind, Node::Kind::kOr);
  ASSERT_EQ(root.children.size(), 2u);
  const Node& conj = ast.node(root.children[1]);
  ASSERT_EQ(conj.kind, Node::Kind::kAnd);
  EXPECT_EQ(ast.node(conj.children[1]).kind, Node::Kind::kNot);
  // Long chains are flattened into one node.
  ConditionAst chain = MustCondition("a = :v AND b = :v AND c = :v AND d = :v", kValues);
  EXPECT_EQ(chain.node(chain.root).children.size(), 4u);
}

TEST(RoundTripTest, PlaceholdersResolveButPrintAsWritten) {
  ConditionAst ast = MustCondition("#n.#m = :w", kValues, kNames);
  const Node& cmp = ast.node(ast.root);
  const Node& path = ast.node(cmp.children[0]);
  ASSERT_EQ(path.path.size(), 2u);
  EXPECT_EQ(path.path[0].name, "size");
  EXPECT_EQ(path.path[1].name, "name");
  EXPECT_EQ(ast.node(cmp.children[1]).value, Value("x"));
  EXPECT_EQ(PathToMessage(path.path), "[size, name]");
  EXPECT_EQ(ToString(ast), "#n.#m = :w");
}

TEST(RoundTripTest, Updates) {
  auto round = [](std::string_view text, std::string_view canonical) {
    UpdateAst ast = MustUpdate(text, kValues, kNames);
    EXPECT_EQ(ToString(ast), canonical) << text;
    EXPECT_EQ(ToString(MustUpdate(ToString(ast), kValues, kNames)), canonical);
  };
  round("SET a = :v", "SET a = :v");
  round("set a=:v, b.c[2] = a + :v, d = :v - a", "SET a = :v, b.c[2] = a + :v, d = :v - a");
  round("SET a = if_not_exists(a, :v) + :v", "SET a = if_not_exists(a, :v) + :v");
  round("SET l = list_append(if_not_exists(l, :l), :l)", "SET l = list_append(if_not_exists(l, :l), :l)");
  round("SET a = (b + :v)", "SET a = b + :v");
  round("SET a = list_append((b), :l)", "SET a = list_append(b, :l)");
  round("REMOVE a, b[1], c.d", "REMOVE a, b[1], c.d");
  round("ADD n :v, s :s", "ADD n :v, s :s");
  round("DELETE s :s", "DELETE s :s");
  round("remove x SET a = :v delete s :s add n :v", "REMOVE x SET a = :v DELETE s :s ADD n :v");
  round("SET #n = :v", "SET #n = :v");
}

TEST(RoundTripTest, UpdateActionsCarryResolvedPaths) {
  UpdateAst ast = MustUpdate("SET #n.x[1] = :v REMOVE y", kValues, kNames);
  ASSERT_EQ(ast.actions.size(), 2u);
  EXPECT_EQ(ast.actions[0].kind, UpdateAction::Kind::kSet);
  EXPECT_EQ(PathToMessage(ast.actions[0].path), "[size, x, [1]]");
  EXPECT_EQ(ast.actions[1].kind, UpdateAction::Kind::kRemove);
  EXPECT_EQ(ast.actions[1].operand, -1);
}

TEST(RoundTripTest, Projections) {
  ProjectionAst ast = MustProjection("a, b.c ,d[0].e, #n", kNames);
  EXPECT_EQ(ToString(ast), "a, b.c, d[0].e, #n");
  ASSERT_EQ(ast.paths.size(), 4u);
  EXPECT_EQ(ast.paths[3][0].name, "size");
  EXPECT_EQ(PathToSource(ast.paths[2]), "d[0].e");
}

TEST(RoundTripTest, KeywordsAndFunctionNamesAreNotReservedWhenUsedAsSuch) {
  MustCondition("a = :v AnD b = :v oR NoT c = :v", kValues);
  MustCondition("a BeTwEeN :v aNd :v", kValues);
  MustCondition("attribute_exists(begins_with)", kValues);  // function names are not reserved
}

// The flow documented in ddbexpr.h: one tracker across the request's
// expressions, then evaluate, apply and project.
TEST(EndToEndTest, ConditionalUpdateOfOneRequest) {
  AttributeNames names = {{"#c", "count"}};
  AttributeValues values = {{":one", 1}, {":max", 10}, {":tag", StringSet{"new"}}};
  PlaceholderTracker tracker(&names, &values);
  auto update = ParseUpdate("SET #c = if_not_exists(#c, :one) + :one ADD tags :tag", tracker);
  ASSERT_TRUE(update) << update.error().message();
  auto cond = ParseCondition("attribute_not_exists(#c) OR #c < :max", ExpressionKind::kCondition, tracker);
  ASSERT_TRUE(cond) << cond.error().message();
  ASSERT_TRUE(tracker.CheckAllUsed());
  Item old_item = {{"pk", "a"}, {"count", 3}};
  ASSERT_TRUE(*EvaluateCondition(*cond, old_item));
  Result<Item> new_item = ApplyUpdate(*update, old_item);
  ASSERT_TRUE(new_item);
  EXPECT_EQ(*new_item, (Item{{"pk", "a"}, {"count", 4}, {"tags", StringSet{"new"}}}));
  EXPECT_EQ(UpdatedTopLevelNames(*update), (std::vector<std::string>{"count", "tags"}));
  EXPECT_EQ(ProjectUpdated(old_item, *update), (Item{{"count", 3}}));
  EXPECT_FALSE(*EvaluateCondition(*cond, Item{{"count", 10}}));
}

}  // namespace
}  // namespace moe::ddbexpr
