#include "client/batch_driver.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>

namespace moe::internal {

BatchDriver::BatchDriver(const BatchOptions& options, Clock& clock)
    : options_(options),
      clock_(clock),
      rng_(options.jitter_seed != 0 ? options.jitter_seed : std::random_device{}()) {}

Clock::Duration BatchDriver::Backoff() {
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  double cap = static_cast<double>(duration_cast<nanoseconds>(options_.max_delay).count());
  double ns = static_cast<double>(duration_cast<nanoseconds>(options_.base_delay).count()) *
              std::ldexp(1.0, std::clamp(streak_ - 1, 0, 40));
  ns = std::min(ns, cap) * std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return Clock::Duration(static_cast<int64_t>(ns));
}

size_t BatchDriver::Run(std::vector<size_t> indices, const Packer& pack, const Sender& send,
                        const OnFailed& on_failed, size_t total_for_progress) {
  struct Delayed {
    Clock::Duration due;
    std::vector<size_t> entries;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<size_t> ready(indices.begin(), indices.end());
  // Halves of rejected requests, sent as they are (never re-packed together).
  std::deque<std::vector<size_t>> halves;
  std::vector<Delayed> delayed;
  std::vector<Reply> replies;  // with the batches they answer
  std::vector<std::vector<size_t>> replied_batches;
  int inflight = 0;
  size_t done_entries = 0;
  size_t resent = 0;
  bool gave_up = false;

  std::unique_lock lock(mu);
  for (;;) {
    // Handle the replies that arrived.
    for (size_t i = 0; i < replies.size(); ++i) {
      Reply& reply = replies[i];
      std::vector<size_t>& batch = replied_batches[i];
      --inflight;
      if (reply.error) {
        Error& error = *reply.error;
        if (error.retryable()) {
          ++streak_;
          delayed.push_back({clock_.Monotonic() + Backoff(), std::move(batch)});
        } else if (batch.size() > 1 && error.code() == ErrorCode::kValidation) {
          // One invalid entry fails a whole request: split until it stands alone.
          auto middle = batch.begin() + static_cast<long>(batch.size() / 2);
          halves.emplace_back(batch.begin(), middle);
          halves.emplace_back(middle, batch.end());
        } else {
          for (size_t entry : batch) on_failed(entry, error);
          done_entries += batch.size();
        }
        continue;
      }
      done_entries += batch.size() - reply.unprocessed.size();
      if (reply.unprocessed.size() < batch.size()) streak_ = 0;
      if (!reply.unprocessed.empty()) {
        if (reply.unprocessed.size() == batch.size()) ++streak_;
        resent += reply.unprocessed.size();
        delayed.push_back({clock_.Monotonic() + Backoff(), std::move(reply.unprocessed)});
      }
    }
    if (!replies.empty() && options_.progress) options_.progress(done_entries, total_for_progress);
    replies.clear();
    replied_batches.clear();

    if (streak_ > options_.retry_budget) gave_up = true;
    if (gave_up) {
      Error exhausted(
          ErrorCode::kRetriesExhausted,
          "no progress after " + std::to_string(options_.retry_budget) +
              " rounds of retries; the entry was not written and is returned to the caller");
      for (size_t i : ready) on_failed(i, exhausted);
      for (const Delayed& d : delayed)
        for (size_t i : d.entries) on_failed(i, exhausted);
      for (const std::vector<size_t>& h : halves)
        for (size_t i : h) on_failed(i, exhausted);
      ready.clear();
      delayed.clear();
      halves.clear();
    }

    // Release delayed entries whose time has come.
    Clock::Duration now = clock_.Monotonic();
    for (size_t i = 0; i < delayed.size();) {
      if (delayed[i].due <= now) {
        ready.insert(ready.end(), delayed[i].entries.begin(), delayed[i].entries.end());
        delayed.erase(delayed.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }

    // Fill the pipe.
    while (inflight < options_.max_in_flight && (!halves.empty() || !ready.empty())) {
      std::vector<size_t> batch;
      if (!halves.empty()) {
        batch = std::move(halves.front());
        halves.pop_front();
      } else {
        batch = pack(ready);
      }
      ++inflight;
      lock.unlock();
      send(batch, [&, batch](Reply reply) {
        std::lock_guard g(mu);
        replies.push_back(std::move(reply));
        replied_batches.push_back(batch);
        cv.notify_all();
      });
      lock.lock();
    }

    if (ready.empty() && halves.empty() && delayed.empty() && inflight == 0 && replies.empty())
      break;
    if (!replies.empty()) continue;
    if (!delayed.empty()) {
      Clock::Duration due = delayed.front().due;
      for (const Delayed& d : delayed) due = std::min(due, d.due);
      Clock::Duration wait = due - clock_.Monotonic();
      // A reply may come first; the wait ends at whichever is sooner.
      if (wait > Clock::Duration::zero()) clock_.WaitFor(cv, lock, wait);
    } else if (inflight > 0) {
      cv.wait(lock, [&] { return !replies.empty(); });
    }
  }
  return resent;
}

}  // namespace moe::internal
