// The partitioning module through a real DynamoDbClient: the observer hook
// feeding heat and the adaptive rate limiter, and sharded writes read back by
// scatter-gather. Runs on the embedded engine in-process and over HTTP.
#include <gtest/gtest.h>

#include <set>

#include "moe/faulty_transport.h"
#include "moe/heat_tracker.h"
#include "moe/partition_observer.h"
#include "moe/rate_limiter.h"
#include "moe/sharding.h"
#include "tests/support/backend.h"

namespace moe::partitioning {
namespace {

class PartitioningSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    auto backend = StartBackend();
    ASSERT_TRUE(backend) << backend.error().ToString();
    backend_ = std::move(*backend);
  }

  std::unique_ptr<DynamoDbClient> Client(std::shared_ptr<CallObserver> observer,
                                         Clock* clock = nullptr,
                                         std::shared_ptr<Transport> transport = nullptr) {
    ClientOptions options = TestClientOptions(backend_->endpoint());
    options.transport = transport ? std::move(transport) : backend_->NewTransport();
    options.observer = std::move(observer);
    options.clock = clock;
    auto client = DynamoDbClient::Create(std::move(options));
    EXPECT_TRUE(client) << client.error().ToString();
    return std::move(*client);
  }

  static void CreateTable(DynamoDbClient& client, const std::string& name, int64_t wcu) {
    CreateTableRequest create{.table_name = name};
    create.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kN}};
    create.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
    create.provisioned_throughput = ProvisionedThroughput{100, wcu};
    ASSERT_TRUE(client.CreateTable(create));
    ASSERT_TRUE(client.WaitUntilActive(name, std::chrono::seconds(10), std::chrono::milliseconds(10)));
  }

  std::unique_ptr<Backend> backend_;
};

TEST_F(PartitioningSuite, ObserverRanksTheHotKeyByConsumedCapacity) {
  auto heat = std::make_shared<HeatTracker>(HeatOptions{.capacity = 1024});
  auto client = Client(NewPartitionObserver({.heat = heat}));
  CreateTable(*client, "events", 1000);  // the observer learns pk from this answer
  for (int i = 0; i < 100; ++i) {
    PutItemRequest hot{.table_name = "events", .item = {{"pk", "hot"}, {"sk", i}}};
    hot.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    ASSERT_TRUE(client->PutItem(hot));
    PutItemRequest cold{.table_name = "events",
                        .item = {{"pk", "k" + std::to_string(i)}, {"sk", i}}};
    cold.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    ASSERT_TRUE(client->PutItem(cold));
  }
  QueryRequest q{.table_name = "events"};
  q.key_condition_expression = "pk = :p";
  q.expression_attribute_values = {{":p", "hot"}};
  q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  ASSERT_TRUE(client->Query(q));

  std::vector<HeatEntry> top = heat->Top(3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].key, "events/hot");
  EXPECT_EQ(top[0].observations, 101u);
  EXPECT_GE(top[0].consumed, 100.0);  // 1 WCU per small put, plus the query
  EXPECT_EQ(top[0].throttles, 0u);
  EXPECT_EQ(top[1].weight, 1.0);
}

TEST_F(PartitioningSuite, ShardedWritesReadBackAfterTheShardCountGrows) {
  auto client = Client(nullptr);
  CreateTable(*client, "feed", 1000);
  auto policy = NewRandomSuffixPolicy(ShardHistory(4), 11);
  auto put = [&](int sk) {
    Item item{{"sk", sk}, {"n", sk * 2}};
    item["pk"] = Value(*policy->WriteKey("user#1", item));
    ASSERT_TRUE(client->PutItem({.table_name = "feed", .item = item}));
  };
  for (int i = 0; i < 40; ++i) put(i);
  ASSERT_TRUE(policy->RaiseShardCount(8, 0));
  for (int i = 40; i < 80; ++i) put(i);

  GetItemRequest get{.table_name = "feed", .key = {{"pk", "user#1"}, {"sk", 7}}};
  Result<GetItemResponse> got = ShardedGetItem(*client, *policy, get, "pk");
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_TRUE(got->item);
  EXPECT_EQ(got->item->at("n"), Value(14));
  get.key["sk"] = Value(1000);
  EXPECT_FALSE(ShardedGetItem(*client, *policy, get, "pk")->item);

  QueryRequest q{.table_name = "feed"};
  q.key_condition_expression = "pk = :p AND sk >= :from";
  q.expression_attribute_values = {{":p", "user#1"}, {":from", 10}};
  Result<std::vector<QueryRequest>> scattered = ShardedQueryRequests(*policy, q, "pk");
  ASSERT_TRUE(scattered);
  EXPECT_EQ(scattered->size(), 8u);
  std::set<std::string> seen;
  for (const QueryRequest& shard : *scattered) {
    for (auto page : client->QueryPages(shard)) {
      ASSERT_TRUE(page);
      for (const Item& item : page->items) seen.insert(item.at("sk").n().text());
    }
  }
  EXPECT_EQ(seen.size(), 70u);  // sk 10..79, from both shard generations

  // The same read merged in sort-key order, resumed from a token midway.
  MergedQueryOptions merged{.sort_key = "sk", .key_attributes = {"pk", "sk"}, .page_size = 8};
  auto query = ShardedQuery(*client, *policy, q, "pk", merged);
  ASSERT_TRUE(query) << query.error().ToString();
  Result<MergedPage> first = (*query)->NextPage();
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 8u);
  ASSERT_TRUE(first->next_token);
  std::vector<int64_t> order;
  for (const Item& item : first->items) order.push_back(std::stoll(item.at("sk").n().text()));
  auto resumed = ShardedQuery(*client, *policy, q, "pk", merged, *first->next_token);
  ASSERT_TRUE(resumed) << resumed.error().ToString();
  while (!(*resumed)->done()) {
    Result<MergedPage> page = (*resumed)->NextPage();
    ASSERT_TRUE(page);
    for (const Item& item : page->items) order.push_back(std::stoll(item.at("sk").n().text()));
  }
  ASSERT_EQ(order.size(), 70u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], static_cast<int64_t>(10 + i));
}

