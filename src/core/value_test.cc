#include "moe/value.h"

#include <gtest/gtest.h>

namespace moe {
namespace {

TEST(ValueTest, BuildsEveryTypeFromNativeValues) {
  Item item{
      {"s", "text"},
      {"n", 42},
      {"u", uint64_t{18446744073709551615ULL}},
      {"b", Bytes{std::string("\0\1\2", 3)}},
      {"t", true},
      {"z", nullptr},
      {"l", List{1, "two", false}},
      {"m", Map{{"x", 1}}},
      {"ss", StringSet{"a", "b"}},
      {"ns", NumberSet{1, 2}},
      {"bs", BinarySet{Bytes{"x"}}},
  };
  EXPECT_EQ(item["s"].type(), Type::kS);
  EXPECT_EQ(item["n"].n().ToInt64(), 42);
  EXPECT_EQ(item["u"].n().text(), "18446744073709551615");
  EXPECT_EQ(item["b"].b().data.size(), 3u);
  EXPECT_TRUE(item["t"].boolean());
  EXPECT_EQ(item["z"].type(), Type::kNull);
  EXPECT_EQ(item["l"].l().size(), 3u);
  EXPECT_EQ(item["m"].m().at("x"), Value(1));
  EXPECT_EQ(item["ss"].ss().size(), 2u);
  EXPECT_EQ(item["ns"].type(), Type::kNS);
  EXPECT_EQ(item["bs"].type(), Type::kBS);
  EXPECT_EQ(item["s"].get_if<Number>(), nullptr);
  ASSERT_NE(item["s"].get_if<std::string>(), nullptr);
}

TEST(ValueTest, NumberSetIsNumeric) {
  NumberSet set{*Number::Parse("1.0"), 1};
  EXPECT_EQ(set.size(), 1u);
}

TEST(ValueTest, EqualityIsDeepAndTyped) {
  EXPECT_EQ(Value(List{1, Map{{"a", "b"}}}), Value(List{1, Map{{"a", "b"}}}));
  EXPECT_NE(Value("1"), Value(1));
  EXPECT_EQ(Value(*Number::Parse("1.00")), Value(1));
  EXPECT_NE(Value(Bytes{"a"}), Value("a"));
}

TEST(ValueTest, ItemSizeFollowsDynamoDbRules) {
  // Name bytes + value bytes.
  EXPECT_EQ(ItemSize(Item{{"ab", "cde"}}), 5u);
  // Numbers: ceil(digits / 2) + 1.
  EXPECT_EQ(ItemSize(Item{{"n", 12345}}), 1u + 4u);
  EXPECT_EQ(ItemSize(Item{{"n", 100}}), 1u + 2u);
  EXPECT_EQ(ItemSize(Item{{"t", true}, {"z", nullptr}}), 4u);
  // Lists and maps: 3 bytes, plus 1 per element.
  EXPECT_EQ(ItemSize(Item{{"l", List{"ab", "c"}}}), 1u + 3u + 3u + 2u);
  EXPECT_EQ(ItemSize(Item{{"m", Map{{"k", "v"}}}}), 1u + 3u + 1u + 1u + 1u);
}

}  // namespace
}  // namespace moe
