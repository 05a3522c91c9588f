#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/json_writer.h"
#include "moe/effectiveness_report.h"
#include "moe/sharding.h"

namespace moe::partitioning {
namespace {

// DynamoDB's published per-partition limits and size.
constexpr double kPartitionReadUnits = 3000;
constexpr double kPartitionWriteUnits = 1000;
constexpr double kPartitionBytes = 10.0 * 1000 * 1000 * 1000;

double Sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

std::string Fixed(double v, int digits = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

double SkewScore(const std::vector<double>& loads) {
  double total = Sum(loads);
  if (loads.size() < 2 || total <= 0) return 0;
  double h = 0;
  for (double x : loads) {
    if (x > 0) h -= (x / total) * std::log(x / total);
  }
  return std::clamp(1.0 - h / std::log(static_cast<double>(loads.size())), 0.0, 1.0);
}

double Gini(const std::vector<double>& loads) {
  double total = Sum(loads);
  if (loads.size() < 2 || total <= 0) return 0;
  std::vector<double> sorted = loads;
  std::sort(sorted.begin(), sorted.end());
  // G = sum_i (2i - n - 1) x_i / (n sum x), i 1-based over ascending x.
  double n = static_cast<double>(sorted.size()), acc = 0;
  for (size_t i = 0; i < sorted.size(); ++i) acc += (2.0 * (i + 1) - n - 1) * sorted[i];
  return std::clamp(acc / (n * total), 0.0, 1.0);
}

EffectivenessReport BuildReport(const ReportInput& in) {
  EffectivenessReport r;
  r.table = in.table;
  r.strategy = in.strategy;
  r.load = in.load;
  r.duration_seconds = in.client.duration_seconds;
  r.provisioned_per_second = (in.reads ? in.provisioned.read_units : 0) +
                             (in.writes ? in.provisioned.write_units : 0);
  if (r.duration_seconds > 0) r.achieved_per_second = in.client.consumed_units / r.duration_seconds;
  if (r.provisioned_per_second > 0) {
    r.achieved_vs_provisioned = r.achieved_per_second / r.provisioned_per_second;
  }
  if (in.client.attempts > 0) {
    r.throttle_ratio = static_cast<double>(in.client.throttled_attempts) / in.client.attempts;
  }

  std::vector<double> row_load;
  double served = 0;
  size_t seconds = 0;
  for (const LoadSeries& s : in.load.series) {
    double c = Sum(s.consumed);
    served += c;
    row_load.push_back(c + Sum(s.throttled));
    seconds = std::max(seconds, s.consumed.size());
  }
  if (in.load.from_server && !in.load.series.empty() && seconds > 0) {
    r.server_per_second = served / static_cast<double>(seconds);
    if (*r.server_per_second > 0) r.achieved_vs_server = r.achieved_per_second / *r.server_per_second;
  }
  if (in.load.kind == LoadMatrix::Kind::kPartitions && !in.load.series.empty()) {
    r.partitions_reported = static_cast<int>(in.load.series.size());
  }
  r.partitions_by_formula = static_cast<int>(std::max(
      {std::ceil(in.provisioned.read_units / kPartitionReadUnits +
                 in.provisioned.write_units / kPartitionWriteUnits),
       std::ceil(static_cast<double>(in.provisioned.table_size_bytes) / kPartitionBytes), 1.0}));

  double tracked = 0;
  for (const HeatEntry& e : in.hottest) tracked += e.weight;
  if (in.heat_total > 0) tracked = in.heat_total;
  for (const HeatEntry& e : in.hottest) {
    r.hottest.push_back({e.key, e.weight, tracked > 0 ? e.weight / tracked : 0, e.consumed,
                         e.throttles, e.throttles > 0});
  }
  // A throttled hot key runs at about one partition's share of the table:
  // provisioned / its achieved rate is the partition count it implies.
  if (!r.hottest.empty() && r.hottest.front().throttled && r.duration_seconds > 0 &&
      r.provisioned_per_second > 0 && r.hottest.front().consumed > 0) {
    double hot_rate = r.hottest.front().consumed / r.duration_seconds;
    r.partitions_by_throttling =
        std::max(1, static_cast<int>(std::lround(r.provisioned_per_second / hot_rate)));
  }

  if (row_load.size() >= 2) {
    r.skew_basis = in.load.kind == LoadMatrix::Kind::kPartitions ? "server partitions"
                   : in.load.from_server                          ? "server key buckets"
                                                                  : "client key buckets";
  } else {
    row_load.clear();
    for (const HeatEntry& e : in.hottest) row_load.push_back(e.weight);
    r.skew_basis = "tracked keys";
  }
  r.skew = SkewScore(row_load);
  r.gini = Gini(row_load);
  return r;
}

std::string ToText(const EffectivenessReport& r) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  line("Partition effectiveness: " + r.table + (r.strategy.empty() ? "" : " (" + r.strategy + ")"));
  line("  duration            " + Fixed(r.duration_seconds) + " s");
  line("  achieved            " + Fixed(r.achieved_per_second) + " units/s");
  if (r.provisioned_per_second > 0) {
    line("  provisioned         " + Fixed(r.provisioned_per_second) + " units/s  (achieved " +
         Fixed(100 * r.achieved_vs_provisioned) + "%)");
  } else {
    line("  provisioned         on-demand or unknown");
  }
  if (r.server_per_second) {
    line("  server reports      " + Fixed(*r.server_per_second) + " units/s served" +
         (r.achieved_vs_server ? "  (client saw " + Fixed(100 * *r.achieved_vs_server) + "%)" : ""));
  }
  line("  throttled attempts  " + Fixed(100 * r.throttle_ratio) + "%");
  if (!r.load.series.empty()) {
    line("  load rows           " + std::to_string(r.load.series.size()) +
         (r.load.kind == LoadMatrix::Kind::kPartitions ? " partitions" : " key buckets") +
         (r.load.from_server ? ", from the server" : ", recorded by the client"));
  }
  std::string parts = "  partitions          " + std::to_string(r.partitions_by_formula) + " by formula";
  if (r.partitions_reported) parts += ", " + std::to_string(*r.partitions_reported) + " reported";
  if (r.partitions_by_throttling) {
    parts += ", ~" + std::to_string(*r.partitions_by_throttling) + " implied by the hot key's throttling";
  }
  line(parts);
  line("  skew                " + Fixed(r.skew, 3) + " (0 even .. 1 one row), gini " +
       Fixed(r.gini, 3) + ", over " + (r.skew_basis.empty() ? "nothing" : r.skew_basis));
  if (!r.hottest.empty()) {
    line("  hottest keys        weight    share  consumed  throttles");
    for (const HotKey& k : r.hottest) {
      char buf[512];
      std::snprintf(buf, sizeof buf, "    %-30.30s %9.1f %7.1f%% %9.1f %10llu%s", k.key.c_str(),
                    k.weight, 100 * k.share, k.consumed,
                    static_cast<unsigned long long>(k.throttles), k.throttled ? "  THROTTLED" : "");
      line(buf);
    }
  }
  return out;
}

std::string ToJson(const EffectivenessReport& r) {
  std::string out;
  internal::JsonWriter w(&out);
  auto number = [&](std::string_view key, double v) {
    w.Key(key);
    w.Double(v);
  };
  w.BeginObject();
  w.Key("table");
  w.String(r.table);
  w.Key("strategy");
  w.String(r.strategy);
  number("duration_seconds", r.duration_seconds);
  number("provisioned_per_second", r.provisioned_per_second);
  number("achieved_per_second", r.achieved_per_second);
  number("achieved_vs_provisioned", r.achieved_vs_provisioned);
  if (r.server_per_second) number("server_per_second", *r.server_per_second);
  if (r.achieved_vs_server) number("achieved_vs_server", *r.achieved_vs_server);
  number("throttle_ratio", r.throttle_ratio);
  w.Key("partitions_by_formula");
  w.Int(r.partitions_by_formula);
  if (r.partitions_reported) {
    w.Key("partitions_reported");
    w.Int(*r.partitions_reported);
  }
  if (r.partitions_by_throttling) {
    w.Key("partitions_by_throttling");
    w.Int(*r.partitions_by_throttling);
  }
  number("skew", r.skew);
  number("gini", r.gini);
  w.Key("skew_basis");
  w.String(r.skew_basis);
  w.Key("hottest");
  w.BeginArray();
  for (const HotKey& k : r.hottest) {
    w.BeginObject();
    w.Key("key");
    w.String(k.key);
    number("weight", k.weight);
    number("share", k.share);
    number("consumed", k.consumed);
    w.Key("throttles");
    w.Uint(k.throttles);
    w.Key("throttled");
    w.Bool(k.throttled);
    w.EndObject();
  }
  w.EndArray();
  w.Key("load");
  w.BeginObject();
  w.Key("kind");
  w.String(r.load.kind == LoadMatrix::Kind::kPartitions ? "partitions" : "key_buckets");
  w.Key("from_server");
  w.Bool(r.load.from_server);
  w.Key("start_unix_seconds");
  w.Int(r.load.start_unix_seconds);
  w.Key("series");
  w.BeginArray();
  for (const LoadSeries& s : r.load.series) {
    w.BeginObject();
    w.Key("name");
    w.String(s.name);
    for (auto [key, values] : {std::pair{"consumed", &s.consumed}, {"throttled", &s.throttled}}) {
      w.Key(key);
      w.BeginArray();
      for (double v : *values) w.Double(v);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return out;
}

// ------------------------------------------------------------ LoadRecorder

LoadRecorder::LoadRecorder(size_t buckets, Clock& clock)
    : clock_(clock), buckets_(std::max<size_t>(1, buckets)) {
  matrix_.kind = LoadMatrix::Kind::kKeyBuckets;
  matrix_.from_server = false;
  for (size_t i = 0; i < buckets_; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "keys %zu/%zu", i, buckets_);
    matrix_.series.push_back({name, {}, {}});
  }
}

void LoadRecorder::Record(std::string_view key, double consumed_units, double throttled_units) {
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  size_t row = StableHash(key) % buckets_;
  std::lock_guard lock(mu_);
  if (start_second_ < 0) {
    start_second_ = now;
    matrix_.start_unix_seconds = now;
  }
  size_t column = static_cast<size_t>(std::max<int64_t>(0, now - start_second_));
  if (column >= matrix_.series[0].consumed.size()) {
    for (LoadSeries& s : matrix_.series) {
      s.consumed.resize(column + 1, 0.0);
      s.throttled.resize(column + 1, 0.0);
    }
  }
  matrix_.series[row].consumed[column] += consumed_units;
  matrix_.series[row].throttled[column] += throttled_units;
}

LoadMatrix LoadRecorder::Snapshot() const {
  std::lock_guard lock(mu_);
  return matrix_;
}

}  // namespace moe::partitioning
