#include "moe/clock.h"

#include <thread>

namespace moe {

void RealClock::SleepFor(Duration d) {
  if (d > Duration::zero()) std::this_thread::sleep_for(d);
}

Clock& Clock::Real() {
  static RealClock clock;
  return clock;
}

}  // namespace moe
