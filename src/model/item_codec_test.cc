#include <gtest/gtest.h>

#include "model/test_util.h"
#include "moe/model.h"

namespace moe {
namespace {

using testing::EveryType;
using testing::FullCapacity;
using testing::ParseError;
using testing::RoundTrip;

TEST(ItemCodec, PutItemRoundTrip) {
  PutItemRequest req;
  req.table_name = "users";
  req.item = EveryType();
  req.condition_expression = "attribute_not_exists(#pk) AND #n < :max";
  req.expression_attribute_names = {{"#pk", "pk"}, {"#n", "count"}};
  req.expression_attribute_values = {{":max", 10}, {":s", "x"}};
  req.return_values = ReturnValue::kAllOld;
  req.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  req.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::kAllOld;
  EXPECT_EQ(RoundTrip(req), req);

  PutItemResponse resp{EveryType(), FullCapacity("users")};
  EXPECT_EQ(RoundTrip(resp), resp);
  EXPECT_EQ(ToJson(PutItemResponse{}), "{}");
}

TEST(ItemCodec, PutItemWritesOnlyWhatIsSet) {
  PutItemRequest req{.table_name = "users", .item = {{"pk", "u#1"}, {"n", 7}}};
  EXPECT_EQ(ToJson(req), R"({"TableName":"users","Item":{"n":{"N":"7"},"pk":{"S":"u#1"}}})");
}

TEST(ItemCodec, GetItemRoundTrip) {
  GetItemRequest req;
  req.table_name = "users";
  req.key = {{"pk", "u#1"}, {"sk", 1}};
  req.consistent_read = true;
  req.projection_expression = "#a, b.c[1]";
  req.expression_attribute_names = {{"#a", "a"}};
  req.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  EXPECT_EQ(RoundTrip(req), req);
  EXPECT_EQ(ToJson(GetItemRequest{.table_name = "t", .key = {{"pk", "a"}}}),
            R"({"TableName":"t","Key":{"pk":{"S":"a"}}})");

  GetItemResponse resp{EveryType(), ConsumedCapacity{.table_name = "users", .capacity_units = 0.5}};
  EXPECT_EQ(RoundTrip(resp), resp);
  GetItemResponse missing;
  EXPECT_EQ(RoundTrip(missing), missing);
  EXPECT_FALSE(RoundTrip(missing).item.has_value());
}

TEST(ItemCodec, UpdateItemRoundTrip) {
  UpdateItemRequest req;
  req.table_name = "users";
  req.key = {{"pk", "u#1"}};
  req.update_expression = "SET #n = #n + :one REMOVE gone";
  req.condition_expression = "attribute_exists(pk)";
  req.expression_attribute_names = {{"#n", "count"}};
  req.expression_attribute_values = {{":one", 1}};
  req.return_values = ReturnValue::kUpdatedNew;
  req.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  req.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::kAllOld;
  EXPECT_EQ(RoundTrip(req), req);
  UpdateItemResponse resp{Item{{"count", 8}}, FullCapacity("users")};
  EXPECT_EQ(RoundTrip(resp), resp);
}

TEST(ItemCodec, DeleteItemRoundTrip) {
  DeleteItemRequest req;
  req.table_name = "users";
  req.key = {{"pk", "u#1"}, {"sk", Bytes{"k"}}};
  req.condition_expression = "v = :v";
  req.expression_attribute_names = {{"#v", "v"}};
  req.expression_attribute_values = {{":v", List{1, 2}}};
  req.return_values = ReturnValue::kAllOld;
  req.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  req.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::kAllOld;
  EXPECT_EQ(RoundTrip(req), req);
  DeleteItemResponse resp{EveryType(), std::nullopt};
  EXPECT_EQ(RoundTrip(resp), resp);
}

TEST(ItemCodec, QueryRequestRoundTrip) {
  QueryRequest req;
  req.table_name = "Thread";
  req.index_name = "LastPostIndex";
  req.key_condition_expression = "ForumName = :f AND begins_with(#s, :p)";
  req.filter_expression = "Views > :v";
  req.projection_expression = "ForumName, #s";
  req.expression_attribute_names = {{"#s", "Subject"}};
  req.expression_attribute_values = {{":f", "S3"}, {":p", "a"}, {":v", 3}};
  req.limit = 25;
  req.scan_index_forward = false;
  req.exclusive_start_key = Item{{"ForumName", "S3"}, {"Subject", "x"}};
  req.consistent_read = true;
  req.select = Select::kSpecificAttributes;
  req.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  EXPECT_EQ(RoundTrip(req), req);
  EXPECT_EQ(ToJson(QueryRequest{.table_name = "t"}), R"({"TableName":"t"})");
}

TEST(ItemCodec, ScanRequestRoundTrip) {
  ScanRequest req;
  req.table_name = "Thread";
  req.index_name = "i";
  req.filter_expression = "a = :a";
  req.projection_expression = "a";
  req.expression_attribute_names = {{"#a", "a"}};
  req.expression_attribute_values = {{":a", true}};
  req.limit = 1000;
  req.exclusive_start_key = Item{{"pk", "z"}};
  req.consistent_read = true;
  req.select = Select::kCount;
  req.segment = 3;
  req.total_segments = 8;
  req.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  EXPECT_EQ(RoundTrip(req), req);
}

TEST(ItemCodec, QueryResponseRoundTrip) {
  QueryResponse resp;
  resp.items = {EveryType(), Item{{"pk", "b"}}, Item{}};
  resp.count = 3;
  resp.scanned_count = 10;
  resp.last_evaluated_key = Item{{"pk", "b"}};
  resp.consumed_capacity = FullCapacity("Thread");
  EXPECT_EQ(RoundTrip(resp), resp);
  EXPECT_EQ(ToJson(QueryResponse{}), R"({"Items":[],"Count":0,"ScannedCount":0})");
}

// Shaped like the Query example of the API reference.
TEST(ItemCodec, ParsesQueryResponseSample) {
  constexpr std::string_view kBody = R"({
    "ConsumedCapacity": {"CapacityUnits": 1, "TableName": "Reply",
                         "Table": {"CapacityUnits": 0.5},
                         "LocalSecondaryIndexes": {"PostedBy-index": {"CapacityUnits": 0.5}}},
    "Count": 2,
    "Items": [
      {"PostedBy": {"S": "User A"}, "ReplyDateTime": {"S": "2015-09-15T19:58:22.947Z"},
       "Id": {"S": "Amazon DynamoDB#DynamoDB Thread 1"}, "Votes": {"N": "10"},
       "Tags": {"SS": ["x", "y"]}, "Meta": {"M": {"edited": {"BOOL": false}, "by": {"NULL": true}}}},
      {"PostedBy": {"S": "User B"}, "ReplyDateTime": {"S": "2015-09-22T19:58:22.947Z"},
       "Id": {"S": "Amazon DynamoDB#DynamoDB Thread 1"}, "Votes": {"N": "1.5E3"}}
    ],
    "LastEvaluatedKey": {"Id": {"S": "Amazon DynamoDB#DynamoDB Thread 1"},
                         "ReplyDateTime": {"S": "2015-09-22T19:58:22.947Z"}},
    "ScannedCount": 2,
    "SomeFutureMember": {"nested": [1, 2, 3]}
  })";
  Result<QueryResponse> r = Parse<QueryResponse>(kBody);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->count, 2);
  EXPECT_EQ(r->scanned_count, 2);
  ASSERT_EQ(r->items.size(), 2u);
  EXPECT_EQ(r->items[0].at("PostedBy"), Value("User A"));
  EXPECT_EQ(r->items[0].at("Tags"), Value(StringSet{"x", "y"}));
  EXPECT_EQ(r->items[0].at("Meta"), Value(Map{{"edited", false}, {"by", nullptr}}));
  EXPECT_EQ(r->items[1].at("Votes"), Value(1500));
  EXPECT_EQ(r->items[1].at("Votes").n().text(), "1.5E3");  // as sent
  ASSERT_TRUE(r->last_evaluated_key);
  EXPECT_EQ(r->last_evaluated_key->size(), 2u);
  ASSERT_TRUE(r->consumed_capacity);
  EXPECT_EQ(r->consumed_capacity->table_name, "Reply");
  EXPECT_EQ(r->consumed_capacity->capacity_units, 1);
  ASSERT_TRUE(r->consumed_capacity->table);
  EXPECT_EQ(r->consumed_capacity->table->capacity_units, 0.5);
  EXPECT_EQ(r->consumed_capacity->local_secondary_indexes.at("PostedBy-index").capacity_units, 0.5);
}

