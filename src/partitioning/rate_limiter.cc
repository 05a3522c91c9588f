#include "moe/rate_limiter.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace moe::partitioning {

std::string_view LaneName(Lane lane) {
  switch (lane) {
    case Lane::kForeground:
      return "foreground";
    case Lane::kMirror:
      return "mirror";
    case Lane::kBackfill:
      return "backfill";
  }
  return "?";
}

struct RateLimiter::Bucket {
  std::mutex mu;
  BucketState s;
  bool started = false;
  double last_refill = 0;  // seconds on the monotonic clock
  double last_decrease = -INFINITY;
  double rate_before_decrease = 0;
  double window_start = 0;
  double window_units = 0;
  // While a request of lane l waits, lanes below l wait at least until here.
  std::array<double, 3> waiting_until{};
};

RateLimiter::RateLimiter(RateLimiterOptions options)
    : clock_(options.clock != nullptr ? *options.clock : Clock::Real()), options_(options) {}

RateLimiter::~RateLimiter() = default;

RateLimiter::Bucket& RateLimiter::Get(const BucketId& id) {
  {
    std::shared_lock lock(map_mu_);
    auto it = buckets_.find(id);
    if (it != buckets_.end()) return *it->second;
  }
  std::unique_lock lock(map_mu_);
  auto& slot = buckets_[id];
  if (!slot) {
    slot = std::make_unique<Bucket>();
    slot->s.id = id;
  }
  return *slot;
}

namespace {

double Seconds(Clock::Duration d) { return std::chrono::duration<double>(d).count(); }

// Refill, additive increase and the measurement window, brought to `now`.
// The bucket's mutex is held.
template <typename B>
void Advance(B& b, const RateLimiterOptions& o, double now) {
  if (!b.started) {
    b.started = true;
    b.last_refill = now;
    b.window_start = now;
  }
  double window = Seconds(o.measure_window);
  if (now - b.window_start >= window) {
    b.s.measured_rate = b.window_units / (now - b.window_start);
    b.window_start = now;
    b.window_units = 0;
  }
  double dt = std::max(0.0, now - b.last_refill);
  b.last_refill = now;
  if (!b.s.limiting || dt == 0) return;
  b.s.rate += o.increase_fraction * std::max(b.rate_before_decrease, o.min_rate) * dt;
  if (b.s.capacity > 0) b.s.rate = std::min(b.s.rate, b.s.capacity);
  double burst = std::max(b.s.rate * o.burst_seconds, o.min_rate);
  b.s.tokens = std::min(burst, b.s.tokens + b.s.rate * dt);
}

}  // namespace

void RateLimiter::SetCapacity(const BucketId& id, double units_per_second) {
  Bucket& b = Get(id);
  std::lock_guard lock(b.mu);
  Advance(b, options_, Seconds(clock_.Monotonic()));
  b.s.capacity = std::max(0.0, units_per_second);
  if (b.s.capacity == 0) return;
  if (!b.s.limiting || b.s.rate > b.s.capacity) {
    b.s.rate = b.s.capacity;
    b.s.tokens = b.s.rate * options_.burst_seconds;
  }
  b.s.limiting = true;
  b.rate_before_decrease = b.s.capacity;
}

Clock::Duration RateLimiter::Acquire(const BucketId& id, Lane lane, double units) {
  Bucket& b = Get(id);
  std::lock_guard lock(b.mu);
  double now = Seconds(clock_.Monotonic());
  Advance(b, options_, now);
  if (!b.s.limiting) {
    ++b.s.admitted;
    return Clock::Duration::zero();
  }
  int l = static_cast<int>(lane);
  double burst = std::max(b.s.rate * options_.burst_seconds, options_.min_rate);
  double reserve = std::min(0.9, l * options_.lane_reserve) * burst;
  // A request larger than the bucket goes when the bucket is as full as it gets.
  double need = std::min(units, burst - reserve) + reserve;
  double blocked_until = 0;
  for (int higher = 0; higher < l; ++higher) {
    blocked_until = std::max(blocked_until, b.waiting_until[higher]);
  }
  if (b.s.tokens >= need && now >= blocked_until) {
    b.s.tokens -= units;
    ++b.s.admitted;
    return Clock::Duration::zero();
  }
  double wait = std::max((need - b.s.tokens) / b.s.rate, blocked_until - now);
  wait = std::clamp(wait, 1e-3, Seconds(options_.max_wait));
  b.waiting_until[l] = std::max(b.waiting_until[l], now + wait);
  ++b.s.delayed;
  // Rounded up, so that the caller finds the tokens there when it asks again.
  return Clock::Duration(static_cast<int64_t>(std::ceil(wait * 1e9)));
}

void RateLimiter::OnConsumed(const BucketId& id, double estimated, double actual) {
  Bucket& b = Get(id);
  std::lock_guard lock(b.mu);
  Advance(b, options_, Seconds(clock_.Monotonic()));
  b.window_units += actual;
  b.s.units_per_request =
      b.s.units_per_request == 0 ? actual : 0.9 * b.s.units_per_request + 0.1 * actual;
  if (b.s.limiting) b.s.tokens -= actual - estimated;
}

void RateLimiter::OnThrottled(const BucketId& id, double estimated) {
  Bucket& b = Get(id);
  std::lock_guard lock(b.mu);
  double now = Seconds(clock_.Monotonic());
  Advance(b, options_, now);
  ++b.s.throttles;
  if (b.s.limiting) b.s.tokens += estimated;  // a throttled attempt consumes nothing
  if (now - b.last_decrease < Seconds(options_.decrease_interval)) return;
  double elapsed = now - b.window_start;
  double measured = b.s.measured_rate > 0      ? b.s.measured_rate
                    : elapsed > 0 && b.window_units > 0 ? b.window_units / elapsed
                                                        : 0;
  double base = b.s.limiting ? (measured > 0 ? std::min(b.s.rate, measured) : b.s.rate) : measured;
  base = std::max(base, options_.min_rate);
  b.rate_before_decrease = base;
  b.s.rate = std::max(options_.min_rate, base * options_.decrease_factor);
  if (b.s.capacity > 0) b.s.rate = std::min(b.s.rate, b.s.capacity);
  if (!b.s.limiting) b.s.tokens = 0;  // the server just said no
  b.s.limiting = true;
  b.last_decrease = now;
}

double RateLimiter::EstimatedUnits(const BucketId& id) {
  Bucket& b = Get(id);
  std::lock_guard lock(b.mu);
  return b.s.units_per_request > 0 ? b.s.units_per_request : 1.0;
}

BucketState RateLimiter::State(const BucketId& id) {
  Bucket& b = Get(id);
  std::lock_guard lock(b.mu);
  Advance(b, options_, Seconds(clock_.Monotonic()));
  return b.s;
}

std::vector<BucketState> RateLimiter::Snapshot() const {
  std::shared_lock lock(map_mu_);
  std::vector<BucketState> out;
  for (const auto& [id, b] : buckets_) {
    std::lock_guard bucket_lock(b->mu);
    out.push_back(b->s);
  }
  return out;
}

}  // namespace moe::partitioning
