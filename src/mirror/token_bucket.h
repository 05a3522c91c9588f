// TokenBucket: the mirror's write-rate cap. Holds up to `burst` tokens,
// refilled at `rate` per second of the injected clock; Take waits (on the
// clock, so a ManualClock makes the wait exact and instant) until enough
// tokens are there. Not thread-safe.
#pragma once

#include <algorithm>

#include "moe/clock.h"

namespace moe::mirror::internal {

class TokenBucket {
 public:
  // rate <= 0 means no cap: Take never waits.
  TokenBucket(Clock& clock, double rate, double burst)
      : clock_(clock),
        rate_(rate),
        burst_(std::max(burst > 0 ? burst : rate, 1.0)),
        tokens_(burst_),
        last_(clock.Monotonic()) {}

  // Takes `cost` tokens, first waiting for them; returns how long it waited.
  // A cost above the burst waits until the bucket is full and drives it negative.
  Clock::Duration Take(double cost) {
    if (rate_ <= 0) return Clock::Duration::zero();
    Refill();
    Clock::Duration waited{0};
    double need = std::min(cost, burst_);
    if (tokens_ < need) {
      auto wait = Clock::Duration(static_cast<int64_t>((need - tokens_) / rate_ * 1e9 + 0.5));
      clock_.SleepFor(wait);
      waited = wait;
      Refill();
      tokens_ = std::max(tokens_, need);  // rounding of the wait must not starve us
    }
    tokens_ -= cost;
    return waited;
  }

 private:
  void Refill() {
    Clock::Duration now = clock_.Monotonic();
    tokens_ = std::min(burst_, tokens_ + static_cast<double>((now - last_).count()) / 1e9 * rate_);
    last_ = now;
  }

  Clock& clock_;
  const double rate_;
  const double burst_;
  double tokens_;
  Clock::Duration last_;
};

}  // namespace moe::mirror::internal
