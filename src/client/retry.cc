#include "client/retry.h"

#include <algorithm>

namespace moe::internal {

bool RetryQuota::Acquire(int cost) {
  std::lock_guard lock(mu_);
  if (capacity_ == 0) return true;  // quota disabled
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  return true;
}

void RetryQuota::Release(int amount) {
  std::lock_guard lock(mu_);
  tokens_ = std::min(capacity_, tokens_ + amount);
}

int RetryQuota::tokens() const {
  std::lock_guard lock(mu_);
  return tokens_;
}

RetryPolicy::RetryPolicy(const RetryOptions& options)
    : options_(options),
      quota_(options.quota_capacity),
      rng_(options.jitter_seed != 0 ? options.jitter_seed : std::random_device{}()) {}

Clock::Duration RetryPolicy::Backoff(int attempt, bool throttling) {
  using std::chrono::duration_cast;
  auto base = throttling ? options_.throttle_base_delay : options_.base_delay;
  // base * 2^(attempt-1), computed in double to avoid overflow, capped.
  double cap_ns = duration_cast<std::chrono::nanoseconds>(options_.max_backoff).count();
  double ns = duration_cast<std::chrono::nanoseconds>(base).count() *
              std::ldexp(1.0, std::clamp(attempt - 1, 0, 62));
  ns = std::min(ns, cap_ns);
  double jitter;
  {
    std::lock_guard lock(rng_mu_);
    jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  return Clock::Duration(static_cast<int64_t>(ns * jitter));
}

bool RetryPolicy::ShouldRetry(const Error& error, int attempt, int* cost) {
  *cost = 0;
  if (!error.retryable() || attempt >= options_.max_attempts) return false;
  int c = (error.code() == ErrorCode::kTimeout || error.code() == ErrorCode::kNetwork)
              ? options_.timeout_cost
              : options_.retry_cost;
  if (!quota_.Acquire(c)) return false;
  *cost = c;
  return true;
}

void RetryPolicy::OnSuccess(int cost) { quota_.Release(cost > 0 ? cost : 1); }

}  // namespace moe::internal
