#include "moe/rate_limiter.h"

#include <gtest/gtest.h>

namespace moe::partitioning {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const BucketId kOrders{"orders", "", Direction::kWrite};

TEST(RateLimiterTest, AdmitsEverythingUntilTheFirstThrottle) {
  ManualClock clock;
  RateLimiter limiter({.clock = &clock});
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Acquire(kOrders, Lane::kBackfill, 10), Clock::Duration::zero());
  EXPECT_FALSE(limiter.State(kOrders).limiting);
  EXPECT_EQ(limiter.State(kOrders).admitted, 1000u);
}

// Runs a greedy caller for `duration`, sleeping as told; returns units admitted.
double Drive(RateLimiter& limiter, ManualClock& clock, Clock::Duration duration, double units) {
  double admitted = 0;
  Clock::Duration end = clock.Monotonic() + duration;
  while (clock.Monotonic() < end) {
    Clock::Duration wait = limiter.Acquire(kOrders, Lane::kForeground, units);
    if (wait == Clock::Duration::zero()) {
      admitted += units;
      limiter.OnConsumed(kOrders, units, units);
    } else {
      clock.Advance(wait);
    }
  }
  return admitted;
}

TEST(RateLimiterTest, KnownCapacityHoldsTheRate) {
  ManualClock clock;
  RateLimiter limiter({.clock = &clock});
  limiter.SetCapacity(kOrders, 100);
  double admitted = Drive(limiter, clock, seconds(10), 1);
  // 10 s at 100/s plus one second of burst.
  EXPECT_NEAR(admitted, 1100, 15);
  EXPECT_DOUBLE_EQ(limiter.State(kOrders).rate, 100);
}

TEST(RateLimiterTest, ThrottlesCutTheRateOncePerIntervalAndItRecovers) {
  ManualClock clock;
  RateLimiter limiter({.clock = &clock});
  // 2 s of traffic at 100 units/s, unlimited.
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(limiter.Acquire(kOrders, Lane::kForeground, 1), Clock::Duration::zero());
    limiter.OnConsumed(kOrders, 1, 1);
    clock.Advance(milliseconds(10));
  }
  EXPECT_NEAR(limiter.State(kOrders).measured_rate, 100, 1);
  limiter.OnThrottled(kOrders, 1);
  BucketState s = limiter.State(kOrders);
  EXPECT_TRUE(s.limiting);
  EXPECT_NEAR(s.rate, 70, 1);
  limiter.OnThrottled(kOrders, 1);  // same overload: no second cut
  EXPECT_NEAR(limiter.State(kOrders).rate, 70, 1);
  clock.Advance(milliseconds(500));
  limiter.OnThrottled(kOrders, 1);
  // min(rate, measured) x 0.7, after the half second of growth.
  EXPECT_NEAR(limiter.State(kOrders).rate, 0.7 * 75, 1);
  EXPECT_EQ(limiter.State(kOrders).throttles, 3u);

  // Throttle-free: +10% of the pre-cut rate (75) per second: past 100 in 8 s.
  double admitted = Drive(limiter, clock, seconds(8), 1);
  EXPECT_GT(limiter.State(kOrders).rate, 100);
  EXPECT_GT(admitted, 8 * 52.5);
}

TEST(RateLimiterTest, RecoveryStopsAtTheKnownCapacity) {
  ManualClock clock;
  RateLimiter limiter({.clock = &clock});
  limiter.SetCapacity(kOrders, 50);
  limiter.OnThrottled(kOrders, 1);
  EXPECT_NEAR(limiter.State(kOrders).rate, 35, 0.01);
  Drive(limiter, clock, seconds(30), 1);
  EXPECT_DOUBLE_EQ(limiter.State(kOrders).rate, 50);
}

TEST(RateLimiterTest, LowerLanesWaitWhileForegroundWaits) {
  ManualClock clock;
  RateLimiter limiter({.clock = &clock});
  limiter.SetCapacity(kOrders, 100);  // bucket starts full: 100 tokens
  ASSERT_EQ(limiter.Acquire(kOrders, Lane::kForeground, 60), Clock::Duration::zero());
  // 40 left: backfill may take 1 only if 2 x 25 stay behind: no.
  EXPECT_GT(limiter.Acquire(kOrders, Lane::kBackfill, 1), Clock::Duration::zero());
  // Mirror must leave 25: yes.
  EXPECT_EQ(limiter.Acquire(kOrders, Lane::kMirror, 10), Clock::Duration::zero());
  // Foreground asks for more than is there and is told to wait ...
  Clock::Duration fg_wait = limiter.Acquire(kOrders, Lane::kForeground, 50);
  EXPECT_GT(fg_wait, Clock::Duration::zero());
  // ... and meanwhile the mirror lane may not jump the queue.
  EXPECT_GT(limiter.Acquire(kOrders, Lane::kMirror, 1), Clock::Duration::zero());
  clock.Advance(fg_wait);
  EXPECT_EQ(limiter.Acquire(kOrders, Lane::kForeground, 50), Clock::Duration::zero());
}

TEST(RateLimiterTest, ForegroundKeepsItsShareUnderBackfillPressure) {
  ManualClock clock;
  RateLimiter limiter({.clock = &clock});
  limiter.SetCapacity(kOrders, 100);
  double fg_demand = 0, fg_done = 0, backfill_done = 0;
  Clock::Duration backfill_next{0};
  for (int step = 0; step < 2000; ++step) {  // 20 s in 10 ms steps
    fg_demand += 0.8;                         // 80 units/s of foreground
    while (fg_done + 1 <= fg_demand &&
           limiter.Acquire(kOrders, Lane::kForeground, 1) == Clock::Duration::zero()) {
      fg_done += 1;
    }
    while (clock.Monotonic() >= backfill_next) {  // backfill: as much as it is given
      Clock::Duration wait = limiter.Acquire(kOrders, Lane::kBackfill, 1);
      if (wait > Clock::Duration::zero()) {
        backfill_next = clock.Monotonic() + wait;
        break;
      }
      backfill_done += 1;
    }
    clock.Advance(milliseconds(10));
  }
  EXPECT_GE(fg_done, fg_demand - 2);  // foreground never falls behind
  EXPECT_GT(backfill_done, 20 * 10);  // backfill gets what is left ...
  EXPECT_LT(backfill_done, 20 * 20 + 100);  // ... and not more
}

TEST(RateLimiterTest, CorrectsEstimatesWithWhatTheServerCounted) {
  ManualClock clock;
  RateLimiter limiter({.clock = &clock});
  limiter.SetCapacity(kOrders, 100);
  EXPECT_EQ(limiter.EstimatedUnits(kOrders), 1.0);
  ASSERT_EQ(limiter.Acquire(kOrders, Lane::kForeground, 1), Clock::Duration::zero());
  limiter.OnConsumed(kOrders, 1, 41);  // a 40 KB item: 40 more than estimated
  EXPECT_NEAR(limiter.State(kOrders).tokens, 59, 1e-9);
  EXPECT_GT(limiter.EstimatedUnits(kOrders), 1.0);
  EXPECT_EQ(limiter.Snapshot().size(), 1u);
  EXPECT_EQ(LaneName(Lane::kBackfill), "backfill");
}

}  // namespace
}  // namespace moe::partitioning
