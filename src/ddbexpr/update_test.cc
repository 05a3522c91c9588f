// Update semantics: SET arithmetic and functions, nested paths, list index
// edge cases, REMOVE shifting, ADD/DELETE on numbers and sets, and the
// projections for ReturnValues.
#include <gtest/gtest.h>

#include "ddbexpr/test_util.h"
#include "ddbexpr/update.h"

namespace moe::ddbexpr {
namespace {

const AttributeValues kV = {
    {":one", 1},          {":five", 5},         {":s", "x"},
    {":l", List{8, 9}},   {":empty", List{}},   {":ss", StringSet{"b", "c"}},
    {":ns", NumberSet{2, 3}}, {":bs", BinarySet{Bytes{"\x01"}}}, {":m", Map{{"k", "v"}}},
    {":big", *Number::Parse("9.9999999999999999999999999999999999999E+125")},
    {":n38", *Number::Parse("12345678901234567890123456789012345678")},
    {":frac", *Number::Parse("0.1")},
};

const Item kItem = {
    {"pk", "key"},
    {"n", 10},
    {"s", "str"},
    {"l", List{"a", "b", "c", "d"}},
    {"m", Map{{"x", 1}, {"in2", Map{{"y", 2}}}, {"lst", List{1, 2}}}},
    {"ss", StringSet{"a", "b"}},
    {"ns", NumberSet{1, 2}},
    {"bs", BinarySet{Bytes{"\x01"}, Bytes{"\x02"}}},
};

Item Apply(std::string_view text, const Item& item = kItem) {
  UpdateAst ast = testing::MustUpdate(text, kV);
  Result<Item> r = ApplyUpdate(ast, item);
  EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message());
  return r ? std::move(*r) : Item{};
}

std::string ApplyError(std::string_view text, const Item& item = kItem) {
  UpdateAst ast = testing::MustUpdate(text, kV);
  Result<Item> r = ApplyUpdate(ast, item);
  if (r) return "<ok>";
  EXPECT_EQ(r.error().code(), ErrorCode::kValidation);
  return r.error().message();
}

const std::string kWrongType = "An operand in the update expression has an incorrect data type";
const std::string kBadPath = "The document path provided in the update expression is invalid for update";
const std::string kMissing = "The provided expression refers to an attribute that does not exist in the item";

TEST(UpdateTest, SetValuesAndArithmetic) {
  Item out = Apply("SET a = :s, n = n + :five, s2 = s");
  EXPECT_EQ(out["a"], Value("x"));
  EXPECT_EQ(out["n"], Value(15));
  EXPECT_EQ(out["s2"], Value("str"));
  EXPECT_EQ(Apply("SET n = n - :one")["n"], Value(9));
  EXPECT_EQ(Apply("SET n = :one - n")["n"], Value(-9));
  EXPECT_EQ(Apply("SET n = :frac + :frac")["n"].n().Canonical(), "0.2");
  EXPECT_EQ(Apply("SET c = if_not_exists(c, :one)")["c"], Value(1));
  EXPECT_EQ(Apply("SET n = if_not_exists(n, :one)")["n"], Value(10));
  EXPECT_EQ(Apply("SET c = if_not_exists(c, :five) + :one")["c"], Value(6));
  EXPECT_EQ(Apply("SET m.x = m.x + :one")["m"].m().at("x"), Value(2));
}

TEST(UpdateTest, OperandsAreReadBeforeAnyChange) {
  Item out = Apply("SET a = n, n = :one, b = n");
  EXPECT_EQ(out["a"], Value(10));
  EXPECT_EQ(out["b"], Value(10));
  EXPECT_EQ(out["n"], Value(1));
}

TEST(UpdateTest, SetErrors) {
  EXPECT_EQ(ApplyError("SET a = s + :one"), kWrongType);
  EXPECT_EQ(ApplyError("SET a = nope + :one"), kMissing);
  EXPECT_EQ(ApplyError("SET a = nope"), kMissing);
  EXPECT_EQ(ApplyError("SET a = list_append(s, :l)"), kWrongType);
  EXPECT_EQ(ApplyError("SET a = list_append(:l, nope)"), kMissing);
  EXPECT_NE(ApplyError("SET n = n + :big", Item{{"n", *Number::Parse("9.9999999999999999999999999999999999999E+125")}}),
            "<ok>");  // overflow
  EXPECT_NE(ApplyError("SET n = :n38 + :frac"), "<ok>");  // 39 significant digits
}

TEST(UpdateTest, ListAppend) {
  EXPECT_EQ(Apply("SET l = list_append(l, :l)")["l"], Value(List{"a", "b", "c", "d", 8, 9}));
  EXPECT_EQ(Apply("SET l = list_append(:l, l)")["l"], Value(List{8, 9, "a", "b", "c", "d"}));
  EXPECT_EQ(Apply("SET z = list_append(if_not_exists(z, :empty), :l)")["z"], Value(List{8, 9}));
}

TEST(UpdateTest, NestedSet) {
  Item out = Apply("SET m.in2.z = :s, m.x = :five");
  EXPECT_EQ(out["m"].m().at("in2").m().at("z"), Value("x"));
  EXPECT_EQ(out["m"].m().at("x"), Value(5));
  EXPECT_EQ(Apply("SET m.newmap = :m")["m"].m().at("newmap"), Value(Map{{"k", "v"}}));
  EXPECT_EQ(ApplyError("SET nope.x = :s"), kBadPath);
  EXPECT_EQ(ApplyError("SET m.nope.x = :s"), kBadPath);
  EXPECT_EQ(ApplyError("SET s.x = :s"), kBadPath);   // parent is not a map
  EXPECT_EQ(ApplyError("SET m[0] = :s"), kBadPath);  // index into a map
  EXPECT_EQ(ApplyError("SET l.x = :s"), kBadPath);   // name into a list
}

TEST(UpdateTest, ListIndexes) {
  EXPECT_EQ(Apply("SET l[1] = :s")["l"], Value(List{"a", "x", "c", "d"}));
  EXPECT_EQ(Apply("SET l[4] = :s")["l"], Value(List{"a", "b", "c", "d", "x"}));
  EXPECT_EQ(Apply("SET l[100] = :s")["l"], Value(List{"a", "b", "c", "d", "x"}));  // past the end appends
  EXPECT_EQ(Apply("SET l[99999999999] = :s")["l"].l().size(), 5u);
  EXPECT_EQ(Apply("SET m.lst[0] = :five")["m"].m().at("lst"), Value(List{5, 2}));
  EXPECT_EQ(Apply("SET l[8] = :s, l[9] = :one")["l"], Value(List{"a", "b", "c", "d", "x", 1}));
  EXPECT_EQ(ApplyError("SET l[9].x = :s"), kBadPath);
}

TEST(UpdateTest, Remove) {
  Item out = Apply("REMOVE s, nope, m.x, m.in2.nope");
  EXPECT_FALSE(out.contains("s"));
  EXPECT_FALSE(out["m"].m().contains("x"));
  EXPECT_TRUE(out["m"].m().contains("in2"));
  EXPECT_EQ(Apply("REMOVE l[1]")["l"], Value(List{"a", "c", "d"}));
  // Indexes refer to the list before the update: the rest shifts down once.
  EXPECT_EQ(Apply("REMOVE l[0], l[2]")["l"], Value(List{"b", "d"}));
  EXPECT_EQ(Apply("REMOVE l[2], l[0], l[3]")["l"], Value(List{"b"}));
  EXPECT_EQ(Apply("REMOVE l[7]")["l"], kItem.at("l"));
  EXPECT_EQ(Apply("REMOVE m.lst[0], l[3]")["m"].m().at("lst"), Value(List{2}));
  EXPECT_EQ(ApplyError("REMOVE nope.x"), kBadPath);
  EXPECT_EQ(ApplyError("REMOVE s[0]"), kBadPath);
}

TEST(UpdateTest, AddNumbersAndSets) {
  EXPECT_EQ(Apply("ADD n :five")["n"], Value(15));
  EXPECT_EQ(Apply("ADD fresh :five")["fresh"], Value(5));  // a missing number starts at 0
  EXPECT_EQ(Apply("ADD ss :ss")["ss"], Value(StringSet{"a", "b", "c"}));
  EXPECT_EQ(Apply("ADD ns :ns")["ns"], Value(NumberSet{1, 2, 3}));
  EXPECT_EQ(Apply("ADD bs :bs")["bs"], kItem.at("bs"));
  EXPECT_EQ(Apply("ADD newset :ss")["newset"], Value(StringSet{"b", "c"}));
  EXPECT_EQ(Apply("ADD m.in2.y :one")["m"].m().at("in2").m().at("y"), Value(3));
  EXPECT_EQ(Apply("ADD m.in2.c :one")["m"].m().at("in2").m().at("c"), Value(1));
  EXPECT_EQ(ApplyError("ADD s :one"), kWrongType);
  EXPECT_EQ(ApplyError("ADD ss :ns"), kWrongType);
  EXPECT_EQ(ApplyError("ADD n :ss"), kWrongType);
  EXPECT_EQ(ApplyError("ADD nope.x :one"), kBadPath);
}

TEST(UpdateTest, DeleteFromSets) {
  EXPECT_EQ(Apply("DELETE ss :ss")["ss"], Value(StringSet{"a"}));
  EXPECT_EQ(Apply("DELETE ns :ns")["ns"], Value(NumberSet{1}));
  EXPECT_FALSE(Apply("DELETE bs :bs").at("bs").bs().contains(Bytes{"\x01"}));
  // Removing the last elements removes the attribute.
  EXPECT_FALSE(Apply("DELETE ss :ss", Item{{"ss", StringSet{"b"}}}).contains("ss"));
  EXPECT_FALSE(Apply("DELETE nope :ss").contains("nope"));
  EXPECT_EQ(ApplyError("DELETE ss :ns"), kWrongType);
  EXPECT_EQ(ApplyError("DELETE s :ss"), kWrongType);
}

TEST(UpdateTest, AllClausesTogether) {
  Item out = Apply("SET a = :s REMOVE s ADD n :one, ss :ss DELETE ns :ns");
  EXPECT_EQ(out["a"], Value("x"));
  EXPECT_FALSE(out.contains("s"));
  EXPECT_EQ(out["n"], Value(11));
  EXPECT_EQ(out["ss"], Value(StringSet{"a", "b", "c"}));
  EXPECT_EQ(out["ns"], Value(NumberSet{1}));
  EXPECT_EQ(out["pk"], Value("key"));
}

TEST(UpdateTest, WorksOnAnEmptyItem) {
  Item out = Apply("SET a = if_not_exists(a, :one) ADD c :five", Item{});
  EXPECT_EQ(out, (Item{{"a", 1}, {"c", 5}}));
}

TEST(UpdateTest, TouchedNamesAndReturnValues) {
  UpdateAst ast = testing::MustUpdate("SET m.in2.y = :five, a = :s REMOVE l[1] ADD n :one", kV);
  EXPECT_EQ(UpdatedTopLevelNames(ast), (std::vector<std::string>{"a", "l", "m", "n"}));
  ASSERT_EQ(UpdatedPaths(ast).size(), 4u);
  Item updated = *ApplyUpdate(ast, kItem);
  Item old_values = ProjectUpdated(kItem, ast);
  EXPECT_EQ(old_values, (Item{{"m", Map{{"in2", Map{{"y", 2}}}}}, {"l", List{"b"}}, {"n", 10}}));
  Item new_values = ProjectUpdated(updated, ast);
  EXPECT_EQ(new_values,
            (Item{{"m", Map{{"in2", Map{{"y", 5}}}}}, {"a", "x"}, {"l", List{"c"}}, {"n", 11}}));
}

}  // namespace
}  // namespace moe::ddbexpr
