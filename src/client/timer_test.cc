#include "client/timer.h"

#include <gtest/gtest.h>

#include <future>

namespace moe::internal {
namespace {

using std::chrono::seconds;

TEST(TimerTest, RunsInDueOrderOnAManualClock) {
  ManualClock clock;
  auto start = clock.Monotonic();
  std::vector<int> order;
  std::promise<void> all_done;
  {
    Timer timer(clock);
    std::mutex mu;
    auto record = [&](int v) {
      std::lock_guard lock(mu);
      order.push_back(v);
      if (order.size() == 3) all_done.set_value();
    };
    // Hold the timer thread until everything is queued, so the manual clock
    // cannot advance past an entry before it exists.
    std::promise<void> queued;
    std::shared_future<void> gate = queued.get_future().share();
    timer.After(seconds(0), [gate] { gate.wait(); });
    timer.After(seconds(30), [&] { record(3); });
    timer.After(seconds(10), [&] { record(1); });
    timer.After(seconds(20), [&] { record(2); });
    queued.set_value();
    all_done.get_future().wait();
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  // Waiting advanced the manual clock instead of sleeping.
  EXPECT_GE(clock.Monotonic() - start, seconds(30));
}

TEST(TimerTest, CallbacksMayScheduleMore) {
  ManualClock clock;
  Timer timer(clock);
  std::promise<int> done;
  std::function<void(int)> step = [&](int n) {
    if (n == 100) return done.set_value(n);
    timer.After(seconds(1), [&, n] { step(n + 1); });
  };
  timer.After(seconds(1), [&] { step(1); });
  EXPECT_EQ(done.get_future().get(), 100);
}

}  // namespace
}  // namespace moe::internal
