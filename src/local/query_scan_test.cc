#include <set>

#include "local/test_util.h"

namespace moe::local::testing {
namespace {

class QueryScanTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    CreateTableRequest req = TableSpec("tbl", /*range=*/true);
    req.attribute_definitions.push_back({"g", ScalarAttributeType::kS});
    req.attribute_definitions.push_back({"lsk", ScalarAttributeType::kS});
    req.global_secondary_indexes = {
        {"by_g", {{"g", KeyType::kHash}, {"sk", KeyType::kRange}}, {ProjectionType::kKeysOnly, {}}}};
    req.local_secondary_indexes = {
        {"by_lsk", {{"pk", KeyType::kHash}, {"lsk", KeyType::kRange}}, {ProjectionType::kAll, {}}}};
    Ok(req);
  }

  QueryRequest Q(std::string pk) {
    QueryRequest q{.table_name = "tbl"};
    q.key_condition_expression = "pk = :p";
    q.expression_attribute_values = {{":p", std::move(pk)}};
    return q;
  }
};

TEST_F(QueryScanTest, QuerySortsNumericallyAndPages) {
  for (int i : {10, 2, 33, 1, 100}) Put({{"pk", "a"}, {"sk", i}, {"odd", i % 2}});
  Put({{"pk", "b"}, {"sk", 5}});
  auto all = Ok(Q("a"));
  ASSERT_EQ(all.items.size(), 5u);
  std::vector<int64_t> order;
  for (const Item& it : all.items) order.push_back(*it.at("sk").n().ToInt64());
  EXPECT_EQ(order, (std::vector<int64_t>{1, 2, 10, 33, 100}));

  QueryRequest back = Q("a");
  back.scan_index_forward = false;
  back.limit = 2;
  auto p1 = Ok(back);
  ASSERT_EQ(p1.items.size(), 2u);
  EXPECT_EQ(p1.items[0].at("sk"), Value(100));
  ASSERT_TRUE(p1.last_evaluated_key);
  EXPECT_EQ(*p1.last_evaluated_key, (Item{{"pk", "a"}, {"sk", 33}}));
  back.exclusive_start_key = p1.last_evaluated_key;
  auto p2 = Ok(back);
  EXPECT_EQ(p2.items[0].at("sk"), Value(10));

  QueryRequest ranged = Q("a");
  ranged.key_condition_expression = "pk = :p AND sk BETWEEN :lo AND :hi";
  ranged.expression_attribute_values[":lo"] = 2;
  ranged.expression_attribute_values[":hi"] = 33;
  ranged.filter_expression = "odd = :one";
  ranged.expression_attribute_values[":one"] = 1;
  auto r = Ok(ranged);
  EXPECT_EQ(r.scanned_count, 3);
  EXPECT_EQ(r.count, 1);
  EXPECT_EQ(r.items[0].at("sk"), Value(33));

  QueryRequest count = Q("a");
  count.select = Select::kCount;
  auto c = engine_->Handle("Query", ToJson(count));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->find("Items"), std::string::npos);
  EXPECT_EQ(Parse<QueryResponse>(*c)->count, 5);

  QueryRequest projected = Q("a");
  projected.projection_expression = "sk";
  projected.select = Select::kSpecificAttributes;
  EXPECT_EQ(Ok(projected).items[0], (Item{{"sk", 1}}));
}

