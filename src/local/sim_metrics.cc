// The simulator's metrics: per-second windows, the report, and its
// Prometheus text form. The metric names follow CloudWatch's DynamoDB
// metrics (ConsumedReadCapacityUnits, ReadThrottleEvents, ...):
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
// The text format:
// https://prometheus.io/docs/instrumenting/exposition_formats/

#include <cinttypes>
#include <cstdio>

#include "local/partition_sim.h"

namespace moe::local {

// ------------------------------------------------------------ windows

SecondWindow::SecondWindow(int seconds) : ring_(static_cast<size_t>(std::max(2, seconds))) {
  for (SimSecond& s : ring_) s.unix_second = INT64_MIN;
}

SimSecond& SecondWindow::At(int64_t second) {
  int64_t n = static_cast<int64_t>(ring_.size());
  SimSecond& slot = ring_[static_cast<size_t>(((second % n) + n) % n)];
  if (slot.unix_second != second) slot = SimSecond{.unix_second = second};
  return slot;
}

double SecondWindow::Consumed(int64_t second, int d) const {
  int64_t n = static_cast<int64_t>(ring_.size());
  const SimSecond& slot = ring_[static_cast<size_t>(((second % n) + n) % n)];
  if (slot.unix_second != second) return 0;
  return d == kRead ? slot.consumed_read_units : slot.consumed_write_units;
}

std::vector<SimSecond> SecondWindow::Snapshot(int64_t now_second) const {
  int64_t n = static_cast<int64_t>(ring_.size());
  std::vector<SimSecond> out;
  out.reserve(ring_.size());
  for (int64_t s = now_second - n + 1; s <= now_second; ++s) {
    const SimSecond& slot = ring_[static_cast<size_t>(((s % n) + n) % n)];
    out.push_back(slot.unix_second == s ? slot : SimSecond{.unix_second = s});
  }
  return out;
}

void RecordUnits(SimSecond& second, SimTotals& totals, int d, double units, bool throttled) {
  if (!throttled) {
    (d == kRead ? second.consumed_read_units : second.consumed_write_units) += units;
    (d == kRead ? totals.consumed_read_units : totals.consumed_write_units) += units;
    return;
  }
  (d == kRead ? second.throttled_read_units : second.throttled_write_units) += units;
  (d == kRead ? totals.throttled_read_units : totals.throttled_write_units) += units;
  ++(d == kRead ? second.read_throttle_events : second.write_throttle_events);
  ++(d == kRead ? totals.read_throttle_events : totals.write_throttle_events);
}

// ------------------------------------------------------------ report

void ResourceSim::Report(int64_t now_ns, SimResourceReport* out) const {
  int64_t second = now_ns / 1000000000;
  double now = static_cast<double>(now_ns) / 1e9;
  out->on_demand = on_demand_;
  out->read_capacity_units = Capacity(kRead);
  out->write_capacity_units = Capacity(kWrite);
  out->totals = totals_;
  out->seconds = window_.Snapshot(second);
  out->partitions.reserve(partitions_.size());
  for (size_t i = 0; i < partitions_.size(); ++i) {
    const Partition& p = partitions_[i];
    TokenBucket read = p.bucket[kRead];
    TokenBucket write = p.bucket[kWrite];
    read.Refill(now);
    write.Refill(now);
    out->partitions.push_back({.hash_begin = p.begin,
                               .hash_end = End(i),
                               .read_units_per_second = read.rate,
                               .write_units_per_second = write.rate,
                               .read_tokens = read.tokens,
                               .write_tokens = write.tokens,
                               .size_bytes = p.size_bytes,
                               .totals = p.totals,
                               .seconds = p.window.Snapshot(second)});
  }
}

SimulatorReport PartitionSimulator::Report(Clock::TimePoint now) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now_ns = now.time_since_epoch().count();
  SimulatorReport out{.enabled = true, .now = now};
  for (const auto& [name, sim] : tables_) {
    SimResourceReport& t = out.resources.emplace_back();
    t.table = name;
    sim->table.Report(now_ns, &t);
    for (const auto& [index, r] : sim->gsis) {
      SimResourceReport& g = out.resources.emplace_back();
      g.table = name;
      g.index = index;
      r->Report(now_ns, &g);
    }
  }
  return out;
}

// ------------------------------------------------------------ Prometheus

namespace {

// A label value with \, " and newline escaped.
std::string Escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.15g", v);
  return buf;
}

