#include "partitioning/wire_scan.h"

#include <gtest/gtest.h>

namespace moe::partitioning::internal {
namespace {

std::string Known(const std::string& table) { return table == "t" ? "pk" : ""; }

TEST(WireScanTest, MembersAndStrings) {
  std::string_view json = R"({"a" : {"x":[1,"}"]}, "b":"q\"s", "c":3})";
  EXPECT_EQ(Member(json, "a"), R"({"x":[1,"}"]})");
  EXPECT_EQ(Member(json, "c"), "3");
  EXPECT_FALSE(Member(json, "d"));
  EXPECT_FALSE(PlainString(*Member(json, "b")));  // escaped: not plain
  EXPECT_EQ(PlainString(R"("abc")"), "abc");
  EXPECT_FALSE(ForEachMember("{\"a\":", [](auto, auto) { return true; }));
  EXPECT_FALSE(ForEachMember("[1]", [](auto, auto) { return true; }));
}

TEST(WireScanTest, SingleItemOperations) {
  RequestView put = ReadRequest(
      "PutItem", R"({"TableName":"t","Item":{"n":{"N":"1"},"pk":{"S":"user#7"}}})", Known);
  EXPECT_EQ(put.direction, Direction::kWrite);
  ASSERT_EQ(put.targets.size(), 1u);
  EXPECT_EQ(put.targets[0].table, "t");
  EXPECT_EQ(put.targets[0].key, "user#7");

  // Unknown table: an Item does not say which attribute is the key ...
  EXPECT_EQ(ReadRequest("PutItem", R"({"TableName":"u","Item":{"pk":{"S":"a"}}})", Known)
                .targets[0]
                .key,
            "");
  // ... a one-attribute Key does.
  RequestView get = ReadRequest("GetItem", R"({"TableName":"u","Key":{"id":{"N":"1.50"}}})", Known);
  EXPECT_EQ(get.direction, Direction::kRead);
  EXPECT_EQ(get.targets[0].key, "1.5");
}

TEST(WireScanTest, QueryBatchAndTransactions) {
  RequestView q = ReadRequest("Query", R"({"TableName":"t","KeyConditionExpression":"#p = :v",
      "ExpressionAttributeNames":{"#p":"pk"},"ExpressionAttributeValues":{":v":{"S":"k1"}}})",
                              Known);
  ASSERT_EQ(q.targets.size(), 1u);
  EXPECT_EQ(q.targets[0].key, "k1");

  RequestView idx = ReadRequest("Query", R"({"TableName":"t","IndexName":"g"})", Known);
  EXPECT_EQ(idx.targets[0].index, "g");

  RequestView batch = ReadRequest("BatchWriteItem", R"({"RequestItems":{"t":[
      {"PutRequest":{"Item":{"pk":{"S":"a"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"b"}}}}]}})",
                                  Known);
  ASSERT_EQ(batch.targets.size(), 2u);
  EXPECT_EQ(batch.targets[0].key, "a");
  EXPECT_EQ(batch.targets[1].key, "b");

  RequestView bget = ReadRequest(
      "BatchGetItem", R"({"RequestItems":{"t":{"Keys":[{"pk":{"S":"c"}},{"pk":{"S":"d"}}]}}})",
      Known);
  ASSERT_EQ(bget.targets.size(), 2u);
  EXPECT_EQ(bget.direction, Direction::kRead);

  RequestView tx = ReadRequest("TransactWriteItems", R"({"TransactItems":[
      {"Put":{"TableName":"t","Item":{"pk":{"S":"e"}}}},
      {"Update":{"TableName":"t","Key":{"pk":{"S":"f"}},"UpdateExpression":"SET a = :a"}}]})",
                               Known);
  ASSERT_EQ(tx.targets.size(), 2u);
  EXPECT_EQ(tx.targets[1].key, "f");

  EXPECT_TRUE(ReadRequest("PutItem", "not json", Known).targets[0].table.empty());
}

TEST(WireScanTest, UnprocessedBatchEntries) {
  RequestView left = ReadUnprocessed("BatchWriteItem", R"({"UnprocessedItems":{"t":[
      {"PutRequest":{"Item":{"pk":{"S":"hot"},"sk":{"N":"1"}}}}]},"ConsumedCapacity":[]})",
                                     Known);
  ASSERT_EQ(left.targets.size(), 1u);
  EXPECT_EQ(left.targets[0].key, "hot");
  EXPECT_TRUE(ReadUnprocessed("BatchWriteItem", R"({"UnprocessedItems":{}})", Known).targets.empty());
  EXPECT_EQ(ReadUnprocessed("BatchGetItem",
                            R"({"UnprocessedKeys":{"t":{"Keys":[{"pk":{"S":"a"}}]}}})", Known)
                .targets.size(),
            1u);
  EXPECT_TRUE(ReadUnprocessed("PutItem", R"({"UnprocessedItems":{}})", Known).targets.empty());
}

TEST(WireScanTest, ConsumedCapacityObjectOrArray) {
  std::vector<ConsumedCapacity> one = ReadConsumedCapacity(
      R"({"Attributes":{"ConsumedCapacity":{"S":"decoy"}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":2.5}})");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].table_name, "t");
  EXPECT_EQ(one[0].capacity_units, 2.5);
  std::vector<ConsumedCapacity> many = ReadConsumedCapacity(
      R"({"ConsumedCapacity":[{"TableName":"a","CapacityUnits":1},{"TableName":"b","CapacityUnits":2}]})");
  ASSERT_EQ(many.size(), 2u);
  EXPECT_TRUE(ReadConsumedCapacity(R"({"Items":[]})").empty());
}

}  // namespace
}  // namespace moe::partitioning::internal
