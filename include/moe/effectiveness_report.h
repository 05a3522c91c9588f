// The effectiveness report: how well a key strategy spreads load over a
// table's partitions. It puts side by side what the client achieved, what
// the table is provisioned for (DescribeTable) and what the server says it
// served (per-partition or per-key-bucket metrics, e.g. from moe's
// partition simulator or CloudWatch), estimates the partition count, scores
// the skew, and lists the hottest keys and whether they were throttled.
// Output as text, JSON, and an SVG heat map (rows: partitions or key
// buckets; columns: time) that opens in any browser.
//
//   moe::partitioning::ReportInput in;
//   in.table = "orders";
//   in.provisioned = {.read_units = 0, .write_units = 4000};
//   in.client = {...};                       // counted by the load generator
//   in.load = recorder.Snapshot();           // or the server's metrics
//   in.hottest = heat.Top(10);
//   auto report = moe::partitioning::BuildReport(in);
//   std::puts(ToText(report).c_str());
//   WriteFile("heat.svg", ToSvg(report));
//
// See docs/partitioning.md for how to read it and what the skew score means.
// Thread safety: BuildReport and the formatters are pure functions;
// LoadRecorder is safe for concurrent use.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/clock.h"
#include "moe/heat_tracker.h"

namespace moe::partitioning {

// Units per second of one partition or key bucket, one value per second.
struct LoadSeries {
  std::string name;               // "partition 3", "keys 0x4"
  std::vector<double> consumed;   // units served in each second
  std::vector<double> throttled;  // units refused in each second (same length or empty)
};

// What the server (or a client-side recorder) saw, second by second.
struct LoadMatrix {
  // kPartitions: one series per server partition (its count is known).
  // kKeyBuckets: keys hashed into a fixed number of buckets.
  enum class Kind : uint8_t { kPartitions, kKeyBuckets };
  Kind kind = Kind::kKeyBuckets;
  // True when the server measured it ("what AWS reports"); false when a
  // client-side LoadRecorder did. Default: true.
  bool from_server = true;
  int64_t start_unix_seconds = 0;
  std::vector<LoadSeries> series;
};

// Provisioned capacity, from DescribeTable (0 and 0 for on-demand).
struct Provisioned {
  double read_units = 0;   // RCU
  double write_units = 0;  // WCU
  int64_t table_size_bytes = 0;
};

// What the client counted over the run.
struct ClientCounts {
  double duration_seconds = 0;
  double consumed_units = 0;      // by successful attempts
  uint64_t attempts = 0;
  uint64_t throttled_attempts = 0;
  uint64_t failed_calls = 0;      // calls that ended in an error
};

struct ReportInput {
  std::string table;
  // Which capacity the run exercised: writes, reads, or both (summed).
  bool reads = false;
  bool writes = true;
  Provisioned provisioned;
  ClientCounts client;
  // Server-side (or recorded) load; empty series when unknown.
  LoadMatrix load;
  // HeatTracker::Top(n).
  std::vector<HeatEntry> hottest;
  // HeatTracker::total_weight(): shares are of this; 0 gives shares of the
  // listed keys' weight.
  double heat_total = 0;
  // Free text describing the key strategy ("random suffix, 8 shards").
  std::string strategy;
};

struct HotKey {
  std::string key;
  double weight = 0;
  double share = 0;  // of ReportInput::heat_total
  double consumed = 0;
  uint64_t throttles = 0;
  bool throttled = false;
};

struct EffectivenessReport {
  std::string table;
  std::string strategy;
  double duration_seconds = 0;
  // The provisioned rate of the exercised direction(s); 0 when on-demand.
  double provisioned_per_second = 0;
  double achieved_per_second = 0;   // client consumed units / duration
  double achieved_vs_provisioned = 0;  // 0 when not provisioned
  // What the server reports, when load came from the server
  // (LoadMatrix::from_server).
  std::optional<double> server_per_second;
  std::optional<double> achieved_vs_server;
  double throttle_ratio = 0;  // throttled attempts / attempts
  // Partition count: from the server when it reports partitions, else from
  // DynamoDB's public formula, and from throttling of the hottest key.
  int partitions_by_formula = 0;
  std::optional<int> partitions_reported;
  std::optional<int> partitions_by_throttling;
  // Skew over the load rows (served + refused units per row, whole run):
  // skew = 1 - H/ln(n), H the Shannon entropy of the rows' load shares, n
  // the row count: 0 = perfectly even, 1 = all on one row. gini is the Gini
  // coefficient of the same shares. Both 0 with fewer than two rows.
  double skew = 0;
  double gini = 0;
  std::string skew_basis;  // "server partitions", "key buckets", "tracked keys"
  std::vector<HotKey> hottest;
  LoadMatrix load;
};

// Computes the report. Never fails; missing inputs leave fields at 0/empty.
EffectivenessReport BuildReport(const ReportInput& input);

// Skew (1 - normalized entropy) and Gini of non-negative loads.
double SkewScore(const std::vector<double>& loads);
double Gini(const std::vector<double>& loads);

// Human-readable, a few dozen lines.
std::string ToText(const EffectivenessReport& report);
// One JSON object (the field names of EffectivenessReport, snake_case).
std::string ToJson(const EffectivenessReport& report);
// A self-contained SVG heat map of report.load: one row per series, one
// column per second (binned to at most 600 columns), colour by consumed
// units relative to the busiest cell, throttled cells marked in black.
std::string ToSvg(const EffectivenessReport& report);

// Records client-side load per key bucket and second (keys hashed with
// StableHash into `buckets` rows) for the heat map when the server reports
// nothing. Memory: buckets x seconds recorded x 16 bytes.
class LoadRecorder {
 public:
  LoadRecorder(size_t buckets, Clock& clock);
  void Record(std::string_view key, double consumed_units, double throttled_units);
  LoadMatrix Snapshot() const;

 private:
  Clock& clock_;
  const size_t buckets_;
  mutable std::mutex mu_;
  int64_t start_second_ = -1;
  LoadMatrix matrix_;
};

}  // namespace moe::partitioning
