#include <gtest/gtest.h>

#include "ddbexpr/projection.h"
#include "ddbexpr/test_util.h"

namespace moe::ddbexpr {
namespace {

const Item kItem = {
    {"a", 1},
    {"b", "two"},
    {"m", Map{{"x", 1}, {"y", Map{{"z", 2}, {"w", 3}}}, {"l", List{10, 20, 30}}}},
    {"l", List{"p", Map{{"q", 1}, {"r", 2}}, "s", List{4, 5}}},
    {"size", 7},
};

Item P(std::string_view text, const AttributeNames& names = {}) {
  return Project(kItem, testing::MustProjection(text, names));
}

TEST(ProjectionTest, TopLevelAttributes) {
  EXPECT_EQ(P("a, b"), (Item{{"a", 1}, {"b", "two"}}));
  EXPECT_EQ(P("a, absent"), (Item{{"a", 1}}));
  EXPECT_EQ(P("absent"), Item{});
  EXPECT_EQ(P("#s", {{"#s", "size"}}), (Item{{"size", 7}}));
}

TEST(ProjectionTest, NestedMapsKeepOnlySelectedKeys) {
  EXPECT_EQ(P("m.x"), (Item{{"m", Map{{"x", 1}}}}));
  EXPECT_EQ(P("m.y.z, m.x"), (Item{{"m", Map{{"x", 1}, {"y", Map{{"z", 2}}}}}}));
  EXPECT_EQ(P("m.nope"), Item{});
  EXPECT_EQ(P("m.x.deeper"), Item{});  // crossing a number selects nothing
  EXPECT_EQ(P("a.b"), Item{});
}

TEST(ProjectionTest, ListElementsAreCompactedInIndexOrder) {
  EXPECT_EQ(P("l[1]"), (Item{{"l", List{Map{{"q", 1}, {"r", 2}}}}}));
  EXPECT_EQ(P("l[2], l[0]"), (Item{{"l", List{"p", "s"}}}));
  EXPECT_EQ(P("l[1].r"), (Item{{"l", List{Map{{"r", 2}}}}}));
  EXPECT_EQ(P("l[3][1]"), (Item{{"l", List{List{5}}}}));
  EXPECT_EQ(P("l[9]"), Item{});
  EXPECT_EQ(P("l[9], l[0]"), (Item{{"l", List{"p"}}}));
  EXPECT_EQ(P("m.l[2], m.x"), (Item{{"m", Map{{"l", List{30}}, {"x", 1}}}}));
  EXPECT_EQ(P("m[0]"), Item{});  // index into a map
  EXPECT_EQ(P("l.x"), Item{});   // name into a list
}

TEST(ProjectionTest, ProjectPathsToleratesOverlaps) {
  ProjectionAst a = testing::MustProjection("m.y");
  ProjectionAst b = testing::MustProjection("m");
  std::vector<Path> paths = {a.paths[0], b.paths[0]};
  EXPECT_EQ(ProjectPaths(kItem, paths), (Item{{"m", kItem.at("m")}}));
}

}  // namespace
}  // namespace moe::ddbexpr
