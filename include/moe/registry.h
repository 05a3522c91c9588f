// The family registry: which tables of a family are live, stored in DynamoDB
// itself so that many processes on many hosts agree, and the rotation that
// moves it forward. docs/registry.md gives the protocol and its guarantees.
//
//   moe::Registry registry(*client, {.environment = "moe_prod"});
//   MOE_TRY_STATUS(registry.EnsureTables());        // the manager tables
//   MOE_TRY(moe::FamilyState s, registry.Declare(spec));
//   MOE_TRY(moe::RotationReport r, registry.Rotate("events"));   // e.g. hourly, from cron
//   MOE_TRY(moe::FamilyState now, registry.Load("events"));
//   now.WriteTables();   // {"moe_prod_events_2026-11-25_1", "..._2"}
//
// The registry is one item per family in a manager table
// `<environment>_moe_registry_<copy>` (hash "family", range "entry"), kept in
// `copies` mirrored tables. It changes only by conditional writes carrying a
// version (compare-and-set on copy 1, then copied forward to the others), so
// racing rotators end with one state; table creation is idempotent by name.
// An epoch counts the changes of the write period: every writer that reads
// epoch e writes the same tables, whatever its own clock says. A family
// written through a sharding policy also keeps its shard history there
// (RaiseShards), so the shard count can be raised without losing old data.
//
// Thread safety: Registry is safe for concurrent use (it holds no mutable
// state besides the borrowed client, which is thread-safe).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/client.h"
#include "moe/clock.h"
#include "moe/family.h"
#include "moe/result.h"
#include "moe/sharding.h"

namespace moe {

// One family's registry record, decoded.
struct FamilyState {
  FamilySpec spec;
  int64_t version = 0;  // bumped by every change; the compare-and-set token
  int64_t epoch = 0;    // bumped each time the write period moves forward
  // The period every writer writes to at this epoch; nullopt until the first
  // rotation has created its tables.
  std::optional<PeriodIndex> write_period;
  // Periods whose tables exist and are ACTIVE, ascending: older ones kept by
  // retention, the write period, and pre-created ones after it.
  std::vector<PeriodIndex> periods;
  Clock::TimePoint updated_at{};
  // For a family whose partition keys are write-sharded (moe/sharding.h):
  // every shard count ever used and since when (Registry::RaiseShards).
  // nullopt when none is recorded.
  std::optional<partitioning::ShardHistory> shards;

  // The tables a write goes to, one per copy (copy 1 first); empty before
  // the first rotation.
  std::vector<std::string> WriteTables() const;
  // The periods a read covers, newest first: every live period up to and
  // including the write period (pre-created ones hold nothing yet).
  std::vector<PeriodIndex> ReadPeriods() const;
  // The tables of `period`, one per copy.
  std::vector<std::string> Tables(PeriodIndex period) const;