TEST_F(QueryScanTest, QueryValidation) {
  QueryRequest q{.table_name = "tbl"};
  EXPECT_EQ(Fail(q),
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
            "request.");
  q = Q("a");
  q.expression_attribute_values[":p"] = 5;
  EXPECT_EQ(Fail(q),
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
  q = Q("a");
  q.index_name = "nope";
  EXPECT_EQ(Fail(q), "The table does not have the specified index: nope");
  q = Q("a");
  q.limit = 0;
  EXPECT_NE(Fail(q).find("Member must have value greater than or equal to 1"), std::string::npos);
  q = Q("a");
  q.key_condition_expression = "sk = :p";
  EXPECT_EQ(Fail(q), "Query condition missed key schema element: pk");
  q = Q("a");
  q.select = Select::kAllProjectedAttributes;
  EXPECT_EQ(Fail(q), "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
}

TEST_F(QueryScanTest, IndexesAreMaintainedOnEveryWrite) {
  Put({{"pk", "a"}, {"sk", 1}, {"g", "red"}, {"lsk", "z"}, {"extra", "x"}});
  Put({{"pk", "a"}, {"sk", 2}, {"g", "red"}, {"lsk", "y"}});
  Put({{"pk", "b"}, {"sk", 3}, {"g", "blue"}});
  Put({{"pk", "c"}, {"sk", 4}});  // in no index

  QueryRequest gq{.table_name = "tbl", .index_name = "by_g"};
  gq.key_condition_expression = "g = :g";
  gq.expression_attribute_values = {{":g", "red"}};
  auto red = Ok(gq);
  ASSERT_EQ(red.items.size(), 2u);
  // KEYS_ONLY: table key and index key.
  EXPECT_EQ(red.items[0], (Item{{"pk", "a"}, {"sk", 1}, {"g", "red"}}));

  gq.limit = 1;
  auto page = Ok(gq);
  ASSERT_TRUE(page.last_evaluated_key);
  EXPECT_EQ(*page.last_evaluated_key, (Item{{"pk", "a"}, {"sk", 1}, {"g", "red"}}));
  gq.exclusive_start_key = page.last_evaluated_key;
  EXPECT_EQ(Ok(gq).items[0].at("sk"), Value(2));

  // Moving an item between index partitions, then deleting it.
  UpdateItemRequest up{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  up.update_expression = "SET g = :b";
  up.expression_attribute_values = {{":b", "blue"}};
  Ok(up);
  gq.limit.reset();
  gq.exclusive_start_key.reset();
  EXPECT_EQ(Ok(gq).items.size(), 1u);
  Ok(DeleteItemRequest{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 2}}});
  EXPECT_EQ(Ok(gq).items.size(), 0u);

  QueryRequest lq = Q("a");
  lq.index_name = "by_lsk";
  auto by_lsk = Ok(lq);
  ASSERT_EQ(by_lsk.items.size(), 1u);
  EXPECT_EQ(by_lsk.items[0].at("extra"), Value("x"));

  auto d = Ok(DescribeTableRequest{"tbl"}).table;
  EXPECT_EQ(d.global_secondary_indexes[0].item_count, 2);
  EXPECT_EQ(d.local_secondary_indexes[0].item_count, 1);

  ScanRequest gsi_scan{.table_name = "tbl", .index_name = "by_g"};
  EXPECT_EQ(Ok(gsi_scan).count, 2);
  gsi_scan.consistent_read = true;
  EXPECT_EQ(Fail(gsi_scan), "Consistent reads are not supported on global secondary indexes");
  QueryRequest all_attrs = gq;
  all_attrs.select = Select::kAllAttributes;
  EXPECT_EQ(Fail(all_attrs),
            "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
            "for global secondary index by_g because its projection type is not ALL");
}

TEST_F(QueryScanTest, IndexTypeMismatchIsRejected) {
  PutItemRequest put{.table_name = "tbl", .item = {{"pk", "a"}, {"sk", 1}, {"g", 5}}};
  EXPECT_EQ(Fail(put),
            "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S "
            "Actual: N IndexName: by_g");
}

TEST_F(QueryScanTest, NewGsiIsBackfilled) {
  for (int i = 0; i < 10; ++i) Put({{"pk", "p" + std::to_string(i)}, {"sk", i}, {"color", i % 2 ? "odd" : "even"}});
  UpdateTableRequest up{.table_name = "tbl"};
  up.attribute_definitions = {{"color", ScalarAttributeType::kS}};
  GlobalSecondaryIndexUpdate create;
  create.create = GlobalSecondaryIndex{"by_color", {{"color", KeyType::kHash}}, {}};
  up.global_secondary_index_updates = {create};
  auto resp = Ok(up);
  EXPECT_EQ(resp.table_description.global_secondary_indexes.size(), 2u);
  QueryRequest q{.table_name = "tbl", .index_name = "by_color"};
  q.key_condition_expression = "color = :c";
  q.expression_attribute_values = {{":c", "odd"}};
  EXPECT_EQ(Ok(q).count, 5);

  GlobalSecondaryIndexUpdate del;
  del.delete_index_name = "by_color";
  Ok(UpdateTableRequest{.table_name = "tbl", .global_secondary_index_updates = {del}});
  EXPECT_EQ(Fail(q), "The table does not have the specified index: by_color");
}

TEST_F(QueryScanTest, ScanPagesByOneMegabyte) {
  std::string blob(100 * 1024, 'x');
  for (int i = 0; i < 25; ++i) Put({{"pk", "p" + std::to_string(i)}, {"sk", 0}, {"blob", blob}});
  ScanRequest scan{.table_name = "tbl"};
  std::set<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = Ok(scan);
    ++pages;
    for (const Item& it : page.items) EXPECT_TRUE(seen.insert(it.at("pk").s()).second);
    if (!page.last_evaluated_key) break;
    EXPECT_EQ(page.scanned_count, 11);  // 11 x ~100 KB crosses 1 MB
    scan.exclusive_start_key = page.last_evaluated_key;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 3);
}

