#include "client/caller.h"

#include <optional>

namespace moe::internal {

struct ServiceCaller::CallState {
  std::string operation;
  std::string body;
  Done done;
  int attempt = 0;
  int retry_cost = 0;
};

namespace {

Status CheckEndpoint(const std::string& endpoint) {
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    return Error::InvalidArgument("endpoint must start with http:// or https://: " + endpoint);
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<ServiceCaller>> ServiceCaller::Create(ClientOptions options,
                                                             Protocol protocol) {
  if (!options.getenv) options.getenv = ProcessEnvironment();
  ProfileOptions profile;
  profile.profile = options.profile;
  std::string region = options.region;
  if (region.empty()) {
    auto resolved = ResolveRegion(options.getenv, profile);
    region = resolved ? *resolved : "us-east-1";
  }
  MOE_TRY(std::string endpoint,
          ResolveEndpoint(protocol.service, region, options.getenv, options.endpoint, profile));
  while (endpoint.size() > 8 && endpoint.back() == '/') endpoint.pop_back();
  MOE_TRY_STATUS(CheckEndpoint(endpoint));
  endpoint += '/';
  if (!options.credentials)
    options.credentials = NewDefaultCredentialsChain(options.getenv, profile);
  MOE_TRY(Credentials credentials, options.credentials->GetCredentials());
  if (!options.transport) options.transport = NewCurlTransport(options.http);
  if (options.retry.max_attempts < 1)
    return Error::InvalidArgument("retry.max_attempts must be at least 1");
  return std::unique_ptr<ServiceCaller>(new ServiceCaller(
      std::move(options), protocol, std::move(endpoint), std::move(region), std::move(credentials)));
}

ServiceCaller::ServiceCaller(ClientOptions options, Protocol protocol, std::string endpoint,
                             std::string region, Credentials credentials)
    : options_(std::move(options)),
      protocol_(protocol),
      endpoint_(std::move(endpoint)),
      region_(std::move(region)),
      credentials_(std::move(credentials)),
      clock_(options_.clock != nullptr ? *options_.clock : Clock::Real()),
      signer_(region_, std::string(protocol_.service)),
      retry_(options_.retry),
      timer_(clock_) {}

ServiceCaller::~ServiceCaller() {
  // Every call holds a reference to this caller until its callback has run;
  // wait for those still in flight (e.g. sleeping in the retry timer).
  std::unique_lock lock(inflight_mu_);
  inflight_cv_.wait(lock, [this] { return inflight_ == 0; });
}

void ServiceCaller::Start(std::string_view operation, std::string body, Done done) {
  {
    std::lock_guard lock(inflight_mu_);
    ++inflight_;
  }
  stats_calls_.fetch_add(1, std::memory_order_relaxed);
  auto state = std::make_shared<CallState>();
  state->operation = std::string(operation);
  state->body = std::move(body);
  state->done = std::move(done);
  Attempt(std::move(state));
}

void ServiceCaller::Attempt(std::shared_ptr<CallState> state) {
  if (options_.observer) {
    // An adaptive limiter may hold the attempt back: wait on the timer.
    AttemptInfo info{state->operation, state->body, state->attempt + 1};
    Clock::Duration wait = options_.observer->BeforeAttempt(info);
    if (wait > Clock::Duration::zero()) {
      timer_.After(wait, [this, state] { Attempt(state); });
      return;
    }
  }
  ++state->attempt;
  stats_attempts_.fetch_add(1, std::memory_order_relaxed);
  HttpRequest request;
  request.url = endpoint_;
  request.headers.reserve(6);
  request.headers.emplace_back("content-type", std::string(protocol_.content_type));
  std::string target(protocol_.target_prefix);
  target += state->operation;
  request.headers.emplace_back("x-amz-target", std::move(target));
  request.body = state->body;  // kept in state for a retry
  if (Status signed_ok = signer_.Sign(request, credentials_, clock_.Now()); !signed_ok) {
    Finish(state, std::move(signed_ok).error());
    return;
  }
  options_.transport->Send(std::move(request), [this, state](Result<HttpResponse> response) {
    OnResponse(state, std::move(response));
  });
}

void ServiceCaller::OnResponse(const std::shared_ptr<CallState>& state,
                               Result<HttpResponse> response) {
  std::optional<Error> error;
  if (!response) {
    error = std::move(response).error();
  } else if (response->status / 100 != 2) {
    error =
        ErrorFromResponse(response->status, response->body, response->Header("x-amzn-requestid"));
  }
  if (options_.observer) {
    options_.observer->AfterAttempt(
        AttemptInfo{state->operation, state->body, state->attempt},
        error ? std::string_view() : std::string_view(response->body), error ? &*error : nullptr);
  }
  if (!error) {
    retry_.OnSuccess(state->retry_cost);
    Finish(state, std::move(response->body));
    return;
  }
  if (error->throttling()) stats_throttles_.fetch_add(1, std::memory_order_relaxed);
  int cost = 0;
  if (retry_.ShouldRetry(*error, state->attempt, &cost)) {
    state->retry_cost += cost;
    stats_retries_.fetch_add(1, std::memory_order_relaxed);
    timer_.After(retry_.Backoff(state->attempt, error->throttling()),
                 [this, state] { Attempt(state); });
    return;
  }
  if (error->retryable() && state->attempt < options_.retry.max_attempts) {
    stats_quota_exhausted_.fetch_add(1, std::memory_order_relaxed);
  }
  Finish(state, std::move(*error));
}

void ServiceCaller::Finish(const std::shared_ptr<CallState>& state, Result<std::string> result) {
  Done done = std::move(state->done);
  done(std::move(result));
  std::lock_guard lock(inflight_mu_);
  if (--inflight_ == 0) inflight_cv_.notify_all();
}

ClientStats ServiceCaller::stats() const {
  return ClientStats{stats_calls_.load(), stats_attempts_.load(), stats_retries_.load(),
                     stats_throttles_.load(), stats_quota_exhausted_.load()};
}

}  // namespace moe::internal
