#include "moe/result.h"

#include <gtest/gtest.h>

#include <memory>

namespace moe {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return Error::Validation("odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  MOE_TRY(int half, Half(v));
  return Half(half);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kValidation);
  EXPECT_EQ(r.error().ToString(), "ValidationException: odd");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(3);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 3);
}

TEST(ResultDeathTest, ValueOnErrorAbortsWithMessage) {
  Result<int> r = Error::ResourceNotFound("Requested resource not found");
  EXPECT_DEATH((void)r.value(), "ResourceNotFoundException: Requested resource not found");
}

TEST(ErrorTest, NamesAndRetryability) {
  EXPECT_EQ(
      ErrorCodeFromName("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"),
      ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(ErrorCodeFromName("SomethingNew"), ErrorCode::kUnknownService);
  EXPECT_TRUE(Error(ErrorCode::kProvisionedThroughputExceeded, "").retryable());
  EXPECT_TRUE(Error(ErrorCode::kProvisionedThroughputExceeded, "").throttling());
  EXPECT_TRUE(Error(ErrorCode::kServiceUnavailable, "").retryable());
  EXPECT_FALSE(Error(ErrorCode::kServiceUnavailable, "").throttling());
  EXPECT_FALSE(Error(ErrorCode::kConditionalCheckFailed, "").retryable());
  EXPECT_FALSE(Error(ErrorCode::kValidation, "").retryable());
  EXPECT_TRUE(Error(ErrorCode::kUnknownService, "").set_http_status(502).retryable());
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternalServerError), 500);
  Error e(ErrorCode::kUnknownService, "m");
  e.set_type_name("WeirdException");
  EXPECT_EQ(e.type_name(), "WeirdException");
}

}  // namespace
}  // namespace moe
