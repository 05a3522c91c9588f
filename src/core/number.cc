#include "moe/number.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace moe {
namespace {

constexpr int kMaxDigits = 38;
// Value range: 1E-130 <= |x| < 1E+126.
constexpr int kMinExponent = -130;  // of the most significant digit
constexpr int kMaxExponent = 125;

// value = (negative ? -1 : 1) * digits * 10^exponent, digits without leading
// or trailing zeros; zero has empty digits.
struct Decimal {
  bool negative = false;
  std::string digits;
  int exponent = 0;

  bool zero() const { return digits.empty(); }
  // Power of ten of the most significant digit.
  int magnitude() const { return exponent + static_cast<int>(digits.size()) - 1; }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses a JSON-like decimal: [+-]digits[.digits][(e|E)[+-]digits]. Returns
// false on syntax errors. Does not check DynamoDB's limits.
bool ParseDecimal(std::string_view s, Decimal* out) {
  size_t i = 0;
  Decimal d;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    d.negative = s[i] == '-';
    ++i;
  }
  std::string mantissa;
  int frac_digits = 0;
  bool any_digit = false;
  bool seen_point = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      any_digit = true;
      if (!mantissa.empty() || c != '0') mantissa.push_back(c);
      if (seen_point) ++frac_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return false;
  long long exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
      exp_negative = s[i] == '-';
      ++i;
    }
    if (i == s.size()) return false;
    for (; i < s.size(); ++i) {
      if (!IsDigit(s[i])) return false;
      if (exp < 100000000) exp = exp * 10 + (s[i] - '0');
    }
    if (exp_negative) exp = -exp;
  }
  if (i != s.size()) return false;
  // Trailing zeros move into the exponent.
  size_t trailing = 0;
  while (trailing < mantissa.size() && mantissa[mantissa.size() - 1 - trailing] == '0') ++trailing;
  mantissa.resize(mantissa.size() - trailing);
  d.digits = std::move(mantissa);
  d.exponent = static_cast<int>(std::clamp<long long>(
      exp - frac_digits + static_cast<long long>(trailing), -1000000000LL, 1000000000LL));
  if (d.zero()) {
    d.negative = false;
    d.exponent = 0;
  }
  *out = std::move(d);
  return true;
}

Status CheckLimits(const Decimal& d) {
  if (d.zero()) return Ok();
  if (static_cast<int>(d.digits.size()) > kMaxDigits) {
    return Error::Validation("Attempting to store more than 38 significant digits in a Number");
  }
  if (d.magnitude() > kMaxExponent) {
    return Error::Validation(
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  }
  if (d.magnitude() < kMinExponent) {
    return Error::Validation(
        "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range");
  }
  return Ok();
}

Decimal MustParse(const std::string& text) {
  Decimal d;
  // Every Number holds text that parsed once; a failure here is a bug.
  [[maybe_unused]] bool ok = ParseDecimal(text, &d);
  assert(ok);
  return d;
}

std::string Format(const Decimal& d) {
  if (d.zero()) return "0";
  std::string out;
  if (d.negative) out.push_back('-');
  int n = static_cast<int>(d.digits.size());
  if (d.exponent >= 0) {
    out += d.digits;
    out.append(static_cast<size_t>(d.exponent), '0');
  } else if (-d.exponent >= n) {
    out += "0.";
    out.append(static_cast<size_t>(-d.exponent - n), '0');
    out += d.digits;
  } else {
    out.append(d.digits, 0, static_cast<size_t>(n + d.exponent));
    out.push_back('.');
    out.append(d.digits, static_cast<size_t>(n + d.exponent));
  }
  return out;
}

int CompareMagnitude(const Decimal& a, const Decimal& b) {
  if (a.zero() || b.zero()) return a.zero() == b.zero() ? 0 : (a.zero() ? -1 : 1);
  if (a.magnitude() != b.magnitude()) return a.magnitude() < b.magnitude() ? -1 : 1;
  // Same leading power: compare digit strings left-aligned.
  size_t n = std::max(a.digits.size(), b.digits.size());
  for (size_t i = 0; i < n; ++i) {
    char ca = i < a.digits.size() ? a.digits[i] : '0';
    char cb = i < b.digits.size() ? b.digits[i] : '0';
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return 0;
}

// Digits of |d| scaled to exponent `e` (e <= d.exponent), least significant first.
std::vector<int> Scaled(const Decimal& d, int e) {
  std::vector<int> out(static_cast<size_t>(d.exponent - e), 0);
  for (auto it = d.digits.rbegin(); it != d.digits.rend(); ++it) out.push_back(*it - '0');
  return out;
}

Decimal FromScaled(std::vector<int> v, int e, bool negative) {
  while (!v.empty() && v.back() == 0) v.pop_back();
  Decimal d;
  size_t lead = 0;
  while (lead < v.size() && v[lead] == 0) ++lead;
  for (size_t i = v.size(); i > lead; --i) d.digits.push_back(static_cast<char>('0' + v[i - 1]));
  d.exponent = e + static_cast<int>(lead);
  d.negative = negative && !d.digits.empty();
  if (d.digits.empty()) d.exponent = 0;
  return d;
}

Decimal AddDecimals(const Decimal& a, const Decimal& b) {
  if (a.zero()) return b;
  if (b.zero()) return a;
  int e = std::min(a.exponent, b.exponent);
  std::vector<int> x = Scaled(a, e), y = Scaled(b, e);
  if (a.negative == b.negative) {
    std::vector<int> sum(std::max(x.size(), y.size()) + 1, 0);
    int carry = 0;
    for (size_t i = 0; i < sum.size(); ++i) {
      int s = carry + (i < x.size() ? x[i] : 0) + (i < y.size() ? y[i] : 0);
      sum[i] = s % 10;
      carry = s / 10;
    }
    return FromScaled(std::move(sum), e, a.negative);
  }
  int cmp = CompareMagnitude(a, b);
  if (cmp == 0) return Decimal{};
  const std::vector<int>& big = cmp > 0 ? x : y;
  const std::vector<int>& small = cmp > 0 ? y : x;
  std::vector<int> diff(big.size(), 0);
  int borrow = 0;
  for (size_t i = 0; i < big.size(); ++i) {
    int s = big[i] - borrow - (i < small.size() ? small[i] : 0);
    borrow = s < 0;
    diff[i] = s < 0 ? s + 10 : s;
  }
  return FromScaled(std::move(diff), e, cmp > 0 ? a.negative : b.negative);
}

}  // namespace

namespace {

// Whether `text` is [+-]digits[.digits] in at most 38 characters: then it has
// at most 38 significant digits and a magnitude within 1E-37..1E+37, so it is
// valid without building the Decimal (the common case of numbers on the wire).
bool IsShortPlainDecimal(std::string_view text) {
  if (text.empty() || text.size() > static_cast<size_t>(kMaxDigits)) return false;
  size_t i = text[0] == '-' || text[0] == '+' ? 1 : 0;
  size_t int_start = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i == int_start) return false;
  if (i == text.size()) return true;
  if (text[i] != '.') return false;
  size_t frac_start = ++i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  return i == text.size() && i > frac_start;
}

}  // namespace

