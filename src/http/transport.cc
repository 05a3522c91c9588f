// Transport's non-virtual helpers: SendSync and HttpResponse::Header.
#include <condition_variable>
#include <mutex>
#include <optional>

#include "moe/transport.h"

namespace moe {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

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
