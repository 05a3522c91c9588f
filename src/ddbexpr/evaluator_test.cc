// Condition evaluation: every comparator and function over every type,
// mismatched types and absent attributes.
#include <gtest/gtest.h>

#include "ddbexpr/evaluator.h"
#include "ddbexpr/test_util.h"

namespace moe::ddbexpr {
namespace {

Number N(const char* text) { return *Number::Parse(text); }

const Item kItem = {
    {"s", "banana"},
    {"s2", "apple"},
    {"n", 10},
    {"n2", N("10.0")},
    {"neg", -3},
    {"b", Bytes{"\x01\x02\x03"}},
    {"bool", true},
    {"nul", nullptr},
    {"l", List{1, "two", Map{{"x", 3}}}},
    {"m", Map{{"k", "v"}, {"in2", Map{{"deep", 5}}}, {"lst", List{7, 8}}}},
    {"ss", StringSet{"a", "b"}},
    {"ns", NumberSet{1, 2, 3}},
    {"bs", BinarySet{Bytes{"\x01"}, Bytes{"\x02"}}},
    {"utf", "\xC3\xA9t\xC3\xA9"},  // "été": 3 characters, 5 bytes
    {"lo", 5},
    {"hi", 1},
    {"tag", "SS"},
    {"badtag", "STRING"},
};

const AttributeValues kV = {
    {":s", "banana"},  {":sa", "apple"},  {":sz", "zebra"},  {":pre", "ban"},  {":sub", "nan"},
    {":n", 10},        {":n5", 5},        {":n20", 20},      {":n3", 3},      {":n2", 2},
    {":b", Bytes{"\x01\x02\x03"}},        {":bpre", Bytes{"\x01\x02"}},       {":b2", Bytes{"\x02"}},
    {":bsub", Bytes{"\x02\x03"}},         {":t", true},      {":f", false},   {":null", nullptr},
    {":l", List{1, "two", Map{{"x", 3}}}}, {":m", Map{{"k", "v"}}},           {":sa_ss", StringSet{"a"}},
    {":ss", StringSet{"a", "b"}},         {":a", "a"},       {":one", 1},     {":two", "two"},
    {":x3", Map{{"x", 3}}},               {":c", "c"},       {":n1", 1},      {":bb", Bytes{"\x01"}},
    {":TS", "S"},      {":TN", "N"},      {":TB", "B"},      {":TBOOL", "BOOL"}, {":TNULL", "NULL"},
    {":TL", "L"},      {":TM", "M"},      {":TSS", "SS"},    {":TNS", "NS"},  {":TBS", "BS"},
    {":n6", 6},        {":n0", 0},        {":s6", "6"},      {":n9", 9},      {":n11", 11},
};

bool Eval(std::string_view text, const Item& item = kItem) {
  ConditionAst ast = testing::MustCondition(text, kV);
  Result<bool> r = EvaluateCondition(ast, item);
  EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message());
  return r.value_or(false);
}

std::string EvalError(std::string_view text, const Item& item = kItem) {
  ConditionAst ast = testing::MustCondition(text, kV);
  Result<bool> r = EvaluateCondition(ast, item);
  if (r) return "<ok>";
  EXPECT_EQ(r.error().code(), ErrorCode::kValidation);
  return r.error().message();
}

TEST(EvaluatorTest, EqualityAcrossTypes) {
  EXPECT_TRUE(Eval("s = :s"));
  EXPECT_FALSE(Eval("s = :sa"));
  EXPECT_TRUE(Eval("n = :n"));
  EXPECT_TRUE(Eval("n2 = :n"));  // 10.0 == 10
  EXPECT_TRUE(Eval("b = :b"));
  EXPECT_TRUE(Eval("bool = :t"));
  EXPECT_FALSE(Eval("bool = :f"));
  EXPECT_TRUE(Eval("nul = :null"));
  EXPECT_TRUE(Eval("l = :l"));
  EXPECT_FALSE(Eval("m = :m"));
  EXPECT_TRUE(Eval("m.k = :sz") == false);
  EXPECT_TRUE(Eval("ss = :ss"));
  EXPECT_FALSE(Eval("ss = :sa_ss"));
  EXPECT_TRUE(Eval("n = n2"));
  // Different types are never equal: no error.
  EXPECT_FALSE(Eval("n = :s6"));
  EXPECT_FALSE(Eval("s = :n"));
  EXPECT_FALSE(Eval("bool = :one"));
  EXPECT_TRUE(Eval("n <> :s6"));
}

TEST(EvaluatorTest, MissingAttributes) {
  EXPECT_FALSE(Eval("absent = :n"));
  EXPECT_TRUE(Eval("absent <> :n"));
  EXPECT_FALSE(Eval("absent < :n"));
  EXPECT_FALSE(Eval("absent >= :n"));
  EXPECT_FALSE(Eval("absent BETWEEN :n AND :n20"));
  EXPECT_FALSE(Eval("absent IN (:n, :s)"));
  EXPECT_FALSE(Eval("begins_with(absent, :pre)"));
  EXPECT_FALSE(Eval("contains(absent, :a)"));
  EXPECT_FALSE(Eval("size(absent) > :n0"));
  EXPECT_FALSE(Eval("attribute_type(absent, :TS)"));
  EXPECT_FALSE(Eval("m.nope.deeper = :n"));
  EXPECT_FALSE(Eval("s.x = :n"));     // crossing a non-map
  EXPECT_FALSE(Eval("l[9] = :n"));    // beyond the list
  EXPECT_FALSE(Eval("m[0] = :n"));    // index into a map
  EXPECT_FALSE(Eval("absent = absent2"));
  EXPECT_TRUE(Eval("a = :n OR attribute_not_exists(a)", Item{}));
}

TEST(EvaluatorTest, OrderingOfStringsNumbersAndBinary) {
  EXPECT_TRUE(Eval("s > :sa"));
  EXPECT_TRUE(Eval("s < :sz"));
  EXPECT_TRUE(Eval("s <= :s"));
  EXPECT_TRUE(Eval("s >= :s"));
  EXPECT_FALSE(Eval("s < :s"));
  EXPECT_TRUE(Eval("n > :n9"));
  EXPECT_TRUE(Eval("n < :n11"));
  EXPECT_TRUE(Eval("n <= n2"));
  EXPECT_TRUE(Eval("neg < :n0"));
  EXPECT_TRUE(Eval("n > :n2"));  // numeric, not textual ("10" < "2")
  EXPECT_TRUE(Eval("b > :bpre"));
  EXPECT_TRUE(Eval("b < :b2"));
  // UTF-8 byte order: "é" (0xC3..) sorts after "z".
  EXPECT_TRUE(Eval("utf > :sz"));
  // Ordering other types, or mixed types, is false.
  EXPECT_FALSE(Eval("bool > :f"));
  EXPECT_FALSE(Eval("bool < :f"));
  EXPECT_FALSE(Eval("l > :l"));
  EXPECT_FALSE(Eval("ss >= :ss"));
  EXPECT_FALSE(Eval("nul <= :null"));
  EXPECT_FALSE(Eval("n > :s6"));
  EXPECT_FALSE(Eval("n < :s6"));
}

TEST(EvaluatorTest, BetweenAndIn) {
  EXPECT_TRUE(Eval("n BETWEEN :n5 AND :n20"));
  EXPECT_TRUE(Eval("n BETWEEN :n AND :n"));
  EXPECT_FALSE(Eval("n BETWEEN :n11 AND :n20"));
  EXPECT_TRUE(Eval("s BETWEEN :sa AND :sz"));
  EXPECT_TRUE(Eval("b BETWEEN :bpre AND :b2"));
  EXPECT_FALSE(Eval("n BETWEEN :sa AND :sz"));  // type mismatch: false
  EXPECT_TRUE(Eval("n BETWEEN lo AND n"));
  EXPECT_TRUE(Eval("n IN (:s, :n)"));
  EXPECT_TRUE(Eval("s IN (:sa, :s)"));
  EXPECT_FALSE(Eval("s IN (:sa, :sz, :n)"));
  EXPECT_TRUE(Eval("l IN (:l)"));
  EXPECT_TRUE(Eval("n IN (n2)"));
}

TEST(EvaluatorTest, BetweenBoundsFromTheItemAreCheckedAtRuntime) {
  EXPECT_EQ(EvalError("n BETWEEN lo AND hi"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal "
            "to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: "
            "{N:1}");
  EXPECT_EQ(EvalError("absent BETWEEN lo AND hi"), EvalError("n BETWEEN lo AND hi"));
  EXPECT_EQ(EvalError("n BETWEEN lo AND :n20"), "<ok>");
  PlaceholderTracker tracker(nullptr, &kV);
  auto filter = ParseCondition("n BETWEEN lo AND hi", ExpressionKind::kFilter, tracker);
  ASSERT_TRUE(filter);
  auto r = EvaluateCondition(*filter, kItem);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().message().starts_with("Invalid FilterExpression: The BETWEEN operator"));
}

TEST(EvaluatorTest, AttributeExistsAndNotExists) {
  EXPECT_TRUE(Eval("attribute_exists(s)"));
  EXPECT_TRUE(Eval("attribute_exists(nul)"));
  EXPECT_TRUE(Eval("attribute_exists(m.in2.deep)"));
  EXPECT_TRUE(Eval("attribute_exists(l[2].x)"));
  EXPECT_FALSE(Eval("attribute_exists(l[3])"));
  EXPECT_FALSE(Eval("attribute_exists(nope)"));
  EXPECT_TRUE(Eval("attribute_not_exists(nope)"));
  EXPECT_FALSE(Eval("attribute_not_exists(m.k)"));
  EXPECT_TRUE(Eval("attribute_not_exists(s)", Item{}));
}

TEST(EvaluatorTest, AttributeTypeForEveryTag) {
  EXPECT_TRUE(Eval("attribute_type(s, :TS)"));
  EXPECT_TRUE(Eval("attribute_type(n, :TN)"));
  EXPECT_TRUE(Eval("attribute_type(b, :TB)"));
  EXPECT_TRUE(Eval("attribute_type(bool, :TBOOL)"));
  EXPECT_TRUE(Eval("attribute_type(nul, :TNULL)"));
  EXPECT_TRUE(Eval("attribute_type(l, :TL)"));
  EXPECT_TRUE(Eval("attribute_type(m, :TM)"));
  EXPECT_TRUE(Eval("attribute_type(ss, :TSS)"));
  EXPECT_TRUE(Eval("attribute_type(ns, :TNS)"));
  EXPECT_TRUE(Eval("attribute_type(bs, :TBS)"));
  EXPECT_FALSE(Eval("attribute_type(s, :TN)"));
  EXPECT_FALSE(Eval("attribute_type(ss, :TL)"));
  EXPECT_TRUE(Eval("attribute_type(m.in2, :TM)"));
  EXPECT_TRUE(Eval("attribute_type(ss, tag)"));  // the tag may come from the item
  EXPECT_EQ(EvalError("attribute_type(ss, badtag)"),
            "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: "
            "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
}

TEST(EvaluatorTest, BeginsWith) {
  EXPECT_TRUE(Eval("begins_with(s, :pre)"));
  EXPECT_TRUE(Eval("begins_with(s, :s)"));
  EXPECT_FALSE(Eval("begins_with(s, :sub)"));
  EXPECT_TRUE(Eval("begins_with(b, :bpre)"));
  EXPECT_FALSE(Eval("begins_with(b, :b2)"));
  EXPECT_FALSE(Eval("begins_with(b, :pre)"));  // B vs S
  EXPECT_FALSE(Eval("begins_with(n, :pre)"));
  EXPECT_FALSE(Eval("begins_with(ss, :a)"));
  EXPECT_FALSE(Eval("begins_with(l, :pre)"));
  EXPECT_TRUE(Eval("begins_with(m.k, m.k2) OR begins_with(s, s2) OR begins_with(s2, :sa)"));
}

TEST(EvaluatorTest, Contains) {
  EXPECT_TRUE(Eval("contains(s, :sub)"));
  EXPECT_FALSE(Eval("contains(s, :sz)"));
  EXPECT_TRUE(Eval("contains(ss, :a)"));
  EXPECT_FALSE(Eval("contains(ss, :c)"));
  EXPECT_FALSE(Eval("contains(ss, :n1)"));  // wrong element type
  EXPECT_TRUE(Eval("contains(ns, :n2)"));
  EXPECT_FALSE(Eval("contains(ns, :n5)"));
  EXPECT_TRUE(Eval("contains(bs, :bb)"));
  EXPECT_FALSE(Eval("contains(bs, :bpre)"));
  EXPECT_TRUE(Eval("contains(l, :one)"));
  EXPECT_TRUE(Eval("contains(l, :two)"));
  EXPECT_TRUE(Eval("contains(l, :x3)"));
  EXPECT_FALSE(Eval("contains(l, :n2)"));
  EXPECT_TRUE(Eval("contains(b, :bsub)"));
  EXPECT_FALSE(Eval("contains(n, :n)"));
  EXPECT_FALSE(Eval("contains(m, :s)"));
  EXPECT_FALSE(Eval("contains(bool, :t)"));
  EXPECT_FALSE(Eval("contains(ss, :sa_ss)"));  // a set is not an element
}

TEST(EvaluatorTest, SizeOfEveryType) {
  EXPECT_TRUE(Eval("size(s) = :n6"));
  EXPECT_TRUE(Eval("size(utf) = :n5"));  // bytes, not characters
  EXPECT_TRUE(Eval("size(b) = :n3"));
  EXPECT_TRUE(Eval("size(ss) = :n2"));
  EXPECT_TRUE(Eval("size(ns) = :n3"));
  EXPECT_TRUE(Eval("size(bs) = :n2"));
  EXPECT_TRUE(Eval("size(l) = :n3"));
  EXPECT_TRUE(Eval("size(m) = :n3"));
  EXPECT_TRUE(Eval("size(m.lst) = :n2"));
  EXPECT_FALSE(Eval("size(n) = :n2"));
  EXPECT_FALSE(Eval("size(n) >= :n0"));
  EXPECT_FALSE(Eval("size(bool) >= :n0"));
  EXPECT_FALSE(Eval("size(nul) >= :n0"));
  EXPECT_TRUE(Eval("size(s) > size(ss)"));
  EXPECT_TRUE(Eval("size(:s) = :n6"));
  EXPECT_TRUE(Eval("size(s) BETWEEN :n5 AND :n9"));
  EXPECT_TRUE(Eval("size(l) IN (:n1, :n3)"));
}

TEST(EvaluatorTest, BooleanLogic) {
  EXPECT_TRUE(Eval("s = :s AND n = :n"));
  EXPECT_FALSE(Eval("s = :s AND n = :n5"));
  EXPECT_TRUE(Eval("s = :sa OR n = :n"));
  EXPECT_FALSE(Eval("s = :sa OR n = :n5"));
  EXPECT_TRUE(Eval("NOT s = :sa"));
  EXPECT_FALSE(Eval("NOT (s = :s AND n = :n)"));
  EXPECT_TRUE(Eval("NOT NOT s = :s"));
  EXPECT_TRUE(Eval("s = :sa OR s = :s AND n = :n"));   // AND binds tighter
  EXPECT_FALSE(Eval("(s = :sa OR s = :s) AND n = :n5"));
  EXPECT_TRUE(Eval("NOT attribute_exists(nope) AND contains(ss, :a)"));
}

TEST(EvaluatorTest, NestedPathsAndIndexes) {
  EXPECT_TRUE(Eval("l[0] = :one"));
  EXPECT_TRUE(Eval("l[1] = :two"));
  EXPECT_TRUE(Eval("l[2].x = :n3"));
  EXPECT_TRUE(Eval("m.in2.deep = :n5"));
  EXPECT_TRUE(Eval("m.lst[1] > :n5"));
  AttributeNames names = {{"#d", "a.b"}};
  PlaceholderTracker tracker(&names, &kV);
  auto ast = ParseCondition("#d = :n", ExpressionKind::kCondition, tracker);
  ASSERT_TRUE(ast);
  EXPECT_TRUE(*EvaluateCondition(*ast, Item{{"a.b", 10}}));  // a dotted name, not a path
  EXPECT_FALSE(*EvaluateCondition(*ast, Item{{"a", Map{{"b", 10}}}}));
}

}  // namespace
}  // namespace moe::ddbexpr
