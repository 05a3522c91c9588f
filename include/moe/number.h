// Number: a DynamoDB number, an exact decimal of up to 38 significant digits
// with magnitude from 1E-130 to 9.99...E+125. Never routed through double.
//
//   moe::Number a = 42;                          // from any integer
//   auto b = moe::Number::Parse("12.50");        // Result<Number>, validated
//   a.Compare(*b) < 0;  (*b).text() == "12.50";  (*b).Canonical() == "12.5"
//
// Rules:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
// Thread safety: a value type; const methods are thread-safe.
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "moe/result.h"

namespace moe {

class Number {
 public:
  Number() : text_("0") {}
  template <std::integral T>
  requires(!std::same_as<T, bool>) Number(T v)
      : text_(std::to_string(v)) {}  // NOLINT: implicit by design

  // Validates `text` by DynamoDB's rules and keeps it as written. Errors:
  // kValidation (not a number, more than 38 significant digits, overflow,
  // underflow), with DynamoDB's messages.
  static Result<Number> Parse(std::string_view text);

  // The shortest decimal that reads back as `v`. Errors: kValidation for NaN
  // and infinities, or a magnitude out of range.
  static Result<Number> FromDouble(double v);

  // The text as written (what goes on the wire).
  const std::string& text() const { return text_; }
  // Normalized form: no exponent, no leading or trailing zeros, "-" only for
  // non-zero values ("1.50E+2" -> "150"). This is how DynamoDB returns numbers.
  std::string Canonical() const;

  // Numeric comparison: -1, 0, 1. "1.0" equals "1".
  int Compare(const Number& other) const;
  friend bool operator==(const Number& a, const Number& b) { return a.Compare(b) == 0; }
  friend std::strong_ordering operator<=>(const Number& a, const Number& b) {
    return a.Compare(b) <=> 0;
  }

  // Exact sum and difference. Errors: kValidation when the result needs more
  // than 38 significant digits or leaves the magnitude range.
  Result<Number> Plus(const Number& other) const;
  Result<Number> Minus(const Number& other) const;

  // The value when it is an integer that fits, else nullopt.
  std::optional<int64_t> ToInt64() const;
  // Nearest double (for display and statistics only).
  double ToDouble() const;

  // Significant digits after trimming leading and trailing zeros (item-size
  // accounting: a number costs ceil(digits / 2) + 1 bytes).
  int SignificantDigits() const;

 private:
  explicit Number(std::string text, int /*trusted*/) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace moe