TEST_F(PartitioningSuite, AdaptiveModeHoldsWritesToTheDescribedCapacity) {
  ManualClock clock;
  auto limiter = std::make_shared<RateLimiter>(RateLimiterOptions{.clock = &clock});
  // The engine's tables become ACTIVE on real time: create with a real clock.
  CreateTable(*Client(nullptr), "slow", 10);
  auto client = Client(NewPartitionObserver({.limiter = limiter}), &clock);
  ASSERT_TRUE(LoadCapacity(*client, *limiter, "slow"));
  BucketId writes{"slow", "", Direction::kWrite};
  EXPECT_TRUE(limiter->State(writes).limiting);
  EXPECT_EQ(limiter->State(writes).rate, 10);

  Clock::Duration start = clock.Monotonic();
  for (int i = 0; i < 50; ++i) {
    PutItemRequest put{.table_name = "slow", .item = {{"pk", "a"}, {"sk", i}}};
    put.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    ASSERT_TRUE(client->PutItem(put));
  }
  // 50 units at 10 per second, the first 10 from the full bucket: 4 s.
  double waited = std::chrono::duration<double>(clock.Monotonic() - start).count();
  EXPECT_GE(waited, 3.9);
  EXPECT_LE(waited, 5.5);
  BucketState s = limiter->State(writes);
  EXPECT_GT(s.delayed, 0u);
  EXPECT_EQ(s.units_per_request, 1.0);
}

TEST_F(PartitioningSuite, ThrottlesReachHeatAndLimiter) {
  CreateTable(*Client(nullptr), "busy", 1000);
  ManualClock clock;  // the retry backoff passes at once
  auto heat = std::make_shared<HeatTracker>();
  auto limiter = std::make_shared<RateLimiter>(RateLimiterOptions{.clock = &clock});
  std::shared_ptr<Transport> inner = backend_->NewTransport();
  auto faulty = std::make_shared<FaultyTransport>(
      *inner,
      FaultOptions{.seed = 5, .throttle = 0.3, .filter = [](std::string_view target) {
                     return target.ends_with(".PutItem");
                   }});
  auto client = Client(NewPartitionObserver({.heat = heat, .limiter = limiter,
                                             .hash_keys = {{"busy", "pk"}}}),
                       &clock, faulty);
  for (int i = 0; i < 100; ++i) {
    PutItemRequest put{.table_name = "busy", .item = {{"pk", "hot"}, {"sk", i}}};
    put.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    (void)client->PutItem(put);  // some exhaust their attempts; that is fine here
  }
  uint64_t throttles = faulty->count(FaultKind::kThrottle);
  ASSERT_GT(throttles, 10u);
  std::vector<HeatEntry> top = heat->Top(1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].key, "busy/hot");
  EXPECT_EQ(top[0].throttles, throttles);
  BucketState s = limiter->State({"busy", "", Direction::kWrite});
  EXPECT_EQ(s.throttles, throttles);
  EXPECT_TRUE(s.limiting);
}

TEST_F(PartitioningSuite, UnprocessedBatchEntriesCountAsThrottled) {
  CreateTable(*Client(nullptr), "batchy", 1000);
  auto heat = std::make_shared<HeatTracker>();
  std::shared_ptr<Transport> inner = backend_->NewTransport();
  auto faulty = std::make_shared<FaultyTransport>(
      *inner, FaultOptions{.seed = 3, .partial_batch = 1.0});
  auto client = Client(NewPartitionObserver({.heat = heat, .hash_keys = {{"batchy", "pk"}}}),
                       nullptr, faulty);
  BatchWriteItemRequest batch;
  for (int i = 0; i < 10; ++i) {
    batch.request_items["batchy"].push_back(
        {.put_item = Item{{"pk", "k" + std::to_string(i)}, {"sk", i}}});
  }
  batch.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  Result<BatchWriteItemResponse> r = client->BatchWriteItem(batch);
  ASSERT_TRUE(r) << r.error().ToString();
  size_t left = r->unprocessed_items.contains("batchy") ? r->unprocessed_items["batchy"].size() : 0;
  ASSERT_GT(left, 0u);
  ASSERT_LT(left, 10u);
  uint64_t throttles = 0;
  double consumed = 0;
  for (const HeatEntry& e : heat->Top(20)) {
    throttles += e.throttles;
    consumed += e.consumed;
  }
  EXPECT_EQ(throttles, left);
  EXPECT_DOUBLE_EQ(consumed, static_cast<double>(10 - left));  // 1 WCU per small item
}

}  // namespace
}  // namespace moe::partitioning
