#include "moe/heat_tracker.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "moe/sharding.h"

namespace moe::partitioning {

// One stripe's Space-Saving summary: at most k entries, a min-heap on
// weight (the root is the eviction victim), and an open-addressing index
// from key hash to entry (linear probing, backward-shift deletion), so a
// hit costs no allocation and a miss reuses the evicted entry's string.
class HeatTracker::Stripe {
 public:
  Stripe(size_t k, size_t max_key_bytes) : k_(std::max<size_t>(1, k)), max_key_(max_key_bytes) {
    size_t slots = std::bit_ceil(k_ * 2);
    table_.assign(slots, -1);
    mask_ = slots - 1;
    entries_.reserve(k_);
    heap_.reserve(k_);
  }

  void Observe(std::string_view key, uint64_t hash, double weight, double consumed,
               bool throttled) {
    std::lock_guard lock(mu_);
    total_ += weight;
    ++observations_;
    int e = Find(key, hash);
    if (e < 0) {
      if (entries_.size() < k_) {
        e = static_cast<int>(entries_.size());
        entries_.push_back({});
        entries_[e].heap_pos = static_cast<int>(heap_.size());
        heap_.push_back(e);
        SiftUp(entries_[e].heap_pos);
      } else {
        e = heap_[0];  // the lightest key makes room
        Erase(e);
      }
      Slot& s = entries_[e];
      double floor = s.entry.weight;  // 0 for a fresh slot
      s.entry = HeatEntry{};
      s.entry.key.assign(key.substr(0, max_key_));
      s.entry.weight = floor;
      s.entry.error = floor;
      s.hash = hash;
      Insert(e);
    }
    Slot& s = entries_[e];
    s.entry.weight += weight;
    s.entry.consumed += consumed;
    s.entry.throttles += throttled ? 1 : 0;
    ++s.entry.observations;
    SiftDown(s.heap_pos);
  }

  void Collect(std::vector<HeatEntry>& out) const {
    std::lock_guard lock(mu_);
    for (const Slot& s : entries_) out.push_back(s.entry);
  }

  double total() const {
    std::lock_guard lock(mu_);
    return total_;
  }
  uint64_t observations() const {
    std::lock_guard lock(mu_);
    return observations_;
  }
  void Reset() {
    std::lock_guard lock(mu_);
    entries_.clear();
    heap_.clear();
    std::fill(table_.begin(), table_.end(), -1);
    total_ = 0;
    observations_ = 0;
  }
  size_t memory_bound() const {
    return sizeof(*this) + table_.size() * sizeof(int32_t) +
           k_ * (sizeof(Slot) + sizeof(int) + max_key_ + 1);
  }

 private:
  struct Slot {
    HeatEntry entry;
    uint64_t hash = 0;
    int heap_pos = 0;
  };

  int Find(std::string_view key, uint64_t hash) const {
    key = key.substr(0, max_key_);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      int e = table_[i];
      if (e < 0) return -1;
      if (entries_[e].hash == hash && entries_[e].entry.key == key) return e;
    }
  }
  void Insert(int e) {
    size_t i = entries_[e].hash & mask_;
    while (table_[i] >= 0) i = (i + 1) & mask_;
    table_[i] = e;
  }
  void Erase(int e) {
    size_t p = entries_[e].hash & mask_;
    while (table_[p] != e) p = (p + 1) & mask_;
    // Backward shift: pull later members of the probe run into the hole
    // unless their home slot lies cyclically in (p, j].
    for (size_t j = (p + 1) & mask_; table_[j] >= 0; j = (j + 1) & mask_) {
      size_t home = entries_[table_[j]].hash & mask_;
      bool stays = p <= j ? (home > p && home <= j) : (home > p || home <= j);
      if (!stays) {
        table_[p] = table_[j];
        p = j;
      }
    }
    table_[p] = -1;
  }

  double W(size_t heap_index) const { return entries_[heap_[heap_index]].entry.weight; }
  void Swap(size_t a, size_t b) {
    std::swap(heap_[a], heap_[b]);
    entries_[heap_[a]].heap_pos = static_cast<int>(a);
    entries_[heap_[b]].heap_pos = static_cast<int>(b);
  }
  void SiftUp(size_t i) {
    while (i > 0 && W((i - 1) / 2) > W(i)) {
      Swap(i, (i - 1) / 2);
      i = (i - 1) / 2;
    }
  }
  void SiftDown(size_t i) {
    for (;;) {
      size_t l = 2 * i + 1, r = l + 1, m = i;
      if (l < heap_.size() && W(l) < W(m)) m = l;
      if (r < heap_.size() && W(r) < W(m)) m = r;
      if (m == i) return;
      Swap(i, m);
      i = m;
    }
  }

