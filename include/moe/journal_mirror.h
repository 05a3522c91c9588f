// The journal mirror ("write-behind" mirror delivery): a write commits to the
// primary table and is appended to a Kinesis stream; a trickle consumer
// applies the stream to the mirror table at a capped write rate, so the
// mirror can be provisioned far below the primary. Protocol, guarantees and
// limits: docs/journal-mirror.md.
//
//   moe::mirror::JournalWriter writer(dynamo, kinesis,
//       {.primary_table = "users", .mirror_table = "users_mirror", .stream_name = "users_j"});
//   writer.Put({{"pk", "u#1"}, {"name", "Ada"}});     // primary, then the stream
//   writer.Delete({{"pk", "u#1"}});
//
//   moe::mirror::TrickleConsumer consumer(dynamo, kinesis,
//       {.stream_name = "users_j", .mirror_table = "users_mirror", .max_wcu = 25});
//   consumer.CreateLeaseTable();
//   for (;;) consumer.RunOnce();                         // lease, read, apply, checkpoint
//   auto lag = moe::mirror::MeasureLag(dynamo, kinesis, "users_j");
//
// Every change carries the item's full new image (or a delete) and a
// version that grows with each write of a key; the mirror takes a change
// only if its version is newer than what it holds (a conditional write), so
// replays after a crash or a takeover never roll an item back. Deletes leave
// a tombstone (key, version, `_moe_deleted`) in the mirror: readers of the
// mirror treat IsTombstone items as absent.
//
// Thread safety: JournalWriter is safe for concurrent use (writes of one key
// from several threads or processes are ordered by the version condition).
// A TrickleConsumer is not thread-safe (one thread runs its rounds); many
// consumers, in one process or many, share a stream through the lease table.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/batch.h"
#include "moe/client.h"
#include "moe/kinesis.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::mirror {

inline constexpr std::string_view kDefaultVersionAttribute = "_moe_version";
inline constexpr std::string_view kTombstoneAttribute = "_moe_deleted";
inline constexpr std::string_view kDefaultLeaseTable = "moe_mirror_leases";

// One change as it travels through the stream.
struct Change {
  std::string table;         // the primary table
  std::string mirror_table;  // where it is meant to land ("" when the writer did not say)
  Item key;
  int64_t version = 0;
  bool deleted = false;
  Item image;  // the full new item (version attribute included) unless `deleted`
  friend bool operator==(const Change&, const Change&) = default;
};

// The record data: {"v":1,"table":...,"mirror":...,"key":{DynamoDB JSON},
// "version":N,"op":"put"|"delete","image":{...}}. Decode errors:
// kValidation (not a change record).
std::string EncodeChange(const Change& change);
Result<Change> DecodeChange(std::string_view data);

// The stream partition key of an item key: its DynamoDB JSON, cut to
// Kinesis's 256 characters. Equal keys always map to the same partition key,
// so one key's changes share a shard and stay in order there.
std::string PartitionKeyFor(const Item& key);

// True for a mirror item that records a delete.
bool IsTombstone(const Item& item);

// ------------------------------------------------------------ writer

struct JournalWriterOptions {
  // The table written first. Required.
  std::string primary_table;
  // Recorded in each change for consumers and hooks. Default: "".
  std::string mirror_table;
  // The stream changes are appended to. Required.
  std::string stream_name;
  // Attribute holding the version on primary and mirror items. Default: "_moe_version".
  std::string version_attribute = std::string(kDefaultVersionAttribute);
  // The primary's key schema. Default: read once with DescribeTable.
  std::optional<KeyNames> key_names;
  // Concurrent writers of one key retry on a version conflict this often
  // before giving up with kConditionalCheckFailed. Default: 16.
  int max_conflict_retries = 16;
};

struct JournalWrite {
  int64_t version = 0;
  std::string shard_id;
  std::string sequence_number;
};

// Writes one table's changes through the journal: the primary under a version
// condition, then the stream. (Table families use MirrorJournal /
// KinesisFamilyJournal, moe/family_journal.h, for their write-behind mode.)
class JournalWriter {
 public:
  // Borrows both clients, which must outlive the writer.
  JournalWriter(DynamoDbClient& dynamo, KinesisClient& kinesis, JournalWriterOptions options);
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Writes `item` to the primary with the next version of its key
  // (max(previous + 1, now in microseconds), under a condition on the
  // previous version), then appends the change to the stream.
  // Errors: those of GetItem/PutItem on the primary (nothing written);
  // kConditionalCheckFailed after max_conflict_retries lost races; and, when
  // the primary write succeeded but the append failed after the Kinesis
  // client's retries, the Kinesis error with a message saying so: the
  // primary holds the write and the mirror will not see it until the key
  // is written again (retrying the same Put is safe).
  Result<JournalWrite> Put(Item item);
  // Deletes the item with `key` from the primary and journals the delete
  // (also when no item had the key). Errors: as for Put.
  Result<JournalWrite> Delete(const Item& key);

 private:
  Result<JournalWrite> Write(const Item& key, std::optional<Item> item);
  Result<const KeyNames*> Keys();

