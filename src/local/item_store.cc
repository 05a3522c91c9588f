#include "local/item_store.h"

#include <algorithm>
#include <type_traits>

#include "moe/json.h"

namespace moe::local {

// Buckets shift partitions on insert and move them when the array grows.
static_assert(std::is_nothrow_move_constructible_v<Partition>);
static_assert(std::is_nothrow_move_assignable_v<Partition>);

bool StoredKeyLess::operator()(const StoredKey& a, const StoredKey& b) const {
  if (a.hash != b.hash) return a.hash < b.hash;
  if (int c = CompareKeyValues(a.hk, b.hk)) return c < 0;
  if (int c = CompareKeyValues(a.rk, b.rk)) return c < 0;
  if (int c = CompareKeyValues(a.table_hk, b.table_hk)) return c < 0;
  return CompareKeyValues(a.table_rk, b.table_rk) < 0;
}

const Value SortKey::kNullValue;

SortKey::SortKey(Value sort, Value table_hash, Value table_range) : rk(std::move(sort)) {
  if (!table_hash.is(Type::kNull) || !table_range.is(Type::kNull)) {
    table_key = std::make_unique<const std::pair<Value, Value>>(std::move(table_hash),
                                                                std::move(table_range));
  }
}

int SortKeyLess::Compare(const SortKey& a, const SortKey& b) {
  if (int c = CompareKeyValues(a.rk, b.rk)) return c;
  if (int c = CompareKeyValues(a.table_hk(), b.table_hk())) return c;
  return CompareKeyValues(a.table_rk(), b.table_rk());
}

int SortKeyLess::Compare(const SortKey& a, const StoredKey& b) {
  if (int c = CompareKeyValues(a.rk, b.rk)) return c;
  if (int c = CompareKeyValues(a.table_hk(), b.table_hk)) return c;
  return CompareKeyValues(a.table_rk(), b.table_rk);
}

ItemStore::ItemStore() : buckets_(1) {}

void ItemStore::Clear() {
  buckets_.clear();
  buckets_.resize(1);
  bits_ = 0;
  partitions_ = 0;
  size_ = 0;
}

size_t ItemStore::LowerBoundIn(const Bucket& bucket, uint64_t hash, const Value& hk) {
  auto it = std::lower_bound(bucket.begin(), bucket.end(), 0, [&](const Partition& p, int) {
    return p.hash != hash ? p.hash < hash : CompareKeyValues(p.hk, hk) < 0;
  });
  return static_cast<size_t>(it - bucket.begin());
}

const Partition* ItemStore::FindPartition(uint64_t hash, const Value& hk) const {
  const Bucket& bucket = buckets_[BucketOf(hash)];
  size_t pos = LowerBoundIn(bucket, hash, hk);
  if (pos == bucket.size()) return nullptr;
  const Partition& p = bucket[pos];
  return p.hash == hash && CompareKeyValues(p.hk, hk) == 0 ? &p : nullptr;
}

StoredItem::StoredItem(Item i) : StoredItem(std::move(i), 0) { size = ItemSize(item); }

StoredItem::StoredItem(Item i, size_t item_size)
    : item(std::move(i)), size(item_size), json(ToDynamoJson(item)) {}

const StoredItem* ItemStore::Find(const StoredKey& k) const {
  const Partition* p = FindPartition(k.hash, k.hk);
  if (p == nullptr) return nullptr;
  auto it = p->items.find(k);
  return it == p->items.end() ? nullptr : &it->second;
}

StoredItem* ItemStore::Find(const StoredKey& k) {
  return const_cast<StoredItem*>(static_cast<const ItemStore*>(this)->Find(k));
}

StoredItem& ItemStore::Insert(StoredKey k, StoredItem item) {
  Bucket* bucket = &buckets_[BucketOf(k.hash)];
  size_t pos = LowerBoundIn(*bucket, k.hash, k.hk);
  if (pos == bucket->size() || (*bucket)[pos].hash != k.hash ||
      CompareKeyValues((*bucket)[pos].hk, k.hk) != 0) {
    if (partitions_ + 1 > 2 * buckets_.size()) {
      Grow();
      bucket = &buckets_[BucketOf(k.hash)];
      pos = LowerBoundIn(*bucket, k.hash, k.hk);
    }
    Partition p;
    p.hash = k.hash;
    p.hk = std::move(k.hk);
    bucket->insert(bucket->begin() + static_cast<std::ptrdiff_t>(pos), std::move(p));
    ++partitions_;
  }
  PartitionItems& items = (*bucket)[pos].items;
  auto [it, inserted] = items.emplace(
      std::piecewise_construct,
      std::forward_as_tuple(std::move(k.rk), std::move(k.table_hk), std::move(k.table_rk)),
      std::forward_as_tuple(std::move(item)));
  if (inserted) ++size_;
  return it->second;
}

bool ItemStore::Erase(const StoredKey& k, size_t* size) {
  Bucket& bucket = buckets_[BucketOf(k.hash)];
  size_t pos = LowerBoundIn(bucket, k.hash, k.hk);
  if (pos == bucket.size() || bucket[pos].hash != k.hash ||
      CompareKeyValues(bucket[pos].hk, k.hk) != 0) {
    return false;
  }
  PartitionItems& items = bucket[pos].items;
  auto it = items.find(k);
  if (it == items.end()) return false;
  if (size != nullptr) *size = it->second.size;
  items.erase(it);
  --size_;
  if (items.empty()) {
    bucket.erase(bucket.begin() + static_cast<std::ptrdiff_t>(pos));
    --partitions_;
  }
  return true;
}

void ItemStore::Grow() {
  std::vector<Bucket> grown(buckets_.size() * 2);
  unsigned bits = bits_ + 1;
  for (Bucket& bucket : buckets_) {
    // A bucket's partitions are sorted by hash, so each half keeps its order.
    for (Partition& p : bucket) grown[p.hash >> (64 - bits)].push_back(std::move(p));
  }
  buckets_ = std::move(grown);
  bits_ = bits;
}

void ItemStore::Cursor::SettleOnPartition() {
  const std::vector<Bucket>& buckets = store_->buckets_;
  while (bucket_ < buckets.size() && pos_ >= buckets[bucket_].size()) {
    ++bucket_;
    pos_ = 0;
  }
  if (bucket_ < buckets.size()) item_ = buckets[bucket_][pos_].items.begin();
}

void ItemStore::Cursor::Next() {
  if (++item_ != partition().items.end()) return;
  ++pos_;
  SettleOnPartition();
}

ItemStore::Cursor ItemStore::LowerBound(uint64_t hash) const {
  size_t b = BucketOf(hash);
  const Bucket& bucket = buckets_[b];
  size_t pos = static_cast<size_t>(
      std::partition_point(bucket.begin(), bucket.end(),
                           [hash](const Partition& p) { return p.hash < hash; }) -
      bucket.begin());
  Cursor c(this, b, pos);
  c.SettleOnPartition();
  return c;
}

ItemStore::Cursor ItemStore::UpperBound(const StoredKey& k) const {
  size_t b = BucketOf(k.hash);
  const Bucket& bucket = buckets_[b];
  size_t pos = LowerBoundIn(bucket, k.hash, k.hk);
  Cursor c(this, b, pos);
  if (pos < bucket.size() && bucket[pos].hash == k.hash &&
      CompareKeyValues(bucket[pos].hk, k.hk) == 0) {
    c.item_ = bucket[pos].items.upper_bound(k);
    if (c.item_ != bucket[pos].items.end()) return c;
    ++c.pos_;
  }
  c.SettleOnPartition();
  return c;
}

}  // namespace moe::local
