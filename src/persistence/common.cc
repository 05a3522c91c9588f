#include "persistence/common.h"

#include <random>

#include "moe/strategy.h"

namespace moe {
namespace internal {

Result<KeyAttributeNames> RequireKeys(std::string_view strategy, const FamilySpec& spec,
                                      ScalarAttributeType hash_type,
                                      ScalarAttributeType range_type) {
  auto fail = [&](const std::string& why) {
    return Error::InvalidArgument(std::string(strategy) + " strategy: family '" + spec.name +
                                  "' " + why);
  };
  KeyAttributeNames names;
  for (const KeySchemaElement& k : spec.key_schema) {
    (k.key_type == KeyType::kHash ? names.hash : names.range) = k.attribute_name;
  }
  if (names.hash.empty()) return fail("has no HASH key");
  if (names.range.empty()) return fail("needs a RANGE key");
  auto type_of = [&](const std::string& name) -> std::optional<ScalarAttributeType> {
    for (const AttributeDefinition& d : spec.attribute_definitions) {
      if (d.attribute_name == name) return d.attribute_type;
    }
    return std::nullopt;
  };
  auto tag = [](ScalarAttributeType t) {
    return t == ScalarAttributeType::kS ? "S" : t == ScalarAttributeType::kN ? "N" : "B";
  };
  if (type_of(names.hash) != hash_type) {
    return fail("needs a HASH key of type " + std::string(tag(hash_type)));
  }
  if (type_of(names.range) != range_type) {
    return fail("needs a RANGE key of type " + std::string(tag(range_type)));
  }
  return names;
}

}  // namespace internal

namespace persistence {

int64_t Micros(Clock::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

Clock::TimePoint FromMicros(int64_t micros) {
  return Clock::TimePoint(std::chrono::microseconds(micros));
}

std::string Padded(int64_t value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) >= width) return digits;
  return std::string(width - digits.size(), '0') + digits;
}

std::optional<int64_t> ParsePadded(std::string_view text, int width) {
  if (static_cast<int>(text.size()) != width) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsReserved(std::string_view name, const internal::KeyAttributeNames& keys) {
  return name == keys.hash || name == keys.range || name.starts_with("_moe");
}

std::optional<std::string> FirstReserved(const Item& item,
                                         const internal::KeyAttributeNames& keys) {
  for (const auto& [name, value] : item) {
    if (IsReserved(name, keys)) return name;
  }
  return std::nullopt;
}

Item WithoutReserved(Item item, const internal::KeyAttributeNames& keys) {
  std::erase_if(item, [&](const auto& kv) { return IsReserved(kv.first, keys); });
  return item;
}

std::string RandomHex(int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::mt19937_64 rng((static_cast<uint64_t>(device()) << 32) ^ device());
  std::string out;
  uint64_t bits = rng();
  for (int i = 0; i < digits; ++i) {
    if (i % 16 == 15) bits = rng();
    out.push_back(kHex[bits & 15]);
    bits >>= 4;
  }
  return out;
}

}  // namespace persistence
}  // namespace moe
