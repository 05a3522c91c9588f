// EngineImpl: the embedded DynamoDB-compatible engine behind moe::local::Engine.
//
// Locking (coarse, simple, deadlock-free):
//  - catalog_mu_ (shared_mutex) guards the table catalog `tables_`. Catalog
//    operations (CreateTable, DeleteTable, UpdateTable, UpdateTimeToLive)
//    take it exclusively, so they never run concurrently with an item
//    operation; every other operation holds it shared for its whole duration,
//    so a Table it found stays alive and keeps its schema until it returns.
//  - each table has its own mutex (TableEntry::mu) guarding its items and
//    indexes. Single-item operations, Query and Scan lock one table;
//    BatchGetItem/BatchWriteItem lock one table at a time (they are not
//    atomic, as in DynamoDB); TransactWriteItems/TransactGetItems lock every
//    table they touch in name order, which makes them all-or-nothing and
//    excludes deadlock; SweepExpired locks one table at a time.
//  - tokens_mu_ guards the idempotency tokens of TransactWriteItems; it is
//    never held while acquiring another lock.
//  Lock order: catalog_mu_ -> table mutexes in name order -> tokens_mu_.
//
// Storage: per table an ItemStore of items and one per index (item_store.h).
//
// The commit path: every committed change is a Mutation (journal.h). Commit()
// appends a group of mutations to the Journal and only then applies each
// through ApplyCommitted(), the one function that changes engine state; Open
// replays the journal through the same function. The journal is the
// in-memory MemoryJournal, or with EngineOptions::data_dir the write-ahead
// log of wal.h.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ddbexpr/ddbexpr.h"
#include "local/capacity.h"
#include "local/journal.h"
#include "local/partition_sim.h"
#include "local/storage.h"
#include "moe/local.h"
#include "moe/model.h"

namespace moe::local {

// One write of PutItem, UpdateItem, DeleteItem, BatchWriteItem or a
// transaction action, parsed and validated, ready to evaluate on a table.
struct PreparedWrite {
  enum class Kind : uint8_t { kPut, kUpdate, kDelete, kCheck };
  Kind kind = Kind::kPut;
  std::string table;
  Item key;   // the primary key attributes
  Item item;  // kPut: the whole item
  std::optional<ddbexpr::UpdateAst> update;
  std::optional<ddbexpr::ConditionAst> condition;
  ReturnValuesOnConditionCheckFailure on_failure = ReturnValuesOnConditionCheckFailure::kNone;
};

// The outcome of evaluating a PreparedWrite against the current item.
struct WriteOutcome {
  bool condition_failed = false;
  std::optional<Item> old_item;
  std::optional<Item> new_item;  // kPut, kUpdate
};

class EngineImpl final : public Engine {
 public:
  // `journal`: null keeps everything in memory (MemoryJournal).
  explicit EngineImpl(EngineOptions options, std::unique_ptr<Journal> journal = nullptr);
  ~EngineImpl() override;

  // Replays the journal and starts the TTL sweeper (real clock only).
  Status Start();

  Result<std::string> Handle(std::string_view operation, std::string_view body) override;
  void SweepExpired() override;
  SimulatorReport SimulatorMetrics() override;

 private:
  struct TableEntry {
    std::mutex mu;
    Table table;
  };
  struct TokenRecord {
    std::string request;  // the request as JSON, token cleared
    std::string response;
    Clock::TimePoint expires;
  };

  // tables.cc
  Result<std::string> CreateTable(std::string_view body);
  Result<std::string> DeleteTable(std::string_view body);
  Result<std::string> DescribeTable(std::string_view body);
  Result<std::string> ListTables(std::string_view body);
  Result<std::string> UpdateTable(std::string_view body);
  Result<std::string> UpdateTimeToLive(std::string_view body);
  Result<std::string> DescribeTimeToLive(std::string_view body);
  // items.cc
  Result<std::string> PutItem(std::string_view body);
  Result<std::string> GetItem(std::string_view body);
  Result<std::string> UpdateItem(std::string_view body);
  Result<std::string> DeleteItem(std::string_view body);
  // query_scan.cc
  Result<std::string> Query(std::string_view body);
  Result<std::string> Scan(std::string_view body);
  // batch.cc
  Result<std::string> BatchGetItem(std::string_view body);
  Result<std::string> BatchWriteItem(std::string_view body);
  // transact.cc
  Result<std::string> TransactWriteItems(std::string_view body);
  Result<std::string> TransactGetItems(std::string_view body);

  // Catalog lookups; the caller holds catalog_mu_ (either mode).
  // A table that exists (any status), or null.
  TableEntry* FindEntry(std::string_view name);
  // A table that accepts item operations: kResourceNotFound ("Requested
  // resource not found") when it is absent, CREATING or DELETING.
  Result<TableEntry*> ItemTable(std::string_view name);
  // Drops tables whose deletion finished. Caller holds catalog_mu_ exclusively.
  void PruneDeleted();

  // The commit path (see the file comment). The caller holds catalog_mu_
  // (exclusively for catalog mutations) and the mutexes of every table the
  // group touches.
  // Applying moves each mutation's item into storage (the journal has
  // already serialized it), so `group` is left with moved-from items.
  Status Commit(std::span<Mutation> group);
  void ApplyCommitted(Mutation& m);

