#include "moe/heat_tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <thread>

namespace moe::partitioning {
namespace {

// Key ranks drawn from Zipf(s) over n keys by inverting the CDF.
class Zipf {
 public:
  Zipf(int n, double s, uint64_t seed) : rng_(seed) {
    double sum = 0;
    for (int i = 1; i <= n; ++i) cdf_.push_back(sum += 1.0 / std::pow(i, s));
    for (double& c : cdf_) c /= sum;
  }
  int Next() {
    double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return static_cast<int>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::mt19937_64 rng_;
  std::vector<double> cdf_;
};

std::string Key(int i) { return "orders/user#" + std::to_string(i); }

TEST(HeatTrackerTest, ZipfHottestKeysRankFirstWithinTheErrorBound) {
  HeatTracker heat({.capacity = 64, .stripes = 1});
  Zipf zipf(10000, 1.1, 42);
  std::map<std::string, double> truth;
  for (int i = 0; i < 200000; ++i) {
    std::string k = Key(zipf.Next());
    heat.Observe(k, 1.0, false);
    truth[k] += 1.0;
  }
  std::vector<HeatEntry> top = heat.Top(5);
  ASSERT_EQ(top.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(top[i].key, Key(i)) << i;
  // Space-Saving: true weight in [weight - error, weight], error <= N / k.
  double bound = heat.total_weight() / 64;
  for (const HeatEntry& e : heat.Top(64)) {
    EXPECT_LE(truth[e.key], e.weight + 1e-9) << e.key;
    EXPECT_GE(truth[e.key], e.weight - e.error - 1e-9) << e.key;
    EXPECT_LE(e.error, bound + 1e-9);
  }
  EXPECT_EQ(heat.observations(), 200000u);
  EXPECT_DOUBLE_EQ(heat.total_weight(), 200000);
}

TEST(HeatTrackerTest, SingleHotKeyAmongManyColdOnes) {
  HeatTracker heat({.capacity = 32});
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100000; ++i) {
    if (i % 2 == 0) {
      heat.Observe("orders/hot", 1.0, false);
    } else {
      heat.Observe(Key(static_cast<int>(rng() % 100000)), 1.0, false);
    }
  }
  std::vector<HeatEntry> top = heat.Top(3);
  ASSERT_FALSE(top.empty());
  EXPECT_EQ(top[0].key, "orders/hot");
  EXPECT_GE(top[0].weight, 50000);
  EXPECT_EQ(top[0].observations, 50000u);  // never evicted, so exact
  EXPECT_EQ(top[0].error, 0);
}

TEST(HeatTrackerTest, ThrottlesWeighAndAreCounted) {
  HeatTracker heat({.capacity = 8, .throttle_weight = 5});
  for (int i = 0; i < 10; ++i) heat.Observe("busy", 2.0, false);  // 20
  for (int i = 0; i < 5; ++i) heat.Observe("refused", 0.0, true);  // 25
  heat.Observe("ignored", 0.0, false);
  std::vector<HeatEntry> top = heat.Top(10);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].key, "refused");
  EXPECT_EQ(top[0].throttles, 5u);
  EXPECT_EQ(top[0].consumed, 0);
  EXPECT_EQ(top[1].key, "busy");
  EXPECT_EQ(top[1].consumed, 20);
}

TEST(HeatTrackerTest, MemoryStaysBoundedOverManyDistinctKeys) {
  HeatTracker heat({.capacity = 128, .max_key_bytes = 64});
  size_t bound = heat.memory_bound();
  for (int i = 0; i < 200000; ++i) heat.Observe(Key(i) + std::string(100, 'x'), 1, false);
  EXPECT_EQ(heat.memory_bound(), bound);
  std::vector<HeatEntry> all = heat.Top(1000);
  EXPECT_LE(all.size(), 128u);
  for (const HeatEntry& e : all) EXPECT_LE(e.key.size(), 64u);
  heat.Reset();
  EXPECT_TRUE(heat.Top(10).empty());
  EXPECT_EQ(heat.observations(), 0u);
}

TEST(HeatTrackerTest, CountMinNeverUnderestimatesAndStaysWithinItsBound) {
  HeatTracker heat({.capacity = 16, .sketch_width = 2048, .sketch_depth = 4});
  EXPECT_FALSE(HeatTracker(HeatOptions{}).Estimate("x"));
  Zipf zipf(5000, 1.0, 9);
  std::map<std::string, double> truth;
  for (int i = 0; i < 100000; ++i) {
    std::string k = Key(zipf.Next());
    heat.Observe(k, 1.0, false);
    truth[k] += 1;
  }
  double slack = std::exp(1.0) / 2048 * 100000;
  int over = 0;
  for (const auto& [k, n] : truth) {
    double est = *heat.Estimate(k);
    EXPECT_GE(est, n);
    if (est > n + slack) ++over;
  }
  // Probability of exceeding the bound is at most e^-4 per key.
  EXPECT_LT(over, static_cast<int>(truth.size() * 0.02) + 1);
}

TEST(HeatTrackerTest, ConcurrentObserversLoseNothing) {
  HeatTracker heat({.capacity = 64});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&heat, t] {
      for (int i = 0; i < 20000; ++i) heat.Observe(i % 10 == 0 ? "hot" : Key(t * 100000 + i), 1, false);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(heat.observations(), 80000u);
  EXPECT_EQ(heat.Top(1)[0].key, "hot");
  EXPECT_EQ(heat.Top(1)[0].observations, 8000u);
}

}  // namespace
}  // namespace moe::partitioning
