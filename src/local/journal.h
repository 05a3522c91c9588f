// Journal: the seam for durable storage. Every committed change of the
// engine (item writes and catalog changes) is described by a Mutation and
// appended to the journal before it is applied and acknowledged; at Open the
// engine replays the journal to rebuild its state. A transaction's mutations
// are appended as one group, so a durable journal can make them atomic.
//
// Today only the in-memory journal exists (it keeps nothing); a write-ahead
// log on disk implements the same interface.
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
};

class Journal {
 public:
  virtual ~Journal() = default;
  // Makes `group` durable. Errors: kIo; the engine then fails the request
  // without applying the group.
  virtual Status Append(std::span<const Mutation> group) = 0;
  // Calls `apply` for every mutation appended so far, in order.
  virtual Status Replay(const std::function<Status(const Mutation&)>& apply) = 0;
};

// Keeps nothing: the engine's state lives in memory only.
class MemoryJournal final : public Journal {
 public:
  Status Append(std::span<const Mutation>) override { return Ok(); }
  Status Replay(const std::function<Status(const Mutation&)>&) override { return Ok(); }
};

}  // namespace moe::local
