#include <gtest/gtest.h>

#include "model/test_util.h"
#include "moe/model.h"

namespace moe {
namespace {

using testing::EveryType;
using testing::FullCapacity;
using testing::ParseError;
using testing::RoundTrip;

KeysAndAttributes FullKeys() {
  KeysAndAttributes ka;
  ka.keys = {Item{{"pk", "a"}}, Item{{"pk", "b"}, {"sk", 2}}};
  ka.projection_expression = "#p, v";
  ka.expression_attribute_names = {{"#p", "pk"}};
  ka.consistent_read = true;
  return ka;
}

TEST(BatchCodec, BatchGetItemRoundTrip) {
  BatchGetItemRequest req;
  req.request_items = {{"Forum", FullKeys()},
                       {"Thread", KeysAndAttributes{.keys = {Item{{"pk", "x"}}}}}};
  req.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  EXPECT_EQ(RoundTrip(req), req);

  BatchGetItemResponse resp;
  resp.responses = {{"Forum", {EveryType(), Item{{"pk", "b"}}}}, {"Thread", {}}};
  resp.unprocessed_keys = {{"Forum", FullKeys()}};
  resp.consumed_capacity = {FullCapacity("Forum"),
                            ConsumedCapacity{.table_name = "Thread", .capacity_units = 1}};
  EXPECT_EQ(RoundTrip(resp), resp);
  EXPECT_EQ(ToJson(BatchGetItemResponse{}), R"({"Responses":{},"UnprocessedKeys":{}})");
}

TEST(BatchCodec, BatchGetItemWireShape) {
  BatchGetItemRequest req;
  req.request_items = {{"t", KeysAndAttributes{.keys = {Item{{"pk", "a"}}}}}};
  EXPECT_EQ(ToJson(req), R"({"RequestItems":{"t":{"Keys":[{"pk":{"S":"a"}}]}}})");
}

TEST(BatchCodec, BatchWriteItemRoundTrip) {
  BatchWriteItemRequest req;
  req.request_items = {
      {"Forum",
       {WriteRequest{EveryType(), std::nullopt}, WriteRequest{std::nullopt, Item{{"pk", "gone"}}}}},
      {"Thread", {WriteRequest{Item{{"pk", "t"}}, std::nullopt}}}};
  req.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  EXPECT_EQ(RoundTrip(req), req);
  EXPECT_NE(ToJson(req).find(R"({"DeleteRequest":{"Key":{"pk":{"S":"gone"}}}})"),
            std::string::npos);

  BatchWriteItemResponse resp;
  resp.unprocessed_items = req.request_items;
  resp.consumed_capacity = {FullCapacity("Forum")};
  EXPECT_EQ(RoundTrip(resp), resp);
  EXPECT_EQ(ToJson(BatchWriteItemResponse{}), R"({"UnprocessedItems":{}})");
}

// Shaped like the BatchWriteItem example of the API reference.
TEST(BatchCodec, ParsesBatchWriteItemResponseSample) {
  constexpr std::string_view kBody = R"({
    "UnprocessedItems": {
      "Forum": [
        {"PutRequest": {"Item": {"Name": {"S": "Amazon ElastiCache"}, "Category": {"S": "Amazon Web Services"}}}},
        {"DeleteRequest": {"Key": {"Name": {"S": "Amazon S3"}}}}
      ]
    },
    "ConsumedCapacity": [{"TableName": "Forum", "CapacityUnits": 3}],
    "ItemCollectionMetrics": {}
  })";
  Result<BatchWriteItemResponse> r = Parse<BatchWriteItemResponse>(kBody);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->unprocessed_items.size(), 1u);
  const std::vector<WriteRequest>& forum = r->unprocessed_items.at("Forum");
  ASSERT_EQ(forum.size(), 2u);
  ASSERT_TRUE(forum[0].put_item);
  EXPECT_FALSE(forum[0].delete_key);
  EXPECT_EQ(forum[0].put_item->at("Name"), Value("Amazon ElastiCache"));
  ASSERT_TRUE(forum[1].delete_key);
  EXPECT_EQ(*forum[1].delete_key, (Item{{"Name", "Amazon S3"}}));
  ASSERT_EQ(r->consumed_capacity.size(), 1u);
  EXPECT_EQ(r->consumed_capacity[0].table_name, "Forum");
  EXPECT_EQ(r->consumed_capacity[0].capacity_units, 3);
}

TEST(BatchCodec, ParsesBatchGetItemResponseSample) {
  constexpr std::string_view kBody = R"({
    "Responses": {
      "Forum": [
        {"Name": {"S": "Amazon DynamoDB"}, "Threads": {"N": "5"}},
        {"Name": {"S": "Amazon RDS"}, "Threads": {"N": "8"}}
      ],
      "Thread": [{"Tags": {"SS": ["Reads", "MultipleItems"]}}]
    },
    "UnprocessedKeys": {"Forum": {"Keys": [{"Name": {"S": "Amazon S3"}}], "ConsistentRead": true}},
    "ConsumedCapacity": [{"TableName": "Forum", "CapacityUnits": 3}, {"TableName": "Thread", "CapacityUnits": 1}]
  })";
  Result<BatchGetItemResponse> r = Parse<BatchGetItemResponse>(kBody);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->responses.at("Forum").size(), 2u);
  EXPECT_EQ(r->responses.at("Thread")[0].at("Tags"), Value(StringSet{"MultipleItems", "Reads"}));
  EXPECT_TRUE(r->unprocessed_keys.at("Forum").consistent_read);
  EXPECT_EQ(r->consumed_capacity.size(), 2u);
}

TEST(BatchCodec, WrongShapesAreRejected) {
  EXPECT_EQ(ParseError<BatchWriteItemRequest>(R"({"RequestItems":{"t":{}}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<BatchWriteItemRequest>(R"({"RequestItems":{"t":["x"]}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(
      ParseError<BatchWriteItemRequest>(R"({"RequestItems":{"t":[{"PutRequest":[]}]}})").code(),
      ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<BatchWriteItemRequest>(R"({"RequestItems":[]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<BatchGetItemRequest>(R"({"RequestItems":{"t":{"Keys":{}}}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<BatchGetItemRequest>(R"({"RequestItems":{"t":[]}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<BatchGetItemResponse>(R"({"Responses":{"t":{}}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<BatchGetItemResponse>(R"({"ConsumedCapacity":{}})").code(),
            ErrorCode::kSerialization);
  // Exactly one of PutRequest and DeleteRequest.
  EXPECT_EQ(ParseError<BatchWriteItemRequest>(R"({"RequestItems":{"t":[{}]}})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<BatchWriteItemRequest>(
                R"({"RequestItems":{"t":[{"PutRequest":{"Item":{}},"DeleteRequest":{"Key":{}}}]}})")
                .code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<BatchWriteItemRequest>(R"({"ReturnConsumedCapacity":"SOME"})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<BatchWriteItemRequest>(
                R"({"RequestItems":{"t":[{"PutRequest":{"Item":{"a":{"N":"x"}}}}]}})")
                .code(),
            ErrorCode::kValidation);
}

}  // namespace
}  // namespace moe
