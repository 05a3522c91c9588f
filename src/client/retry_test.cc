#include "client/retry.h"

#include <gtest/gtest.h>

namespace moe::internal {
namespace {

using std::chrono::milliseconds;

RetryOptions Seeded() {
  RetryOptions o;
  o.jitter_seed = 42;
  return o;
}

TEST(RetryPolicyTest, FullJitterStaysUnderTheExponentialCap) {
  RetryPolicy policy(Seeded());
  for (int attempt = 1; attempt <= 12; ++attempt) {
    auto cap = std::min<int64_t>(25LL << (attempt - 1), 20000);
    Clock::Duration lo = Clock::Duration::max(), hi = Clock::Duration::zero();
    for (int i = 0; i < 200; ++i) {
      Clock::Duration d = policy.Backoff(attempt, /*throttling=*/false);
      EXPECT_GE(d, Clock::Duration::zero());
      EXPECT_LE(d, milliseconds(cap));
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    // Full jitter spreads over the whole range, not just near the cap.
    EXPECT_LT(lo, milliseconds(cap) / 4) << attempt;
    EXPECT_GT(hi, milliseconds(cap) * 3 / 4) << attempt;
  }
}

TEST(RetryPolicyTest, ThrottlingUsesTheLargerBase) {
  RetryPolicy policy(Seeded());
  Clock::Duration max_throttle = Clock::Duration::zero();
  for (int i = 0; i < 500; ++i) max_throttle = std::max(max_throttle, policy.Backoff(1, true));
  EXPECT_GT(max_throttle, milliseconds(25));
  EXPECT_LE(max_throttle, milliseconds(500));
}

TEST(RetryPolicyTest, SameSeedSameSchedule) {
  RetryPolicy a(Seeded()), b(Seeded());
  for (int i = 1; i < 10; ++i) EXPECT_EQ(a.Backoff(i, false), b.Backoff(i, false));
}

TEST(RetryPolicyTest, RetriesOnlyRetryableErrorsWithinMaxAttempts) {
  RetryPolicy policy(Seeded());
  int cost = 0;
  Error throttled(ErrorCode::kProvisionedThroughputExceeded, "slow down");
  EXPECT_TRUE(policy.ShouldRetry(throttled, 1, &cost));
  EXPECT_EQ(cost, 5);
  EXPECT_TRUE(policy.ShouldRetry(throttled, 2, &cost));
  EXPECT_FALSE(policy.ShouldRetry(throttled, 3, &cost));  // max_attempts = 3
  EXPECT_FALSE(policy.ShouldRetry(Error(ErrorCode::kConditionalCheckFailed, ""), 1, &cost));
  EXPECT_FALSE(policy.ShouldRetry(Error::Validation("bad"), 1, &cost));
  EXPECT_TRUE(policy.ShouldRetry(Error(ErrorCode::kTimeout, ""), 1, &cost));
  EXPECT_EQ(cost, 10);
}

TEST(RetryPolicyTest, QuotaEmptiesAndRefills) {
  RetryOptions o = Seeded();
  o.quota_capacity = 20;
  o.max_attempts = 100;
  RetryPolicy policy(o);
  Error unavailable(ErrorCode::kServiceUnavailable, "");
  int cost = 0;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(policy.ShouldRetry(unavailable, 1, &cost));
  EXPECT_FALSE(policy.ShouldRetry(unavailable, 1, &cost));  // 20 tokens spent
  EXPECT_EQ(policy.quota().tokens(), 0);
  policy.OnSuccess(5);  // a retried call succeeded: its cost comes back
  EXPECT_EQ(policy.quota().tokens(), 5);
  EXPECT_TRUE(policy.ShouldRetry(unavailable, 1, &cost));
  for (int i = 0; i < 100; ++i) policy.OnSuccess(0);  // first-try successes add 1 each
  EXPECT_EQ(policy.quota().tokens(), 20);             // capped at capacity
}

TEST(RetryPolicyTest, ZeroCapacityDisablesTheQuota) {
  RetryOptions o = Seeded();
  o.quota_capacity = 0;
  o.max_attempts = 1000;
  RetryPolicy policy(o);
  int cost = 0;
  for (int i = 0; i < 500; ++i)
    ASSERT_TRUE(policy.ShouldRetry(Error(ErrorCode::kThrottling, ""), 1, &cost));
}

}  // namespace
}  // namespace moe::internal
