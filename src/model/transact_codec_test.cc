#include <gtest/gtest.h>

#include "model/test_util.h"
#include "moe/model.h"

namespace moe {
namespace {

using testing::EveryType;
using testing::FullCapacity;
using testing::ParseError;
using testing::RoundTrip;

TEST(TransactCodec, TransactWriteItemsRoundTrip) {
  TransactWriteItemsRequest req;
  TransactWriteItem check;
  check.condition_check = ConditionCheck{
      "accounts",          Item{{"pk", "a"}}, "#b >= :amt",
      {{"#b", "balance"}}, {{":amt", 10}},    ReturnValuesOnConditionCheckFailure::kAllOld};
  TransactWriteItem put;
  put.put = TransactPut{"orders",      EveryType(), "attribute_not_exists(pk)",
                        {{"#x", "x"}}, {{":x", 1}}, ReturnValuesOnConditionCheckFailure::kAllOld};
  TransactWriteItem del;
  del.del = TransactDelete{
      "carts", Item{{"pk", "c"}}, std::nullopt, {}, {}, ReturnValuesOnConditionCheckFailure::kNone};
  TransactWriteItem update;
  update.update = TransactUpdate{"accounts",
                                 Item{{"pk", "a"}},
                                 "SET #b = #b - :amt",
                                 "#b >= :amt",
                                 {{"#b", "balance"}},
                                 {{":amt", 10}},
                                 ReturnValuesOnConditionCheckFailure::kAllOld};
  req.transact_items = {check, put, del, update};
  req.client_request_token = "token-1";
  req.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  EXPECT_EQ(RoundTrip(req), req);
  std::string json = ToJson(req);
  EXPECT_NE(json.find(R"({"Delete":{"TableName":"carts","Key":{"pk":{"S":"c"}}}})"),
            std::string::npos);
  EXPECT_NE(json.find(R"({"ConditionCheck":{"TableName":"accounts")"), std::string::npos);

  TransactWriteItemsResponse resp{{FullCapacity("accounts"), FullCapacity("orders")}};
  EXPECT_EQ(RoundTrip(resp), resp);
  EXPECT_EQ(ToJson(TransactWriteItemsResponse{}), "{}");
}

TEST(TransactCodec, TransactGetItemsRoundTrip) {
  TransactGetItemsRequest req;
  req.transact_items = {TransactGetItem{"a", Item{{"pk", "1"}}, "#v", {{"#v", "v"}}},
                        TransactGetItem{"b", Item{{"pk", "2"}, {"sk", 3}}, std::nullopt, {}}};
  req.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  EXPECT_EQ(RoundTrip(req), req);

  TransactGetItemsResponse resp;
  resp.responses = {EveryType(), std::nullopt, Item{{"pk", "2"}}};
  resp.consumed_capacity = {FullCapacity("a")};
  EXPECT_EQ(RoundTrip(resp), resp);
  EXPECT_NE(ToJson(resp).find(R"(},{},{"Item":)"), std::string::npos);
}

TEST(TransactCodec, ParsesTransactGetItemsResponseSample) {
  constexpr std::string_view kBody = R"({
    "ConsumedCapacity": [{"TableName": "Orders", "CapacityUnits": 4, "ReadCapacityUnits": 4}],
    "Responses": [{"Item": {"OrderId": {"S": "o1"}, "Total": {"N": "19.99"}}}, {}]
  })";
  Result<TransactGetItemsResponse> r = Parse<TransactGetItemsResponse>(kBody);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->responses.size(), 2u);
  ASSERT_TRUE(r->responses[0]);
  EXPECT_EQ(r->responses[0]->at("Total").n().text(), "19.99");
  EXPECT_FALSE(r->responses[1]);
  ASSERT_EQ(r->consumed_capacity.size(), 1u);
  EXPECT_EQ(r->consumed_capacity[0].read_capacity_units, 4);
}

TEST(TransactCodec, EachItemHoldsExactlyOneAction) {
  EXPECT_EQ(ParseError<TransactWriteItemsRequest>(R"({"TransactItems":[{}]})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(
      ParseError<TransactWriteItemsRequest>(
          R"({"TransactItems":[{"Put":{"TableName":"t","Item":{}},"Delete":{"TableName":"t","Key":{}}}]})")
          .code(),
      ErrorCode::kValidation);
  EXPECT_EQ(ParseError<TransactGetItemsRequest>(R"({"TransactItems":[{"Put":{}}]})").code(),
            ErrorCode::kValidation);
}

TEST(TransactCodec, WrongTypesAndEnums) {
  EXPECT_EQ(ParseError<TransactWriteItemsRequest>(R"({"TransactItems":{}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<TransactWriteItemsRequest>(R"({"TransactItems":[{"Put":"x"}]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<TransactWriteItemsRequest>(R"({"ClientRequestToken":7})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<TransactWriteItemsRequest>(
                R"({"TransactItems":[{"ConditionCheck":{"ConditionExpression":true}}]})")
                .code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(
      ParseError<TransactWriteItemsRequest>(
          R"({"TransactItems":[{"Update":{"ReturnValuesOnConditionCheckFailure":"ALL_NEW"}}]})")
          .code(),
      ErrorCode::kValidation);
  EXPECT_EQ(ParseError<TransactGetItemsResponse>(R"({"Responses":[[]]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(
      ParseError<TransactGetItemsResponse>(R"({"Responses":[{"Item":{"a":{"Q":1}}}]})").code(),
      ErrorCode::kValidation);
}

}  // namespace
}  // namespace moe