  // snapshot.cc: compaction. MaybeCompact takes catalog_mu_ exclusively when
  // the journal asks for it; the caller holds no lock. DumpState feeds the
  // whole state to `sink`; the caller holds catalog_mu_ exclusively.
  void MaybeCompact();
  Status DumpState(SnapshotSink& sink);

  // items.cc: the write pipeline shared by every writing operation.
  // Binds a parsed write to its table: validates the key or item and the
  // key-attribute rules of updates.
  Status BindWrite(PreparedWrite& w, const Table& table) const;
  // Evaluates the condition and computes the new item (no state change). A
  // put's item moves from `w.item` into the outcome's new_item.
  Result<WriteOutcome> EvaluateWrite(PreparedWrite& w, const Table& table) const;
  // The mutation that commits `outcome` (nullopt for a no-op). The new item
  // moves into the mutation: outcome.new_item is left moved-from.
  static std::optional<Mutation> MutationFor(const PreparedWrite& w, WriteOutcome& outcome);
  // PutItem, UpdateItem and DeleteItem: under the table's lock, binds and
  // evaluates `w`, charges its capacity, and commits it; the outcome keeps
  // its new item only when `keep_new_item`. Errors: ConditionalCheckFailed
  // (with the old item when asked), validation, kIo.
  Result<WriteOutcome> ExecuteSingleWrite(PreparedWrite& w, ReturnConsumedCapacity rcc,
                                          std::optional<ConsumedCapacity>* consumed,
                                          bool keep_new_item = false);

  // throttling.cc: the partition simulator's hooks (partition_sim.h). The
  // caller holds the lock of the table. With simulation off they cost
  // nothing and never fail.
  // Charges a read of `units` to the partition of `hash` of the table (or of
  // the GSI `index`). Errors: the throttle (ThrottleError).
  Status SimulateRead(const Table& table, const IndexState* index, uint64_t hash, double units);
  // Charges one write: the table's units at the partition of `key`, each
  // GSI's at the partition of the item's index key.
  Status SimulateWrite(const Table& table, const Item& key, const CapacityMeter& meter,
                       const WriteOutcome& outcome);
  // The charges of one write, for requests that charge many writes at once.
  static void AppendWriteCharges(const Table& table, const Item& key, const CapacityMeter& meter,
                                 const WriteOutcome& outcome, size_t owner,
                                 std::vector<SimCharge>* out);
  // All or nothing (PartitionSimulator::Charge); empty when simulation is off.
  std::vector<SimThrottle> ChargeAll(std::span<const SimCharge> charges);
  // kProvisionedThroughputExceeded (provisioned) or kThrottling (on demand),
  // with DynamoDB's message and ThrottlingReasons. `throttles` is not empty.
  Error ThrottleError(std::span<const SimCharge> charges,
                      std::span<const SimThrottle> throttles) const;
  // A transaction's cancellation reason for `throttle`.
  static CancellationReason ThrottleCancellation(const Error& throttle);

  Clock& clock_;
  EngineOptions options_;
  std::unique_ptr<PartitionSimulator> sim_;  // null unless options_.simulate.enabled
  std::unique_ptr<Journal> journal_;

  std::shared_mutex catalog_mu_;
  std::map<std::string, std::unique_ptr<TableEntry>, std::less<>> tables_;
  std::atomic<uint64_t> next_table_id_{1};

  std::mutex tokens_mu_;
  std::map<std::string, TokenRecord, std::less<>> tokens_;

  std::mutex sweeper_mu_;
  std::condition_variable sweeper_cv_;
  bool stopping_ = false;
  std::thread sweeper_;
};

// Shared by the operation files.
// Parses a request body; maps a JSON-level failure to DynamoDB's errors.
template <typename Req>
Result<Req> ParseRequest(std::string_view body) {
  return Parse<Req>(body.empty() ? std::string_view("{}") : body);
}

// kConditionalCheckFailed, with the old item when `on_failure` asks for it.
Error ConditionFailed(const std::optional<Item>& old_item,
                      ReturnValuesOnConditionCheckFailure on_failure);

// Parses the condition of a write (absent: nullopt).
Result<std::optional<ddbexpr::ConditionAst>> ParseOptionalCondition(
    const std::optional<std::string>& text, ddbexpr::ExpressionKind kind,
    ddbexpr::PlaceholderTracker& tracker);

// "ExpressionAttributeNames can only be specified when using expressions".
Status CheckPlaceholdersWithoutExpressions(bool any_expression, const ExpressionNames& names,
                                           const ExpressionValues& values);

// Builds a PreparedWrite from the members every write request shares.
Result<PreparedWrite> PrepareWrite(PreparedWrite::Kind kind, std::string table, Item key_or_item,
                                   const std::optional<std::string>& update,
                                   const std::optional<std::string>& condition,
                                   const ExpressionNames& names, const ExpressionValues& values,
                                   ReturnValuesOnConditionCheckFailure on_failure);

// Parses a ProjectionExpression (absent: nullopt).
Result<std::optional<ddbexpr::ProjectionAst>> ParseOptionalProjection(
    const std::optional<std::string>& text, ddbexpr::PlaceholderTracker& tracker);

}  // namespace moe::local
