// The partition simulator inside the engine (EngineOptions::simulate), on a
// ManualClock: partitions from CreateTable and UpdateTable, throttling of
// every item operation with DynamoDB's errors, batches, transactions, GSIs,
// and the report.

#include <gtest/gtest.h>

#include "local/storage.h"
#include "local/test_util.h"

namespace moe::local {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

class SimulatorTest : public testing::EngineTest {
 protected:
  void SetUp() override { OpenSim({}); }

  void OpenSim(SimulatorOptions sim) {
    engine_.reset();
    EngineOptions options;
    options.simulate = sim;
    options.simulate.enabled = true;
    engine_ = Open(std::move(options));
  }

  void CreateProvisioned(int64_t rcu, int64_t wcu, std::string name = "tbl") {
    CreateTableRequest req = TableSpec(std::move(name));
    req.billing_mode = BillingMode::kProvisioned;
    req.provisioned_throughput = ProvisionedThroughput{rcu, wcu};
    Ok(req);
  }

  const SimResourceReport& Resource(std::string_view table = "tbl", std::string_view index = "") {
    report_ = engine_->SimulatorMetrics();
    for (const SimResourceReport& r : report_.resources) {
      if (r.table == table && r.index == index) return r;
    }
    ADD_FAILURE() << "no report for " << table << " " << index;
    static const SimResourceReport kNone;
    return kNone;
  }

  // A key whose hash falls in partition `partition` of the table, the
  // `nth` such key.
  std::string KeyOn(size_t partition, int nth = 0) {
    const SimPartitionReport& p = Resource().partitions.at(partition);
    for (int i = 0;; ++i) {
      std::string key = "key" + std::to_string(i);
      uint64_t h = HashKeyValue(Value(key));
      if (h >= p.hash_begin && h <= p.hash_end && nth-- == 0) return key;
    }
  }

  // PutItem of a small (1 WCU) item; the error code, or nullopt.
  std::optional<ErrorCode> PutSmall(const std::string& pk) {
    PutItemRequest req{.table_name = "tbl", .item = {{"pk", pk}, {"v", "x"}}};
    auto resp = Call(req);
    if (resp) return std::nullopt;
    return resp.error().code();
  }

  // Offers `rate` puts per second, evenly spaced, over `keys` in turn for
  // `secs` seconds; returns how many succeeded.
  int64_t Offer(const std::vector<std::string>& keys, int rate, int secs) {
    int64_t ok = 0;
    for (int64_t i = 0; i < int64_t{rate} * secs; ++i) {
      std::optional<ErrorCode> error = PutSmall(keys[static_cast<size_t>(i) % keys.size()]);
      if (!error) ++ok;
      clock_.Advance(microseconds(1000000 / rate));
    }
    return ok;
  }

