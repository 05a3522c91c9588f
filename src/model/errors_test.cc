#include <gtest/gtest.h>

#include <memory>

#include "model/test_util.h"
#include "moe/model.h"

namespace moe {
namespace {

using testing::EveryType;

Error RoundTrip(const Error& e) {
  return ErrorFromResponse(HttpStatusFor(e.code()), ErrorToJson(e), "req-1");
}

TEST(Errors, TypePrefixes) {
  EXPECT_EQ(ErrorToJson(Error::Validation("bad")),
            R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})");
  EXPECT_EQ(ErrorToJson(Error::ResourceNotFound("Requested resource not found")),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
            R"("message":"Requested resource not found"})");
  EXPECT_EQ(ErrorToJson(Error(ErrorCode::kUnrecognizedClient,
                              "The security token included in the request is invalid.")),
            R"({"__type":"com.amazon.coral.service#UnrecognizedClientException",)"
            R"("message":"The security token included in the request is invalid."})");
  for (ErrorCode code : {ErrorCode::kIncompleteSignature, ErrorCode::kMissingAuthenticationToken,
                         ErrorCode::kAccessDenied, ErrorCode::kSerialization,
                         ErrorCode::kUnknownOperation, ErrorCode::kInvalidSignature}) {
    EXPECT_NE(ErrorToJson(Error(code, "m")).find(R"("com.amazon.coral.service#)"),
              std::string::npos)
        << ErrorCodeName(code);
  }
}

TEST(Errors, EveryServiceCodeSurvivesTheWire) {
  for (ErrorCode code : {ErrorCode::kAccessDenied,
                         ErrorCode::kConditionalCheckFailed,
                         ErrorCode::kIncompleteSignature,
                         ErrorCode::kItemCollectionSizeLimitExceeded,
                         ErrorCode::kLimitExceeded,
                         ErrorCode::kMissingAuthenticationToken,
                         ErrorCode::kProvisionedThroughputExceeded,
                         ErrorCode::kRequestLimitExceeded,
                         ErrorCode::kResourceInUse,
                         ErrorCode::kResourceNotFound,
                         ErrorCode::kThrottling,
                         ErrorCode::kTransactionCanceled,
                         ErrorCode::kTransactionConflict,
                         ErrorCode::kTransactionInProgress,
                         ErrorCode::kIdempotentParameterMismatch,
                         ErrorCode::kUnrecognizedClient,
                         ErrorCode::kInvalidSignature,
                         ErrorCode::kSerialization,
                         ErrorCode::kUnknownOperation,
                         ErrorCode::kValidation,
                         ErrorCode::kRequestEntityTooLarge,
                         ErrorCode::kInternalServerError,
                         ErrorCode::kServiceUnavailable}) {
    Error back = RoundTrip(Error(code, "message for " + std::string(ErrorCodeName(code))));
    EXPECT_EQ(back.code(), code) << ErrorCodeName(code);
    EXPECT_EQ(back.message(), "message for " + std::string(ErrorCodeName(code)));
    EXPECT_EQ(back.request_id(), "req-1");
    EXPECT_EQ(back.http_status(), HttpStatusFor(code));
    EXPECT_EQ(back.detail(), nullptr);
  }
}

TEST(Errors, ConditionalCheckFailedKeepsItem) {
  Error e(ErrorCode::kConditionalCheckFailed, "The conditional request failed");
  auto detail = std::make_shared<ErrorDetail>();
  detail->item = EveryType();
  e.set_detail(detail);
  std::string json = ErrorToJson(e);
  EXPECT_NE(json.find(R"("Item":{)"), std::string::npos);
  Error back = ErrorFromResponse(400, json, "r");
  EXPECT_EQ(back.code(), ErrorCode::kConditionalCheckFailed);
  EXPECT_EQ(back.message(), "The conditional request failed");
  ASSERT_NE(back.detail(), nullptr);
  ASSERT_TRUE(back.detail()->item);
  EXPECT_EQ(*back.detail()->item, EveryType());
}

TEST(Errors, TransactionCanceledKeepsReasons) {
  Error e(ErrorCode::kTransactionCanceled,
          "Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
          "ConditionalCheckFailed]");
  auto detail = std::make_shared<ErrorDetail>();
  detail->cancellation_reasons = {
      CancellationReason{"None", "", std::nullopt},
      CancellationReason{"ConditionalCheckFailed", "The conditional request failed",
                         Item{{"pk", "a"}, {"n", 1}}}};
  e.set_detail(detail);
  std::string json = ErrorToJson(e);
  EXPECT_NE(
      json.find(R"("CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed",)"),
      std::string::npos)
      << json;
  Error back = RoundTrip(e);
  EXPECT_EQ(back.code(), ErrorCode::kTransactionCanceled);
  EXPECT_EQ(back.message(), e.message());
  ASSERT_NE(back.detail(), nullptr);
  const auto& reasons = back.detail()->cancellation_reasons;
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].code, "None");
  EXPECT_EQ(reasons[0].message, "");
  EXPECT_FALSE(reasons[0].item);
  EXPECT_EQ(reasons[1].code, "ConditionalCheckFailed");
  EXPECT_EQ(reasons[1].message, "The conditional request failed");
  ASSERT_TRUE(reasons[1].item);
  EXPECT_EQ(*reasons[1].item, (Item{{"pk", "a"}, {"n", 1}}));
}

