// Write sharding: spreading one logical partition key over several physical
// ones ("user#7" -> "user#7#3") so that a hot key's traffic lands on many
// DynamoDB partitions instead of one, and reading it back from all of them.
//
// A ShardingPolicy maps a logical key to the physical key of one write and
// enumerates the physical keys a read must visit. Three policies:
//   random      suffix drawn uniformly per write; reads visit every shard.
//   calculated  suffix = hash(attribute) mod shards (the sort key, or any
//               attribute); a GetItem that knows the attribute visits one
//               shard per shard count ever used.
//   time        suffix = (time / bucket) mod shards, the time taken from an
//               attribute (epoch seconds) or the clock; consecutive time
//               buckets rotate over the shards.
// The shard count is part of the policy's state (ShardHistory): raising it
// adds a generation, and reads cover every shard count ever used, so old
// items stay reachable. Store ShardHistory::ToString() next to the table
// and restore it with Parse; a table family keeps it in its registry record
// (Registry::RaiseShards, FamilyClient::SyncShards in moe/family_client.h).
//
//   auto policy = moe::partitioning::NewRandomSuffixPolicy(
//       moe::partitioning::ShardHistory(8), /*seed=*/0);
//   std::string physical = *policy->WriteKey("user#7", item);    // "user#7#5"
//   for (const std::string& k : policy->AllKeys("user#7")) ...   // 8 keys
//
// Sharded reads through a client: ShardedGetItem (below) tries the shards a
// point read may need, concurrently; ShardedQuery reads a logical key from
// every shard, merged in sort-key order behind one pagination token
// (moe/merged_query.h).
//
// Thread safety: policies are safe for concurrent use; RaiseShardCount may
// run while other threads write and read.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "moe/client.h"
#include "moe/clock.h"
#include "moe/merged_query.h"
#include "moe/model.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::partitioning {

// One shard count and the time from which writes used it.
struct ShardGeneration {
  int shard_count = 1;
  int64_t since_unix_seconds = 0;
  friend bool operator==(const ShardGeneration&, const ShardGeneration&) = default;
};

// The shard counts a policy has ever used, oldest first. Counts only grow.
class ShardHistory {
 public:
  // One generation of `shard_count` shards, in use since the epoch.
  explicit ShardHistory(int shard_count = 1);

  // Adds a generation of `shard_count` shards used from `since`. Errors:
  // kInvalidArgument (not larger than the current count, more than 10,000
  // shards, or `since` before the current generation's start); not retryable.
  Status Raise(int shard_count, int64_t since_unix_seconds);

  int current() const { return generations_.back().shard_count; }
  // The largest count ever used: suffixes 0..max()-1 cover every shard.
  int max() const { return current(); }
  // The count in use at `unix_seconds`.
  int CountAt(int64_t unix_seconds) const;
  const std::vector<ShardGeneration>& generations() const { return generations_; }

  // "4@0,8@1764000000": count@since per generation.
  std::string ToString() const;
  // Reverse of ToString. Errors: kInvalidArgument (malformed, counts not
  // increasing, times not ascending); not retryable.
  static Result<ShardHistory> Parse(std::string_view text);

  friend bool operator==(const ShardHistory&, const ShardHistory&) = default;

 private:
  std::vector<ShardGeneration> generations_;
};

class ShardingPolicy {
 public:
  virtual ~ShardingPolicy() = default;

  // "random", "calculated" or "time".
  virtual std::string_view name() const = 0;

  // The physical key for writing `item` under `logical_key`. Errors:
  // kInvalidArgument when the policy needs an attribute that `item` lacks
  // or has in an unusable type; not retryable.
  virtual Result<std::string> WriteKey(std::string_view logical_key, const Item& item) const = 0;

  // The physical keys that may hold the item whose attributes (besides the
  // partition key) include `known`; newest generation first, no repeats.
  // Every shard when `known` does not pin the item down.
  virtual std::vector<std::string> PointReadKeys(std::string_view logical_key,
                                                 const Item& known) const = 0;

  // Every physical key that may hold items of `logical_key` (suffixes
  // 0..max-1 over all generations).
  std::vector<std::string> AllKeys(std::string_view logical_key) const;

  // The logical key of a physical one ("user#7#3" -> "user#7"); the input
  // unchanged when it has no shard suffix.
  std::string_view LogicalKey(std::string_view physical_key) const;

