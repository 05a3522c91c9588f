// LeaseTable: per-shard ownership and checkpoints of trickle consumers in a
// DynamoDB table (hash key "lease" = "<stream>/<shard id>"). Every change is
// a conditional UpdateItem, so two consumers never both hold a shard:
//   take:       free, expired, or already ours  -> owner = me, counter + 1
//   renew/save: still ours with the same counter -> new expiry (and checkpoint)
// Thread safety: stateless over the client; safe for concurrent use.
#pragma once

#include <optional>
#include <string>

#include "moe/client.h"

namespace moe::mirror::internal {

struct Lease {
  std::string shard_id;
  std::string owner;
  std::string checkpoint;    // "" before the first
  int64_t expires_ms = 0;    // on the consumers' clock, ms since the epoch
  int64_t counter = 0;       // grows with every take; fences a former owner
};

class LeaseTable {
 public:
  LeaseTable(DynamoDbClient& dynamo, std::string table, std::string stream)
      : dynamo_(dynamo), table_(std::move(table)), stream_(std::move(stream)) {}

  // Creates the table (on-demand) unless it exists; waits until ACTIVE.
  Status Create();

  // The lease of `shard`, or nullopt when none was ever taken.
  Result<std::optional<Lease>> Get(const std::string& shard);

  // Takes the lease when it is free, expired at `now_ms`, or already held by
  // `owner`. nullopt when another consumer holds it.
  Result<std::optional<Lease>> Take(const std::string& shard, const std::string& owner,
                                    int64_t now_ms, int64_t duration_ms);

  // Extends `lease` (and stores `checkpoint` when not empty) if it is still
  // ours with the same counter; false when it was taken over.
  Result<bool> Renew(Lease& lease, const std::string& checkpoint, int64_t now_ms,
                     int64_t duration_ms);

  // Marks `lease` expired so others may take it at once; false when it was
  // no longer ours.
  Result<bool> Release(const Lease& lease);

 private:
  Item KeyOf(const std::string& shard) const;
  Result<bool> Update(const Lease& lease, UpdateItemRequest request);

  DynamoDbClient& dynamo_;
  const std::string table_;
  const std::string stream_;
};

}  // namespace moe::mirror::internal
