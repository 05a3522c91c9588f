#include "local/test_util.h"

namespace moe::local::testing {
namespace {

class BatchTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    CreateTable("one");
    CreateTable("two");
  }
};

TEST_F(BatchTest, WriteThenGetAcrossTables) {
  BatchWriteItemRequest w;
  for (int i = 0; i < 10; ++i) {
    w.request_items["one"].push_back({.put_item = Item{{"pk", std::to_string(i)}, {"v", i}}});
  }
  w.request_items["two"].push_back({.put_item = Item{{"pk", "x"}}});
  w.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto written = Ok(w);
  EXPECT_TRUE(written.unprocessed_items.empty());
  ASSERT_EQ(written.consumed_capacity.size(), 2u);
  EXPECT_EQ(written.consumed_capacity[0].capacity_units, 10.0);

  BatchWriteItemRequest del;
  del.request_items["two"].push_back({.delete_key = Item{{"pk", "x"}}});
  Ok(del);

  BatchGetItemRequest g;
  g.request_items["one"].keys = {{{"pk", "1"}}, {{"pk", "2"}}, {{"pk", "missing"}}};
  g.request_items["one"].projection_expression = "v";
  g.request_items["two"].keys = {{{"pk", "x"}}};
  auto got = Ok(g);
  EXPECT_EQ(got.responses["one"].size(), 2u);
  EXPECT_EQ(got.responses["one"][0].size(), 1u);  // projected onto v
  EXPECT_TRUE(got.responses["two"].empty());
  EXPECT_TRUE(got.unprocessed_keys.empty());
}

TEST_F(BatchTest, Validation) {
  BatchGetItemRequest g;
  g.request_items["one"].keys = {{{"pk", "a"}}, {{"pk", "a"}}};
  EXPECT_EQ(Fail(g), "Provided list of item keys contains duplicates");
  g.request_items["one"].keys.clear();
  for (int i = 0; i < 101; ++i) g.request_items["one"].keys.push_back({{"pk", std::to_string(i)}});
  EXPECT_EQ(Fail(g), "Too many items requested for the BatchGetItem call");
  g.request_items.clear();
  g.request_items["missing"].keys = {{{"pk", "a"}}};
  Fail(g, ErrorCode::kResourceNotFound);

  BatchWriteItemRequest w;
  w.request_items["one"] = {{.put_item = Item{{"pk", "a"}}}, {.delete_key = Item{{"pk", "a"}}}};
  EXPECT_EQ(Fail(w), "Provided list of item keys contains duplicates");
  w.request_items["one"].clear();
  for (int i = 0; i < 26; ++i) w.request_items["one"].push_back({.put_item = Item{{"pk", std::to_string(i)}}});
  EXPECT_NE(Fail(w).find("Member must have length less than or equal to 25"), std::string::npos);
  w.request_items["one"] = {{.put_item = Item{{"nokey", "a"}}}};
  EXPECT_EQ(Fail(w), "One or more parameter values were invalid: Missing the key pk in the item");
  EXPECT_EQ(Ok(ScanRequest{.table_name = "one"}).count, 0);  // nothing written
}

TEST_F(BatchTest, SixteenMegabyteResponseLimit) {
  std::string blob(390 * 1024, 'x');
  for (int i = 0; i < 50; ++i) Put({{"pk", std::to_string(i)}, {"blob", blob}}, "one");
  BatchGetItemRequest g;
  for (int i = 0; i < 50; ++i) g.request_items["one"].keys.push_back({{"pk", std::to_string(i)}});
  auto got = Ok(g);
  size_t returned = got.responses["one"].size();
  EXPECT_LT(returned, 50u);
  EXPECT_GE(returned, 42u);
  ASSERT_TRUE(got.unprocessed_keys.contains("one"));
  EXPECT_EQ(returned + got.unprocessed_keys["one"].keys.size(), 50u);
}

}  // namespace
}  // namespace moe::local::testing
