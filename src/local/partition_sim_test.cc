// The simulator's model on its own (partition_sim.h): partition counts,
// splits, token buckets, burst, adaptive capacity, on-demand peaks, metrics.
// Time is a number of nanoseconds, so every expectation is exact.

#include "local/partition_sim.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace moe::local {
namespace {

constexpr int64_t kSecond = 1000000000;
constexpr int64_t kStart = int64_t{1700000000} * kSecond;

SimulatorOptions Options(bool adaptive = false) {
  SimulatorOptions o;
  o.enabled = true;
  o.adaptive_capacity = adaptive;
  return o;
}

// The hash in the middle of partition `i`.
uint64_t HashIn(const ResourceSim& r, size_t i) {
  SimResourceReport report;
  r.Report(kStart, &report);
  const SimPartitionReport& p = report.partitions.at(i);
  return p.hash_begin + (p.hash_end - p.hash_begin) / 2;
}

// Offers `rate` one-unit requests per second, evenly spaced, on `hashes` in
// turn for `seconds` from `*now`; returns how many were admitted.
int64_t Offer(ResourceSim& r, const std::vector<uint64_t>& hashes, int d, int rate, int seconds,
              int64_t* now) {
  int64_t admitted = 0;
  int64_t step = kSecond / rate;
  for (int64_t i = 0; i < int64_t{rate} * seconds; ++i) {
    Admission a = r.Admit(hashes[static_cast<size_t>(i) % hashes.size()], d, *now);
    if (a.ok) {
      r.Consume(a, d, 1, *now);
      ++admitted;
    } else {
      r.Throttle(a, d, 1, *now);
    }
    *now += step;
  }
  return admitted;
}

// Consumes one unit at a time at `now` until the partition refuses; returns
// the refusal.
Admission Exhaust(ResourceSim& r, uint64_t hash, int64_t now) {
  for (;;) {
    Admission a = r.Admit(hash, kWrite, now);
    if (!a.ok) return a;
    r.Consume(a, kWrite, 1, now);
  }
}

TEST(PartitionSim, CountFollowsCapacity) {
  SimulatorOptions o = Options();
  auto count = [&](double rcu, double wcu) {
    ResourceSim r(o);
    r.Configure(false, rcu, wcu, kStart);
    return r.partition_count();
  };
  EXPECT_EQ(count(1, 1), 1u);
  EXPECT_EQ(count(3000, 3000), 4u);   // 3000/3000 + 3000/1000
  EXPECT_EQ(count(0, 4000), 4u);
  EXPECT_EQ(count(1, 4000), 5u);      // any read capacity adds a fraction of a partition
  EXPECT_EQ(count(12000, 0), 4u);
  EXPECT_EQ(count(1000, 500), 1u);    // AWS's own example: 0.33 + 0.5
}

TEST(PartitionSim, RaisingCapacityDoublesAndNeverShrinks) {
  SimulatorOptions o = Options();
  ResourceSim r(o);
  r.Configure(false, 3000, 3000, kStart);
  ASSERT_EQ(r.partition_count(), 4u);
  r.Configure(false, 3000, 6000, kStart);  // needs 7: 4 doubles to 8
  EXPECT_EQ(r.partition_count(), 8u);
  r.Configure(false, 3000, 20000, kStart);  // needs 21: 8 -> 16 -> 32
  EXPECT_EQ(r.partition_count(), 32u);
  r.Configure(false, 1, 1, kStart);
  EXPECT_EQ(r.partition_count(), 32u);

  SimResourceReport report;
  r.Report(kStart, &report);
  ASSERT_EQ(report.partitions.size(), 32u);
  EXPECT_EQ(report.partitions.front().hash_begin, 0u);
  EXPECT_EQ(report.partitions.back().hash_end, UINT64_MAX);
  for (size_t i = 1; i < report.partitions.size(); ++i) {
    EXPECT_EQ(report.partitions[i].hash_begin, report.partitions[i - 1].hash_end + 1);
  }
  // 1 WCU over 32 partitions.
  EXPECT_DOUBLE_EQ(report.partitions[0].write_units_per_second, 1.0 / 32);
}

TEST(PartitionSim, SizeSplitsOnePartitionAndDilutesTheRest) {
  SimulatorOptions o = Options();
  o.partition_size_bytes = 1000;
  ResourceSim r(o);
  r.Configure(false, 1, 400, kStart);
  ASSERT_EQ(r.partition_count(), 1u);
  std::vector<int64_t> sizes = {1500};
  r.SetSizes(sizes, kStart);
  EXPECT_EQ(r.partition_count(), 2u);
  sizes = {900, 2400};  // the upper half holds 2400: it splits twice more
  r.SetSizes(sizes, kStart);
  EXPECT_EQ(r.partition_count(), 5u);
  SimResourceReport report;
  r.Report(kStart, &report);
  EXPECT_EQ(report.partitions[0].size_bytes, 900);
  EXPECT_DOUBLE_EQ(report.partitions[0].write_units_per_second, 400.0 / 5);
  EXPECT_EQ(report.partitions[0].hash_end, UINT64_MAX / 2);
}

TEST(PartitionSim, HotKeyGetsItsPartitionsShareWhileSpreadLoadGetsAll) {
  SimulatorOptions o = Options(/*adaptive=*/false);
  ResourceSim r(o);
  r.Configure(false, 3000, 3000, kStart);  // 4 partitions of 750 WCU
  int64_t now = kStart + 10 * kSecond;  // 10 s idle: burst credit
  int64_t hot = Offer(r, {HashIn(r, 0)}, kWrite, 2000, 60, &now);
  // 60 s at 750/s, plus the credit it held (750 at start + 10 s idle * 750).
  EXPECT_NEAR(hot, 60 * 750 + 750 + 10 * 750, 2);

  ResourceSim spread(o);
  spread.Configure(false, 3000, 3000, kStart);
  now = kStart;
  std::vector<uint64_t> hashes;
  for (size_t i = 0; i < 8; ++i) hashes.push_back(HashIn(spread, i % 4));
  EXPECT_EQ(Offer(spread, hashes, kWrite, 2000, 60, &now), 2000 * 60);
}

TEST(PartitionSim, BurstIsSpentAndRefills) {
  SimulatorOptions o = Options();
  ResourceSim r(o);
  r.Configure(false, 1, 100, kStart);  // 1 partition, 100 WCU, burst up to 30000
  int64_t now = kStart + 400 * kSecond;
  // Full after 300 s idle. At 1000/s (the partition's hard maximum) the
  // credit drains at 900/s: 30000 + 40 s * 100 in 40 s.
  EXPECT_NEAR(Offer(r, {1}, kWrite, 1000, 40, &now), 34000, 2);
  // Idle 60 s refills 6000; 10 s at 1000/s spends it and 10 s of rate.
  now += 60 * kSecond;
  EXPECT_NEAR(Offer(r, {1}, kWrite, 1000, 10, &now), 7000, 2);

  o.burst_seconds = 0;  // no burst: only the current second's rate
  ResourceSim flat(o);
  flat.Configure(false, 1, 100, kStart);
  now = kStart + 400 * kSecond;
  EXPECT_NEAR(Offer(flat, {1}, kWrite, 1000, 40, &now), 100 + 40 * 100, 2);
}

TEST(PartitionSim, AdaptiveCapacityLetsAHotPartitionBorrowUpToTheCap) {
  for (bool adaptive : {false, true}) {
    SimulatorOptions o = Options(adaptive);
    o.burst_seconds = 0;
    ResourceSim r(o);
    r.Configure(false, 1, 4000, kStart);  // 5 partitions of 800 WCU
    int64_t now = kStart;
    int64_t hot = Offer(r, {HashIn(r, 2)}, kWrite, 2000, 30, &now);
    // Without: the partition's 800/s. With: the table's unused capacity up
    // to the partition maximum of 1000/s.
    EXPECT_NEAR(hot, adaptive ? 30 * 1000 : 800 + 30 * 800, 5) << adaptive;
  }
}

TEST(PartitionSim, ThrottleSaysWhetherTheTableOrOnlyThePartitionIsOut) {
  SimulatorOptions o = Options();
  o.burst_seconds = 0;
  ResourceSim r(o);
  r.Configure(false, 1, 4000, kStart);
  int64_t now = kStart;
  Offer(r, {HashIn(r, 0)}, kWrite, 2000, 2, &now);
  Admission a = Exhaust(r, HashIn(r, 0), now);
  EXPECT_FALSE(a.resource_exhausted);  // key range: the table has room
  std::vector<uint64_t> all;
  for (size_t i = 0; i < 5; ++i) all.push_back(HashIn(r, i));
  Offer(r, all, kWrite, 10000, 2, &now);
  a = Exhaust(r, HashIn(r, 1), now);
  EXPECT_TRUE(a.resource_exhausted);
}

TEST(PartitionSim, OnDemandStartsAtInitialFiguresAndDoublesThePreviousPeak) {
  SimulatorOptions o = Options();
  ResourceSim fresh(o);
  fresh.Configure(true, 0, 0, kStart);
  EXPECT_EQ(fresh.partition_count(), 4u);  // 12000/3000 and 4000/1000

  o.on_demand_initial_write_units = 40;
  o.on_demand_initial_read_units = 120;
  o.partition_write_units = 50;
  o.on_demand_peak_age = std::chrono::seconds(60);
  ResourceSim r(o);
  r.Configure(true, 0, 0, kStart);
  ASSERT_EQ(r.partition_count(), 1u);
  int64_t now = kStart;
  Offer(r, {7}, kWrite, 100, 5, &now);  // the first second's 50 is the peak
  // Until that peak is 60 s old the table serves its initial 40/s.
  EXPECT_NEAR(Offer(r, {7}, kWrite, 100, 20, &now), 20 * 40, 2);
  Offer(r, {7}, kWrite, 100, 40, &now);
  // Then double the previous peak: 100/s, on 2 partitions of 50.
  EXPECT_EQ(r.partition_count(), 2u);
  SimResourceReport report;
  r.Report(now, &report);
  EXPECT_DOUBLE_EQ(report.write_capacity_units, 100);
  EXPECT_NEAR(Offer(r, {HashIn(r, 0)}, kWrite, 200, 10, &now), 10 * 50, 10);  // a hot key: 50/s
  std::vector<uint64_t> both = {HashIn(r, 0), HashIn(r, 1)};
  EXPECT_NEAR(Offer(r, both, kWrite, 200, 10, &now), 10 * 100, 10);
}

TEST(PartitionSim, SwitchingToOnDemandKeepsHalfTheProvisionedAsPeak) {
  SimulatorOptions o = Options();
  ResourceSim r(o);
  r.Configure(false, 30000, 10000, kStart);
  r.Configure(true, 0, 0, kStart);
  SimResourceReport report;
  r.Report(kStart, &report);
  EXPECT_TRUE(report.on_demand);
  EXPECT_DOUBLE_EQ(report.write_capacity_units, 10000);
  EXPECT_DOUBLE_EQ(report.read_capacity_units, 30000);
}

TEST(PartitionSim, WindowsReportPerSecondConsumedAndThrottled) {
  SimulatorOptions o = Options();
  o.burst_seconds = 0;
  o.metrics_window_seconds = 5;
  ResourceSim r(o);
  r.Configure(false, 10, 1, kStart);
  int64_t now = kStart;
  Offer(r, {3}, kRead, 20, 3, &now);
  SimResourceReport report;
  r.Report(now, &report);
  ASSERT_EQ(report.seconds.size(), 5u);
  EXPECT_EQ(report.seconds.back().unix_second, now / kSecond);
  const SimSecond& second = report.seconds[report.seconds.size() - 2];  // the last complete one
  EXPECT_DOUBLE_EQ(second.consumed_read_units + second.throttled_read_units, 20);
  EXPECT_NEAR(second.consumed_read_units, 10, 1);
  EXPECT_EQ(second.read_throttle_events, static_cast<int64_t>(second.throttled_read_units));
  EXPECT_DOUBLE_EQ(report.totals.consumed_read_units + report.totals.throttled_read_units, 60);
  EXPECT_DOUBLE_EQ(report.partitions[0].totals.consumed_read_units, report.totals.consumed_read_units);
}

TEST(PartitionSim, PrometheusTextParses) {
  SimulatorOptions o = Options();
  ResourceSim r(o);
  r.Configure(false, 3000, 3000, kStart);
  int64_t now = kStart;
  Offer(r, {HashIn(r, 0)}, kWrite, 2000, 2, &now);
  SimulatorReport report{.enabled = true};
  SimResourceReport& t = report.resources.emplace_back();
  t.table = "ta\"ble";
  r.Report(now, &t);
  std::string text = PrometheusText(report);
  std::regex sample(R"(^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+$)");
  std::regex comment(R"(^# (HELP|TYPE) [a-z_]+ .+$)");
  std::istringstream lines(text);
  int samples = 0;
  for (std::string line; std::getline(lines, line);) {
    bool ok = std::regex_match(line, line.starts_with("#") ? comment : sample);
    EXPECT_TRUE(ok) << line;
    samples += !line.starts_with("#");
  }
  EXPECT_GT(samples, 40);
  EXPECT_NE(text.find("moe_sim_partitions{table=\"ta\\\"ble\",index=\"\"} 4\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("moe_sim_write_throttle_events_total{table=\"ta\\\"ble\",index=\"\",partition=\"0\"} "),
            std::string::npos);
}

}  // namespace
}  // namespace moe::local
