#include "moe/number.h"

#include <gtest/gtest.h>

namespace moe {
namespace {

Number N(std::string_view s) {
  auto n = Number::Parse(s);
  EXPECT_TRUE(n) << s;
  return *n;
}

TEST(NumberTest, KeepsTextAndCanonicalizes) {
  EXPECT_EQ(N("12.50").text(), "12.50");
  EXPECT_EQ(N("12.50").Canonical(), "12.5");
  EXPECT_EQ(N("-0.000").Canonical(), "0");
  EXPECT_EQ(N("1.5E+2").Canonical(), "150");
  EXPECT_EQ(N("1e-3").Canonical(), "0.001");
  EXPECT_EQ(N("007").Canonical(), "7");
  EXPECT_EQ(N("+3").Canonical(), "3");
}

TEST(NumberTest, ThirtyEightDigitsAreExact) {
  const std::string big = "12345678901234567890123456789012345678";
  EXPECT_EQ(N(big).Canonical(), big);
  EXPECT_EQ(N("-0." + big).Canonical(), "-0." + big);
  auto sum = N(big).Plus(N("1"));
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->text(), "12345678901234567890123456789012345679");
}

TEST(NumberTest, RejectsWhatDynamoDbRejects) {
  EXPECT_EQ(Number::Parse("123456789012345678901234567890123456789").error().code(),
            ErrorCode::kValidation);
  EXPECT_FALSE(Number::Parse("abc"));
  EXPECT_FALSE(Number::Parse(""));
  EXPECT_FALSE(Number::Parse("1e"));
  EXPECT_FALSE(Number::Parse("1.2.3"));
  EXPECT_FALSE(Number::Parse("NaN"));
  EXPECT_TRUE(Number::Parse("9.9999999999999999999999999999999999999E+125"));
  EXPECT_FALSE(Number::Parse("1E+126"));
  EXPECT_TRUE(Number::Parse("1E-130"));
  EXPECT_FALSE(Number::Parse("1E-131"));
  EXPECT_TRUE(Number::Parse("0E+999"));  // zero has no magnitude
  // Trailing zeros are not significant digits.
  EXPECT_TRUE(Number::Parse("1000000000000000000000000000000000000000000"));
}

TEST(NumberTest, ComparesNumerically) {
  EXPECT_EQ(N("1.0"), N("1"));
  EXPECT_LT(N("2"), N("10"));
  EXPECT_LT(N("-10"), N("-2"));
  EXPECT_LT(N("-1"), N("0"));
  EXPECT_LT(N("0.001"), N("0.01"));
  EXPECT_GT(N("1e3"), N("999.999"));
  EXPECT_EQ(N("0"), N("-0"));
}

TEST(NumberTest, AddsAndSubtractsExactly) {
  EXPECT_EQ(N("0.1").Plus(N("0.2"))->text(), "0.3");
  EXPECT_EQ(N("5").Minus(N("7.5"))->text(), "-2.5");
  EXPECT_EQ(N("-5").Plus(N("5"))->text(), "0");
  EXPECT_EQ(N("99").Plus(N("1"))->text(), "100");
  EXPECT_EQ(N("1e2").Minus(N("1e-2"))->text(), "99.99");
  // 38 nines plus one needs 39 digits only if the result is not 1E38.
  EXPECT_EQ(N(std::string(38, '9')).Plus(N("1"))->Canonical(), "1" + std::string(38, '0'));
  EXPECT_FALSE(N(std::string(38, '9')).Plus(N("0.1")));
}

TEST(NumberTest, Conversions) {
  EXPECT_EQ(Number(42).text(), "42");
  EXPECT_EQ(Number(-9223372036854775807LL - 1).ToInt64(), -9223372036854775807LL - 1);
  EXPECT_EQ(N("1.5e1").ToInt64(), 15);
  EXPECT_EQ(N("1.5").ToInt64(), std::nullopt);
  EXPECT_EQ(N("1e30").ToInt64(), std::nullopt);
  EXPECT_DOUBLE_EQ(N("2.5").ToDouble(), 2.5);
  EXPECT_EQ(Number::FromDouble(0.1)->text(), "0.1");
  EXPECT_FALSE(Number::FromDouble(1.0 / 0.0));
  EXPECT_EQ(N("00123.4500").SignificantDigits(), 5);
}

}  // namespace
}  // namespace moe
