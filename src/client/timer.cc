#include "client/timer.h"

namespace moe::internal {

Timer::~Timer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Timer::After(Clock::Duration delay, std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    queue_.push(Entry{clock_.Monotonic() + delay, seq_++, std::move(fn)});
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  cv_.notify_all();
}

void Timer::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    Clock::Duration now = clock_.Monotonic();
    if (queue_.top().due > now) {
      clock_.WaitFor(cv_, lock, queue_.top().due - now);
      continue;
    }
    std::function<void()> fn = std::move(const_cast<Entry&>(queue_.top()).fn);
    queue_.pop();
    lock.unlock();
    fn();
    lock.lock();
  }
}

}  // namespace moe::internal