Result<Number> Number::Parse(std::string_view text) {
  if (IsShortPlainDecimal(text)) return Number(std::string(text), 0);
  Decimal d;
  if (!ParseDecimal(text, &d)) {
    return Error::Validation("The parameter cannot be converted to a numeric value: " +
                             std::string(text.substr(0, 64)));
  }
  MOE_TRY_STATUS(CheckLimits(d));
  return Number(std::string(text), 0);
}

Result<Number> Number::FromDouble(double v) {
  if (!std::isfinite(v))
    return Error::Validation("The parameter cannot be converted to a numeric value");
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc())
    return Error::Validation("The parameter cannot be converted to a numeric value");
  return Parse(std::string_view(buf, static_cast<size_t>(end - buf)));
}

std::string Number::Canonical() const { return Format(MustParse(text_)); }

int Number::Compare(const Number& other) const {
  if (text_ == other.text_) return 0;
  Decimal a = MustParse(text_), b = MustParse(other.text_);
  bool a_neg = a.negative && !a.zero(), b_neg = b.negative && !b.zero();
  if (a_neg != b_neg) return a_neg ? -1 : 1;
  int mag = CompareMagnitude(a, b);
  return a_neg ? -mag : mag;
}

Result<Number> Number::Plus(const Number& other) const {
  Decimal sum = AddDecimals(MustParse(text_), MustParse(other.text_));
  MOE_TRY_STATUS(CheckLimits(sum));
  return Number(Format(sum), 0);
}

Result<Number> Number::Minus(const Number& other) const {
  Decimal b = MustParse(other.text_);
  if (!b.zero()) b.negative = !b.negative;
  Decimal diff = AddDecimals(MustParse(text_), b);
  MOE_TRY_STATUS(CheckLimits(diff));
  return Number(Format(diff), 0);
}

std::optional<int64_t> Number::ToInt64() const {
  Decimal d = MustParse(text_);
  if (d.zero()) return 0;
  if (d.exponent < 0 || d.magnitude() > 18) return std::nullopt;
  std::string s = Format(d);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

double Number::ToDouble() const { return std::strtod(text_.c_str(), nullptr); }

int Number::SignificantDigits() const { return static_cast<int>(MustParse(text_).digits.size()); }

}  // namespace moe
