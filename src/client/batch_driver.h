// BatchDriver: the retry loop shared by BatchWriter and BatchGetter. It owns
// no items, only indices into the caller's entries: it packs ready entries
// into requests, keeps up to max_in_flight of them outstanding, re-queues
// what comes back unprocessed after a full-jitter backoff, splits requests
// that the service rejects as a whole, and gives up on what is left only
// after `retry_budget` replies in a row made no progress.
// Not thread-safe: Run() is called by one thread, which it blocks.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "moe/batch.h"
#include "moe/clock.h"

namespace moe::internal {

class BatchDriver {
 public:
  struct Reply {
    std::optional<Error> error;       // the whole request failed
    std::vector<size_t> unprocessed;  // entries to send again
  };
  // Takes the next request's entries from the front of `ready`.
  using Packer = std::function<std::vector<size_t>(std::deque<size_t>& ready)>;
  // Sends one request; calls `done` exactly once, from any thread.
  using Sender =
      std::function<void(const std::vector<size_t>& batch, std::function<void(Reply)> done)>;
  using OnFailed = std::function<void(size_t index, Error error)>;

  BatchDriver(const BatchOptions& options, Clock& clock);

  // Runs until every index has succeeded or been reported to `on_failed`.
  // Returns how many entries were re-sent after coming back unprocessed.
  size_t Run(std::vector<size_t> indices, const Packer& pack, const Sender& send,
             const OnFailed& on_failed, size_t total_for_progress);

 private:
  Clock::Duration Backoff();

  const BatchOptions& options_;
  Clock& clock_;
  std::mt19937_64 rng_;
  int streak_ = 0;  // replies in a row without progress
};

}  // namespace moe::internal
