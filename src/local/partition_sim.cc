// Partitions, token buckets, adaptive capacity and on-demand scaling
// (partition_sim.h). The model:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html

#include "local/partition_sim.h"

#include <algorithm>
#include <cmath>

namespace moe::local {

namespace {

// The share of its capacity a resource must have consumed over the last
// second for a throttle to count as the resource's, not a key range's.
constexpr double kExhausted = 0.95;

constexpr unsigned __int128 kHashSpace = static_cast<unsigned __int128>(1) << 64;

double Seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

int64_t SecondOf(int64_t ns) { return ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000; }

// ceil() that forgives floating-point noise (3000/3000 + 1000/1000 is 2).
size_t CeilCount(double x) { return static_cast<size_t>(std::max(1.0, std::ceil(x - 1e-9))); }

}  // namespace

// ------------------------------------------------------------ ResourceSim

ResourceSim::ResourceSim(const SimulatorOptions& options)
    : options_(options), window_(options.metrics_window_seconds) {}

double ResourceSim::Cap(int d) const {
  return d == kRead ? options_.partition_read_units : options_.partition_write_units;
}

size_t ResourceSim::Needed() const {
  if (on_demand_) return std::max(CeilCount(ceiling_[kRead] / Cap(kRead)), CeilCount(ceiling_[kWrite] / Cap(kWrite)));
  return CeilCount(provisioned_[kRead] / Cap(kRead) + provisioned_[kWrite] / Cap(kWrite));
}

uint64_t ResourceSim::End(size_t i) const {
  return i + 1 < partitions_.size() ? partitions_[i + 1].begin - 1 : UINT64_MAX;
}

size_t ResourceSim::Locate(uint64_t hash) const {
  auto it = std::upper_bound(partitions_.begin(), partitions_.end(), hash,
                             [](uint64_t h, const Partition& p) { return h < p.begin; });
  return static_cast<size_t>(it - partitions_.begin()) - 1;
}

void ResourceSim::ApplyRates(double now) {
  double n = static_cast<double>(partitions_.size());
  for (int d : {kRead, kWrite}) {
    double rate = on_demand_ ? Cap(d) : std::min(Capacity(d) / n, Cap(d));
    double held = on_demand_ ? rate : rate * std::max(1.0, options_.burst_seconds);
    for (Partition& p : partitions_) {
      p.bucket[d].Refill(now);
      p.bucket[d].rate = rate;
      p.bucket[d].capacity = held;
      p.bucket[d].tokens = std::min(p.bucket[d].tokens, held);
      p.bucket[d].updated = now;
    }
    pool_[d].Refill(now);
    pool_[d].rate = Capacity(d);
    pool_[d].capacity = Capacity(d);
    pool_[d].tokens = std::min(pool_[d].tokens, pool_[d].capacity);
    pool_[d].updated = now;
  }
}

ResourceSim::Partition ResourceSim::SplitOff(Partition& low, uint64_t mid) const {
  Partition high{.begin = mid, .window = SecondWindow(options_.metrics_window_seconds)};
  for (int d : {kRead, kWrite}) {
    low.bucket[d].tokens /= 2;
    high.bucket[d] = low.bucket[d];
  }
  low.size_bytes /= 2;
  high.size_bytes = low.size_bytes;
  return high;
}

void ResourceSim::Grow(double now) {
  size_t needed = Needed();
  while (partitions_.size() < needed) {
    std::vector<Partition> next;
    next.reserve(partitions_.size() * 2);
    for (size_t i = 0; i < partitions_.size(); ++i) {
      unsigned __int128 end = static_cast<unsigned __int128>(End(i)) + 1;
      uint64_t mid = static_cast<uint64_t>(partitions_[i].begin + (end - partitions_[i].begin) / 2);
      Partition low = std::move(partitions_[i]);
      Partition high = SplitOff(low, mid);
      next.push_back(std::move(low));
      next.push_back(std::move(high));
    }
    partitions_ = std::move(next);
  }
  ApplyRates(now);
}

void ResourceSim::Configure(bool on_demand, double read_units, double write_units, int64_t now_ns) {
  if (configured_ && on_demand == on_demand_ &&
      (on_demand || (read_units == provisioned_[kRead] && write_units == provisioned_[kWrite]))) {
    return;
  }
  double now = Seconds(now_ns);
  double initial[2] = {options_.on_demand_initial_read_units, options_.on_demand_initial_write_units};
  if (on_demand && !on_demand_) {
    // A table switched to on demand keeps half its provisioned throughput as
    // its previous peak; a new one starts from the initial figures.
    for (int d : {kRead, kWrite}) {
      settled_peak_[d] = std::max(initial[d], configured_ ? provisioned_[d] : 0.0) / 2;
      pending_peaks_[d].clear();
    }
  }
  on_demand_ = on_demand;
  if (!on_demand) {
    provisioned_[kRead] = read_units;
    provisioned_[kWrite] = write_units;
  }
  for (int d : {kRead, kWrite}) ceiling_[d] = std::max(initial[d], 2 * settled_peak_[d]);
  if (!configured_) {
    configured_ = true;
    size_t n = Needed();
    partitions_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      Partition p{.begin = static_cast<uint64_t>(kHashSpace * i / n),
                  .window = SecondWindow(options_.metrics_window_seconds)};
      for (int d : {kRead, kWrite}) p.bucket[d].updated = now;
      partitions_.push_back(std::move(p));
    }
    for (int d : {kRead, kWrite}) pool_[d].updated = now;
    ApplyRates(now);
    // A new partition starts with one second of credit, the pool full.
    for (Partition& p : partitions_) {
      for (int d : {kRead, kWrite}) p.bucket[d].tokens = p.bucket[d].rate;
    }
    for (int d : {kRead, kWrite}) pool_[d].tokens = pool_[d].capacity;
    return;
  }
  Grow(now);
}

