// ItemStore: the items of one table or index, in DynamoDB's Scan order.
//
// The order is (hash of the partition key, partition key, sort key, then for
// index entries the table key). The store has two levels:
//  - partitions, found by their 64-bit key hash: an array of buckets indexed
//    by the hash's top bits, each a small vector of partitions sorted by
//    (hash, partition key). Because the hash is uniform, bucket order is hash
//    order, so walking the buckets in index order walks the partitions in
//    Scan order; a new partition is one insert into a short vector, and a
//    point lookup is O(1). The bucket array doubles (each bucket splits in
//    two by the next hash bit, keeping order) when partitions outnumber
//    buckets twice over; it never shrinks.
//  - inside a partition, its items in a std::map ordered by sort key: what
//    Query reads as one contiguous range, forwards or backwards.
// A partition exists only while it holds at least one item.
//
// Element addresses: a StoredItem stays at its address until it is erased
// (map nodes never move, even when their partition does). Partition
// addresses change when a partition is added to or removed from the store.
//
// Thread safety: not thread-safe; the engine serializes access (engine.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "moe/value.h"

namespace moe::local {

// -1/0/1 order of two key values of one scalar type (S, N, B). Null sorts
// before everything: it is the "start of partition" sentinel. Inline: every
// lookup and every step of a walk compares keys.
inline int CompareKeyValues(const Value& a, const Value& b) {
  auto sign = [](int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); };
  bool an = a.is(Type::kNull);
  bool bn = b.is(Type::kNull);
  if (an || bn) return an == bn ? 0 : (an ? -1 : 1);
  if (a.type() != b.type()) return a.type() < b.type() ? -1 : 1;
  switch (a.type()) {
    case Type::kS:
      return sign(a.s().compare(b.s()));
    case Type::kN:
      return a.n().Compare(b.n());
    case Type::kB:
      return sign(a.b().data.compare(b.b().data));
    default:
      return 0;
  }
}

// Position of an item in a table or index. Index entries carry the table
// key after the index key, so that equal index keys stay distinct.
struct StoredKey {
  uint64_t hash = 0;
  Value hk;
  Value rk;        // Null when the key has no sort key
  Value table_hk;  // index entries only
  Value table_rk;  // index entries only
};

struct StoredKeyLess {
  bool operator()(const StoredKey& a, const StoredKey& b) const;
};

// An item's position inside its partition (StoredKey without the partition).
// Table items, the most numerous, have no table key to carry: it lives out
// of line, so their map nodes are 104 bytes smaller (one `Value` instead of
// three); an absent table key compares as (Null, Null).
struct SortKey {
  SortKey(Value sort, Value table_hash, Value table_range);

  const Value& table_hk() const { return table_key ? table_key->first : kNullValue; }
  const Value& table_rk() const { return table_key ? table_key->second : kNullValue; }

  Value rk;
  std::unique_ptr<const std::pair<Value, Value>> table_key;  // index entries only

  static const Value kNullValue;
};

// Orders SortKeys; also compares them with a StoredKey's sort part, so that
// a partition is searched with a StoredKey without building a SortKey.
struct SortKeyLess {
  using is_transparent = void;
  bool operator()(const SortKey& a, const SortKey& b) const { return Compare(a, b) < 0; }
  bool operator()(const SortKey& a, const StoredKey& b) const { return Compare(a, b) < 0; }
  bool operator()(const StoredKey& a, const SortKey& b) const { return Compare(b, a) > 0; }
  static int Compare(const SortKey& a, const SortKey& b);
  static int Compare(const SortKey& a, const StoredKey& b);
};

// A stored item with its wire form. Reads that answer a whole item (GetItem,
// Query and Scan without a projection) copy `json` instead of serializing
// the item again: a 1000-item Query becomes 1000 appends. The cost is one
// serialization per write and the item's bytes held twice.
struct StoredItem {
  StoredItem() = default;
  explicit StoredItem(Item i);
  StoredItem(Item i, size_t item_size);

  Item item;
  size_t size = 0;   // ItemSize(item)
  std::string json;  // ToDynamoJson(item)
};

using PartitionItems = std::map<SortKey, StoredItem, SortKeyLess>;

struct Partition {
  uint64_t hash = 0;
  Value hk;
  PartitionItems items;  // never empty
};

class ItemStore {
  using Bucket = std::vector<Partition>;

 public:
  // A forward position in Scan order: an item, or the end.
  class Cursor {
   public:
    bool Done() const { return bucket_ == store_->buckets_.size(); }
    // Valid unless Done().
    const Partition& partition() const { return store_->buckets_[bucket_][pos_]; }
    const SortKey& key() const { return item_->first; }
    const StoredItem& item() const { return item_->second; }
    void Next();

   private:
    friend class ItemStore;
    Cursor(const ItemStore* store, size_t bucket, size_t pos)
        : store_(store), bucket_(bucket), pos_(pos) {}
    // Moves to the first item of the partition at (bucket_, pos_), or of the
    // next non-empty position.
    void SettleOnPartition();

    const ItemStore* store_;
    size_t bucket_;
    size_t pos_;
    PartitionItems::const_iterator item_;
  };

  ItemStore();

  size_t size() const { return size_; }
  void Clear();

  // The item at `k` (k.hash must be HashKeyValue(k.hk)), or null.
  const StoredItem* Find(const StoredKey& k) const;
  StoredItem* Find(const StoredKey& k);
  // The partition with this key, or null.
  const Partition* FindPartition(uint64_t hash, const Value& hk) const;
  // Stores `item` at `k`, which must not be in the store yet; returns it.
  StoredItem& Insert(StoredKey k, StoredItem item);
  // Removes the item at `k`; returns whether there was one, and its size
  // through `size` when not null.
  bool Erase(const StoredKey& k, size_t* size = nullptr);

  // The first item of the first partition whose hash is >= `hash`.
  Cursor LowerBound(uint64_t hash) const;
  // The first item after `k` in Scan order (k need not be in the store).
  Cursor UpperBound(const StoredKey& k) const;
  Cursor Begin() const { return LowerBound(0); }

  // Calls f(partition, sort key, stored item) for every item, in Scan order.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Bucket& bucket : buckets_) {
      for (const Partition& p : bucket) {
        for (const auto& [key, stored] : p.items) f(p, key, stored);
      }
    }
  }

 private:
  size_t BucketOf(uint64_t hash) const { return bits_ == 0 ? 0 : hash >> (64 - bits_); }
  // The first partition of `bucket` not ordered before (hash, hk).
  static size_t LowerBoundIn(const Bucket& bucket, uint64_t hash, const Value& hk);
  void Grow();

  std::vector<Bucket> buckets_;
  unsigned bits_ = 0;  // buckets_.size() == 1 << bits_
  size_t partitions_ = 0;
  size_t size_ = 0;
};

}  // namespace moe::local
