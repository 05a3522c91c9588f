#include "moe/expression.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace moe::expr {
namespace {

// Renders `e` and fails the test on an error.
template <typename E>
std::string Rendered(Expressions& ex, const E& e) {
  Result<std::string> r = ex.Render(e);
  EXPECT_TRUE(r) << r.error().ToString();
  return r ? *r : "<error>";
}

// Renders `e` and returns the error code (fails the test on success).
template <typename E>
ErrorCode Fails(Expressions& ex, const E& e) {
  Result<std::string> r = ex.Render(e);
  EXPECT_FALSE(r) << "rendered: " << *r;
  return r ? ErrorCode::kInternalServerError : r.error().code();
}

template <typename E>
std::string RenderAlone(const E& e) {
  Expressions ex;
  return Rendered(ex, e);
}

// ------------------------------------------------------------------- Path

TEST(PathTest, ParseNested) {
  Result<Path> p = Path::Parse("a.b[2].c");
  ASSERT_TRUE(p);
  std::vector<Path::Element> want{std::string("a"), std::string("b"), size_t{2}, std::string("c")};
  EXPECT_EQ(p->elements(), want);
  EXPECT_EQ(p->DebugString(), "a.b[2].c");
}

TEST(PathTest, ParseEdgeCasesAccepted) {
  auto elements = [](std::string_view text) {
    Result<Path> p = Path::Parse(text);
    EXPECT_TRUE(p) << text;
    return p ? p->elements() : std::vector<Path::Element>{};
  };
  EXPECT_EQ(elements("a"), (std::vector<Path::Element>{std::string("a")}));
  EXPECT_EQ(elements("a[0][1]"), (std::vector<Path::Element>{std::string("a"), size_t{0}, size_t{1}}));
  EXPECT_EQ(elements("a[2147483647]"), (std::vector<Path::Element>{std::string("a"), size_t{2147483647}}));
  EXPECT_EQ(elements("my attr.héllo wörld"),
            (std::vector<Path::Element>{std::string("my attr"), std::string("héllo wörld")}));
  EXPECT_EQ(elements("#x.:y"), (std::vector<Path::Element>{std::string("#x"), std::string(":y")}));
  EXPECT_EQ(elements("a[007]"), (std::vector<Path::Element>{std::string("a"), size_t{7}}));
}

TEST(PathTest, ParseRejectsMalformed) {
  for (std::string_view bad : {"", ".", ".a", "a.", "a..b", "[0]", "a[", "a[]", "a[x]", "a[-1]", "a[+1]",
                               "a[ 1]", "a[1", "a]", "a[0]b", "a.[0]", "a[2147483648]",
                               "a[99999999999999999999]", "a[1.5]"}) {
    Result<Path> p = Path::Parse(bad);
    ASSERT_FALSE(p) << "accepted \"" << bad << "\"";
    EXPECT_EQ(p.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(PathTest, AttrIsLiteral) {
  EXPECT_EQ(Attr("a.b[2]").elements(), (std::vector<Path::Element>{std::string("a.b[2]")}));
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Projection{Attr("a.b[2]")}), "#n0");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "a.b[2]"}}));
}

TEST(PathTest, BuilderRendersNestedPlaceholders) {
  Path base = Attr("a");
  Path nested = base.Field("b")[3].Index(4).Field("c");
  EXPECT_EQ(base.DebugString(), "a");  // the const& overloads copy
  EXPECT_EQ(nested.DebugString(), "a.b[3][4].c");
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Projection{nested}), "#n0.#n1[3][4].#n2");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}}));
}

TEST(PathTest, EmptyNamesRejected) {
  Expressions ex;
  EXPECT_EQ(Fails(ex, Projection{Attr("")}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Attr("a").Field("") == 1), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("") == 1), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ex.names().empty());
  EXPECT_TRUE(ex.values().empty());
}

// -------------------------------------------------------------- Condition