void ResourceSim::Tick(int64_t second, double now) {
  if (second <= last_second_) return;
  int64_t previous = last_second_;
  last_second_ = second;
  if (!on_demand_) return;
  bool changed = false;
  for (int d : {kRead, kWrite}) {
    auto& pending = pending_peaks_[d];
    if (previous != INT64_MIN) {
      double v = window_.Consumed(previous, d);
      // A peak no higher than a newer-settling one never matters.
      if (v > settled_peak_[d] && (pending.empty() || v > pending.back().second)) {
        pending.emplace_back(previous, v);
      }
    }
    while (!pending.empty() && pending.front().first <= second - options_.on_demand_peak_age.count()) {
      settled_peak_[d] = std::max(settled_peak_[d], pending.front().second);
      pending.pop_front();
      changed = true;
    }
  }
  if (!changed) return;
  double initial[2] = {options_.on_demand_initial_read_units, options_.on_demand_initial_write_units};
  for (int d : {kRead, kWrite}) ceiling_[d] = std::max(initial[d], 2 * settled_peak_[d]);
  Grow(now);
}

Admission ResourceSim::Admit(uint64_t hash, int d, int64_t now_ns) {
  double now = Seconds(now_ns);
  int64_t second = SecondOf(now_ns);
  Tick(second, now);
  Admission a;
  a.partition = Locate(hash);
  Partition& p = partitions_[a.partition];
  p.bucket[d].Refill(now);
  pool_[d].Refill(now);
  bool pool_ok = pool_[d].tokens > 0;
  bool own = p.bucket[d].tokens > 0;
  // No partition serves more than its hard maximum in one second.
  if (p.window.Consumed(second, d) >= Cap(d)) {
  } else if (on_demand_) {
    a.ok = own && pool_ok;
  } else if (own) {
    a.ok = true;
  } else if (options_.adaptive_capacity && pool_ok) {
    a.ok = a.borrowed = true;
  }
  if (!a.ok) {
    // The resource as a whole is out when its pool is, or when it consumed
    // (nearly) its whole capacity over the last second.
    double fraction = static_cast<double>(now_ns - second * 1000000000) / 1e9;
    double recent = window_.Consumed(second, d) + window_.Consumed(second - 1, d) * (1 - fraction);
    a.resource_exhausted = !pool_ok || recent >= kExhausted * Capacity(d);
  }
  return a;
}

void ResourceSim::Consume(const Admission& a, int d, double units, int64_t now_ns) {
  int64_t second = SecondOf(now_ns);
  Partition& p = partitions_[a.partition];
  if (!a.borrowed) p.bucket[d].tokens -= units;
  // The pool is one second of the resource's capacity; burst beyond it
  // leaves at most one second of debt.
  pool_[d].tokens = std::max(pool_[d].tokens - units, -pool_[d].capacity);
  RecordUnits(p.window.At(second), p.totals, d, units, false);
  RecordUnits(window_.At(second), totals_, d, units, false);
}

void ResourceSim::Throttle(const Admission& a, int d, double units, int64_t now_ns) {
  int64_t second = SecondOf(now_ns);
  Partition& p = partitions_[a.partition];
  RecordUnits(p.window.At(second), p.totals, d, units, true);
  RecordUnits(window_.At(second), totals_, d, units, true);
}

void ResourceSim::SetSizes(std::span<const int64_t> sizes, int64_t now_ns) {
  size_t n = std::min(sizes.size(), partitions_.size());
  for (size_t i = 0; i < n; ++i) partitions_[i].size_bytes = sizes[i];
  int64_t limit = std::max<int64_t>(1, options_.partition_size_bytes);
  bool split = false;
  std::vector<Partition> next;
  next.reserve(partitions_.size());
  for (size_t i = 0; i < partitions_.size(); ++i) {
    unsigned __int128 end = static_cast<unsigned __int128>(End(i)) + 1;
    // Halve until each piece holds no more than the limit (or one hash).
    std::vector<std::pair<unsigned __int128, Partition>> work;
    work.emplace_back(end, std::move(partitions_[i]));
    while (!work.empty()) {
      auto [piece_end, piece] = std::move(work.back());
      work.pop_back();
      if (piece.size_bytes <= limit || piece_end - piece.begin < 2) {
        next.push_back(std::move(piece));
        continue;
      }
      split = true;
      uint64_t mid = static_cast<uint64_t>(piece.begin + (piece_end - piece.begin) / 2);
      Partition high = SplitOff(piece, mid);
      work.emplace_back(piece_end, std::move(high));  // the high half goes out after the low
      work.emplace_back(mid, std::move(piece));
    }
  }
  partitions_ = std::move(next);
  if (split) ApplyRates(Seconds(now_ns));
}

