#include "moe/sharding.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "partitioning/key_condition.h"

namespace moe::partitioning {
namespace {

TEST(ShardHistoryTest, RaisesOnlyUpwardAndRoundTrips) {
  ShardHistory h(4);
  EXPECT_EQ(h.current(), 4);
  EXPECT_FALSE(h.Raise(4, 100));
  EXPECT_FALSE(h.Raise(2, 100));
  EXPECT_FALSE(h.Raise(20000, 100));
  ASSERT_TRUE(h.Raise(8, 1000));
  EXPECT_FALSE(h.Raise(16, 999));  // cannot start before the current generation
  EXPECT_EQ(h.CountAt(999), 4);
  EXPECT_EQ(h.CountAt(1000), 8);
  EXPECT_EQ(h.ToString(), "4@0,8@1000");
  Result<ShardHistory> back = ShardHistory::Parse("4@0,8@1000");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, h);
  EXPECT_FALSE(ShardHistory::Parse(""));
  EXPECT_FALSE(ShardHistory::Parse("4@0,2@5"));
  EXPECT_FALSE(ShardHistory::Parse("x@0"));
  EXPECT_FALSE(ShardHistory::Parse("4"));
}

TEST(RandomSuffixPolicyTest, SpreadsEvenlyAndEnumeratesEveryShard) {
  auto policy = NewRandomSuffixPolicy(ShardHistory(8), /*seed=*/7);
  std::map<std::string, int> counts;
  for (int i = 0; i < 80000; ++i) ++counts[*policy->WriteKey("user#7", {})];
  ASSERT_EQ(counts.size(), 8u);
  for (const auto& [key, n] : counts) {
    EXPECT_NEAR(n, 10000, 500) << key;  // > 5 standard deviations
    EXPECT_EQ(policy->LogicalKey(key), "user#7");
  }
  std::vector<std::string> all = policy->AllKeys("user#7");
  ASSERT_EQ(all.size(), 8u);
  EXPECT_EQ(all[0], "user#7#0");
  EXPECT_EQ(all[7], "user#7#7");
  for (const std::string& k : all) EXPECT_TRUE(counts.contains(k));
  EXPECT_EQ(policy->PointReadKeys("user#7", {}), all);
}

TEST(RandomSuffixPolicyTest, RaisingTheCountKeepsOldShardsReadable) {
  auto policy = NewRandomSuffixPolicy(ShardHistory(4), 3);
  std::set<std::string> before;
  for (int i = 0; i < 1000; ++i) before.insert(*policy->WriteKey("k", {}));
  EXPECT_EQ(before.size(), 4u);
  ASSERT_TRUE(policy->RaiseShardCount(8, 0));
  std::set<std::string> after;
  for (int i = 0; i < 1000; ++i) after.insert(*policy->WriteKey("k", {}));
  EXPECT_EQ(after.size(), 8u);
  std::vector<std::string> all = policy->AllKeys("k");
  std::set<std::string> readable(all.begin(), all.end());
  for (const std::string& k : before) EXPECT_TRUE(readable.contains(k)) << k;
  EXPECT_EQ(policy->history().ToString(), "4@0,8@0");
}

TEST(ShardingPolicyTest, FollowsARecordedHistoryThatExtendsItsOwn) {
  auto policy = NewRandomSuffixPolicy(ShardHistory(4), 3);
  ShardHistory recorded(4);
  ASSERT_TRUE(policy->Follow(recorded));  // nothing to add
  EXPECT_EQ(policy->history(), recorded);
  ASSERT_TRUE(recorded.Raise(8, 1000));
  ASSERT_TRUE(recorded.Raise(16, 2000));
  ASSERT_TRUE(policy->Follow(recorded));
  EXPECT_EQ(policy->history().ToString(), "4@0,8@1000,16@2000");
  EXPECT_EQ(policy->AllKeys("k").size(), 16u);
  ASSERT_TRUE(policy->Follow(ShardHistory(4)));  // an older view adds nothing
  EXPECT_EQ(policy->history().current(), 16);
  // Another key space's history: refused, the policy unchanged.
  EXPECT_FALSE(policy->Follow(*ShardHistory::Parse("4@0,8@999")));
  EXPECT_FALSE(policy->Follow(ShardHistory(2)));
  EXPECT_EQ(policy->history().ToString(), "4@0,8@1000,16@2000");
}

TEST(CalculatedSuffixPolicyTest, SameAttributeSameShardAndPointReadsAcrossGenerations) {
  ManualClock clock(ManualClock::FromUnixSeconds(1000));
  auto policy = NewCalculatedSuffixPolicy(ShardHistory(4), "sk", clock);
  std::map<std::string, int> counts;
  for (int i = 0; i < 40000; ++i) {
    Item item{{"sk", "order-" + std::to_string(i)}};
    Result<std::string> key = policy->WriteKey("user#7", item);
    ASSERT_TRUE(key);
    ++counts[*key];
    EXPECT_EQ(*key, *policy->WriteKey("user#7", item));  // deterministic
  }
  ASSERT_EQ(counts.size(), 4u);
  for (const auto& [key, n] : counts) EXPECT_NEAR(n, 10000, 500) << key;

  Item old_item{{"sk", "order-17"}};
  std::string old_key = *policy->WriteKey("user#7", old_item);
  EXPECT_EQ(policy->PointReadKeys("user#7", old_item), std::vector<std::string>{old_key});

  ASSERT_TRUE(policy->RaiseShardCount(16, 2000));
  EXPECT_EQ(*policy->WriteKey("user#7", old_item), old_key);  // raise not in effect yet
  clock.Advance(std::chrono::seconds(1000));
  std::string new_key = *policy->WriteKey("user#7", old_item);
  std::vector<std::string> reads = policy->PointReadKeys("user#7", old_item);
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(reads.front(), new_key);  // newest generation first
  EXPECT_NE(std::find(reads.begin(), reads.end(), old_key), reads.end());
  EXPECT_LE(reads.size(), 2u);
  EXPECT_EQ(policy->AllKeys("user#7").size(), 16u);

  EXPECT_FALSE(policy->WriteKey("user#7", {{"other", 1}}));
  EXPECT_EQ(policy->PointReadKeys("user#7", {}).size(), 16u);
}

TEST(TimeBucketPolicyTest, RotatesOverShardsAndFindsItemsByTheirTime) {
  ManualClock clock(ManualClock::FromUnixSeconds(0));
  auto policy = NewTimeBucketPolicy(ShardHistory(4), std::chrono::seconds(60), "ts", clock);
  auto key_at = [&](int64_t t) { return *policy->WriteKey("dev", {{"ts", t}}); };
  EXPECT_EQ(key_at(0), "dev#0");
  EXPECT_EQ(key_at(59), "dev#0");
  EXPECT_EQ(key_at(60), "dev#1");
  EXPECT_EQ(key_at(240), "dev#0");
  ASSERT_TRUE(policy->RaiseShardCount(8, 600));
  EXPECT_EQ(key_at(540), "dev#1");  // before the raise: 9 mod 4
  EXPECT_EQ(key_at(660), "dev#3");  // after: 11 mod 8
  EXPECT_EQ(policy->PointReadKeys("dev", {{"ts", 540}}), std::vector<std::string>{"dev#1"});
  EXPECT_EQ(policy->PointReadKeys("dev", {}).size(), 8u);
  EXPECT_FALSE(policy->WriteKey("dev", {{"ts", "not a number"}}));

  // Without an attribute the clock decides.
  auto by_clock = NewTimeBucketPolicy(ShardHistory(3), std::chrono::seconds(10), "", clock);
  clock.Set(ManualClock::FromUnixSeconds(25));
  EXPECT_EQ(*by_clock->WriteKey("dev", {}), "dev#2");
}

TEST(StableHashTest, IsStable) {
  // Pinned: suffixes written by one release must be found by the next.
  EXPECT_EQ(StableHash(""), StableHash(""));
  EXPECT_NE(StableHash("a"), StableHash("b"));
  EXPECT_EQ(StableHash("order-17") % 1000, StableHash("order-17") % 1000);
  EXPECT_EQ(KeyText(Value(Number::Parse("1.50").value())), Number::Parse("1.5")->Canonical());
}

TEST(KeyConditionTest, FindsThePartitionKeyPlaceholder) {
  ExpressionNames names{{"#p", "pk"}, {"#s", "sk"}};
  EXPECT_EQ(internal::HashKeyPlaceholder("#p = :v AND #s > :x", names, "pk"), ":v");
  EXPECT_EQ(internal::HashKeyPlaceholder("pk=:v", {}, "pk"), ":v");
  EXPECT_EQ(internal::HashKeyPlaceholder(":v = pk and begins_with(sk, :p)", {}, "pk"), ":v");
  EXPECT_EQ(internal::HashKeyPlaceholder("#s = :x AND #p = :v", names, "pk"), ":v");
  EXPECT_FALSE(internal::HashKeyPlaceholder("pk <= :v", {}, "pk"));
  EXPECT_FALSE(internal::HashKeyPlaceholder("#s = :x", names, "pk"));
}

TEST(ShardedQueryRequestsTest, OneQueryPerPhysicalKey) {
  auto policy = NewRandomSuffixPolicy(ShardHistory(3), 1);
  QueryRequest q;
  q.table_name = "t";
  q.key_condition_expression = "#p = :pk AND #s > :from";
  q.expression_attribute_names = {{"#p", "pk"}, {"#s", "sk"}};
  q.expression_attribute_values = {{":pk", "user#7"}, {":from", 5}};
  Result<std::vector<QueryRequest>> qs = ShardedQueryRequests(*policy, q, "pk");
  ASSERT_TRUE(qs);
  ASSERT_EQ(qs->size(), 3u);
  EXPECT_EQ((*qs)[2].expression_attribute_values.at(":pk"), Value("user#7#2"));
  EXPECT_EQ((*qs)[2].expression_attribute_values.at(":from"), Value(5));
  q.key_condition_expression = "#s > :from";
  EXPECT_FALSE(ShardedQueryRequests(*policy, q, "pk"));
}

}  // namespace
}  // namespace moe::partitioning