TEST(ItemCodec, WrongTypesAreSerializationErrors) {
  EXPECT_EQ(ParseError<QueryRequest>(R"({"Limit":"10"})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryRequest>(R"({"ScanIndexForward":"false"})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryRequest>(R"({"ExpressionAttributeNames":{"#a":1}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryRequest>(R"({"ExpressionAttributeValues":[]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<ScanRequest>(R"({"Segment":true})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<PutItemRequest>(R"({"Item":"pk"})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<PutItemRequest>(R"({"ConditionExpression":["a"]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<GetItemRequest>(R"({"ConsistentRead":1})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryResponse>(R"({"Items":{}})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryResponse>(R"({"Items":["x"]})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryResponse>(R"({"Count":"2"})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryResponse>(R"({"ConsumedCapacity":[]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<QueryResponse>(R"({"ConsumedCapacity":{"CapacityUnits":"1"}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<GetItemResponse>(R"({"Item":[]})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<PutItemRequest>(R"({"TableName":"t",)").code(), ErrorCode::kSerialization);
}

TEST(ItemCodec, IntegralNumbersAreAccepted) {
  Result<QueryRequest> r = Parse<QueryRequest>(R"({"Limit":10.0})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->limit, 10);
}

TEST(ItemCodec, UnknownEnumsAreValidationErrors) {
  Error e = ParseError<PutItemRequest>(R"({"TableName":"t","ReturnValues":"FOO"})");
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_EQ(e.message(),
            "1 validation error detected: Value 'FOO' at 'returnValues' failed to satisfy "
            "constraint: Member must "
            "satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]");
  EXPECT_EQ(ParseError<QueryRequest>(R"({"Select":"EVERYTHING"})").code(), ErrorCode::kValidation);
  EXPECT_EQ(ParseError<GetItemRequest>(R"({"ReturnConsumedCapacity":"ALL"})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(
      ParseError<DeleteItemRequest>(R"({"ReturnValuesOnConditionCheckFailure":"ALL_NEW"})").code(),
      ErrorCode::kValidation);
}

TEST(ItemCodec, BadAttributeValuesAreValidationErrors) {
  EXPECT_EQ(ParseError<PutItemRequest>(R"({"Item":{"n":{"N":"abc"}}})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<PutItemRequest>(R"({"Item":{"n":{"X":"1"}}})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<PutItemRequest>(R"({"Item":{"s":{"SS":[]}}})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<QueryResponse>(R"({"Items":[{"b":{"B":"!!"}}]})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(
      ParseError<UpdateItemRequest>(R"({"ExpressionAttributeValues":{":v":{"S":"a","N":"1"}}})")
          .code(),
      ErrorCode::kValidation);
}

TEST(ItemCodec, NullAndUnknownMembersAreIgnored) {
  Result<GetItemResponse> r =
      Parse<GetItemResponse>(R"({"Item":null,"ConsumedCapacity":null,"X":1})");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->item);
  EXPECT_FALSE(r->consumed_capacity);
  Result<QueryRequest> q = Parse<QueryRequest>(R"({"TableName":"t","AttributesToGet":["a"]})");
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->scan_index_forward);
}

}  // namespace
}  // namespace moe
