// The partition and throughput simulator (include/moe/simulator.h,
// docs/simulator.md).
//
// A ResourceSim is one table or one GSI: its partitions (contiguous ranges
// of the 64-bit partition-key hash), a read and a write token bucket per
// partition, the resource-wide pool of unused capacity that adaptive
// capacity borrows from (and that caps an on-demand table), and per-second
// metrics. PartitionSimulator holds one TableSim per table, keeps it in step
// with the engine's Table (capacity, billing mode, GSIs, size), and charges
// requests all-or-nothing under one mutex.
//
// Admission follows DynamoDB's token buckets: a request is admitted when
// its bucket holds any credit, and then pays its actual units, which may
// leave the bucket in debt (a 400 KB write against a 5 WCU table succeeds,
// and the partition waits for the debt to refill).
//
// Thread safety: ResourceSim is not thread-safe; PartitionSimulator is safe
// for concurrent use (its mutex is a leaf: it is taken under the engine's
// table locks and never the other way round).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "local/storage.h"
#include "moe/clock.h"
#include "moe/simulator.h"

namespace moe::local {

inline constexpr int kRead = 0;
inline constexpr int kWrite = 1;

// Units that refill at `rate` per second up to `capacity`; time in seconds.
struct TokenBucket {
  double rate = 0;
  double capacity = 0;
  double tokens = 0;
  double updated = 0;

  void Refill(double now) {
    if (now <= updated) return;
    tokens = std::min(capacity, tokens + rate * (now - updated));
    updated = now;
  }
};

// Per-second counters over the last `seconds` seconds (a ring).
class SecondWindow {
 public:
  explicit SecondWindow(int seconds);
  // The slot of `second`, cleared when it held an older second.
  SimSecond& At(int64_t second);
  // Consumed units of direction `d` in `second` (0 when not recorded).
  double Consumed(int64_t second, int d) const;
  // The window ending at `now_second`, oldest first, zeros where idle.
  std::vector<SimSecond> Snapshot(int64_t now_second) const;

 private:
  std::vector<SimSecond> ring_;
};

// Adds `units` (consumed, or throttled with one event) to a second and totals.
void RecordUnits(SimSecond& second, SimTotals& totals, int d, double units, bool throttled);

// What ResourceSim::Admit decided for one request.
struct Admission {
  bool ok = false;
  size_t partition = 0;
  // Admitted on the resource's unused capacity (adaptive capacity).
  bool borrowed = false;
  // Throttled while the whole resource was out of capacity, not only the
  // partition: ProvisionedThroughputExceeded rather than KeyRange.
  bool resource_exhausted = false;
};

class ResourceSim {
 public:
  explicit ResourceSim(const SimulatorOptions& options);

  // Provisioned `read_units`/`write_units`, or on demand (the units are then
  // ignored). Partitions grow (by doubling) to hold the capacity and never
  // shrink. A no-op when nothing changed.
  void Configure(bool on_demand, double read_units, double write_units, int64_t now_ns);

  // Whether a request of direction `d` on the partition of `hash` may run
  // now. Changes nothing but the refill of the buckets it looks at.
  Admission Admit(uint64_t hash, int d, int64_t now_ns);
  void Consume(const Admission& a, int d, double units, int64_t now_ns);
  void Throttle(const Admission& a, int d, double units, int64_t now_ns);

  // Records measured bytes per partition (parallel to the partitions) and
  // splits every partition over options.partition_size_bytes in two until
  // none is.
  void SetSizes(std::span<const int64_t> sizes, int64_t now_ns);

  size_t Locate(uint64_t hash) const;
  size_t partition_count() const { return partitions_.size(); }
  bool on_demand() const { return on_demand_; }

  // Fills everything but the names.
  void Report(int64_t now_ns, SimResourceReport* out) const;

 private:
  struct Partition {
    uint64_t begin = 0;
    TokenBucket bucket[2];
    SecondWindow window;
    SimTotals totals;
    int64_t size_bytes = 0;
  };

  double Capacity(int d) const { return on_demand_ ? ceiling_[d] : provisioned_[d]; }
  double Cap(int d) const;
  size_t Needed() const;
  // Rates, bucket sizes and the pool from the capacity and partition count.
  void ApplyRates(double now);
  // Splits the hashes from `mid` off `low` into a new partition; the credit
  // and the measured bytes are shared equally.
  Partition SplitOff(Partition& low, uint64_t mid) const;
  uint64_t End(size_t i) const;
  // Closes finished seconds: an on-demand resource learns its peaks.
  void Tick(int64_t second, double now);
  void Grow(double now);

  const SimulatorOptions& options_;
  bool configured_ = false;
  bool on_demand_ = false;
  double provisioned_[2] = {0, 0};
  double ceiling_[2] = {0, 0};      // on demand: what the resource serves now
  double settled_peak_[2] = {0, 0}; // on demand: the "previous peak"
  std::deque<std::pair<int64_t, double>> pending_peaks_[2];
  int64_t last_second_ = INT64_MIN;
  TokenBucket pool_[2];
  std::vector<Partition> partitions_;
  SecondWindow window_;
  SimTotals totals_;
};

// One request's draw on one resource.
struct SimCharge {
  const Table* table = nullptr;
  const IndexState* index = nullptr;  // a GSI; null for the table (and its LSIs)
  uint64_t hash = 0;                  // partition-key hash of the table or the GSI
  double units = 0;
  bool write = false;
  size_t owner = 0;  // the caller's item number (batches and transactions)
};

// A charge that was refused.
struct SimThrottle {
  size_t charge = 0;  // index into the charges
  bool on_demand = false;
  bool resource_exhausted = false;
};

class PartitionSimulator {
 public:
  explicit PartitionSimulator(SimulatorOptions options) : options_(std::move(options)) {}
  PartitionSimulator(const PartitionSimulator&) = delete;
  PartitionSimulator& operator=(const PartitionSimulator&) = delete;

  // All or nothing: consumes every charge and returns nothing, or consumes
  // none, records the refused ones as throttled and returns them. The caller
  // holds the locks of the charged tables.
  std::vector<SimThrottle> Charge(std::span<const SimCharge> charges, Clock::TimePoint now);

  // Brings the simulated table in line with `table`. The caller holds its lock.
  void Sync(const Table& table, Clock::TimePoint now);
  // Forgets tables not named in `live` (deleted ones).
  void Retain(const std::vector<std::string>& live);
  SimulatorReport Report(Clock::TimePoint now);

 private:
  struct TableSim {
    explicit TableSim(const SimulatorOptions& options) : table(options) {}
    std::string id;
    ResourceSim table;
    std::map<std::string, std::unique_ptr<ResourceSim>, std::less<>> gsis;
    int64_t measured_bytes = 0;
    std::map<std::string, int64_t, std::less<>> gsi_measured_bytes;
  };

  TableSim& SyncLocked(const Table& table, int64_t now_ns);
  ResourceSim& Resource(TableSim& sim, const IndexState* index);
  // Measures bytes per partition when `bytes` moved far from `measured`.
  void MeasureSizes(ResourceSim& r, const ItemStore& items, int64_t bytes, int64_t& measured,
                    int64_t now_ns) const;

  const SimulatorOptions options_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<TableSim>, std::less<>> tables_;
};

}  // namespace moe::local
