// Value and Item: every DynamoDB attribute type, built from native C++ values.
//
//   moe::Item item{
//       {"pk", "user#42"},                       // S
//       {"count", 7},                            // N (exact; any integer type)
//       {"price", *moe::Number::Parse("9.99")},  // N from text
//       {"avatar", moe::Bytes{"\x89PNG"}},       // B
//       {"active", true},                        // BOOL
//       {"gone", nullptr},                       // NULL
//       {"tags", moe::StringSet{"a", "b"}},      // SS (NumberSet, BinarySet too)
//       {"path", moe::List{1, "two", moe::Map{{"three", 3}}}},  // L, M
//   };
//   item["count"].n().ToInt64();   // 7
//
// Doubles are not accepted implicitly (they would be rounded); use
// Number::FromDouble or Number::Parse.
// Thread safety: value types; const methods are thread-safe.
#pragma once

#include <cassert>
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "moe/number.h"
#include "moe/result.h"

namespace moe {

// Raw bytes of a B attribute (base64 only on the wire).
struct Bytes {
  std::string data;
  Bytes() = default;
  explicit Bytes(std::string d) : data(std::move(d)) {}
  explicit Bytes(std::string_view d) : data(d) {}
  explicit Bytes(const char* d) : data(d) {}
  friend auto operator<=>(const Bytes&, const Bytes&) = default;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

struct Null {
  friend bool operator==(Null, Null) { return true; }
};

class Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value, std::less<>>;
// Sets hold no duplicates; NumberSet compares numerically ("1.0" == "1").
using StringSet = std::set<std::string, std::less<>>;
using NumberSet = std::set<Number>;
using BinarySet = std::set<Bytes>;
// An item is a map of top-level attributes.
using Item = Map;

// The DynamoDB type tags, in variant order.
enum class Type : uint8_t { kS, kN, kB, kBool, kNull, kL, kM, kSS, kNS, kBS };

// "S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS".
std::string_view TypeTag(Type type);

class Value {
 public:
  Value() : v_(Null{}) {}
  Value(std::nullptr_t) : v_(Null{}) {}                               // NOLINT
  Value(Null) : v_(Null{}) {}                                         // NOLINT
  Value(const char* s) : v_(std::in_place_index<0>, s) {}             // NOLINT
  Value(std::string s) : v_(std::in_place_index<0>, std::move(s)) {}  // NOLINT
  Value(std::string_view s) : v_(std::in_place_index<0>, s) {}        // NOLINT
  Value(Number n) : v_(std::move(n)) {}                               // NOLINT
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Value(T n)
      : v_(Number(n)) {}                    // NOLINT
  Value(bool b) : v_(b) {}                  // NOLINT
  Value(Bytes b) : v_(std::move(b)) {}      // NOLINT
  Value(List l) : v_(std::move(l)) {}       // NOLINT
  Value(Map m) : v_(std::move(m)) {}        // NOLINT
  Value(StringSet s) : v_(std::move(s)) {}  // NOLINT
  Value(NumberSet s) : v_(std::move(s)) {}  // NOLINT
  Value(BinarySet s) : v_(std::move(s)) {}  // NOLINT
  Value(double) = delete;                   // would round; use Number::FromDouble
  Value(float) = delete;

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is(Type t) const { return type() == t; }

  // Typed access. Precondition: the value has that type (asserted).
  const std::string& s() const { return Get<std::string>(); }
  const Number& n() const { return Get<Number>(); }
  const Bytes& b() const { return Get<Bytes>(); }
  bool boolean() const { return Get<bool>(); }
  const List& l() const { return Get<List>(); }
  const Map& m() const { return Get<Map>(); }
  const StringSet& ss() const { return Get<StringSet>(); }
  const NumberSet& ns() const { return Get<NumberSet>(); }
  const BinarySet& bs() const { return Get<BinarySet>(); }
  List& l() { return GetMut<List>(); }
  Map& m() { return GetMut<Map>(); }

  // Typed access that tolerates a mismatch: null when the type differs.
  template <typename T>
  const T* get_if() const {
    return std::get_if<T>(&v_);
  }

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  template <typename T>
  const T& Get() const {
    assert(std::holds_alternative<T>(v_));
    return *std::get_if<T>(&v_);
  }
  template <typename T>
  T& GetMut() {
    assert(std::holds_alternative<T>(v_));
    return *std::get_if<T>(&v_);
  }

  std::variant<std::string, Number, Bytes, bool, Null, List, Map, StringSet, NumberSet, BinarySet>
      v_;
};

// DynamoDB's size of one attribute value and of a whole item, by its rules:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
size_t ValueSize(const Value& v);
size_t ItemSize(const Item& item);

// A transaction's per-action cancellation reason (TransactionCanceledException).
struct CancellationReason {
  std::string code;  // "None", "ConditionalCheckFailed", ...
  std::string message;
  std::optional<Item> item;
};

// Why a request was throttled and which table or index ARN was throttled
// (ProvisionedThroughputExceededException, ThrottlingException,
// RequestLimitExceeded). `reason` is ResourceType+OperationType+LimitType,
// e.g. "TableWriteKeyRangeThroughputExceeded":
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html
struct ThrottlingReason {
  std::string reason;
  std::string resource;
  friend bool operator==(const ThrottlingReason&, const ThrottlingReason&) = default;
};

struct ErrorDetail {
  std::optional<Item> item;  // ConditionalCheckFailed with ALL_OLD on failure
  std::vector<CancellationReason> cancellation_reasons;
  std::vector<ThrottlingReason> throttling_reasons;
};

}  // namespace moe