TEST(ConditionTest, Comparators) {
  EXPECT_EQ(RenderAlone(Attr("a") == 5), "#n0 = :v0");
  EXPECT_EQ(RenderAlone(Attr("a") != 5), "#n0 <> :v0");
  EXPECT_EQ(RenderAlone(Attr("a") < 5), "#n0 < :v0");
  EXPECT_EQ(RenderAlone(Attr("a") <= 5), "#n0 <= :v0");
  EXPECT_EQ(RenderAlone(Attr("a") > 5), "#n0 > :v0");
  EXPECT_EQ(RenderAlone(Attr("a") >= 5), "#n0 >= :v0");
  EXPECT_EQ(RenderAlone(5 < Attr("a")), ":v0 < #n0");
  EXPECT_EQ(RenderAlone(Attr("a") < Attr("b")), "#n0 < #n1");
}

TEST(ConditionTest, ValuesOfEveryType) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Attr("s") == "x" && Attr("b") == true && Attr("z") == nullptr &&
                       Attr("bin") == Bytes("\x01") && Attr("l") == List{1, "two"} &&
                       Attr("ss") == StringSet{"p", "q"} && Attr("e") == ""),
            "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 AND #n3 = :v3 AND #n4 = :v4 AND #n5 = :v5 AND "
            "#n6 = :v6");
  EXPECT_EQ(ex.values(), (Values{{":v0", "x"},
                                 {":v1", true},
                                 {":v2", nullptr},
                                 {":v3", Bytes("\x01")},
                                 {":v4", List{1, "two"}},
                                 {":v5", StringSet{"p", "q"}},
                                 {":v6", ""}}));
}

TEST(ConditionTest, BetweenAndIn) {
  EXPECT_EQ(RenderAlone(Between(Attr("a"), 1, 9)), "#n0 BETWEEN :v0 AND :v1");
  EXPECT_EQ(RenderAlone(Attr("a").Between(1, Attr("b"))), "#n0 BETWEEN :v0 AND #n1");
  EXPECT_EQ(RenderAlone(In(Attr("a"), {1, "x", Attr("b")})), "#n0 IN (:v0, :v1, #n1)");
  EXPECT_EQ(RenderAlone(Attr("a").In({1, 2})), "#n0 IN (:v0, :v1)");
  std::vector<Value> runtime{"p", "q", "p"};
  Expressions ex;
  EXPECT_EQ(Rendered(ex, In(Attr("a"), runtime)), "#n0 IN (:v0, :v1, :v0)");
  EXPECT_EQ(ex.values(), (Values{{":v0", "p"}, {":v1", "q"}}));
}

TEST(ConditionTest, InCandidateLimits) {
  std::vector<Value> hundred;
  for (int i = 0; i < 100; ++i) hundred.emplace_back(i);
  Expressions ex;
  EXPECT_TRUE(ex.Render(In(Attr("a"), hundred)));
  hundred.emplace_back(100);
  EXPECT_EQ(Fails(ex, In(Attr("a"), hundred)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, In(Attr("a"), std::span<const Value>())), ErrorCode::kInvalidArgument);
}

TEST(ConditionTest, Functions) {
  EXPECT_EQ(RenderAlone(Exists(Attr("a"))), "attribute_exists(#n0)");
  EXPECT_EQ(RenderAlone(Attr("a").Exists()), "attribute_exists(#n0)");
  EXPECT_EQ(RenderAlone(NotExists(Attr("a"))), "attribute_not_exists(#n0)");
  EXPECT_EQ(RenderAlone(Attr("a").NotExists()), "attribute_not_exists(#n0)");
  EXPECT_EQ(RenderAlone(BeginsWith(Attr("a"), "pre")), "begins_with(#n0, :v0)");
  EXPECT_EQ(RenderAlone(Attr("a").BeginsWith(Attr("b"))), "begins_with(#n0, #n1)");
  EXPECT_EQ(RenderAlone(Contains(Attr("tags"), "x")), "contains(#n0, :v0)");
  EXPECT_EQ(RenderAlone(Attr("tags").Contains(3)), "contains(#n0, :v0)");
  EXPECT_EQ(RenderAlone(Size(Attr("a")) > 3), "size(#n0) > :v0");
  EXPECT_EQ(RenderAlone(Between(Size(Attr("a").Field("b")), 1, 2)), "size(#n0.#n1) BETWEEN :v0 AND :v1");

  Expressions ex;
  EXPECT_EQ(Rendered(ex, AttributeType(Attr("a"), Type::kS) && Attr("b").AttributeType(Type::kNS)),
            "attribute_type(#n0, :v0) AND attribute_type(#n1, :v1)");
  EXPECT_EQ(ex.values(), (Values{{":v0", "S"}, {":v1", "NS"}}));
}

