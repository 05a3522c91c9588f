// Journal: the seam for durable storage. Every committed change of the
// engine (item writes and catalog changes) is described by a Mutation and
// appended to the journal before it is applied and acknowledged; at Open the
// engine replays the journal to rebuild its state. A transaction's mutations
// are appended as one group, so a durable journal can make them atomic.
//
// MemoryJournal keeps nothing (the engine lives in memory only); the
// write-ahead log of wal.h keeps everything on disk.
//
// Thread safety: the engine calls Append with the locks of every table the
// group touches held; implementations must be safe for concurrent Appends of
// groups on different tables.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "moe/model.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::local {

struct Mutation {
  enum class Kind : uint8_t {
    kPutItem,      // item: the whole new item
    kDeleteItem,   // item: the key
    kCreateTable,  // create_table: the validated request
    kDeleteTable,
    kUpdateTable,  // update_table: the validated request
    kUpdateTimeToLive,  // ttl
  };
  Kind kind = Kind::kPutItem;
  std::string table;
  Item item;
  std::optional<CreateTableRequest> create_table;
  std::optional<UpdateTableRequest> update_table;
  std::optional<TimeToLiveSpecification> ttl;
  // kCreateTable: the table's identity, stamped once by the engine's commit
  // path so that a replayed table keeps its TableId and CreationDateTime.
  std::string table_id;
  double created = 0;  // seconds since the epoch
};

// Receives the whole engine state, as mutations that rebuild it, while the
// engine is quiesced for compaction.
class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  virtual Status Add(const Mutation& m) = 0;
};

class Journal {
 public:
  virtual ~Journal() = default;
  // Makes `group` durable. Errors: kIo; the engine then fails the request
  // without applying the group.
  virtual Status Append(std::span<const Mutation> group) = 0;
  // Calls `apply` for every mutation appended so far, in order.
  virtual Status Replay(const std::function<Status(const Mutation&)>& apply) = 0;
  // Whether the journal has grown enough to be rewritten as a snapshot.
  virtual bool WantsCompaction() const { return false; }
  // Replaces the journal by a snapshot: `dump` feeds the full state to the
  // sink. The engine calls it with every lock held exclusively (no Append
  // runs concurrently). Errors: kIo; the journal then stays as it was.
  virtual Status Compact(const std::function<Status(SnapshotSink&)>& /*dump*/) { return Ok(); }
};

// Keeps nothing: the engine's state lives in memory only.
class MemoryJournal final : public Journal {
 public:
  Status Append(std::span<const Mutation>) override { return Ok(); }
  Status Replay(const std::function<Status(const Mutation&)>&) override { return Ok(); }
};

}  // namespace moe::local