TEST_F(QueryScanTest, ParallelScanSegmentsCoverEveryItemOnce) {
  for (int i = 0; i < 200; ++i) Put({{"pk", "p" + std::to_string(i)}, {"sk", i % 3}});
  std::multiset<std::string> seen;
  for (int segment = 0; segment < 4; ++segment) {
    ScanRequest scan{.table_name = "tbl", .limit = 7, .segment = segment, .total_segments = 4};
    int in_segment = 0;
    for (;;) {
      auto page = Ok(scan);
      for (const Item& it : page.items) {
        seen.insert(it.at("pk").s() + "/" + it.at("sk").n().text());
        ++in_segment;
      }
      if (!page.last_evaluated_key) break;
      scan.exclusive_start_key = page.last_evaluated_key;
    }
    EXPECT_GT(in_segment, 20);  // the hash spreads partitions over segments
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 200u);

  EXPECT_EQ(Fail(ScanRequest{.table_name = "tbl", .segment = 1}),
            "The TotalSegments parameter is required but was not present in the request when "
            "Segment parameter is present");
  EXPECT_EQ(Fail(ScanRequest{.table_name = "tbl", .total_segments = 2}),
            "The Segment parameter is required but was not present in the request when parameter "
            "TotalSegments is present");
  EXPECT_EQ(Fail(ScanRequest{.table_name = "tbl", .segment = 2, .total_segments = 2}),
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
            "Segment: 2 is out of bounds, TotalSegments: 2");
}

TEST_F(QueryScanTest, ScanFilterAndStartKeyValidation) {
  for (int i = 0; i < 10; ++i) Put({{"pk", "p" + std::to_string(i)}, {"sk", i}});
  ScanRequest scan{.table_name = "tbl"};
  scan.filter_expression = "sk >= :five";
  scan.expression_attribute_values = {{":five", 5}};
  auto r = Ok(scan);
  EXPECT_EQ(r.count, 5);
  EXPECT_EQ(r.scanned_count, 10);
  scan.exclusive_start_key = Item{{"pk", "p1"}};
  EXPECT_EQ(Fail(scan),
            "The provided starting key is invalid: The provided key element does not match the "
            "schema");
}

}  // namespace
}  // namespace moe::local::testing
