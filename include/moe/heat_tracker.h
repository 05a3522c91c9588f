// HeatTracker: the hottest partition keys of a traffic stream, in bounded
// memory, weighted by the capacity each request consumed and by throttles.
//
// It keeps a Space-Saving summary (Metwally, Agrawal, El Abbadi 2005) of
// `capacity` keys, split over lock stripes by key hash, and optionally a
// Count-Min sketch (Cormode, Muthukrishnan 2005) that estimates the weight of
// any key, tracked or not. An observation costs one hash, one striped lock
// and an O(log k) heap step: cheap enough to leave on in production (see
// bench/partitioning_bench.cc and docs/partitioning.md for numbers and the
// error bounds).
//
//   moe::partitioning::HeatTracker heat({.capacity = 256});
//   heat.Observe("orders/user#7", /*consumed_units=*/1.0, /*throttled=*/false);
//   for (const auto& e : heat.Top(10)) print(e.key, e.weight, e.throttles);
//
// Feed it by hand, or from a client with NewPartitionObserver
// (moe/partition_observer.h), which reads ConsumedCapacity from responses.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moe::partitioning {

struct HeatOptions {
  // Keys kept in the summary (the k of top-k), over all stripes. Error bound:
  // a key's weight is overestimated by at most about total_weight/capacity.
  // Default: 256.
  size_t capacity = 256;
  // Lock stripes; keys are assigned to one stripe by hash. Default: 8.
  size_t stripes = 8;
  // Weight a throttled attempt adds to its key, in capacity units, so keys
  // that are refused rank above keys that are merely busy. Default: 1.
  double throttle_weight = 1.0;
  // Keys longer than this are truncated (memory stays bounded). Default: 256.
  size_t max_key_bytes = 256;
  // Count-Min sketch columns; 0 disables the sketch. With width w and depth
  // d, Estimate overestimates by at most e/w * total_weight with probability
  // 1 - e^-d. Default: 0.
  size_t sketch_width = 0;
  // Count-Min sketch rows. Default: 4.
  size_t sketch_depth = 4;
};

// One tracked key.
struct HeatEntry {
  std::string key;
  // Space-Saving count: the key's true weight lies in [weight - error, weight].
  double weight = 0;
  double error = 0;
  // Consumed units and throttled attempts seen since the key last entered the
  // summary (lower bounds when error > 0).
  double consumed = 0;
  uint64_t throttles = 0;
  uint64_t observations = 0;
};

class HeatTracker {
 public:
  explicit HeatTracker(HeatOptions options = {});
  ~HeatTracker();
  HeatTracker(const HeatTracker&) = delete;
  HeatTracker& operator=(const HeatTracker&) = delete;

  // Records one attempt on `key` that consumed `consumed_units` (may be 0 for
  // a throttled attempt) and was or was not throttled. The key's weight grows
  // by consumed_units + (throttled ? throttle_weight : 0); zero weight is
  // ignored.
  void Observe(std::string_view key, double consumed_units, bool throttled);

  // The `k` heaviest keys, heaviest first.
  std::vector<HeatEntry> Top(size_t k) const;

  // Count-Min upper bound on the weight of `key`; nullopt without a sketch.
  std::optional<double> Estimate(std::string_view key) const;

  // Sum of all observed weights, and the number of observations.
  double total_weight() const;
  uint64_t observations() const;

  // Upper bound on the bytes held, fixed at construction.
  size_t memory_bound() const;

  // Forgets everything (e.g. at the start of a measuring window).
  void Reset();

 private:
  class Stripe;
  class Sketch;
  HeatOptions options_;
  std::vector<std::unique_ptr<Stripe>> stripes_;
  std::unique_ptr<Sketch> sketch_;
};

}  // namespace moe::partitioning
