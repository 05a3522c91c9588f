// In-memory storage of one table: the schema, the items and the secondary
// indexes, and the single function through which committed changes reach
// them (Table::Put and Table::Remove).
//
// Items live in an ItemStore (item_store.h), in the order DynamoDB's Scan
// uses: by a stable 64-bit hash of the partition key, then by the partition
// key, then by the sort key (S and B bytewise, N numerically). A partition is
// found in O(1) and holds its items sorted by sort key (what Query reads); a
// parallel Scan segment is one contiguous range of hashes.
//
// Indexes are stores of the same shape keyed by (index key, table key), each
// entry holding the item's projection onto the index. They are maintained by
// Table::Put and Table::Remove on every change.
//
// Thread safety: not thread-safe; the engine serializes access (engine.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "local/item_store.h"
#include "moe/clock.h"
#include "moe/model.h"
#include "moe/value.h"

namespace moe::local {

// Stable hash of a partition key value (FNV-1a over type and canonical bytes).
uint64_t HashKeyValue(const Value& v);

struct KeyAttr {
  std::string name;
  ScalarAttributeType type = ScalarAttributeType::kS;
};

// A primary key or an index key: a partition key and an optional sort key.
struct KeyShape {
  KeyAttr hash;
  std::optional<KeyAttr> range;
  bool IsKey(std::string_view name) const {
    return name == hash.name || (range && name == range->name);
  }
};

struct IndexState {
  std::string name;
  bool global = false;
  KeyShape key;
  Projection projection;
  std::optional<ProvisionedThroughput> throughput;  // GSIs of provisioned tables
  // A new GSI reports CREATING (and refuses reads) until this time.
  Clock::TimePoint active_at{};
  ItemStore items;
  int64_t size_bytes = 0;

  // The projection of `item` onto this index, or nullopt when the item
  // lacks an index key attribute (sparse index).
  std::optional<Item> Project(const Item& item, const KeyShape& table_key) const;
  StoredKey KeyOf(const Item& projected, const KeyShape& table_key) const;
  // Add or drop the entry of table item `item` (no-op when it projects to none).
  void Insert(const Item& item, const KeyShape& table_key);
  void Erase(const Item& item, const KeyShape& table_key);
};

struct Table {
  std::string name;
  std::string arn;
  std::string id;
  KeyShape key;
  std::vector<AttributeDefinition> attribute_definitions;
  BillingMode billing_mode = BillingMode::kProvisioned;
  ProvisionedThroughput throughput;
  int64_t decreases_today = 0;
  std::optional<double> last_increase;
  std::optional<double> last_decrease;
  double created = 0;  // seconds since the epoch
  TableStatus status = TableStatus::kActive;
  // `status` (CREATING, UPDATING, DELETING) holds until this time; then the
  // table is ACTIVE, or gone when it was DELETING.
  Clock::TimePoint status_until{};
  std::optional<std::string> ttl_attribute;

  // Read freely; change only through Put and Remove, which keep `indexes`
  // in step.
  ItemStore items;
  int64_t size_bytes = 0;
  std::vector<IndexState> indexes;  // GSIs and LSIs

  const IndexState* FindIndex(std::string_view name) const;
  // The position of the item with the key attributes of `item` (which may
  // hold other attributes too).
  StoredKey KeyOf(const Item& item) const;
  // The stored item with this primary key, or null. O(1).
  const StoredItem* Find(const StoredKey& key) const { return items.Find(key); }

  // Apply one committed change to the items and every index: Put stores
  // `item` (replacing the item with its key); Remove deletes the item with
  // the key attributes of `key`, if any.
  void Put(Item item);
  void Remove(const Item& key);
  // Fills a newly added index from the current items.
  void Backfill(IndexState& index) const;

  TableStatus EffectiveStatus(Clock::TimePoint now) const {
    return now >= status_until && status != TableStatus::kDeleting ? TableStatus::kActive : status;
  }
  bool Gone(Clock::TimePoint now) const {
    return status == TableStatus::kDeleting && now >= status_until;
  }
  TableDescription Describe(Clock::TimePoint now) const;
};

// The key attributes of `item` for `shape` (and only those).
Item KeyAttributes(const Item& item, const KeyShape& shape);

}  // namespace moe::local
