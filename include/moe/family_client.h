// Reading and writing a table family: mirrored writes to every copy of the
// write period, point reads newest period first, and queries merged across
// periods behind one token. The tables come from the registry (registry.h),
// re-read as it moves, so a process picks up a rotation without restarting.
//
//   moe::Registry registry(*client, {.environment = "moe_prod"});
//   MOE_TRY(auto events, moe::FamilyClient::Open(*client, registry, "events"));
//   MOE_TRY(moe::MirroredWrite w, events->Put({.item = item}));   // no table name
//   if (!w.all_written()) Log(w);          // failed copies are recorded for repair
//   MOE_TRY(moe::FamilyGet got, events->Get({.key = key}));
//   MOE_TRY(auto q, events->Query(query));     // a MergedQuery over the periods
//
// A family whose partition keys are write-sharded keeps its shard history in
// the registry (Registry::RaiseShards); the policy follows it:
//
//   MOE_TRY(auto history, events->Shards());
//   auto policy = moe::partitioning::NewRandomSuffixPolicy(history);
//   MOE_TRY_STATUS(events->SyncShards(*policy));         // before writing
//   item["pk"] = *policy->WriteKey("device#42", item);
//   MOE_TRY(auto q, events->ShardedQuery(query, *policy));  // periods x shards
//
// Every write through a FamilyClient carries a version attribute (options:
// version_attribute, microseconds of the clock) so that diff and repair can
// tell the newest copy of an item.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "moe/batch.h"
#include "moe/client.h"
#include "moe/merged_query.h"
#include "moe/registry.h"
#include "moe/sharding.h"

