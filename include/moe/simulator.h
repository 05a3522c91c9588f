// The partition and throughput simulator of the embedded engine: DynamoDB's
// public partition model, per-partition token buckets, burst and adaptive
// capacity, on-demand scaling, throttling with DynamoDB's errors, and
// CloudWatch-style per-second metrics. The model and its limits are in
// docs/simulator.md.
//
//   moe::ManualClock clock;
//   moe::local::EngineOptions options;
//   options.clock = &clock;
//   options.simulate.enabled = true;                 // off by default
//   auto engine = moe::local::Engine::Open(options);
//   ...                                              // traffic; clock.Advance(...)
//   moe::local::SimulatorReport report = (*engine)->SimulatorMetrics();
//   for (const auto& r : report.resources) r.partitions.size();
//   std::string text = moe::local::PrometheusText(report);   // GET /metrics
//
// Thread safety: the option and report structs are values;
// PrometheusText is a pure function.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "moe/clock.h"

namespace moe::local {

struct SimulatorOptions {
  // Whether item operations draw from simulated partitions and can be
  // throttled. Off, the engine never throttles and SimulatorMetrics() is
  // empty. Default: false.
  bool enabled = false;
  // A partition out of its own capacity may borrow the table's unused
  // capacity, up to the per-partition maximum. DynamoDB applies adaptive
  // capacity to every table. Default: true.
  bool adaptive_capacity = true;
  // Unused provisioned capacity a partition keeps as burst credit, in
  // seconds of its rate (at least 1 second is always held). Default: 300.
  double burst_seconds = 300;
  // A partition holding more than this many bytes splits in two.
  // Default: 10 GB (10 * 2^30).
  int64_t partition_size_bytes = int64_t{10} << 30;
  // Hard per-partition maxima, read and write units per second.
  // Defaults: 3000 and 1000.
  double partition_read_units = 3000;
  double partition_write_units = 1000;
  // What a new on-demand table (or GSI) serves before it has any peak.
  // Defaults: 12000 read and 4000 write units per second.
  double on_demand_initial_read_units = 12000;
  double on_demand_initial_write_units = 4000;
  // An on-demand table absorbs up to double its previous peak; a peak counts
  // as "previous" once it is this old. Default: 30 minutes.
  std::chrono::seconds on_demand_peak_age{1800};
  // Per-second metric buckets kept per table, index and partition.
  // Default: 120.
  int metrics_window_seconds = 120;
};

// One second of one table, index or partition, as CloudWatch would report
// it (ConsumedReadCapacityUnits, ReadThrottleEvents, ...).
struct SimSecond {
  int64_t unix_second = 0;
  double consumed_read_units = 0;
  double consumed_write_units = 0;
  // The units the throttled requests would have consumed.
  double throttled_read_units = 0;
  double throttled_write_units = 0;
  int64_t read_throttle_events = 0;
  int64_t write_throttle_events = 0;
};

// Counters since the table (or partition) was first simulated.
struct SimTotals {
  double consumed_read_units = 0;
  double consumed_write_units = 0;
  double throttled_read_units = 0;
  double throttled_write_units = 0;
  int64_t read_throttle_events = 0;
  int64_t write_throttle_events = 0;
};

struct SimPartitionReport {
  // The partition holds the partition-key hashes [hash_begin, hash_end]
  // (inclusive) of the engine's 64-bit key hash.
  uint64_t hash_begin = 0;
  uint64_t hash_end = 0;
  // Sustained rates of its token buckets (units per second) and the credit
  // they hold now (burst included).
  double read_units_per_second = 0;
  double write_units_per_second = 0;
  double read_tokens = 0;
  double write_tokens = 0;
  // Bytes last measured in the partition (measured when the table grows).
  int64_t size_bytes = 0;
  SimTotals totals;
  // The last metrics_window_seconds seconds, oldest first; seconds without
  // traffic are present with zeros.
  std::vector<SimSecond> seconds;
};

// A table or one of its global secondary indexes (LSIs share the table's).
struct SimResourceReport {
  std::string table;
  std::string index;  // empty for the table itself
  bool on_demand = false;
  // Provisioned: the configured capacity. On demand: what the table serves
  // now (the larger of the initial figures and double the previous peak).
  double read_capacity_units = 0;
  double write_capacity_units = 0;
  SimTotals totals;
  std::vector<SimSecond> seconds;
  std::vector<SimPartitionReport> partitions;  // in hash order
};

struct SimulatorReport {
  bool enabled = false;
  Clock::TimePoint now{};
  std::vector<SimResourceReport> resources;  // by table name, table before its indexes
};

// The report in Prometheus text exposition format (version 0.0.4): counters
// moe_sim_{consumed,throttled}_{read,write}_units_total and
// moe_sim_{read,write}_throttle_events_total per table, index and
// partition; gauges moe_sim_partitions, moe_sim_{read,write}_capacity_units,
// moe_sim_partition_info (value 1, the hash range in its labels) and the
// last complete second as moe_sim_{consumed,throttled}_{read,write}_units_per_second.
std::string PrometheusText(const SimulatorReport& report);

}  // namespace moe::local