  SimulatorReport report_;
};

TEST_F(SimulatorTest, OffByDefault) {
  engine_.reset();
  engine_ = Open({});
  CreateProvisioned(1, 1);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(PutSmall("k"));
  EXPECT_FALSE(engine_->SimulatorMetrics().enabled);
}

TEST_F(SimulatorTest, PartitionsFromCapacityAndUpdateTable) {
  CreateProvisioned(3000, 3000);
  EXPECT_EQ(Resource().partitions.size(), 4u);
  CreateProvisioned(1, 4000, "wide");
  // ceil(1/3000 + 4000/1000): any read capacity adds a fraction.
  EXPECT_EQ(Resource("wide").partitions.size(), 5u);

  UpdateTableRequest raise{.table_name = "tbl"};
  raise.provisioned_throughput = ProvisionedThroughput{3000, 6000};
  Ok(raise);
  const SimResourceReport& r = Resource();
  EXPECT_EQ(r.partitions.size(), 8u);  // 7 needed: doubled
  EXPECT_DOUBLE_EQ(r.write_capacity_units, 6000);
  EXPECT_DOUBLE_EQ(r.partitions[0].write_units_per_second, 750);

  UpdateTableRequest lower{.table_name = "tbl"};
  lower.provisioned_throughput = ProvisionedThroughput{1, 1};
  Ok(lower);
  EXPECT_EQ(Resource().partitions.size(), 8u);  // never shrinks
}

TEST_F(SimulatorTest, HotKeyIsHeldToItsPartitionWhileSpreadKeysGetThrough) {
  SimulatorOptions sim;
  sim.adaptive_capacity = false;
  OpenSim(sim);
  CreateProvisioned(3000, 3000);  // 4 partitions of 750 WCU
  int64_t hot = Offer({KeyOn(0)}, 2000, 20);
  // 750/s plus the one second of credit a new partition holds.
  EXPECT_NEAR(hot, 750 + 20 * 750, 5);

  std::vector<std::string> keys;
  for (size_t i = 0; i < 8; ++i) keys.push_back(KeyOn(i % 4, static_cast<int>(i / 4)));
  Ok(DeleteTableRequest{.table_name = "tbl"});
  CreateProvisioned(3000, 3000);
  EXPECT_EQ(Offer(keys, 2000, 20), 2000 * 20);

  const SimResourceReport& r = Resource();
  SimTotals totals = r.totals;
  EXPECT_DOUBLE_EQ(totals.consumed_write_units, 2000 * 20);
  EXPECT_EQ(totals.write_throttle_events, 0);
}

TEST_F(SimulatorTest, AdaptiveCapacityLiftsAHotPartitionToThePartitionMaximum) {
  CreateProvisioned(1, 4000);  // 5 partitions of 800 WCU; adaptive is on by default
  std::string key = KeyOn(0);
  Offer({key}, 2000, 5);  // spend the initial credit
  EXPECT_NEAR(Offer({key}, 2000, 20), 20 * 1000, 5);
  const SimResourceReport& r = Resource();
  EXPECT_GT(r.partitions[0].totals.write_throttle_events, 20 * 900);
  EXPECT_DOUBLE_EQ(r.partitions[1].totals.consumed_write_units, 0);
}

TEST_F(SimulatorTest, ThrottledWriteIsProvisionedThroughputExceededWithReasons) {
  SimulatorOptions sim;
  sim.burst_seconds = 0;
  OpenSim(sim);
  CreateProvisioned(1, 1);
  EXPECT_FALSE(PutSmall("k"));
  PutItemRequest req{.table_name = "tbl", .item = {{"pk", "k"}, {"v", "y"}}};
  auto resp = Call(req);
  ASSERT_FALSE(resp);
  const Error& e = resp.error();
  EXPECT_EQ(e.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_TRUE(e.retryable());
  EXPECT_EQ(e.message(),
            "The level of configured provisioned throughput for the table was exceeded. Consider "
            "increasing your provisioning level with the UpdateTable API.");
  ASSERT_NE(e.detail(), nullptr);
  ASSERT_EQ(e.detail()->throttling_reasons.size(), 1u);
  EXPECT_EQ(e.detail()->throttling_reasons[0].reason, "TableWriteProvisionedThroughputExceeded");
  EXPECT_EQ(e.detail()->throttling_reasons[0].resource,
            "arn:aws:dynamodb:us-east-1:000000000000:table/tbl");
  EXPECT_EQ(Get({{"pk", "k"}})->at("v"), Value("x"));  // the throttled write did nothing

  clock_.Advance(seconds(1));
  EXPECT_FALSE(PutSmall("k"));
}

TEST_F(SimulatorTest, ReadsQueriesAndScansAreChargedAndThrottled) {
  SimulatorOptions sim;
  sim.burst_seconds = 0;
  sim.adaptive_capacity = false;
  OpenSim(sim);
  CreateProvisioned(2, 1);
  Put({{"pk", "a"}, {"v", "x"}});
  GetItemRequest get{.table_name = "tbl", .key = {{"pk", "a"}}};  // 0.5 RCU
  QueryRequest query{.table_name = "tbl"};
  query.key_condition_expression = "pk = :a";
  query.expression_attribute_values = {{":a", Value("a")}};
  int ok = 0;
  for (int i = 0; i < 10; ++i) ok += Call(get).has_value();
  EXPECT_EQ(ok, 4);  // 2 RCU of credit, 0.5 each
  EXPECT_EQ(Fail(query, ErrorCode::kProvisionedThroughputExceeded),
            "The level of configured provisioned throughput for the table was exceeded. Consider "
            "increasing your provisioning level with the UpdateTable API.");
  Fail(ScanRequest{.table_name = "tbl"}, ErrorCode::kProvisionedThroughputExceeded);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(Call(query).has_value());
  EXPECT_DOUBLE_EQ(Resource().totals.consumed_read_units, 4 * 0.5 + 0.5);
  EXPECT_EQ(Resource().totals.read_throttle_events, 8);
}

TEST_F(SimulatorTest, OnDemandThrottlesWithThrottlingException) {
  CreateTable();  // PAY_PER_REQUEST
  const SimResourceReport& r = Resource();
  EXPECT_TRUE(r.on_demand);
  EXPECT_EQ(r.partitions.size(), 4u);
  EXPECT_DOUBLE_EQ(r.write_capacity_units, 4000);
  std::string key = KeyOn(1);
  // A hot key on an on-demand table still meets its partition's 1000 WCU.
  EXPECT_NEAR(Offer({key}, 2000, 10), 10 * 1000, 5);
  PutItemRequest req{.table_name = "tbl", .item = {{"pk", key}}};
  for (int i = 0; i < 1000; ++i) (void)Call(req);
  auto resp = Call(req);
  ASSERT_FALSE(resp);
  EXPECT_EQ(resp.error().code(), ErrorCode::kThrottling);
  EXPECT_TRUE(resp.error().retryable());
  EXPECT_TRUE(resp.error().message().starts_with(
      "Throughput exceeds the current capacity of your table or index."));
  ASSERT_NE(resp.error().detail(), nullptr);
  EXPECT_EQ(resp.error().detail()->throttling_reasons.at(0).reason,
            "TableWriteKeyRangeThroughputExceeded");
}

TEST_F(SimulatorTest, BatchWriteReturnsThrottledItemsAsUnprocessed) {
  SimulatorOptions sim;
  sim.burst_seconds = 0;
  sim.adaptive_capacity = false;
  OpenSim(sim);
  CreateProvisioned(1, 3);  // 1 partition, 3 WCU of credit
  BatchWriteItemRequest batch;
  for (int i = 0; i < 5; ++i) {
    batch.request_items["tbl"].push_back(
        WriteRequest{.put_item = Item{{"pk", "k" + std::to_string(i)}}});
  }
  BatchWriteItemResponse resp = Ok(batch);
  ASSERT_EQ(resp.unprocessed_items["tbl"].size(), 2u);
  EXPECT_EQ(resp.unprocessed_items["tbl"][0].put_item->at("pk"), Value("k3"));
  // Every item throttled: the whole batch fails.
  Fail(batch, ErrorCode::kProvisionedThroughputExceeded);

  clock_.Advance(seconds(1));  // 1 RCU: two eventually consistent reads
  BatchGetItemRequest get;
  for (int i = 0; i < 5; ++i) get.request_items["tbl"].keys.push_back({{"pk", "k" + std::to_string(i)}});
  BatchGetItemResponse got = Ok(get);
  EXPECT_EQ(got.responses["tbl"].size(), 2u);
  EXPECT_EQ(got.unprocessed_keys["tbl"].keys.size(), 3u);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(Get({{"pk", "k2"}}).has_value());
  clock_.Advance(seconds(1));
  EXPECT_FALSE(Get({{"pk", "k3"}}).has_value());
}

TEST_F(SimulatorTest, ThrottledTransactionIsCancelledWithAThrottlingReason) {
  SimulatorOptions sim;
  sim.burst_seconds = 0;
  sim.adaptive_capacity = false;
  OpenSim(sim);
  CreateProvisioned(1, 2);
  TransactWriteItemsRequest t;
  for (const char* pk : {"a", "b"}) {
    TransactWriteItem item;
    item.put = TransactPut{.table_name = "tbl", .item = {{"pk", pk}}};
    t.transact_items.push_back(std::move(item));
  }
  Ok(t);  // 2 WCU of credit; each action costs 2 (transactional)
  auto resp = Call(t);
  ASSERT_FALSE(resp);
  EXPECT_EQ(resp.error().code(), ErrorCode::kTransactionCanceled);
  ASSERT_NE(resp.error().detail(), nullptr);
  EXPECT_EQ(resp.error().detail()->cancellation_reasons.at(0).code, "ProvisionedThroughputExceeded");
}

TEST_F(SimulatorTest, GsiHasItsOwnPartitionsAndThrottles) {
  SimulatorOptions sim;
  sim.burst_seconds = 0;
  sim.adaptive_capacity = false;
  OpenSim(sim);
  CreateTableRequest req = TableSpec();
  req.billing_mode = BillingMode::kProvisioned;
  req.provisioned_throughput = ProvisionedThroughput{1, 1000};
  req.attribute_definitions.push_back({"g", ScalarAttributeType::kS});
  GlobalSecondaryIndex gsi{.index_name = "byg", .key_schema = {{"g", KeyType::kHash}}};
  gsi.projection.projection_type = ProjectionType::kAll;
  gsi.provisioned_throughput = ProvisionedThroughput{1, 2};
  req.global_secondary_indexes.push_back(gsi);
  Ok(req);
  EXPECT_EQ(Resource("tbl", "byg").partitions.size(), 1u);
  int ok = 0;
  for (int i = 0; i < 5; ++i) {
    ok += Call(PutItemRequest{.table_name = "tbl",
                              .item = {{"pk", "k" + std::to_string(i)}, {"g", "x"}}})
              .has_value();
  }
  EXPECT_EQ(ok, 2);
  auto resp = Call(PutItemRequest{.table_name = "tbl", .item = {{"pk", "z"}, {"g", "x"}}});
  ASSERT_FALSE(resp);
  EXPECT_TRUE(resp.error().message().starts_with(
      "The level of configured provisioned throughput for one or more global secondary indexes"));
  EXPECT_EQ(resp.error().detail()->throttling_reasons.at(0).resource,
            "arn:aws:dynamodb:us-east-1:000000000000:table/tbl/index/byg");
  // Items without the index key do not touch the index.
  EXPECT_TRUE(Call(PutItemRequest{.table_name = "tbl", .item = {{"pk", "y"}}}).has_value());
}

TEST_F(SimulatorTest, SizeSplitsPartitionsAndDeletedTablesLeaveTheReport) {
  SimulatorOptions sim;
  sim.partition_size_bytes = 16 * 1024;
  OpenSim(sim);
  CreateProvisioned(100, 100);
  std::string pad(900, 'x');
  for (int i = 0; i < 60; ++i) {
    Put({{"pk", "k" + std::to_string(i)}, {"pad", pad}});
    clock_.Advance(seconds(1));
  }
  const SimResourceReport& r = Resource();
  EXPECT_GE(r.partitions.size(), 4u);  // ~55 KB over 16 KB partitions
  int64_t bytes = 0;
  for (const SimPartitionReport& p : r.partitions) {
    EXPECT_LE(p.size_bytes, sim.partition_size_bytes);
    bytes += p.size_bytes;
  }
  EXPECT_GT(bytes, 48 * 1024);
  Ok(DeleteTableRequest{.table_name = "tbl"});
  EXPECT_TRUE(engine_->SimulatorMetrics().resources.empty());
}

}  // namespace
}  // namespace moe::local