class Exposition {
 public:
  // Starts a metric family.
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  }
  void Sample(std::string_view name, const std::string& labels, double value) {
    out_.append(name);
    if (!labels.empty()) out_.append("{").append(labels).append("}");
    out_.append(" ").append(Number(value)).append("\n");
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string Labels(const SimResourceReport& r, const SimPartitionReport* p, size_t partition) {
  std::string labels = "table=\"" + Escape(r.table) + "\",index=\"" + Escape(r.index) + "\"";
  if (p != nullptr) labels += ",partition=\"" + std::to_string(partition) + "\"";
  return labels;
}

// One value per resource and per partition.
struct Series {
  std::string_view name;
  std::string_view type;
  std::string_view help;
  double (*of_totals)(const SimTotals&);
  double (*of_second)(const SimSecond&);
};

constexpr Series kSeries[] = {
    {"moe_sim_consumed_read_units_total", "counter", "Read units consumed",
     [](const SimTotals& t) { return t.consumed_read_units; }, nullptr},
    {"moe_sim_consumed_write_units_total", "counter", "Write units consumed",
     [](const SimTotals& t) { return t.consumed_write_units; }, nullptr},
    {"moe_sim_throttled_read_units_total", "counter", "Read units refused by throttling",
     [](const SimTotals& t) { return t.throttled_read_units; }, nullptr},
    {"moe_sim_throttled_write_units_total", "counter", "Write units refused by throttling",
     [](const SimTotals& t) { return t.throttled_write_units; }, nullptr},
    {"moe_sim_read_throttle_events_total", "counter", "Read requests throttled",
     [](const SimTotals& t) { return static_cast<double>(t.read_throttle_events); }, nullptr},
    {"moe_sim_write_throttle_events_total", "counter", "Write requests throttled",
     [](const SimTotals& t) { return static_cast<double>(t.write_throttle_events); }, nullptr},
    {"moe_sim_consumed_read_units_per_second", "gauge", "Read units consumed in the last complete second",
     nullptr, [](const SimSecond& s) { return s.consumed_read_units; }},
    {"moe_sim_consumed_write_units_per_second", "gauge", "Write units consumed in the last complete second",
     nullptr, [](const SimSecond& s) { return s.consumed_write_units; }},
    {"moe_sim_throttled_read_units_per_second", "gauge", "Read units throttled in the last complete second",
     nullptr, [](const SimSecond& s) { return s.throttled_read_units; }},
    {"moe_sim_throttled_write_units_per_second", "gauge", "Write units throttled in the last complete second",
     nullptr, [](const SimSecond& s) { return s.throttled_write_units; }},
};

// The last complete second of a window (the one before now).
const SimSecond* LastComplete(const std::vector<SimSecond>& seconds) {
  return seconds.size() >= 2 ? &seconds[seconds.size() - 2] : nullptr;
}

}  // namespace

std::string PrometheusText(const SimulatorReport& report) {
  Exposition e;
  e.Family("moe_sim_enabled", "gauge", "Whether the partition simulator is on");
  e.Sample("moe_sim_enabled", "", report.enabled ? 1 : 0);
  if (report.resources.empty()) return e.Take();
  e.Family("moe_sim_partitions", "gauge", "Partitions of a table or global secondary index");
  for (const SimResourceReport& r : report.resources) {
    e.Sample("moe_sim_partitions", Labels(r, nullptr, 0), static_cast<double>(r.partitions.size()));
  }
  e.Family("moe_sim_read_capacity_units", "gauge",
           "Provisioned read capacity, or what an on-demand table serves now");
  for (const SimResourceReport& r : report.resources) {
    e.Sample("moe_sim_read_capacity_units", Labels(r, nullptr, 0), r.read_capacity_units);
  }
  e.Family("moe_sim_write_capacity_units", "gauge",
           "Provisioned write capacity, or what an on-demand table serves now");
  for (const SimResourceReport& r : report.resources) {
    e.Sample("moe_sim_write_capacity_units", Labels(r, nullptr, 0), r.write_capacity_units);
  }
  e.Family("moe_sim_partition_info", "gauge", "A partition and its range of key hashes");
  for (const SimResourceReport& r : report.resources) {
    for (size_t i = 0; i < r.partitions.size(); ++i) {
      char range[64];
      std::snprintf(range, sizeof(range), ",hash_begin=\"0x%016" PRIx64 "\",hash_end=\"0x%016" PRIx64 "\"",
                    r.partitions[i].hash_begin, r.partitions[i].hash_end);
      e.Sample("moe_sim_partition_info", Labels(r, &r.partitions[i], i) + range, 1);
    }
  }
  for (const Series& series : kSeries) {
    e.Family(series.name, series.type, series.help);
    auto value = [&](const SimTotals& totals, const std::vector<SimSecond>& seconds) {
      if (series.of_totals != nullptr) return series.of_totals(totals);
      const SimSecond* last = LastComplete(seconds);
      return last != nullptr ? series.of_second(*last) : 0.0;
    };
    for (const SimResourceReport& r : report.resources) {
      e.Sample(series.name, Labels(r, nullptr, 0), value(r.totals, r.seconds));
      for (size_t i = 0; i < r.partitions.size(); ++i) {
        const SimPartitionReport& p = r.partitions[i];
        e.Sample(series.name, Labels(r, &p, i), value(p.totals, p.seconds));
      }
    }
  }
  return e.Take();
}

}  // namespace moe::local