// Shaped like the body DynamoDB sends for a canceled TransactWriteItems.
TEST(Errors, ParsesTransactionCanceledSample) {
  constexpr std::string_view kBody = R"({
    "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
    "CancellationReasons": [
      {"Code": "ConditionalCheckFailed", "Item": {"id": {"S": "1"}, "balance": {"N": "5"}},
       "Message": "The conditional request failed"},
      {"Code": "None"},
      {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
    ],
    "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, TransactionConflict]"
  })";
  Error e = ErrorFromResponse(400, kBody, "ABCD");
  EXPECT_EQ(e.code(), ErrorCode::kTransactionCanceled);
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_EQ(e.request_id(), "ABCD");
  EXPECT_NE(e.message().find("Transaction cancelled"), std::string::npos);
  ASSERT_NE(e.detail(), nullptr);
  const auto& reasons = e.detail()->cancellation_reasons;
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0].code, "ConditionalCheckFailed");
  ASSERT_TRUE(reasons[0].item);
  EXPECT_EQ(reasons[0].item->at("balance"), Value(5));
  EXPECT_EQ(reasons[1].code, "None");
  EXPECT_EQ(reasons[2].code, "TransactionConflict");
  EXPECT_EQ(reasons[2].message, "Transaction is ongoing for the item");
}

TEST(Errors, ParsesServiceBodies) {
  Error e = ErrorFromResponse(
      400,
      R"({"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"})",
      "r1");
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_EQ(e.message(), "One or more parameter values were invalid");
  Error denied = ErrorFromResponse(
      400,
      R"({"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User is not authorized"})",
      "r2");
  EXPECT_EQ(denied.code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(denied.message(), "User is not authorized");
  Error throttled = ErrorFromResponse(
      400,
      R"({"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."})",
      "r3");
  EXPECT_EQ(throttled.code(), ErrorCode::kThrottling);
  EXPECT_TRUE(throttled.retryable());
  Error short_name = ErrorFromResponse(400, R"({"__type":"ResourceInUseException"})", "r4");
  EXPECT_EQ(short_name.code(), ErrorCode::kResourceInUse);
  EXPECT_EQ(short_name.message(), "");
}

TEST(Errors, UnknownTypeKeepsItsName) {
  Error e = ErrorFromResponse(
      400,
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ReplicatedWriteConflictException","message":"conflict"})",
      "r");
  EXPECT_EQ(e.code(), ErrorCode::kUnknownService);
  EXPECT_EQ(e.type_name(), "ReplicatedWriteConflictException");
  EXPECT_EQ(e.message(), "conflict");
  EXPECT_FALSE(e.retryable());
  // And back out under the same name.
  EXPECT_NE(ErrorToJson(e).find("#ReplicatedWriteConflictException"), std::string::npos);
  Error server = ErrorFromResponse(500, R"({"__type":"SomethingNew"})", "r");
  EXPECT_EQ(server.code(), ErrorCode::kUnknownService);
  EXPECT_TRUE(server.retryable());
}

TEST(Errors, BodiesWithoutTypeAreJudgedByStatus) {
  EXPECT_EQ(ErrorFromResponse(500, "", "r").code(), ErrorCode::kInternalServerError);
  EXPECT_EQ(ErrorFromResponse(503, "<html>Service Unavailable</html>", "r").code(),
            ErrorCode::kServiceUnavailable);
  EXPECT_EQ(ErrorFromResponse(413, "", "r").code(), ErrorCode::kRequestEntityTooLarge);
  Error bad_gateway = ErrorFromResponse(502, "Bad Gateway", "r");
  EXPECT_EQ(bad_gateway.code(), ErrorCode::kUnknownService);
  EXPECT_EQ(bad_gateway.http_status(), 502);
  EXPECT_TRUE(bad_gateway.retryable());
  Error forbidden = ErrorFromResponse(403, "{not json", "r9");
  EXPECT_EQ(forbidden.code(), ErrorCode::kBadResponse);
  EXPECT_NE(forbidden.message().find("403"), std::string::npos);
  EXPECT_EQ(forbidden.http_status(), 403);
  EXPECT_EQ(forbidden.request_id(), "r9");
  Error no_type = ErrorFromResponse(400, R"({"message":"who am I"})", "r");
  EXPECT_EQ(no_type.code(), ErrorCode::kBadResponse);
  EXPECT_NE(no_type.message().find("who am I"), std::string::npos);
  EXPECT_EQ(ErrorFromResponse(400, R"({"__type":7})", "r").code(), ErrorCode::kBadResponse);
  EXPECT_EQ(ErrorFromResponse(500, "[1,2]", "r").code(), ErrorCode::kInternalServerError);
}

TEST(Errors, MalformedDetailIsDroppedNotFatal) {
  Error e = ErrorFromResponse(
      400,
      R"({"__type":"ConditionalCheckFailedException","message":"m","Item":{"a":{"N":"nope"}},"CancellationReasons":"x"})",
      "r");
  EXPECT_EQ(e.code(), ErrorCode::kConditionalCheckFailed);
  EXPECT_EQ(e.detail(), nullptr);
}

TEST(Errors, ThrottlingReasonsRoundTrip) {
  Error e(ErrorCode::kProvisionedThroughputExceeded,
          "The level of configured provisioned throughput for the table was exceeded. Consider "
          "increasing your provisioning level with the UpdateTable API.");
  auto detail = std::make_shared<ErrorDetail>();
  detail->throttling_reasons = {
      {"TableWriteKeyRangeThroughputExceeded", "arn:aws:dynamodb:us-east-1:000000000000:table/t"}};
  e.set_detail(detail);
  std::string json = ErrorToJson(e);
  EXPECT_NE(json.find(R"("ThrottlingReasons":[{"reason":"TableWriteKeyRangeThroughputExceeded",)"),
            std::string::npos)
      << json;
  Error back = RoundTrip(e);
  EXPECT_EQ(back.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_TRUE(back.retryable());
  ASSERT_NE(back.detail(), nullptr);
  EXPECT_EQ(back.detail()->throttling_reasons, detail->throttling_reasons);
}

}  // namespace
}  // namespace moe