  friend bool operator==(const FamilyState&, const FamilyState&) = default;
};

// The registry item <-> FamilyState. Decoding validates everything it reads
// (spec, period texts, ordering, counters) and never trusts the stored form:
// errors are kBadResponse naming the first problem.
Item EncodeFamilyState(const FamilyState& state);
Result<FamilyState> DecodeFamilyState(const Item& item);

// A write that reached some copies of a family but not others, kept in the
// manager table until repair mends it (RepairPeriod in repair.h).
struct RepairRecord {
  std::string id;  // set by RecordRepair
  PeriodIndex period;
  std::string table;      // the copy that missed the write
  Item key;
  std::string operation;  // "put", "update", "delete", "batch-put", "batch-delete"
  std::string error;      // why the copy missed it
  Clock::TimePoint at{};
  friend bool operator==(const RepairRecord&, const RepairRecord&) = default;
};

struct RegistryOptions {
  // Prefix of the manager tables (and conventionally of the families').
  // Default: "" (tables "moe_registry_1", ...).
  std::string environment;
  // Mirrors of the manager table. Default: 2.
  int copies = 2;
  // Time for periods and rotation. Default: the client's clock. Borrowed.
  Clock* clock = nullptr;
  // The largest clock difference between hosts that the protocol tolerates:
  // a period past retention is dropped only this long (plus refresh) after
  // it left the read set, so a writer still on the previous epoch never
  // writes to a deleted table. Default: 30 s.
  std::chrono::milliseconds skew_bound{30'000};
  // How often a FamilyClient re-reads the registry away from a boundary;
  // part of the grace before a drop. Default: 60 s.
  std::chrono::milliseconds refresh_interval{60'000};
  // The most tables this account may hold in the region (all tables, not
  // only the family's); a rotation never creates past it. Default: 2,500
  // (AWS's default quota).
  int table_budget = 2500;
  // Waiting for a created table to become ACTIVE: limit and poll interval
  // (real time, through the client's clock). Defaults: 5 min, 100 ms.
  std::chrono::milliseconds wait_active{300'000};
  std::chrono::milliseconds poll{100};
};

struct RotateOptions {
  // Plan only: report what would change, change nothing. Default: false.
  bool dry_run = false;
  // Leave tables past retention in place (for an external archive) instead
  // of deleting them; they leave the registry either way. Default: false.
  bool archive = false;
  // Create and flip only; do not scale. Default: false.
  bool skip_scaling = false;
  // Garbage collection only (`moe family gc`): drop what is past retention
  // and its grace (including orphans a crashed rotation left), without
  // creating, flipping or scaling. Default: false.
  bool collect_only = false;
};

struct RotationReport {
  std::vector<std::string> created;   // tables created by this call
  std::vector<std::string> dropped;   // deleted (or, with archive, released)
  std::vector<std::string> scaled;    // capacity changed ("name: R/W" or "name: ON_DEMAND")
  bool registry_changed = false;      // this call wrote a new version
  bool epoch_flipped = false;         // ... that moved the write period
  FamilyState state;                  // the state after the call (or planned)
  // Problems that did not stop the rotation: the table budget, a mirror of
  // the registry that could not be written, an UpdateTable refused.
  std::vector<std::string> warnings;
};

class Registry {
 public:
  // `client` is borrowed and must outlive the registry.
  Registry(DynamoDbClient& client, RegistryOptions options = {});

  // The manager table name of `copy` (1-based).
  std::string TableName(int copy) const;

  // Creates the manager tables that do not exist and waits until they are
  // ACTIVE. Idempotent. Errors: the client's; kTimeout waiting.
  Status EnsureTables();

  // Registers `spec` (version 1, no tables yet), or updates the declaration
  // of an existing family. Changing the name, environment, key schema,
  // attribute definitions, indexes or period of a declared family is
  // refused (kInvalidArgument): its tables already have them. Copies,
  // retention, pre-creation, capacities and mirror mode may change; the next
  // rotation applies them. Errors: kInvalidArgument (invalid spec),
  // kResourceNotFound (manager tables missing: call EnsureTables), the
  // client's.
  Result<FamilyState> Declare(const FamilySpec& spec);

  // The family's current record (strongly consistent read of copy 1, or of
  // the next copy when copy 1 cannot be read). Errors: kResourceNotFound
  // (not declared), kBadResponse (a stored record that does not decode),
  // the client's.
  Result<FamilyState> Load(std::string_view family);

  // The names of every declared family, sorted. Errors: kResourceNotFound
  // (manager tables missing: call EnsureTables), the client's (a scan of
  // copy 1).
  Result<std::vector<std::string>> ListFamilies();

  // Moves the family to the clock's now: creates the live periods' missing
  // tables (pre-creation included) and waits until they are ACTIVE, then
  // writes the new state (flipping the epoch when the write period moves
  // forward; it never moves back, whatever this host's clock says), then
  // deletes tables past retention and their grace (skew_bound +
  // refresh_interval after they left), and scales tables to the current or
  // older capacity. Idempotent: a second call with nothing to do changes
  // nothing. Racing callers agree (compare-and-set; the loser re-plans).
  // Errors: kResourceNotFound (not declared), kLimitExceeded (the table
  // budget leaves no room for the write period's tables; nothing flipped),
  // kTimeout (a table did not become ACTIVE), kConditionalCheckFailed (lost
  // the race too many times; retry), the client's.
  Result<RotationReport> Rotate(std::string_view family, const RotateOptions& options = {});

  // Records that the family's partition keys are write-sharded over at
  // least `shard_count` shards (docs/partitioning.md), so that every process
  // reads and writes with the same shard history. With none recorded yet,
  // it records `shard_count` shards in use since the epoch. With a smaller
  // count recorded, it adds a generation of `shard_count` that starts
  // skew_bound + refresh_interval after the clock's now (rounded up to a
  // second): FamilyClients re-read the registry within that time, so no
  // writer that a reader trusts uses the new count before every reader
  // covers it; reads cover every count ever used at once, so nothing
  // written before is lost. A count at or below the recorded one changes
  // nothing and returns the state as it is, so racing raisers agree (and
  // the change itself is a compare-and-set, like every registry change).
  // Errors: kInvalidArgument (shard_count < 1 or > 10,000),
  // kResourceNotFound (not declared), kConditionalCheckFailed (lost the
  // race too many times; retry), the client's.
  Result<FamilyState> RaiseShards(std::string_view family, int shard_count);

  // Stores `record` (setting its id and time) in the first manager table
  // copy that accepts it. Errors: the client's when no copy does.
  Status RecordRepair(std::string_view family, RepairRecord& record);
  // The records not yet resolved, of one period or of all, oldest first,
  // from every copy of the manager table. Errors: the client's (when no copy
  // can be read), Load's.
  Result<std::vector<RepairRecord>> PendingRepairs(std::string_view family,
                                                   std::optional<PeriodIndex> period = {});
  // Removes a record from every copy. Idempotent. Errors: the client's
  // (the first copy that could not be written).
  Status ResolveRepair(std::string_view family, const std::string& id);

 private:
  DynamoDbClient& client_;
  RegistryOptions options_;
  Clock* clock_;
  // Makes repair record ids unique within and across processes.
  uint64_t repair_salt_;
  std::atomic<uint64_t> repair_sequence_{0};

  friend class RegistryInternals;
};

}  // namespace moe