TEST(ConditionTest, Precedence) {
  Condition a = Attr("a") == 1, b = Attr("b") == 2, c = Attr("c") == 3;
  EXPECT_EQ(RenderAlone((a || b) && c), "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2");
  EXPECT_EQ(RenderAlone(c && (a || b)), "#n0 = :v0 AND (#n1 = :v1 OR #n2 = :v2)");
  EXPECT_EQ(RenderAlone(a || (b && c)), "#n0 = :v0 OR #n1 = :v1 AND #n2 = :v2");
  EXPECT_EQ(RenderAlone((a && b) || c), "#n0 = :v0 AND #n1 = :v1 OR #n2 = :v2");
  EXPECT_EQ(RenderAlone(a && (b && c)), "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2");
  EXPECT_EQ(RenderAlone((a || b) || c), "#n0 = :v0 OR #n1 = :v1 OR #n2 = :v2");
  EXPECT_EQ(RenderAlone(!a), "NOT #n0 = :v0");
  EXPECT_EQ(RenderAlone(!!a), "NOT NOT #n0 = :v0");
  EXPECT_EQ(RenderAlone(!(a && b)), "NOT (#n0 = :v0 AND #n1 = :v1)");
  EXPECT_EQ(RenderAlone(!(a || b)), "NOT (#n0 = :v0 OR #n1 = :v1)");
  EXPECT_EQ(RenderAlone(!a && !b), "NOT #n0 = :v0 AND NOT #n1 = :v1");
  EXPECT_EQ(RenderAlone(!((a || b) && c) || !Attr("d").Exists()),
            "NOT ((#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2) OR NOT attribute_exists(#n3)");
  EXPECT_EQ(RenderAlone(Attr("a").Between(1, 2) && b), "#n0 BETWEEN :v0 AND :v1 AND #n1 = :v1");
}

TEST(ConditionTest, EmptyConditionIsDroppedByCombinators) {
  Condition empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_TRUE((!empty).empty());
  EXPECT_EQ(RenderAlone(empty && Attr("a") == 1), "#n0 = :v0");
  EXPECT_EQ(RenderAlone((Attr("a") == 1) || empty), "#n0 = :v0");
  Condition built;
  for (const char* name : {"x", "y", "z"}) built = built && Attr(name).Exists();
  EXPECT_EQ(RenderAlone(built), "attribute_exists(#n0) AND attribute_exists(#n1) AND attribute_exists(#n2)");
  Expressions ex;
  EXPECT_EQ(Fails(ex, empty), ErrorCode::kInvalidArgument);
}

TEST(ConditionTest, UpdateOnlyOperandsRejected) {
  Expressions ex;
  EXPECT_EQ(Fails(ex, Attr("a") == Plus(Attr("b"), 1)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Attr("a") == IfNotExists(Attr("b"), 1)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Attr("a") == ListAppend(Attr("b"), List{})), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ex.names().empty());
}

// ------------------------------------------------------- placeholder rules

TEST(PlaceholderTest, NamesAndValuesAreDeduplicated) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Attr("a") == 5 && (Attr("a") < Attr("b").Field("a") || Attr("c") == 5)),
            "#n0 = :v0 AND (#n0 < #n1.#n0 OR #n2 = :v0)");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}}));
  EXPECT_EQ(ex.values(), (Values{{":v0", 5}}));
}

