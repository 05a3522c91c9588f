// In-memory storage of one table: the schema, the items and the secondary
// indexes, and the single function through which committed changes reach
// them (Table::Put and Table::Remove).
//
// Items are ordered as DynamoDB orders them for Scan: by a stable 64-bit hash
// of the partition key, then by the partition key, then by the sort key (S
// and B bytewise, N numerically). A partition is therefore one contiguous
// range of the map, sorted by sort key (what Query reads), and a parallel
// Scan segment is one contiguous range of hashes.
//
// Point lookups (GetItem, the old item of every write) do not walk the map:
// a hash set of map iterators, keyed by the primary key, finds an item in
// O(1). std::map iterators stay valid until their element is erased, and the
// map and the set change together, only in Table::Put and Table::Remove.
//
// Indexes are maps of the same shape keyed by (index key, table key), each
// entry holding the item's projection onto the index. They are maintained by
// Table::Put and Table::Remove on every change.
//
// Thread safety: not thread-safe; the engine serializes access (engine.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "moe/clock.h"
#include "moe/model.h"
#include "moe/value.h"

namespace moe::local {

// -1/0/1 order of two key values of one scalar type (S, N, B). Null sorts
// before everything: it is the "start of partition" sentinel.
int CompareKeyValues(const Value& a, const Value& b);

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

// Position of an item in a table or index map. Index entries carry the table
// key after the index key, so that equal index keys stay distinct.
struct StoredKey {
  uint64_t hash = 0;
  Value hk;
  Value rk;        // Null when the key has no sort key
  Value table_hk;  // index maps only
  Value table_rk;  // index maps only
};

struct StoredKeyLess {
  bool operator()(const StoredKey& a, const StoredKey& b) const;
};

struct StoredItem {
  Item item;
  size_t size = 0;  // ItemSize(item)
};
using ItemMap = std::map<StoredKey, StoredItem, StoredKeyLess>;

// Hash and equality of a table's primary key (hash, hk, rk), for the hash
// index over the table's ItemMap. Lookups take a StoredKey (heterogeneous).
struct PrimaryKeyHash {
  using is_transparent = void;
  // Not noexcept, so that the set caches each element's hash.
  size_t operator()(const StoredKey& k) const;
  size_t operator()(ItemMap::iterator it) const { return (*this)(it->first); }
};
struct PrimaryKeyEqual {
  using is_transparent = void;
  bool operator()(const StoredKey& a, const StoredKey& b) const;
  bool operator()(ItemMap::iterator a, ItemMap::iterator b) const { return a == b; }
  bool operator()(const StoredKey& a, ItemMap::iterator b) const { return (*this)(a, b->first); }
  bool operator()(ItemMap::iterator a, const StoredKey& b) const { return (*this)(a->first, b); }
};
using PrimaryIndex = std::unordered_set<ItemMap::iterator, PrimaryKeyHash, PrimaryKeyEqual>;

struct IndexState {
  std::string name;
  bool global = false;
  KeyShape key;
  Projection projection;
  std::optional<ProvisionedThroughput> throughput;  // GSIs of provisioned tables
  // A new GSI reports CREATING (and refuses reads) until this time.
  Clock::TimePoint active_at{};
  ItemMap items;
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

  // Read freely; change only through Put and Remove, which keep `primary`
  // (a hash index of `items`) and `indexes` in step.
  ItemMap items;
  PrimaryIndex primary;
  int64_t size_bytes = 0;
  std::vector<IndexState> indexes;  // GSIs and LSIs

  const IndexState* FindIndex(std::string_view name) const;
  // The position of the item with the key attributes of `item` (which may
  // hold other attributes too).
  StoredKey KeyOf(const Item& item) const;
  // The stored item with this primary key, or null. O(1): the hash index.
  const StoredItem* Find(const StoredKey& key) const;

  // Apply one committed change to the items and every index: Put stores
  // `item` (replacing the item with its key); Remove deletes the item with
  // the key attributes of `key`, if any.
  void Put(const Item& item);
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