  const size_t k_;
  const size_t max_key_;
  mutable std::mutex mu_;
  std::vector<Slot> entries_;
  std::vector<int> heap_;
  std::vector<int32_t> table_;
  size_t mask_ = 0;
  double total_ = 0;
  uint64_t observations_ = 0;
};

// Count-Min: depth rows of width counters; row i uses h1 + i*h2 (Kirsch and
// Mitzenmacher's double hashing) so one 64-bit hash serves every row.
class HeatTracker::Sketch {
 public:
  Sketch(size_t width, size_t depth)
      : width_(width), depth_(std::max<size_t>(1, depth)), cells_(width_ * depth_) {}

  void Add(uint64_t hash, double weight) {
    for (size_t row = 0; row < depth_; ++row) {
      cells_[Cell(hash, row)].fetch_add(weight, std::memory_order_relaxed);
    }
  }
  double Estimate(uint64_t hash) const {
    double best = INFINITY;
    for (size_t row = 0; row < depth_; ++row) {
      best = std::min(best, cells_[Cell(hash, row)].load(std::memory_order_relaxed));
    }
    return best;
  }
  void Reset() {
    for (auto& c : cells_) c.store(0, std::memory_order_relaxed);
  }
  size_t memory_bound() const { return sizeof(*this) + cells_.size() * sizeof(cells_[0]); }

 private:
  size_t Cell(uint64_t hash, size_t row) const {
    uint64_t h1 = hash & 0xffffffffULL, h2 = (hash >> 32) | 1;
    return row * width_ + static_cast<size_t>((h1 + row * h2) % width_);
  }
  const size_t width_;
  const size_t depth_;
  std::vector<std::atomic<double>> cells_;
};

HeatTracker::HeatTracker(HeatOptions options) : options_(options) {
  options_.stripes = std::clamp<size_t>(options_.stripes, 1, std::max<size_t>(1, options_.capacity));
  size_t per_stripe = (options_.capacity + options_.stripes - 1) / options_.stripes;
  for (size_t i = 0; i < options_.stripes; ++i) {
    stripes_.push_back(std::make_unique<Stripe>(per_stripe, options_.max_key_bytes));
  }
  if (options_.sketch_width > 0) {
    sketch_ = std::make_unique<Sketch>(options_.sketch_width, options_.sketch_depth);
  }
}

HeatTracker::~HeatTracker() = default;

void HeatTracker::Observe(std::string_view key, double consumed_units, bool throttled) {
  double weight = std::max(0.0, consumed_units) + (throttled ? options_.throttle_weight : 0.0);
  if (!(weight > 0)) return;
  key = key.substr(0, options_.max_key_bytes);
  uint64_t hash = StableHash(key);
  // The stripe takes the high bits; the stripe's index the low ones.
  stripes_[(hash >> 40) % stripes_.size()]->Observe(key, hash, weight, consumed_units, throttled);
  if (sketch_) sketch_->Add(hash, weight);
}

std::vector<HeatEntry> HeatTracker::Top(size_t k) const {
  std::vector<HeatEntry> all;
  for (const auto& s : stripes_) s->Collect(all);
  size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + n, all.end(),
                    [](const HeatEntry& a, const HeatEntry& b) {
                      return a.weight != b.weight ? a.weight > b.weight : a.key < b.key;
                    });
  all.resize(n);
  return all;
}

std::optional<double> HeatTracker::Estimate(std::string_view key) const {
  if (!sketch_) return std::nullopt;
  return sketch_->Estimate(StableHash(key.substr(0, options_.max_key_bytes)));
}

double HeatTracker::total_weight() const {
  double t = 0;
  for (const auto& s : stripes_) t += s->total();
  return t;
}

uint64_t HeatTracker::observations() const {
  uint64_t n = 0;
  for (const auto& s : stripes_) n += s->observations();
  return n;
}

size_t HeatTracker::memory_bound() const {
  size_t bytes = sizeof(*this);
  for (const auto& s : stripes_) bytes += s->memory_bound();
  if (sketch_) bytes += sketch_->memory_bound();
  return bytes;
}

void HeatTracker::Reset() {
  for (const auto& s : stripes_) s->Reset();
  if (sketch_) sketch_->Reset();
}

}  // namespace moe::partitioning