  DynamoDbClient& dynamo_;
  KinesisClient& kinesis_;
  const JournalWriterOptions options_;
  std::mutex keys_mu_;
  std::optional<KeyNames> key_names_;  // guarded by keys_mu_
};

// ------------------------------------------------------------ consumer

// Where a record was read.
struct RecordPosition {
  std::string shard_id;
  std::string sequence_number;
  double arrival = 0;  // ApproximateArrivalTimestamp, seconds since the epoch
};

struct TrickleOptions {
  // Required: the stream to read.
  std::string stream_name;
  // The table to apply changes to; records naming another mirror table are
  // skipped. Default: "" (each change goes to the mirror table it names, as
  // KinesisFamilyJournal writes them; changes naming none are skipped).
  std::string mirror_table;
  // Checkpoints and leases (hash key "lease", S). Default: "moe_mirror_leases".
  std::string lease_table = std::string(kDefaultLeaseTable);
  // This consumer's name in the lease table. Default: a random id.
  std::string consumer_id;
  // Write capacity the consumer may spend on the mirror per second (an
  // item of n bytes costs ceil(n / 1 KiB) WCU, a tombstone 1). Default: 0
  // (no cap).
  double max_wcu = 0;
  // Tokens the bucket holds (and starts with). Default: max_wcu (one second's worth).
  double burst_wcu = 0;
  // A lease not renewed for this long may be taken over. Renewals and
  // checkpoints happen at least every half of it while the consumer runs.
  // Default: 10 s.
  std::chrono::milliseconds lease_duration{10000};
  // Records per GetRecords. Default: 500.
  int batch_limit = 500;
  // Must match the writer's. Default: "_moe_version".
  std::string version_attribute = std::string(kDefaultVersionAttribute);
  // Called for every record after it is applied to the mirror (also for
  // changes the mirror rejected as older). An error stops the round at that
  // record without checkpointing the batch (as a crash would): the records
  // are read, applied and handed to the hook again later (at least once).
  // Default: empty (no hook).
  std::function<Status(const Change&, const RecordPosition&)> hook;
  // Default: the DynamoDB client's clock. Borrowed.
  Clock* clock = nullptr;
};

struct RoundStats {
  size_t shards_owned = 0;
  size_t records_read = 0;
  size_t applied = 0;  // written to the mirror
  size_t stale = 0;    // rejected: the mirror held this version or a newer one
};

struct ConsumerStats {
  uint64_t records_read = 0;
  uint64_t applied = 0;
  uint64_t stale = 0;
  uint64_t checkpoints = 0;
  uint64_t leases_taken = 0;
  uint64_t leases_lost = 0;
  double wcu_spent = 0;
  Clock::Duration rate_wait{0};  // time spent waiting for write capacity
};

class TrickleConsumer {
 public:
  // Borrows both clients, which must outlive the consumer.
  TrickleConsumer(DynamoDbClient& dynamo, KinesisClient& kinesis, TrickleOptions options);
  ~TrickleConsumer();
  TrickleConsumer(const TrickleConsumer&) = delete;
  TrickleConsumer& operator=(const TrickleConsumer&) = delete;

  // Creates the lease table (on-demand) when it does not exist and waits
  // until it is ACTIVE. Errors: those of CreateTable/DescribeTable.
  Status CreateLeaseTable();

  // One round: lists the shards, renews this consumer's leases and takes
  // free or expired ones, then reads one batch from each owned shard,
  // applies it to the mirror at the capped rate, calls the hook, and
  // checkpoints. Errors: the first failure of the round (other shards still
  // ran); retryable ones are worth another round.
  Result<RoundStats> RunOnce();

  // Rounds until one reads nothing and every shard is owned by this
  // consumer or a live other one, or `max_rounds` pass; between empty
  // rounds nothing sleeps. Returns the rounds run. Errors: as RunOnce.
  Result<int> RunUntilCaughtUp(int max_rounds = 1000000);

  // Gives up this consumer's leases (after its last checkpoint) so another
  // consumer can take them at once. Errors: those of UpdateItem.
  Status ReleaseLeases();

  const std::string& consumer_id() const;
  ConsumerStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// ------------------------------------------------------------ lag

struct ShardLag {
  std::string shard_id;
  std::string owner;       // "" when no consumer has held the lease
  std::string checkpoint;  // last applied sequence number ("" before the first)
  size_t records_behind = 0;
  double seconds_behind = 0;  // now minus the arrival of the oldest unapplied record
  bool capped = false;        // counting stopped at max_records
};

// How far the mirror is behind the stream, per shard: the records after each
// shard's checkpoint, counted by reading them (GetRecords), and the age of
// the oldest. Reads at most `max_records` per shard. `clock` defaults to the
// DynamoDB client's. A lease table that does not exist yet (no consumer has
// run) counts every record as behind. Errors: those of ListShards,
// GetShardIterator, GetRecords and GetItem on the lease table.
Result<std::vector<ShardLag>> MeasureLag(DynamoDbClient& dynamo, KinesisClient& kinesis,
                                         const std::string& stream,
                                         const std::string& lease_table =
                                             std::string(kDefaultLeaseTable),
                                         size_t max_records = 1000000, Clock* clock = nullptr);

}  // namespace moe::mirror
