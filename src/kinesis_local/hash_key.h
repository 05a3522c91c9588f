// Kinesis hash keys: 128-bit unsigned integers written in decimal. A record's
// hash key is the MD5 of its partition key read as a big-endian integer; a
// stream's shards split [0, 2^128) into equal, contiguous ranges.
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
// Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace moe::kinesis::internal {

using HashKey = unsigned __int128;

// MD5(partition_key) as a big-endian 128-bit integer.
HashKey HashOfPartitionKey(std::string_view partition_key);

// Decimal text, and back (nullopt for anything but 1 to 39 digits within range).
std::string HashKeyToString(HashKey key);
std::optional<HashKey> HashKeyFromString(std::string_view text);

// The first hash key of shard `index` of `count` (equal ranges); the last
// shard ends at 2^128 - 1.
HashKey ShardStart(int index, int count);
HashKey ShardEnd(int index, int count);

}  // namespace moe::kinesis::internal
