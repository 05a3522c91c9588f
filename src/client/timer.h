// Timer: runs callbacks after a delay on one background thread, timed by an
// injected Clock (a ManualClock makes every delay pass at once, in order).
// Used for retry backoff of asynchronous calls.
// Thread safety: After() may be called from any thread, including from a
// callback. The destructor runs nothing further and joins the thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "moe/clock.h"

namespace moe::internal {

class Timer {
 public:
  explicit Timer(Clock& clock) : clock_(clock) {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  // Pending callbacks are dropped unrun; owners must drain them first when
  // that matters (the client completes every call before it is destroyed).
  ~Timer();

  void After(Clock::Duration delay, std::function<void()> fn);

 private:
  struct Entry {
    Clock::Duration due;
    uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Entry& o) const { return due != o.due ? due > o.due : seq > o.seq; }
  };
  void Run();

  Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  uint64_t seq_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace moe::internal
