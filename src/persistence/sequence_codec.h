// The Sequence strategy's stored form: ids, range keys, the metadata item
// and the digest of a sequence's items.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "moe/clock.h"
#include "moe/sequence.h"

namespace moe::persistence {

inline constexpr int kItemDigits = 10;   // n in "i.<id>.<n>"
inline constexpr int kTimeDigits = 16;   // µs since the epoch in an id
inline constexpr int kRandomDigits = 8;  // hex after the time in an id

// Metadata attributes.
inline constexpr std::string_view kCount = "count";
inline constexpr std::string_view kSavedAt = "saved_at";
inline constexpr std::string_view kDigest = "digest";
inline constexpr std::string_view kPayload = "payload";
// Set on the tombstone Clean leaves for an abandoned sequence.
inline constexpr std::string_view kAbandoned = "abandoned";

// "<16-digit µs>-<8 hex>".
std::string NewSequenceId(Clock::TimePoint created);
// The creation time of `id`, or nullopt when `id` is not a sequence id.
std::optional<Clock::TimePoint> SequenceIdTime(std::string_view id);

// "m." : the range-key prefix of every metadata item.
std::string MetadataPrefix();
// "i.<id>." : the range-key prefix of the items of sequence `id`.
std::string ItemsPrefix(std::string_view id);

struct ParsedRangeKey {
  int64_t n = 0;  // 0 for the metadata item
  std::string_view id;
};
std::optional<ParsedRangeKey> ParseSequenceRangeKey(std::string_view range_key);

// A sequence's digest is the sum (mod 2^64) of its items' ItemDigest, so
// items written by several runs or processes add up to the same digest.
// ItemDigest: FNV-1a over the item number and the item's DynamoDB JSON.
uint64_t ItemDigest(int64_t n, const Item& item);
std::string DigestText(uint64_t digest);

Item EncodeMetadata(const SequenceInfo& info, const internal::KeyAttributeNames& keys);
// kBadResponse naming what is wrong with a stored metadata item.
Result<SequenceInfo> DecodeMetadata(const Item& item, const internal::KeyAttributeNames& keys);
bool IsTombstone(const Item& item);

}  // namespace moe::persistence