TEST(PlaceholderTest, ValuesDedupByDeepEquality) {
  Expressions ex;
  Value doc = Map{{"k", List{1, StringSet{"x"}}}};
  EXPECT_EQ(Rendered(ex, Attr("a") == doc || Attr("b") == Map{{"k", List{1, StringSet{"x"}}}}),
            "#n0 = :v0 OR #n1 = :v0");
  // Equal numbers share a placeholder whatever their spelling; types never mix.
  EXPECT_EQ(Rendered(ex, Attr("n") == *Number::Parse("1.0") || Attr("n") == 1 || Attr("n") == "1"),
            "#n2 = :v1 OR #n2 = :v1 OR #n2 = :v2");
  EXPECT_EQ(ex.values().size(), 3u);
}

TEST(PlaceholderTest, UnusualNamesBecomePlaceholders) {
  const std::vector<std::string> names{"a.b", "with space", "status", "SIZE", "AND", "ünï©ødé 名前",
                                       "#n0", ":v0", "a[0]", "(x)", "a = b"};
  Projection projection;
  for (const std::string& n : names) projection.Add(Attr(n));
  Expressions ex;
  EXPECT_EQ(Rendered(ex, projection), "#n0, #n1, #n2, #n3, #n4, #n5, #n6, #n7, #n8, #n9, #n10");
  for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(ex.names().at("#n" + std::to_string(i)), names[i]);
}

TEST(PlaceholderTest, InjectionOnlyEverAppearsAsValueOrName) {
  const std::string evil = "\") OR attribute_exists(x) --";
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Attr("pk") == evil && Attr(evil).NotExists() && Attr("s").BeginsWith(evil)),
            "#n0 = :v0 AND attribute_not_exists(#n1) AND begins_with(#n2, :v0)");
  EXPECT_EQ(Rendered(ex, Update().Set(Attr("x"), evil).Remove(Attr(evil + "2"))), "SET #n3 = :v0 REMOVE #n4");
  EXPECT_EQ(Rendered(ex, Key("pk") == evil), "#n0 = :v0");
  EXPECT_EQ(ex.values(), (Values{{":v0", evil}}));
  EXPECT_EQ(ex.names().at("#n1"), evil);
  EXPECT_EQ(ex.names().at("#n4"), evil + "2");
}

TEST(PlaceholderTest, EmptySetsRejectedEmptyStringsAndListsAllowed) {
  Expressions ex;
  EXPECT_EQ(Fails(ex, Attr("a") == StringSet{}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Attr("a") == NumberSet{}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Attr("a") == BinarySet{}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Attr("a") == List{Map{{"k", StringSet{}}}}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Rendered(ex, Attr("a") == "" || Attr("a") == List{} || Attr("a") == Map{}),
            "#n0 = :v0 OR #n0 = :v1 OR #n0 = :v2");
}

TEST(PlaceholderTest, FailedRenderLeavesContextUntouched) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Attr("a") == 1), "#n0 = :v0");
  // Registers #n1, #n2, :v1 before failing on the empty set.
  EXPECT_EQ(Fails(ex, Attr("b") == 2 && Attr("c") == StringSet{}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Set(Attr("b"), 2).Set(Attr("c"), Size(Attr("d")))),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ex.names(), (Names{{"#n0", "a"}}));
  EXPECT_EQ(ex.values(), (Values{{":v0", 1}}));
  EXPECT_EQ(Rendered(ex, Attr("c") == 3 && Attr("a") == 1), "#n1 = :v1 AND #n0 = :v0");
}

// ----------------------------------------------------------- KeyCondition

TEST(KeyConditionTest, HashOnly) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Key("pk") == "user#1"), "#n0 = :v0");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "pk"}}));
  EXPECT_EQ(ex.values(), (Values{{":v0", "user#1"}}));
}

