#include "local/test_util.h"

namespace moe::local::testing {
namespace {

class CapacityTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    CreateTableRequest req = TableSpec("tbl");
    req.attribute_definitions.push_back({"g", ScalarAttributeType::kS});
    req.global_secondary_indexes = {{"by_g", {{"g", KeyType::kHash}}, {ProjectionType::kAll, {}}}};
    Ok(req);
  }

  // An item of exactly `bytes` bytes: "pk" (2 + 1) + "blob" (4 + n).
  static Item Sized(size_t bytes, std::string pk = "a") {
    return Item{{"pk", pk}, {"blob", std::string(bytes - 3 - 4, 'x')}};
  }
};

TEST_F(CapacityTest, WritesPerKilobyte) {
  PutItemRequest put{.table_name = "tbl", .item = Sized(1536)};
  put.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto r = Ok(put);
  ASSERT_TRUE(r.consumed_capacity);
  EXPECT_EQ(r.consumed_capacity->table_name, "tbl");
  EXPECT_EQ(r.consumed_capacity->capacity_units, 2.0);  // 1.5 KB -> 2 WCU

  // Overwriting with a small item costs by the larger, old one.
  put.item = Sized(100);
  EXPECT_EQ(Ok(put).consumed_capacity->capacity_units, 2.0);
  put.item = Sized(1024);
  EXPECT_EQ(Ok(put).consumed_capacity->capacity_units, 1.0);
}

TEST_F(CapacityTest, ReadsPerFourKilobytes) {
  Put(Sized(5 * 1024));
  GetItemRequest get{.table_name = "tbl", .key = {{"pk", "a"}}};
  get.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  EXPECT_EQ(Ok(get).consumed_capacity->capacity_units, 1.0);  // eventually consistent: half of 2
  get.consistent_read = true;
  EXPECT_EQ(Ok(get).consumed_capacity->capacity_units, 2.0);  // 5 KB -> 2 RCU
  get.key = {{"pk", "missing"}};
  EXPECT_EQ(Ok(get).consumed_capacity->capacity_units, 1.0);
}

TEST_F(CapacityTest, QuerySumsEvaluatedItems) {
  for (int i = 0; i < 3; ++i) Put(Sized(3 * 1024, "p" + std::to_string(i)));
  ScanRequest scan{.table_name = "tbl", .consistent_read = true};
  scan.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  EXPECT_EQ(Ok(scan).consumed_capacity->capacity_units, 3.0);  // 9 KB -> 3 RCU
}

TEST_F(CapacityTest, IndexWritesAreChargedPerIndex) {
  PutItemRequest put{.table_name = "tbl", .item = Sized(1000)};
  put.item["g"] = "x";
  put.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  auto r = Ok(put);
  ASSERT_TRUE(r.consumed_capacity);
  EXPECT_EQ(r.consumed_capacity->capacity_units, 2.0);  // 1002 B: 1 on the table + 1 on the index
  ASSERT_TRUE(r.consumed_capacity->table);
  EXPECT_EQ(r.consumed_capacity->table->capacity_units, 1.0);
  EXPECT_EQ(r.consumed_capacity->global_secondary_indexes.at("by_g").capacity_units, 1.0);
}

}  // namespace
}  // namespace moe::local::testing
