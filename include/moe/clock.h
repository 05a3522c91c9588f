// Clock: the one seam through which moe reads time and waits.
//
// Every component that sleeps (retries, waiters, rate limiters) or reads the
// wall clock (SigV4 dates, table-family periods, TTL) takes a Clock&, so tests
// use a ManualClock and run minutes of backoff or months of rotation in
// microseconds:
//
//   moe::ManualClock clock(moe::ManualClock::FromUnixSeconds(1700000000));
//   clock.SleepFor(std::chrono::seconds(5));   // returns at once, time moves on
//   clock.Now();                                // 5 s later
//
// Thread safety: both implementations are safe for concurrent use.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace moe {

class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using TimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;

  virtual ~Clock() = default;
  // Wall-clock time (UTC).
  virtual TimePoint Now() const = 0;
  // Monotonic time for deadlines and rates; only differences are meaningful.
  virtual Duration Monotonic() const = 0;
  // Blocks the calling thread for `d` (a ManualClock advances instead).
  virtual void SleepFor(Duration d) = 0;
  // Waits on `cv` for at most `d` (a ManualClock advances by `d` and returns
  // at once). Timer threads use this so that they can also be woken early.
  virtual void WaitFor(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                       Duration d) = 0;

  // The process-wide real clock. Stateless, so sharing it is not a mutable global.
  static Clock& Real();
};

class RealClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
  Duration Monotonic() const override {
    return std::chrono::steady_clock::now().time_since_epoch();
  }
  void SleepFor(Duration d) override;
  void WaitFor(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
               Duration d) override {
    cv.wait_for(lock, d);
  }
};

// Time that moves only when told. SleepFor advances the clock by the slept
// duration, so code under test that sleeps completes instantly and
// deterministically.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = FromUnixSeconds(1700000000))
      : now_(start.time_since_epoch().count()) {}
  static TimePoint FromUnixSeconds(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

  TimePoint Now() const override { return TimePoint(Duration(now_.load())); }
  Duration Monotonic() const override { return Duration(now_.load()); }
  void SleepFor(Duration d) override { Advance(d); }
  void WaitFor(std::condition_variable&, std::unique_lock<std::mutex>&, Duration d) override {
    Advance(d);
  }

  void Advance(Duration d) {
    now_.fetch_add(d.count());
    slept_.fetch_add(d.count());
  }
  void Set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  // Total time passed to SleepFor and Advance since construction.
  Duration total_slept() const { return Duration(slept_.load()); }

 private:
  std::atomic<int64_t> now_;
  std::atomic<int64_t> slept_{0};
};

}  // namespace moe