TEST(KeyConditionTest, SortKeyOperators) {
  EXPECT_EQ(RenderAlone(Key("pk") == "p" && Key("sk") == 1), "#n0 = :v0 AND #n1 = :v1");
  EXPECT_EQ(RenderAlone(Key("pk") == "p" && Key("sk") < 1), "#n0 = :v0 AND #n1 < :v1");
  EXPECT_EQ(RenderAlone(Key("pk") == "p" && Key("sk") <= 1), "#n0 = :v0 AND #n1 <= :v1");
  EXPECT_EQ(RenderAlone(Key("pk") == "p" && Key("sk") > 1), "#n0 = :v0 AND #n1 > :v1");
  EXPECT_EQ(RenderAlone(Key("pk") == "p" && Key("sk") >= 1), "#n0 = :v0 AND #n1 >= :v1");
  EXPECT_EQ(RenderAlone(Key("pk") == "p" && Key("sk").Between(1, 9)),
            "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
  EXPECT_EQ(RenderAlone(Key("pk") == "p" && Key("sk").BeginsWith("order#")),
            "#n0 = :v0 AND begins_with(#n1, :v1)");
  EXPECT_EQ(RenderAlone(Key("pk") == Bytes("k") && Key("sk").BeginsWith(Bytes("\x00\x01"))),
            "#n0 = :v0 AND begins_with(#n1, :v1)");
}

TEST(KeyConditionTest, PartitionKeyEqualityRenderedFirst) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Key("sk") > 5 && Key("pk.with.dots") == "p"), "#n0 = :v0 AND #n1 > :v1");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "pk.with.dots"}, {"#n1", "sk"}}));
}

TEST(KeyConditionTest, ShapeErrors) {
  Expressions ex;
  EXPECT_EQ(Fails(ex, Key("sk") < 3), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("sk").BeginsWith("x")), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("a") < 1 && Key("b") > 2), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("pk") == 1 && Key("pk") == 2), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("pk") == 1 && Key("pk") < 2), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("pk") == 1 && Key("s") > 1 && Key("t") > 2), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("pk") == true), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("pk") == List{1}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("pk") == 1 && Key("sk").Between(1, nullptr)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Key("pk") == 1 && Key("sk").BeginsWith(12)), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ex.names().empty());
  EXPECT_TRUE(ex.values().empty());
}

// ----------------------------------------------------------------- Update

TEST(UpdateTest, AllClauses) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Update()
                       .Set(Attr("a"), "x")
                       .Set(Attr("b"), Plus(Attr("b"), 1))
                       .Remove(Attr("c"))
                       .Add(Attr("d"), 2)
                       .Delete(Attr("e"), StringSet{"t"})),
            "SET #n0 = :v0, #n1 = #n1 + :v1 REMOVE #n2 ADD #n3 :v2 DELETE #n4 :v3");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}, {"#n3", "d"}, {"#n4", "e"}}));
  EXPECT_EQ(ex.values(), (Values{{":v0", "x"}, {":v1", 1}, {":v2", 2}, {":v3", StringSet{"t"}}}));
}

TEST(UpdateTest, ClausesOrderedWhateverTheCallOrder) {
  EXPECT_EQ(RenderAlone(Update()
                            .Delete(Attr("e"), NumberSet{1})
                            .Remove(Attr("c"))
                            .Set(Attr("a"), 5)
                            .Add(Attr("d"), StringSet{"s"})
                            .Remove(Attr("f"))
                            .Set(Attr("g"), Attr("a"))),
            "SET #n0 = :v0, #n1 = #n0 REMOVE #n2, #n3 ADD #n4 :v1 DELETE #n5 :v2");
}

