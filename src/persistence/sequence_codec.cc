#include "persistence/sequence_codec.h"

#include "moe/json.h"
#include "persistence/common.h"

namespace moe {

std::string SequenceRangeKey(int64_t n, std::string_view id) {
  if (n == 0) return persistence::MetadataPrefix() + std::string(id);
  return persistence::ItemsPrefix(id) + persistence::Padded(n, persistence::kItemDigits);
}

namespace persistence {

std::string NewSequenceId(Clock::TimePoint created) {
  return Padded(Micros(created), kTimeDigits) + "-" + RandomHex(kRandomDigits);
}

std::optional<Clock::TimePoint> SequenceIdTime(std::string_view id) {
  if (id.size() != kTimeDigits + 1 + kRandomDigits || id[kTimeDigits] != '-') return std::nullopt;
  for (char c : id.substr(kTimeDigits + 1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  auto micros = ParsePadded(id.substr(0, kTimeDigits), kTimeDigits);
  if (!micros) return std::nullopt;
  return FromMicros(*micros);
}

std::string MetadataPrefix() { return "m."; }

std::string ItemsPrefix(std::string_view id) { return "i." + std::string(id) + "."; }

std::optional<ParsedRangeKey> ParseSequenceRangeKey(std::string_view range_key) {
  constexpr size_t kIdSize = kTimeDigits + 1 + kRandomDigits;
  if (range_key.starts_with("m.")) {
    std::string_view id = range_key.substr(2);
    if (!SequenceIdTime(id)) return std::nullopt;
    return ParsedRangeKey{0, id};
  }
  if (!range_key.starts_with("i.") || range_key.size() != 2 + kIdSize + 1 + kItemDigits ||
      range_key[2 + kIdSize] != '.') {
    return std::nullopt;
  }
  std::string_view id = range_key.substr(2, kIdSize);
  auto n = ParsePadded(range_key.substr(2 + kIdSize + 1), kItemDigits);
  if (!SequenceIdTime(id) || !n || *n == 0) return std::nullopt;
  return ParsedRangeKey{*n, id};
}

uint64_t ItemDigest(int64_t n, const Item& item) {
  uint64_t digest = 14695981039346656037ull;
  auto mix = [&](unsigned char c) {
    digest ^= c;
    digest *= 1099511628211ull;
  };
  for (char c : Padded(n, kItemDigits) + ":") mix(static_cast<unsigned char>(c));
  for (char c : ToDynamoJson(item)) mix(static_cast<unsigned char>(c));
  return digest;
}

std::string DigestText(uint64_t digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, digest >>= 4) out[i] = kHex[digest & 15];
  return out;
}

Item EncodeMetadata(const SequenceInfo& info, const internal::KeyAttributeNames& keys) {
  return {{keys.hash, info.owner},
          {keys.range, SequenceRangeKey(0, info.id)},
          {std::string(kCount), info.count},
          {std::string(kSavedAt), Micros(info.saved_at)},
          {std::string(kDigest), info.digest},
          {std::string(kPayload), info.payload}};
}

bool IsTombstone(const Item& item) { return item.contains(kAbandoned); }

Result<SequenceInfo> DecodeMetadata(const Item& item, const internal::KeyAttributeNames& keys) {
  auto bad = [](const std::string& why) { return Error::BadResponse("sequence metadata: " + why); };
  auto get = [&](std::string_view name, Type type) -> const Value* {
    auto it = item.find(name);
    return it != item.end() && it->second.is(type) ? &it->second : nullptr;
  };
  const Value* owner = get(keys.hash, Type::kS);
  const Value* range = get(keys.range, Type::kS);
  if (owner == nullptr || range == nullptr) return bad("key attributes missing");
  auto parsed = ParseSequenceRangeKey(range->s());
  if (!parsed || parsed->n != 0) return bad("range key '" + range->s() + "' is not a metadata key");
  const Value* count = get(kCount, Type::kN);
  const Value* saved_at = get(kSavedAt, Type::kN);
  const Value* digest = get(kDigest, Type::kS);
  const Value* payload = get(kPayload, Type::kM);
  if (count == nullptr || saved_at == nullptr || digest == nullptr || payload == nullptr) {
    return bad("'" + range->s() + "' lacks count, saved_at, digest or payload");
  }
  auto n = count->n().ToInt64();
  auto at = saved_at->n().ToInt64();
  if (!n || !at || *n < 0) return bad("'" + range->s() + "' has a bad count or saved_at");
  SequenceInfo info{.owner = owner->s(),
                    .id = std::string(parsed->id),
                    .count = *n,
                    .created_at = *SequenceIdTime(parsed->id),
                    .saved_at = FromMicros(*at),
                    .payload = payload->m(),
                    .digest = digest->s()};
  return info;
}

}  // namespace persistence
}  // namespace moe
