// Transport's non-virtual helpers: SendSync and HttpResponse::Header.
#include <condition_variable>
#include <mutex>
#include <optional>

#include "moe/transport.h"

#include "core/ascii.h"

namespace moe {

using internal::EqualsIgnoreCase;

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

Result<HttpResponse> Transport::SendSync(HttpRequest request) {
  // The state lives on this stack frame: the callback notifies while holding
  // the mutex, so this frame cannot unwind before the callback is done with it.
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Result<HttpResponse>> result;
  } state;
  Send(std::move(request), [&state](Result<HttpResponse> result) {
    std::lock_guard lock(state.mu);
    state.result.emplace(std::move(result));
    state.cv.notify_one();
  });
  std::unique_lock lock(state.mu);
  state.cv.wait(lock, [&state] { return state.result.has_value(); });
  return std::move(*state.result);
}

}  // namespace moe
