// The fast response readers take the usual bodies and leave the rest to the
// strict Parse<T> (which the other codec tests check).
#include "model/fast_read.h"

#include <gtest/gtest.h>

#include "model/test_util.h"

namespace moe::internal {
namespace {

using moe::testing::EveryType;

ConsumedCapacity Totals() {
  return ConsumedCapacity{.table_name = "t", .capacity_units = 2.5, .read_capacity_units = 2.5};
}

TEST(FastRead, QueryResponseTakesTheFastPath) {
  QueryResponse resp;
  resp.items = {EveryType(), Item{{"pk", "b"}}, Item{}};
  resp.count = 3;
  resp.scanned_count = 10;
  resp.last_evaluated_key = Item{{"pk", "b"}};
  resp.consumed_capacity = Totals();
  std::optional<QueryResponse> fast = FastQueryResponse(ToJson(resp));
  ASSERT_TRUE(fast);
  EXPECT_EQ(*fast, resp);
  // Members the strict reader treats as absent or ignores.
  fast = FastQueryResponse(
      R"({"Items":null,"Count":2.0,"LastEvaluatedKey":null,"Future":{"x":[1,"2",null]},
          "ConsumedCapacity":{"TableName":"t","CapacityUnits":1,"Table":null,"Other":1}})");
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->count, 2);
  EXPECT_TRUE(fast->items.empty());
  EXPECT_EQ(fast->consumed_capacity->capacity_units, 1);
}

TEST(FastRead, LeavesTheRestToTheStrictReader) {
  const char* const kCases[] = {
      R"([])",
      R"({"Count":1,"Count":2})",  // repeated member
      R"({"Items":[],"Items":[{"a":{"S":"x"}}]})",
      R"({"Count":"2"})",
      R"({"Count":9223372036854775808})",
      R"({"Count":1.5})",
      R"({"Items":{}})",
      R"({"Items":["x"]})",
      R"({"Items":[{"a":{"S":"x","N":"1"}}]})",
      R"({"ConsumedCapacity":{"Table":{"CapacityUnits":1}}})",  // not handled here
      R"({"ConsumedCapacity":{"CapacityUnits":"1"}})",
      R"({"ConsumedCapacity":[]})",
  };
  for (const char* json : kCases) EXPECT_FALSE(FastQueryResponse(json)) << json;
  // And Parse<T> still answers them as before (the codec tests check the errors).
  Result<QueryResponse> first = Parse<QueryResponse>(R"({"Count":1,"Count":2})");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->count, 1);
}

TEST(FastRead, GetItemResponse) {
  GetItemResponse resp{EveryType(), Totals()};
  std::optional<GetItemResponse> fast = FastGetItemResponse(ToJson(resp));
  ASSERT_TRUE(fast);
  EXPECT_EQ(*fast, resp);
  fast = FastGetItemResponse("{}");
  ASSERT_TRUE(fast);
  EXPECT_FALSE(fast->item);
  EXPECT_FALSE(FastGetItemResponse(R"({"Item":[]})"));
}

TEST(FastRead, BatchGetItemResponse) {
  BatchGetItemResponse resp;
  resp.responses["a"] = {EveryType(), Item{{"pk", "x"}}};
  resp.responses["b"] = {};
  resp.consumed_capacity = {Totals(), Totals()};
  std::optional<BatchGetItemResponse> fast = FastBatchGetItemResponse(ToJson(resp));
  ASSERT_TRUE(fast);
  EXPECT_EQ(*fast, resp);
  // Keys to retry are read by the strict reader.
  resp.unprocessed_keys["a"].keys = {Item{{"pk", "y"}}};
  EXPECT_FALSE(FastBatchGetItemResponse(ToJson(resp)));
  Result<BatchGetItemResponse> strict = Parse<BatchGetItemResponse>(ToJson(resp));
  ASSERT_TRUE(strict);
  EXPECT_EQ(*strict, resp);
}

// The plain requests the engine parses per PutItem and GetItem; everything
// else falls back to the strict reader, whose answer Parse<T> returns.
TEST(FastRead, PlainPutAndGetRequests) {
  PutItemRequest put{.table_name = "t", .item = EveryType()};
  std::optional<PutItemRequest> fast_put = FastPutItemRequest(ToJson(put));
  ASSERT_TRUE(fast_put);
  EXPECT_EQ(fast_put->table_name, "t");
  EXPECT_EQ(fast_put->item, put.item);
  GetItemRequest get{.table_name = "t", .key = {{"pk", "a"}, {"sk", 1}}, .consistent_read = true};
  std::optional<GetItemRequest> fast_get = FastGetItemRequest(ToJson(get));
  ASSERT_TRUE(fast_get);
  EXPECT_EQ(fast_get->key, get.key);
  EXPECT_TRUE(fast_get->consistent_read);

  const char* const kStrictPuts[] = {
      R"j({"TableName":"t","Item":{"a":{"S":"x"}},"ConditionExpression":"attribute_not_exists(a)"})j",
      R"({"TableName":"t","Item":{"a":{"S":"x"}},"ReturnConsumedCapacity":"TOTAL"})",
      R"({"TableName":"t","TableName":"u","Item":{}})",
      R"({"TableName":null,"Item":{}})",
      R"({"TableName":1,"Item":{}})",
      R"({"TableName":"t","Item":{"a":{"S":"x","N":"1"}}})",
      R"({"TableName":"t","Item":[]})",
      R"([])",
      R"({"TableName":"t","Item":)",
  };
  for (const char* json : kStrictPuts) EXPECT_FALSE(FastPutItemRequest(json)) << json;
  Result<PutItemRequest> conditional = Parse<PutItemRequest>(kStrictPuts[0]);
  ASSERT_TRUE(conditional);
  EXPECT_EQ(conditional->condition_expression, "attribute_not_exists(a)");
  EXPECT_EQ(Parse<PutItemRequest>(kStrictPuts[2])->table_name, "t");  // the first, as before
  EXPECT_EQ(Parse<PutItemRequest>(kStrictPuts[4]).error().code(), ErrorCode::kSerialization);
  EXPECT_FALSE(Parse<PutItemRequest>(kStrictPuts[5]));
  EXPECT_EQ(Parse<PutItemRequest>(kStrictPuts[8]).error().code(), ErrorCode::kSerialization);

  const char* const kStrictGets[] = {
      R"({"TableName":"t","Key":{"a":{"S":"x"}},"ProjectionExpression":"a"})",
      R"({"TableName":"t","Key":{"a":{"S":"x"}},"ConsistentRead":null})",
      R"({"TableName":"t","Key":{"a":{"S":"x"}},"ConsistentRead":"yes"})",
  };
  for (const char* json : kStrictGets) EXPECT_FALSE(FastGetItemRequest(json)) << json;
  EXPECT_EQ(Parse<GetItemRequest>(kStrictGets[0])->projection_expression, "a");
  EXPECT_FALSE(Parse<GetItemRequest>(kStrictGets[1])->consistent_read);
  EXPECT_FALSE(Parse<GetItemRequest>(kStrictGets[2]));
}

}  // namespace
}  // namespace moe::internal