TEST(UpdateTest, SetOperands) {
  EXPECT_EQ(RenderAlone(Update().Set(Attr("n"), Minus(Attr("n"), 1))), "SET #n0 = #n0 - :v0");
  EXPECT_EQ(RenderAlone(Update().Set(Attr("n"), Plus(IfNotExists(Attr("n"), 0), 1))),
            "SET #n0 = if_not_exists(#n0, :v0) + :v1");
  EXPECT_EQ(RenderAlone(Update().SetIfNotExists(Attr("created"), 42)), "SET #n0 = if_not_exists(#n0, :v0)");
  EXPECT_EQ(RenderAlone(Update().Set(Attr("l"), ListAppend(Attr("l"), Attr("m")))),
            "SET #n0 = list_append(#n0, #n1)");
  EXPECT_EQ(RenderAlone(Update().Set(Attr("a").Field("b")[0], Attr("c")[1])), "SET #n0.#n1[0] = #n2[1]");
  EXPECT_EQ(RenderAlone(Update().Set(Attr("a"), IfNotExists(Attr("b"), Attr("c")))),
            "SET #n0 = if_not_exists(#n1, #n2)");
}

TEST(UpdateTest, AppendAndPrepend) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Update().Append(Attr("log"), List{1, 2})), "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)");
  EXPECT_EQ(ex.values(), (Values{{":v0", List{}}, {":v1", List{1, 2}}}));
  Expressions ex2;
  EXPECT_EQ(Rendered(ex2, Update().Prepend(Attr("log"), List{"x"})),
            "SET #n0 = list_append(:v0, if_not_exists(#n0, :v1))");
  EXPECT_EQ(ex2.values(), (Values{{":v0", List{"x"}}, {":v1", List{}}}));
}

TEST(UpdateTest, OverlappingPathsRejected) {
  Expressions ex;
  EXPECT_EQ(Fails(ex, Update().Set(Attr("a"), 1).Remove(Attr("a"))), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Set(Attr("a"), 1).Set(Attr("a").Field("b"), 2)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Remove(Attr("a")[0]).Add(Attr("a")[0], 1)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Set(Attr("a").Field("b"), 1).Remove(Attr("a")[0])), ErrorCode::kInvalidArgument);
  // Siblings do not overlap; neither do a name that merely contains a dot and
  // the nested path it resembles.
  EXPECT_EQ(Rendered(ex, Update()
                       .Set(Attr("a")[0], 1)
                       .Set(Attr("a")[1], 2)
                       .Set(Attr("m").Field("c"), 3)
                       .Remove(Attr("m").Field("d"))
                       .Set(Attr("x.y"), 4)
                       .Set(Attr("x").Field("y"), 5)),
            "SET #n0[0] = :v0, #n0[1] = :v1, #n1.#n2 = :v2, #n3 = :v3, #n4.#n5 = :v4 REMOVE #n1.#n6");
}

TEST(UpdateTest, InvalidActionsRejected) {
  Expressions ex;
  EXPECT_EQ(Fails(ex, Update()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Add(Attr("a"), "text")), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Add(Attr("a"), List{1})), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Add(Attr("a"), NumberSet{})), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Delete(Attr("a"), 1)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Delete(Attr("a"), StringSet{})), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Set(Attr("a"), Size(Attr("b")))), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Set(Attr("a"), Plus(Plus(Attr("a"), 1), 2))), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Set(Attr("a"), ListAppend(Plus(Attr("a"), 1), List{}))),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Update().Set(Attr("a"), IfNotExists(Attr("a"), Minus(Attr("b"), 1)))),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ex.names().empty());
  EXPECT_TRUE(ex.values().empty());
}

TEST(UpdateTest, AddAcceptsNumbersAndSets) {
  EXPECT_EQ(RenderAlone(Update()
                            .Add(Attr("n"), -3)
                            .Add(Attr("ss"), StringSet{"a"})
                            .Add(Attr("ns"), NumberSet{1})
                            .Add(Attr("bs"), BinarySet{Bytes("b")})),
            "ADD #n0 :v0, #n1 :v1, #n2 :v2, #n3 :v3");
}

// ------------------------------------------------------------- Projection

TEST(ProjectionTest, Renders) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Projection{Attr("a"), Attr("b").Field("c")[3], Attr("b").Field("a")}),
            "#n0, #n1.#n2[3], #n1.#n0");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}}));
  EXPECT_TRUE(ex.values().empty());
}

