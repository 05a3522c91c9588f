// ServiceCaller: the signed, retried JSON-RPC call shared by every AWS
// service client in moe (DynamoDB, Kinesis). It resolves region, endpoint
// and credentials from ClientOptions, signs each attempt with SigV4, sends it
// through the transport, maps a non-2xx answer to an Error, and retries per
// AWS standard mode on a timer driven by the injected clock.
// What differs between services is a Protocol: the signing name, the
// X-Amz-Target prefix and the JSON content type.
// Thread safety: safe for concurrent use; Start may be called from any
// thread, including from a completion callback.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "client/retry.h"
#include "client/timer.h"
#include "moe/client.h"
#include "moe/sigv4.h"

namespace moe::internal {

struct Protocol {
  // SigV4 service name and endpoint id ("dynamodb", "kinesis"); the endpoint
  // variable is AWS_ENDPOINT_URL_<SERVICE>.
  std::string_view service;
  // X-Amz-Target prefix, with the dot ("DynamoDB_20120810.").
  std::string_view target_prefix;
  // "application/x-amz-json-1.0" (DynamoDB) or "...-1.1" (Kinesis).
  std::string_view content_type;
};

class ServiceCaller {
 public:
  using Done = std::function<void(Result<std::string>)>;

  // Resolves region, endpoint and credentials for `protocol`. Errors:
  // kInvalidArgument (malformed endpoint, no credentials, max_attempts < 1).
  static Result<std::unique_ptr<ServiceCaller>> Create(ClientOptions options, Protocol protocol);

  ServiceCaller(const ServiceCaller&) = delete;
  ServiceCaller& operator=(const ServiceCaller&) = delete;
  // Waits for calls still in flight (e.g. sleeping in the retry timer).
  ~ServiceCaller();

  // Signs `body` for `operation`, sends it with retries, and runs `done`
  // once with the body of a 2xx answer or the mapped error.
  void Start(std::string_view operation, std::string body, Done done);

  const std::string& endpoint() const { return endpoint_; }
  const std::string& region() const { return region_; }
  Clock& clock() const { return clock_; }
  ClientStats stats() const;

 private:
  struct CallState;
  ServiceCaller(ClientOptions options, Protocol protocol, std::string endpoint, std::string region,
                Credentials credentials);
  void Attempt(std::shared_ptr<CallState> state);
  void OnResponse(const std::shared_ptr<CallState>& state, Result<HttpResponse> response);
  void Finish(const std::shared_ptr<CallState>& state, Result<std::string> result);

  ClientOptions options_;
  const Protocol protocol_;
  const std::string endpoint_;
  const std::string region_;
  const Credentials credentials_;
  Clock& clock_;
  sigv4::Signer signer_;
  RetryPolicy retry_;

  std::mutex inflight_mu_;
  std::condition_variable inflight_cv_;
  int64_t inflight_ = 0;
  std::atomic<uint64_t> stats_calls_{0}, stats_attempts_{0}, stats_retries_{0}, stats_throttles_{0},
      stats_quota_exhausted_{0};

  Timer timer_;  // last: destroyed (joined) first
};

}  // namespace moe::internal