  // Raises the shard count for writes from `since` on. Errors: as
  // ShardHistory::Raise.
  Status RaiseShardCount(int shard_count, int64_t since_unix_seconds);
  // Brings the policy up to `recorded`, a history kept elsewhere (a table
  // family's registry record, Registry::RaiseShards): adds the generations
  // it lacks; nothing when it already has them all. Errors:
  // kInvalidArgument when the two disagree on a generation both have (not
  // the same key space's history); not retryable.
  Status Follow(const ShardHistory& recorded);
  ShardHistory history() const;

 protected:
  ShardingPolicy(ShardHistory history, std::string separator)
      : history_(std::move(history)), separator_(std::move(separator)) {}
  std::string Physical(std::string_view logical_key, int suffix) const;

  mutable std::mutex mu_;  // guards history_
  ShardHistory history_;
  const std::string separator_;
};

// Options shared by the policies.
struct PolicyOptions {
  // Between the logical key and the suffix. Default: "#".
  std::string separator = "#";
};

// Suffix drawn per write from a seeded generator. `seed` 0 seeds from
// std::random_device.
std::unique_ptr<ShardingPolicy> NewRandomSuffixPolicy(ShardHistory history, uint64_t seed = 0,
                                                      PolicyOptions options = {});

// Suffix = Fnv1a64(canonical text of item[attribute]) mod shard count, with
// the count in effect now (`clock`). `attribute` is usually the sort key.
std::unique_ptr<ShardingPolicy> NewCalculatedSuffixPolicy(ShardHistory history,
                                                          std::string attribute, Clock& clock,
                                                          PolicyOptions options = {});

// Suffix = floor(t / bucket) mod count-at-t, where t is item[attribute] in
// epoch seconds (a number), or the clock's time when `attribute` is empty.
std::unique_ptr<ShardingPolicy> NewTimeBucketPolicy(ShardHistory history,
                                                    std::chrono::seconds bucket,
                                                    std::string attribute, Clock& clock,
                                                    PolicyOptions options = {});

// A stable 64-bit hash (FNV-1a with a final avalanche); the same on every
// platform and release, so suffixes computed today are found tomorrow.
uint64_t StableHash(std::string_view bytes);
// The text a key attribute is hashed and tracked by: S as is, N canonical,
// B base64. Empty for other types.
std::string KeyText(const Value& value);

// ------------------------------------------------------------ sharded reads

// Reads the item whose logical partition key is request.key[hash_key] (a
// string) from every shard it may be on (policy.PointReadKeys, concurrently)
// and returns the newest generation's hit, or a response without an item.
// The returned item's partition key is the physical one. Errors:
// kInvalidArgument (no string hash_key in the key); else the first failing
// GetItem's error (retryable as it says).
Result<GetItemResponse> ShardedGetItem(DynamoDbClient& client, const ShardingPolicy& policy,
                                       const GetItemRequest& request,
                                       const std::string& hash_key);

// One Query per physical key of the logical key in `request`'s key
// condition: `request` must compare the partition key with a placeholder
// value (`#pk = :pk` or `pk = :pk`), which each copy binds to one physical
// key. Merge their pages in sort-key order to read the logical key.
// Errors: kInvalidArgument when the key condition binds `hash_key` to no
// string placeholder; not retryable.
Result<std::vector<QueryRequest>> ShardedQueryRequests(const ShardingPolicy& policy,
                                                       const QueryRequest& request,
                                                       const std::string& hash_key);

// Reads the logical key of `request` (as for ShardedQueryRequests) from
// every shard, merged in sort-key order behind one resumable token.
// `options.key_attributes` must include `hash_key`. A token stays valid while
// the shard count does; after a raise the sources differ and Start refuses
// the old token (kInvalidArgument): restart the read. Errors: those of
// ShardedQueryRequests and MergedQuery::Start; not retryable.
Result<std::unique_ptr<MergedQuery>> ShardedQuery(DynamoDbClient& client,
                                                  const ShardingPolicy& policy,
                                                  const QueryRequest& request,
                                                  const std::string& hash_key,
                                                  MergedQueryOptions options,
                                                  std::optional<std::string_view> token = {});

}  // namespace moe::partitioning
