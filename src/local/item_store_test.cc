#include "local/item_store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "local/storage.h"

namespace moe::local {
namespace {

StoredKey Key(const std::string& hk, const std::string& rk) {
  StoredKey k;
  k.hk = Value(hk);
  k.hash = HashKeyValue(k.hk);
  k.rk = Value(rk);
  return k;
}

StoredItem ItemFor(const StoredKey& k) {
  Item item{{"pk", k.hk}, {"sk", k.rk}};
  return StoredItem(std::move(item));
}

// The store's Scan order, as keys.
std::vector<std::pair<std::string, std::string>> Walk(const ItemStore& store) {
  std::vector<std::pair<std::string, std::string>> out;
  for (ItemStore::Cursor c = store.Begin(); !c.Done(); c.Next()) {
    out.emplace_back(c.partition().hk.s(), c.key().rk.s());
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Walk(
    const std::map<StoredKey, int, StoredKeyLess>& ref) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, unused] : ref) out.emplace_back(k.hk.s(), k.rk.s());
  return out;
}

// A random mix of inserts and erases over many partitions (the bucket array
// grows several times) keeps the store equal to a std::map in (hash,
// partition key, sort key) order, and every bound agrees with the map's.
TEST(ItemStoreTest, MatchesAnOrderedMapUnderRandomChanges) {
  std::mt19937 rng(7);
  ItemStore store;
  std::map<StoredKey, int, StoredKeyLess> ref;
  for (int step = 0; step < 6000; ++step) {
    StoredKey k = Key("p" + std::to_string(rng() % 700), std::to_string(rng() % 5));
    if (rng() % 4 == 0) {
      EXPECT_EQ(store.Erase(k), ref.erase(k) == 1);
    } else if (store.Find(k) == nullptr) {
      store.Insert(k, ItemFor(k));
      ref.emplace(k, 0);
    }
    ASSERT_EQ(store.size(), ref.size());
  }
  EXPECT_EQ(Walk(store), Walk(ref));
  for (const auto& [k, unused] : ref) {
    const StoredItem* found = store.Find(k);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->item.at("sk"), k.rk);
    EXPECT_NE(store.FindPartition(k.hash, k.hk), nullptr);
  }
  // UpperBound of present and absent keys; LowerBound of hashes.
  for (int i = 0; i < 500; ++i) {
    StoredKey k = Key("p" + std::to_string(rng() % 800), std::to_string(rng() % 6));
    ItemStore::Cursor c = store.UpperBound(k);
    auto it = ref.upper_bound(k);
    ASSERT_EQ(c.Done(), it == ref.end());
    if (!c.Done()) {
      EXPECT_EQ(c.partition().hk, it->first.hk);
      EXPECT_EQ(c.key().rk, it->first.rk);
    }
    uint64_t h = (static_cast<uint64_t>(rng()) << 32) | rng();
    ItemStore::Cursor l = store.LowerBound(h);
    auto lit = ref.lower_bound(StoredKey{h});
    ASSERT_EQ(l.Done(), lit == ref.end());
    if (!l.Done()) {
      EXPECT_EQ(l.partition().hk, lit->first.hk);
    }
  }
}

TEST(ItemStoreTest, ErasingThePartitionsLastItemRemovesThePartition) {
  ItemStore store;
  StoredKey a = Key("a", "1");
  StoredKey b = Key("a", "2");
  store.Insert(a, ItemFor(a));
  store.Insert(b, ItemFor(b));
  ASSERT_NE(store.FindPartition(a.hash, a.hk), nullptr);
  EXPECT_EQ(store.FindPartition(a.hash, a.hk)->items.size(), 2u);
  size_t size = 0;
  EXPECT_TRUE(store.Erase(a, &size));
  EXPECT_EQ(size, ItemFor(a).size);
  EXPECT_FALSE(store.Erase(a));
  EXPECT_NE(store.FindPartition(a.hash, a.hk), nullptr);
  EXPECT_TRUE(store.Erase(b));
  EXPECT_EQ(store.FindPartition(a.hash, a.hk), nullptr);
  EXPECT_EQ(store.size(), 0u);
  EXPECT_TRUE(store.Begin().Done());
}

}  // namespace
}  // namespace moe::local