namespace moe {

// A change made to copy 1 that a write-behind journal delivers to the other
// copies later (MirrorMode::kWriteBehind).
struct MirroredChange {
  std::string family;
  PeriodIndex period;
  std::string primary_table;               // copy 1, already written
  std::vector<std::string> mirror_tables;  // copies 2..n, to be written
  Item key;
  std::optional<Item> new_image;  // the whole item after the write; nullopt: deleted
};

// The seam the mirror module's journal (KinesisFamilyJournal) fills. Append returns once the
// change is durable in the journal; an error means it is not, and the write
// is reported as not mirrored (and recorded for repair).
class MirrorJournal {
 public:
  virtual ~MirrorJournal() = default;
  virtual Status Append(const MirroredChange& change) = 0;
};

struct FamilyClientOptions {
  // Re-read the registry at least this often. Default: 60 s (keep it equal
  // to the registry's refresh_interval, which the drop grace assumes).
  std::chrono::milliseconds refresh_interval{60'000};
  // Near a period boundary (within this of the write period's end, by this
  // host's clock) the registry is re-read at most every boundary_poll, so
  // the process switches soon after a rotator flips the epoch. Defaults:
  // 30 s and 1 s.
  std::chrono::milliseconds skew_bound{30'000};
  std::chrono::milliseconds boundary_poll{1'000};
  // The attribute every write sets to the clock's microseconds; newest wins
  // in repair. Default: "_moe_ts".
  std::string version_attribute = "_moe_ts";
  // Time for versions and refreshes. Default: the client's clock. Borrowed.
  Clock* clock = nullptr;
  // Required for MirrorMode::kWriteBehind; borrowed. Default: none.
  MirrorJournal* journal = nullptr;
  // Passed to the batch engine for BatchWrite. Default: its defaults.
  BatchOptions batch;
};

// What happened to one copy of a write.
struct CopyOutcome {
  std::string table;
  std::optional<Error> error;  // nullopt: written (or, write-behind, journaled)
};

struct MirroredWrite {
  std::vector<CopyOutcome> copies;  // copy 1 first
  // Every failed copy has a repair record in the registry (true when none
  // failed). False means the record could not be stored either: the caller
  // holds the only trace of the divergence.
  bool repair_recorded = true;
  // Copy 1's ReturnValues attributes, when asked for.
  std::optional<Item> attributes;

  bool all_written() const;
  bool primary_written() const { return !copies.empty() && !copies[0].error; }
};

struct MirroredBatch {
  // Per copy, what the batch engine did; failed[] entries keep their request.
  // Write-behind: copy 1 only (the journal delivers to the others).
  std::vector<BatchWriteResult> copies;
  // Write-behind: entries written to copy 1 and appended to the journal.
  size_t journaled = 0;
  // Entries that failed on some copy but not on copy 1, recorded for repair.
  size_t repairs_recorded = 0;
  // Of those, the ones whose record could not be stored.
  size_t repairs_unrecorded = 0;
};

struct FamilyGet {
  std::optional<Item> item;  // nullopt: no period holds the key
  std::string table;         // where it was found
  // With read_all_copies: the copies of that period whose item differs from
  // copy 1's (missing, or another value).
  std::vector<std::string> disagreeing;
};

struct FamilyGetOptions {
  // Read every copy of the period where the item is found and report
  // copies that disagree. Default: false (copy 1, others only on error).
  bool read_all_copies = false;
};

class FamilyClient {
 public:
  // Loads the family's state. `client` and `registry` are borrowed.
  // Errors: Registry::Load's; kInvalidArgument when the family has not been
  // rotated yet (no write period: run `moe family rotate`).
  static Result<std::unique_ptr<FamilyClient>> Open(DynamoDbClient& client, Registry& registry,
                                                    std::string family,
                                                    FamilyClientOptions options = {});

  // The registry state in use, re-read when due (see options). Returns no
  // error today: a due re-read that fails leaves the last state in use.
  Result<FamilyState> State();
  // Re-reads the registry now. Errors: Registry::Load's.
  Status Refresh();

  // Writes to every copy of the write period, by the family's mirror mode.
  // The request's table_name must be empty. The result says per copy what
  // happened; a copy that missed the write is recorded for repair. A write
  // with a condition is decided by copy 1: the other copies then take copy
  // 1's new item (or deletion) unconditionally. Delete also removes the key
  // from the older read periods, so no older version shows through.
  // Errors (nothing was written anywhere): the service's (e.g.
  // kConditionalCheckFailed from copy 1; kTransactionCanceled in
  // kTransactional mode, which writes all copies or none), kInvalidArgument
  // (a table name set, write-behind without a journal, #moe_v/:moe_v used),
  // the registry's.
  Result<MirroredWrite> Put(PutItemRequest request);
  Result<MirroredWrite> Update(UpdateItemRequest request);
  Result<MirroredWrite> Delete(DeleteItemRequest request);

  // Many writes through the batch engine, to every copy (concurrently);
  // in write-behind mode to copy 1, then one journal append per entry that
  // landed there. Writes that fail on a mirror (or whose append fails) but
  // landed on copy 1 are recorded for repair; failures on copy 1 are in
  // copies[0].failed. Errors: the batch engine's (a key schema that cannot
  // be read), the registry's, kInvalidArgument (write-behind without a
  // journal).
  Result<MirroredBatch> BatchWrite(std::vector<WriteRequest> writes);

  // The newest version of `key`: read periods newest first, first hit wins.
  // The request's table_name must be empty. Errors: the client's, when
  // every copy of a period fails.
  Result<FamilyGet> Get(GetItemRequest request, FamilyGetOptions options = {});

  // A query over every read period (newest first), merged by the table's
  // (or index's) range key behind one token. `options` may leave sort_key
  // and key_attributes empty (taken from the family's schema);
  // distinct_keys defaults to true here, so a key written in two periods
  // is returned once, newest version. Errors: MergedQuery::Start's.
  Result<std::unique_ptr<MergedQuery>> Query(QueryRequest request,
                                             std::optional<std::string_view> token = {},
                                             std::optional<MergedQueryOptions> options = {});

  // Sharded families. The shard history recorded in the registry, from the
  // state in use (re-read when due). Errors: kInvalidArgument when the
  // family has none (Registry::RaiseShards records it), State()'s.
  Result<partitioning::ShardHistory> Shards();
  // Brings `policy` up to the recorded shard history
  // (ShardingPolicy::Follow); a no-op when the family records none. Call
  // it before WriteKey so writes use the newest count. Errors: Follow's.
  Status SyncShards(partitioning::ShardingPolicy& policy);
  // Get of a logical key: the read periods newest first, in each every
  // shard the policy names (ShardedGetItem on copy 1, the next copy on
  // error); the first hit wins. The key's partition key attribute holds the
  // logical key (a string). Syncs the policy first. Errors: as Get, and
  // ShardedGetItem's.
  Result<FamilyGet> ShardedGet(GetItemRequest request, partitioning::ShardingPolicy& policy);
  // A query of a logical key over every read period and every shard ever
  // used (ShardedQueryRequests per period), merged behind one token as
  // Query does. The table's key only (no index_name). Syncs the policy
  // first. Errors: kInvalidArgument (an index, a key condition that does
  // not bind the partition key to a placeholder), MergedQuery::Start's.
  Result<std::unique_ptr<MergedQuery>> ShardedQuery(QueryRequest request,
                                                    partitioning::ShardingPolicy& policy,
                                                    std::optional<std::string_view> token = {},
                                                    std::optional<MergedQueryOptions> options = {});

  const std::string& family() const { return family_; }

 private:
  FamilyClient(DynamoDbClient& client, Registry& registry, std::string family,
               FamilyClientOptions options);
  using Microseconds = int64_t;
  Result<FamilyState> StateForWrite();
  template <typename Request>
  Result<MirroredWrite> Write(Request request, const FamilyState& state, Item key,
                              const std::string& op);
  Microseconds VersionNow() const;
  bool RecordFailures(const FamilyState& state, const Item& key, const std::string& op,
                      MirroredWrite& result);
  void JournalBatch(const FamilyState& state, const std::vector<WriteRequest>& writes,
                    MirroredBatch& out);
  // Get's walk: read periods newest first, copy 1 then the next on error,
  // each table read through `get`.
  Result<FamilyGet> GetNewestFirst(
      GetItemRequest request, const FamilyState& state, bool read_all_copies,
      const std::function<Result<GetItemResponse>(const GetItemRequest&)>& get);

  DynamoDbClient& client_;
  Registry& registry_;
  std::string family_;
  FamilyClientOptions options_;
  Clock* clock_;

  std::mutex mu_;
  std::optional<FamilyState> state_;
  Clock::Duration loaded_at_{};
};

}  // namespace moe
