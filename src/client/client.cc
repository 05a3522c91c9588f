#include "moe/client.h"

#include <atomic>
#include <cstdio>

#include "client/retry.h"
#include "client/timer.h"
#include "moe/sigv4.h"

namespace moe {

class DynamoDbClient::Impl {
 public:
  Impl(ClientOptions options, std::string endpoint, std::string region, Credentials credentials)
      : options_(std::move(options)),
        endpoint_(std::move(endpoint)),
        region_(std::move(region)),
        credentials_(std::move(credentials)),
        clock_(options_.clock != nullptr ? *options_.clock : Clock::Real()),
        signer_(region_, "dynamodb"),
        retry_(options_.retry),
        timer_(clock_) {}

  ~Impl() {
    // Every call holds a reference to this Impl until its callback has run;
    // wait for those still in flight (e.g. sleeping in the retry timer).
    std::unique_lock lock(inflight_mu_);
    inflight_cv_.wait(lock, [this] { return inflight_ == 0; });
  }

  struct CallState {
    std::string operation;
    std::string body;
    Callback<std::string> done;
    int attempt = 0;
    int retry_cost = 0;
  };

  void Start(std::string_view operation, std::string body, Callback<std::string> done) {
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

  void Attempt(std::shared_ptr<CallState> state) {
    if (options_.observer) {
      Clock::Duration wait = options_.observer->BeforeAttempt(Info(*state, state->attempt + 1));
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
    request.headers.emplace_back("content-type", "application/x-amz-json-1.0");
    request.headers.emplace_back("x-amz-target", "DynamoDB_20120810." + state->operation);
    request.body = state->body;  // kept in state for a retry
    if (Status signed_ok = signer_.Sign(request, credentials_, clock_.Now()); !signed_ok) {
      Finish(state, std::move(signed_ok).error());
      return;
    }
    options_.transport->Send(std::move(request), [this, state](Result<HttpResponse> response) {
      OnResponse(state, std::move(response));
    });
  }

  void OnResponse(const std::shared_ptr<CallState>& state, Result<HttpResponse> response) {
    std::optional<Error> error;
    if (!response) {
      error = std::move(response).error();
    } else if (response->status / 100 != 2) {
      error =
          ErrorFromResponse(response->status, response->body, response->Header("x-amzn-requestid"));
    }
    if (options_.observer) {
      options_.observer->AfterAttempt(Info(*state, state->attempt),
                                      error ? std::string_view() : response->body,
                                      error ? &*error : nullptr);
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

  static AttemptInfo Info(const CallState& state, int attempt) {
    return AttemptInfo{state.operation, state.body, attempt};
  }

  void Finish(const std::shared_ptr<CallState>& state, Result<std::string> result) {
    Callback<std::string> done = std::move(state->done);
    done(std::move(result));
    std::lock_guard lock(inflight_mu_);
    if (--inflight_ == 0) inflight_cv_.notify_all();
  }

  ClientStats stats() const {
    return ClientStats{stats_calls_.load(), stats_attempts_.load(), stats_retries_.load(),
                       stats_throttles_.load(), stats_quota_exhausted_.load()};
  }

  ClientOptions options_;
  const std::string endpoint_;
  const std::string region_;
  const Credentials credentials_;
  Clock& clock_;
  sigv4::Signer signer_;
  internal::RetryPolicy retry_;

  std::mutex inflight_mu_;
  std::condition_variable inflight_cv_;
  int64_t inflight_ = 0;
  std::atomic<uint64_t> stats_calls_{0}, stats_attempts_{0}, stats_retries_{0}, stats_throttles_{0},
      stats_quota_exhausted_{0};

  internal::Timer timer_;  // last: destroyed (joined) first
};

namespace {

Status CheckEndpoint(const std::string& endpoint) {
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    return Error::InvalidArgument("endpoint must start with http:// or https://: " + endpoint);
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<DynamoDbClient>> DynamoDbClient::Create(ClientOptions options) {
  if (!options.getenv) options.getenv = ProcessEnvironment();
  ProfileOptions profile;
  profile.profile = options.profile;
  std::string region = options.region;
  if (region.empty()) {
    auto resolved = ResolveRegion(options.getenv, profile);
    region = resolved ? *resolved : "us-east-1";
  }
  MOE_TRY(std::string endpoint,
          ResolveEndpoint("dynamodb", region, options.getenv, options.endpoint, profile));
  while (endpoint.size() > 8 && endpoint.back() == '/') endpoint.pop_back();
  MOE_TRY_STATUS(CheckEndpoint(endpoint));
  endpoint += '/';
  if (!options.credentials)
    options.credentials = NewDefaultCredentialsChain(options.getenv, profile);
  MOE_TRY(Credentials credentials, options.credentials->GetCredentials());
  if (!options.transport) options.transport = NewCurlTransport(options.http);
  if (options.retry.max_attempts < 1)
    return Error::InvalidArgument("retry.max_attempts must be at least 1");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(endpoint), std::move(region),
                                     std::move(credentials));
  return std::unique_ptr<DynamoDbClient>(new DynamoDbClient(std::move(impl)));
}

DynamoDbClient::DynamoDbClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DynamoDbClient::~DynamoDbClient() = default;

void DynamoDbClient::InvokeAsync(std::string_view operation, std::string body,
                                 Callback<std::string> done) {
  impl_->Start(operation, std::move(body), std::move(done));
}

const std::string& DynamoDbClient::endpoint() const { return impl_->endpoint_; }
const std::string& DynamoDbClient::region() const { return impl_->region_; }
Clock& DynamoDbClient::clock() const { return impl_->clock_; }
ClientStats DynamoDbClient::stats() const { return impl_->stats(); }

}  // namespace moe