// ------------------------------------------------------------ PartitionSimulator

ResourceSim& PartitionSimulator::Resource(TableSim& sim, const IndexState* index) {
  if (index == nullptr || !index->global) return sim.table;
  auto it = sim.gsis.find(index->name);
  return it != sim.gsis.end() ? *it->second : sim.table;
}

void PartitionSimulator::MeasureSizes(ResourceSim& r, const ItemStore& items, int64_t bytes,
                                      int64_t& measured, int64_t now_ns) const {
  int64_t step = std::max<int64_t>(1, options_.partition_size_bytes / 16);
  if (std::abs(bytes - measured) < step) return;
  measured = bytes;
  std::vector<int64_t> sizes(r.partition_count(), 0);
  items.ForEach([&](const Partition& p, const SortKey&, const StoredItem& stored) {
    sizes[r.Locate(p.hash)] += static_cast<int64_t>(stored.size);
  });
  r.SetSizes(sizes, now_ns);
}

PartitionSimulator::TableSim& PartitionSimulator::SyncLocked(const Table& table, int64_t now_ns) {
  auto it = tables_.find(table.name);
  if (it == tables_.end() || it->second->id != table.id) {
    auto sim = std::make_unique<TableSim>(options_);
    sim->id = table.id;
    it = tables_.insert_or_assign(table.name, std::move(sim)).first;
  }
  TableSim& sim = *it->second;
  bool on_demand = table.billing_mode == BillingMode::kPayPerRequest;
  sim.table.Configure(on_demand, static_cast<double>(table.throughput.read_capacity_units),
                      static_cast<double>(table.throughput.write_capacity_units), now_ns);
  MeasureSizes(sim.table, table.items, table.size_bytes, sim.measured_bytes, now_ns);
  for (const IndexState& index : table.indexes) {
    if (!index.global) continue;
    auto [git, added] = sim.gsis.try_emplace(index.name);
    if (added) git->second = std::make_unique<ResourceSim>(options_);
    ProvisionedThroughput p = index.throughput.value_or(ProvisionedThroughput{});
    git->second->Configure(on_demand || !index.throughput,
                           static_cast<double>(p.read_capacity_units),
                           static_cast<double>(p.write_capacity_units), now_ns);
    MeasureSizes(*git->second, index.items, index.size_bytes, sim.gsi_measured_bytes[index.name],
                 now_ns);
  }
  if (sim.gsis.size() > static_cast<size_t>(std::count_if(
                            table.indexes.begin(), table.indexes.end(),
                            [](const IndexState& i) { return i.global; }))) {
    std::erase_if(sim.gsis, [&](const auto& kv) {
      const IndexState* index = table.FindIndex(kv.first);
      return index == nullptr || !index->global;
    });
  }
  return sim;
}

void PartitionSimulator::Sync(const Table& table, Clock::TimePoint now) {
  std::lock_guard<std::mutex> lock(mu_);
  SyncLocked(table, now.time_since_epoch().count());
}

void PartitionSimulator::Retain(const std::vector<std::string>& live) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(tables_, [&](const auto& kv) {
    return std::find(live.begin(), live.end(), kv.first) == live.end();
  });
}

std::vector<SimThrottle> PartitionSimulator::Charge(std::span<const SimCharge> charges,
                                                    Clock::TimePoint now) {
  int64_t now_ns = now.time_since_epoch().count();
  std::lock_guard<std::mutex> lock(mu_);
  struct Step {
    ResourceSim* resource;
    Admission admission;
  };
  std::vector<Step> steps;
  steps.reserve(charges.size());
  std::vector<SimThrottle> throttles;
  const Table* synced = nullptr;
  TableSim* sim = nullptr;
  for (size_t i = 0; i < charges.size(); ++i) {
    const SimCharge& c = charges[i];
    if (c.table != synced) {
      sim = &SyncLocked(*c.table, now_ns);
      synced = c.table;
    }
    ResourceSim& r = Resource(*sim, c.index);
    Admission a = r.Admit(c.hash, c.write ? kWrite : kRead, now_ns);
    if (!a.ok) throttles.push_back({i, r.on_demand(), a.resource_exhausted});
    steps.push_back({&r, a});
  }
  for (size_t i = 0; i < charges.size(); ++i) {
    int d = charges[i].write ? kWrite : kRead;
    if (throttles.empty()) {
      steps[i].resource->Consume(steps[i].admission, d, charges[i].units, now_ns);
    } else if (!steps[i].admission.ok) {
      steps[i].resource->Throttle(steps[i].admission, d, charges[i].units, now_ns);
    }
  }
  return throttles;
}

}  // namespace moe::local
