// Retry policy of AWS "standard" mode: which attempts may be retried, how long
// to wait (full-jitter exponential backoff), and the retry quota (a token
// bucket shared by all calls of one client).
// Thread safety: RetryQuota and RetryPolicy are safe for concurrent use.
#pragma once

#include <mutex>
#include <random>

#include "moe/client.h"

namespace moe::internal {

class RetryQuota {
 public:
  explicit RetryQuota(int capacity) : capacity_(capacity), tokens_(capacity) {}
  // Takes `cost` tokens for a retry; false (and nothing taken) when too few remain.
  bool Acquire(int cost);
  // Gives back tokens after a success, up to the capacity.
  void Release(int amount);
  int tokens() const;

 private:
  mutable std::mutex mu_;
  const int capacity_;
  int tokens_;
};

class RetryPolicy {
 public:
  explicit RetryPolicy(const RetryOptions& options);

  const RetryOptions& options() const { return options_; }
  // The delay before attempt `attempt + 1`, after `attempt` (1-based) failed.
  Clock::Duration Backoff(int attempt, bool throttling);
  // Decides whether to retry `error` after `attempt` attempts; takes quota
  // tokens when it says yes and stores the cost taken in *cost.
  bool ShouldRetry(const Error& error, int attempt, int* cost);
  // Call after a success: refunds `cost` (0 when no retry happened).
  void OnSuccess(int cost);
  RetryQuota& quota() { return quota_; }

 private:
  RetryOptions options_;
  RetryQuota quota_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

}  // namespace moe::internal
