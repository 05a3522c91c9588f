// RateLimiter: a client-side, capacity-aware rate limiter shared by every
// thread (and every client) of a process, with one token bucket per table,
// index and read/write direction, and priority lanes.
//
// Each bucket follows AIMD on measured consumption, like the client-side rate
// limiting of AWS SDKs' "adaptive" retry mode
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)
// but per table and index, in capacity units rather than requests:
//  - a bucket does not limit until its first throttle (or a SetCapacity);
//  - a throttle sets the rate to decrease_factor x min(rate, measured
//    consumption), at most once per decrease_interval;
//  - every throttle-free second adds increase_fraction x the rate before the
//    last decrease, up to the known capacity, so it recovers in
//    (1 - decrease_factor) / increase_fraction seconds;
//  - consumed capacity from responses is charged, so the bucket fills at the
//    rate and drains with what the server really counted.
// Lanes: a foreground request may take the bucket's last token; a lower lane
// (mirror trickle, backfill) must leave lane x lane_reserve of the burst in
// the bucket, and waits while a higher lane is waiting. Foreground therefore
// goes first and lower lanes get what is left (strict priority; they can
// starve under sustained foreground demand, by design).
//
// With a client, plug it in as the adaptive mode of the retry path:
//   auto limiter = std::make_shared<moe::partitioning::RateLimiter>();
//   options.observer = moe::partitioning::NewPartitionObserver(
//       {.limiter = limiter, .lane = moe::partitioning::Lane::kForeground});
// (moe/partition_observer.h); a backfill job builds its own client with
// Lane::kBackfill over the same limiter.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "moe/clock.h"

namespace moe::partitioning {

// Priority lanes, highest first.
enum class Lane : uint8_t { kForeground = 0, kMirror = 1, kBackfill = 2 };
std::string_view LaneName(Lane lane);

enum class Direction : uint8_t { kRead, kWrite };

// What a bucket limits: one table (or one of its indexes) in one direction.
struct BucketId {
  std::string table;
  std::string index;  // empty for the table itself
  Direction direction = Direction::kWrite;
  friend auto operator<=>(const BucketId&, const BucketId&) = default;
};

struct RateLimiterOptions {
  // Time for refills and measurements. Default: Clock::Real(). Borrowed.
  Clock* clock = nullptr;
  // Rate multiplier on a throttle. Default: 0.7 (AWS adaptive mode's beta).
  double decrease_factor = 0.7;
  // At most one decrease per interval: a burst of throttles from one overload
  // counts once. Default: 500 ms.
  std::chrono::milliseconds decrease_interval{500};
  // Per throttle-free second, the rate grows by this fraction of the rate it
  // had before the last decrease. Default: 0.1.
  double increase_fraction = 0.1;
  // Floor of the rate, in units per second. Default: 1.
  double min_rate = 1.0;
  // Bucket size, in seconds of the current rate. Default: 1.
  double burst_seconds = 1.0;
  // Fraction of the burst each lane below foreground leaves untouched
  // (lane 1 leaves 1x, lane 2 2x). Default: 0.25.
  double lane_reserve = 0.25;
  // Longest single wait handed out; the caller asks again after it.
  // Default: 1 s.
  std::chrono::milliseconds max_wait{1000};
  // Window of the consumption measurement. Default: 1 s.
  std::chrono::milliseconds measure_window{1000};
};

// A bucket's state, for reports and tests.
struct BucketState {
  BucketId id;
  bool limiting = false;     // false until the first throttle or SetCapacity
  double rate = 0;           // units per second (0 when not limiting)
  double tokens = 0;         // may be negative after a large request
  double measured_rate = 0;  // consumed units per second, last window
  double capacity = 0;       // from SetCapacity; 0 when unknown
  double units_per_request = 0;  // running mean of consumed units per attempt
  uint64_t throttles = 0;
  uint64_t admitted = 0;
  uint64_t delayed = 0;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimiterOptions options = {});
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Declares the bucket's provisioned capacity (e.g. from DescribeTable):
  // the bucket limits from now on, starts at that rate, and never exceeds it.
  // 0 forgets a capacity.
  void SetCapacity(const BucketId& id, double units_per_second);

  // Asks to spend `units` on `id` in `lane`. Returns zero when admitted (the
  // units are taken), or how long to wait before asking again (nothing is
  // taken). Never fails.
  Clock::Duration Acquire(const BucketId& id, Lane lane, double units);

  // After an admitted attempt: the server counted `actual` units where
  // Acquire took `estimated`; the difference is charged or refunded.
  void OnConsumed(const BucketId& id, double estimated, double actual);
  // After a throttled attempt (ProvisionedThroughputExceeded, Throttling,
  // RequestLimitExceeded): refunds `estimated` and lowers the rate.
  void OnThrottled(const BucketId& id, double estimated);

  // Running mean of consumed units per attempt on `id` (1 before any).
  double EstimatedUnits(const BucketId& id);

  BucketState State(const BucketId& id);
  std::vector<BucketState> Snapshot() const;

 private:
  struct Bucket;
  Bucket& Get(const BucketId& id);
  Clock& clock_;
  const RateLimiterOptions options_;
  mutable std::shared_mutex map_mu_;
  std::map<BucketId, std::unique_ptr<Bucket>> buckets_;
};

}  // namespace moe::partitioning
