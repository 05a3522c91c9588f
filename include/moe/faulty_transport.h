// FaultyTransport: wraps a Transport and injects the failures DynamoDB and
// the network produce at scale, on a seeded, reproducible schedule, so that
// retry, batch and idempotency paths can be tested deterministically.
//
//   auto curl = moe::NewCurlTransport({});
//   moe::FaultyTransport faulty(std::move(curl), {.seed = 7, .throttle = 0.1,
//                                                 .partial_batch = 0.3});
//   ... run a workload through `faulty` ...
//   faulty.count(moe::FaultKind::kThrottle);   // how many were injected
//
// Each request draws one fault (or none) from a seeded RNG under a mutex, in
// the order Send is called, so the same seed and the same request sequence
// give the same schedule. Injected faults:
//   kThrottle            400 ProvisionedThroughputExceededException, not sent
//   kInternalError       500 InternalServerError, not sent
//   kServiceUnavailable  503 ServiceUnavailable, not sent
//   kTimeoutBeforeSend   kTimeout, not sent
//   kTimeoutAfterSend    sent and answered, answer replaced by kTimeout
//   kResetBeforeSend     kNetwork (connection reset), not sent
//   kResetAfterSend      sent and answered, answer replaced by kNetwork
//   kPartialBatch        BatchWriteItem/BatchGetItem only: a subset of the
//                        entries is forwarded and the rest is reported in
//                        UnprocessedItems/UnprocessedKeys of a 200 answer;
//                        Kinesis PutRecords likewise, the rest reported as
//                        ProvisionedThroughputExceededException records
// The "after send" variants model a write the server applied although the
// client saw a failure.
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
//
// Faults decided "before send" complete on the calling thread before Send
// returns; the others complete on the wrapped transport's thread.
//
// Thread safety: safe for concurrent use, like every Transport.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string_view>

#include "moe/transport.h"

namespace moe {

enum class FaultKind : uint8_t {
  kThrottle,
  kInternalError,
  kServiceUnavailable,
  kTimeoutBeforeSend,
  kTimeoutAfterSend,
  kResetBeforeSend,
  kResetAfterSend,
  kPartialBatch,
};
inline constexpr int kFaultKindCount = 8;

// "Throttle", "InternalError", ... for logs and test output.
std::string_view FaultKindName(FaultKind kind);

struct FaultOptions {
  // Seeds the schedule. Default: 1.
  uint64_t seed = 1;
  // Probability per request of each fault, in [0, 1]. They are bands of one
  // uniform draw, in the order below, so they should sum to at most 1 (bands
  // beyond 1 are never reached). kPartialBatch's band applies only to batch
  // requests with at least two entries; other requests that draw it pass
  // through unharmed. Default: 0 each.
  double throttle = 0;
  double internal_error = 0;
  double service_unavailable = 0;
  double timeout_before_send = 0;
  double timeout_after_send = 0;
  double reset_before_send = 0;
  double reset_after_send = 0;
  double partial_batch = 0;
  // Inject only into requests for which this returns true, given the
  // x-amz-target header ("DynamoDB_20120810.PutItem"; "" when absent).
  // Requests it rejects pass through and do not advance the schedule.
  // Default: empty, meaning every request.
  std::function<bool(std::string_view target)> filter;
  // Also inject only into requests whose body this accepts (e.g. those
  // naming one table: an outage of one mirror). Rejected requests pass
  // through and do not advance the schedule. Default: empty (every body).
  std::function<bool(std::string_view body)> body_filter;
};

class FaultyTransport final : public Transport {
 public:
  // Borrows `inner`, which must outlive this transport.
  FaultyTransport(Transport& inner, FaultOptions options);
  // Owns `inner`.
  FaultyTransport(std::unique_ptr<Transport> inner, FaultOptions options);
  ~FaultyTransport() override;

  void Send(HttpRequest request, Callback done) override;

  // Turns injection on or off (on at construction); requests sent while off
  // pass through and do not advance the schedule.
  void set_enabled(bool enabled) { enabled_.store(enabled); }

  // Faults injected so far, per kind and in total.
  uint64_t count(FaultKind kind) const { return counts_[static_cast<int>(kind)].load(); }
  uint64_t total_faults() const;
  // Requests seen by Send (faulted or not).
  uint64_t requests() const { return requests_.load(); }

 private:
  struct Decision;
  Decision Decide(std::string_view target, std::string_view body);
  void Count(FaultKind kind) { counts_[static_cast<int>(kind)].fetch_add(1); }
  void SendPartialBatch(HttpRequest request, Callback done, bool is_get, uint64_t subset_seed);
  void SendPartialPutRecords(HttpRequest request, Callback done, uint64_t subset_seed);

  std::unique_ptr<Transport> owned_;
  Transport* inner_;
  const FaultOptions options_;
  std::atomic<bool> enabled_{true};
  std::atomic<uint64_t> requests_{0};
  std::array<std::atomic<uint64_t>, kFaultKindCount> counts_{};

  std::mutex mu_;
  std::mt19937_64 rng_;  // guarded by mu_
};

}  // namespace moe