TEST(ProjectionTest, EmptyAndOverlappingRejected) {
  Expressions ex;
  EXPECT_EQ(Fails(ex, Projection{}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Projection{Attr("a"), Attr("a")}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Projection{Attr("a").Field("b"), Attr("a")}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fails(ex, Projection{Attr("a")[1], Attr("a").Field("b")}), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ex.names().empty());
}

// ------------------------------------------------------------ Expressions

struct FakeUpdateRequest {
  std::optional<std::string> update_expression;
  std::optional<std::string> condition_expression;
  Names expression_attribute_names;
  Values expression_attribute_values;
};

struct FakeGetRequest {
  std::optional<std::string> projection_expression;
  Names expression_attribute_names;
};

Status BuildRequest(FakeUpdateRequest* req) {
  Expressions ex;
  MOE_TRY(req->condition_expression, ex.Render(Attr("pk").NotExists() || Attr("version") < 7));
  MOE_TRY(req->update_expression, ex.Render(Update().Set(Attr("version"), 7).Add(Attr("count"), 1)));
  ex.MoveInto(req);
  return Ok();
}

TEST(ExpressionsTest, SharedAcrossOneRequest) {
  FakeUpdateRequest req;
  ASSERT_TRUE(BuildRequest(&req));
  EXPECT_EQ(req.condition_expression, "attribute_not_exists(#n0) OR #n1 < :v0");
  EXPECT_EQ(req.update_expression, "SET #n1 = :v0 ADD #n2 :v1");
  EXPECT_EQ(req.expression_attribute_names, (Names{{"#n0", "pk"}, {"#n1", "version"}, {"#n2", "count"}}));
  EXPECT_EQ(req.expression_attribute_values, (Values{{":v0", 7}, {":v1", 1}}));
}

TEST(ExpressionsTest, MoveIntoMergesAndKeepsCounting) {
  FakeUpdateRequest req;
  req.expression_attribute_names = {{"#mine", "x"}};
  req.expression_attribute_values = {{":mine", 0}};
  Expressions ex;
  req.condition_expression = Rendered(ex, Attr("a") == 1);
  ex.MoveInto(&req);
  EXPECT_TRUE(ex.names().empty());
  EXPECT_TRUE(ex.values().empty());
  req.update_expression = Rendered(ex, Update().Set(Attr("a"), 2));
  EXPECT_EQ(req.update_expression, "SET #n1 = :v1");
  ex.MoveInto(&req);
  EXPECT_EQ(req.expression_attribute_names, (Names{{"#mine", "x"}, {"#n0", "a"}, {"#n1", "a"}}));
  EXPECT_EQ(req.expression_attribute_values, (Values{{":mine", 0}, {":v0", 1}, {":v1", 2}}));
}

TEST(ExpressionsTest, MoveIntoNamesOnlyRequest) {
  FakeGetRequest req;
  Expressions ex;
  req.projection_expression = Rendered(ex, Projection{Attr("a"), Attr("b")});
  ex.MoveInto(&req);
  EXPECT_EQ(req.projection_expression, "#n0, #n1");
  EXPECT_EQ(req.expression_attribute_names, (Names{{"#n0", "a"}, {"#n1", "b"}}));
}

TEST(ExpressionsTest, QueryWithKeyFilterAndProjection) {
  Expressions ex;
  EXPECT_EQ(Rendered(ex, Key("pk") == "p" && Key("sk").BeginsWith("o#")), "#n0 = :v0 AND begins_with(#n1, :v1)");
  EXPECT_EQ(Rendered(ex, Attr("status") == "open" && Attr("pk") != "p"), "#n2 = :v2 AND #n0 <> :v0");
  EXPECT_EQ(Rendered(ex, Projection{Attr("sk"), Attr("status")}), "#n1, #n2");
  EXPECT_EQ(ex.names(), (Names{{"#n0", "pk"}, {"#n1", "sk"}, {"#n2", "status"}}));
  EXPECT_EQ(ex.values(), (Values{{":v0", "p"}, {":v1", "o#"}, {":v2", "open"}}));
}

}  // namespace
}  // namespace moe::expr
