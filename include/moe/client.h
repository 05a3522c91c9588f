// DynamoDbClient: typed calls for every DynamoDB operation moe covers, over
// any Transport (AWS or a compatible server over HTTP, or the embedded engine
// in-process), with SigV4 signing, AWS "standard" retries and paginators.
//
//   moe::ClientOptions options;
//   options.endpoint = "http://127.0.0.1:8000";   // default: env / AWS
//   auto client = moe::DynamoDbClient::Create(std::move(options));
//   if (!client) return client.error();
//   moe::PutItemRequest put{.table_name = "users", .item = {{"pk", "u#1"}, {"n", 1}}};
//   if (auto r = (*client)->PutItem(put); !r) log(r.error().ToString());
//   for (auto page : (*client)->QueryPages(query)) { ... }   // Result<QueryResponse>
//
// Every call has a synchronous form (blocks the calling thread) and an Async
// form that returns at once and runs a callback with the result; many Async
// calls may be in flight together over one connection pool.
//
// Thread safety: safe for concurrent use from any number of threads. Async
// callbacks run on the transport's thread or the client's retry timer thread
// and must not block; they may issue further calls.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "moe/clock.h"
#include "moe/credentials.h"
#include "moe/model.h"
#include "moe/result.h"
#include "moe/transport.h"

namespace moe {

// AWS "standard" retry mode:
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
// Delay before retry i (1-based) is uniform in [0, min(max_backoff, base * 2^(i-1))]
// (full jitter); base is throttle_base_delay for throttling errors.
struct RetryOptions {
  // Attempts per call including the first. Default: 3 (AWS standard mode).
  int max_attempts = 3;
  // Base delay for non-throttling retryable errors. Default: 25 ms (AWS SDKs' DynamoDB value).
  std::chrono::milliseconds base_delay{25};
  // Base delay for throttling errors. Default: 500 ms.
  std::chrono::milliseconds throttle_base_delay{500};
  // Cap on one delay. Default: 20 s.
  std::chrono::milliseconds max_backoff{20000};
  // Retry quota (token bucket shared by all calls of a client): a retry costs
  // retry_cost tokens (timeout_cost after a timeout or network error), a
  // successful call refunds its retry cost, or 1 token when it needed no
  // retry. When the bucket is empty, errors are returned without retrying.
  // Defaults: 500, 5, 10. Set quota_capacity to 0 to disable the quota.
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_cost = 10;
  // Seed for the jitter generator; 0 seeds from std::random_device.
  // Default: 0.
  uint64_t jitter_seed = 0;
};

// One attempt of a call, as a CallObserver sees it.
struct AttemptInfo {
  std::string_view operation;     // "PutItem"
  std::string_view request_body;  // the JSON request
  int attempt = 1;                // 1-based; retries count up
};

// Watches every attempt of every call and may hold attempts back: the hook
// for instrumentation (moe::partitioning's heat tracker) and for the
// client-side rate limiting of AWS "adaptive" retry mode
// (moe::partitioning::RateLimiter). Implementations must be safe for
// concurrent use and must not block; both methods run on the calling thread,
// the transport's thread or the retry timer's thread.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // Before each attempt is signed and sent, retries included. Returns zero to
  // send now, or how long the client waits (on its timer, without blocking a
  // thread) before it asks again; the call does not fail meanwhile.
  virtual Clock::Duration BeforeAttempt(const AttemptInfo& /*attempt*/) {
    return Clock::Duration::zero();
  }
  // When an attempt completes: `error` is null for a 2xx answer, whose body
  // is `response_body`; otherwise `response_body` is empty.
  virtual void AfterAttempt(const AttemptInfo& /*attempt*/, std::string_view /*response_body*/,
                            const Error* /*error*/) {}
};

struct ClientOptions {
  // "http(s)://host[:port]". Default: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL,
  // the profile's endpoint_url, else https://dynamodb.<region>.amazonaws.com.
  std::string endpoint;
  // Default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else "us-east-1".
  std::string region;
  // Profile for credentials, region and endpoint. Default: AWS_PROFILE or "default".
  std::string profile;
  // Default: environment, then ~/.aws/credentials and ~/.aws/config.
  // Create asks the provider once and signs with that key pair for the
  // client's lifetime: expiring session tokens are not refreshed.
  std::shared_ptr<CredentialsProvider> credentials;
  // Retry policy (AWS standard mode). Default: RetryOptions's defaults.
  RetryOptions retry;
  // Default: Clock::Real(). Borrowed; must outlive the client.
  Clock* clock = nullptr;
  // Default: a curl transport built from `http`.
  std::shared_ptr<Transport> transport;
  // Settings of the default curl transport (ignored with `transport`).
  // Default: CurlOptions's defaults (TLS verification on).
  CurlOptions http;
  // Looks up environment variables (tests inject their own). Default: the process environment.
  GetenvFn getenv;
  // Sees every attempt before it is sent and when it completes, and may delay
  // it (see CallObserver). Default: none.
  std::shared_ptr<CallObserver> observer;
};

// Retry and traffic counters of one client (monotonic, for instrumentation).
struct ClientStats {
  uint64_t calls = 0;
  uint64_t attempts = 0;
  uint64_t retries = 0;
  uint64_t throttles = 0;
  uint64_t quota_exhausted = 0;
};

template <typename Response>
class Pages;

class DynamoDbClient {
 public:
  template <typename T>
  using Callback = std::function<void(Result<T>)>;

  // Resolves region, endpoint and credentials. Errors: kInvalidArgument
  // (malformed endpoint, no credentials found).
  static Result<std::unique_ptr<DynamoDbClient>> Create(ClientOptions options);

  DynamoDbClient(const DynamoDbClient&) = delete;
  DynamoDbClient& operator=(const DynamoDbClient&) = delete;
  ~DynamoDbClient();

  // One call per operation. Errors: the service's (ResourceNotFound,
  // Validation, ConditionalCheckFailed with ErrorDetail::item, ...), after
  // retries for retryable ones; transport errors (kNetwork, kTimeout,
  // kBadResponse) when retries are exhausted.
  Result<CreateTableResponse> CreateTable(const CreateTableRequest& r) { return Call(r); }
  Result<DeleteTableResponse> DeleteTable(const DeleteTableRequest& r) { return Call(r); }
  Result<DescribeTableResponse> DescribeTable(const DescribeTableRequest& r) { return Call(r); }
  Result<ListTablesResponse> ListTables(const ListTablesRequest& r) { return Call(r); }
  Result<UpdateTableResponse> UpdateTable(const UpdateTableRequest& r) { return Call(r); }
  Result<UpdateTimeToLiveResponse> UpdateTimeToLive(const UpdateTimeToLiveRequest& r) {
    return Call(r);
  }
  Result<DescribeTimeToLiveResponse> DescribeTimeToLive(const DescribeTimeToLiveRequest& r) {
    return Call(r);
  }
  Result<PutItemResponse> PutItem(const PutItemRequest& r) { return Call(r); }
  Result<GetItemResponse> GetItem(const GetItemRequest& r) { return Call(r); }
  Result<UpdateItemResponse> UpdateItem(const UpdateItemRequest& r) { return Call(r); }
  Result<DeleteItemResponse> DeleteItem(const DeleteItemRequest& r) { return Call(r); }
  Result<QueryResponse> Query(const QueryRequest& r) { return Call(r); }
  Result<ScanResponse> Scan(const ScanRequest& r) { return Call(r); }
  Result<BatchGetItemResponse> BatchGetItem(const BatchGetItemRequest& r) { return Call(r); }
  Result<BatchWriteItemResponse> BatchWriteItem(const BatchWriteItemRequest& r) { return Call(r); }
  Result<TransactWriteItemsResponse> TransactWriteItems(const TransactWriteItemsRequest& r) {
    return Call(r);
  }
  Result<TransactGetItemsResponse> TransactGetItems(const TransactGetItemsRequest& r) {
    return Call(r);
  }

  // Any operation, synchronously or asynchronously (e.g. CallAsync(put, cb)).
  template <typename Request>
  Result<typename Request::Response> Call(const Request& request);
  template <typename Request>
  void CallAsync(const Request& request, Callback<typename Request::Response> done);
  // Sends every request at once and waits for all; results are
  // index-aligned with `requests`.
  template <typename Request>
  std::vector<Result<typename Request::Response>> CallAll(const std::vector<Request>& requests);

  // Paginators: each step fetches the next page, following
  // LastEvaluatedKey / LastEvaluatedTableName until the last page. A page
  // that fails ends the iteration after yielding its error.
  Pages<QueryResponse> QueryPages(QueryRequest request);
  Pages<ScanResponse> ScanPages(ScanRequest request);
  Pages<ListTablesResponse> ListTablesPages(ListTablesRequest request = {});

  // Scans `total_segments` segments concurrently; `on_page` runs for every
  // page on the calling thread (one page at a time, so it need not be
  // thread-safe). Stops at the first error, or when on_page returns one.
  Status ParallelScan(ScanRequest request, int total_segments,
                      const std::function<Status(int segment, ScanResponse& page)>& on_page);

  // Waiters: poll DescribeTable every `poll` until the table (and all its
  // GSIs) is ACTIVE (WaitUntilActive) or gone (WaitUntilDeleted, which
  // succeeds on ResourceNotFound). Errors: kTimeout when `timeout` passes
  // first (on the client's clock); DescribeTable's other errors, and
  // kResourceNotFound for WaitUntilActive.
  Result<TableDescription> WaitUntilActive(
      const std::string& table, std::chrono::milliseconds timeout = std::chrono::minutes(5),
      std::chrono::milliseconds poll = std::chrono::milliseconds(100));
  Status WaitUntilDeleted(const std::string& table,
                          std::chrono::milliseconds timeout = std::chrono::minutes(5),
                          std::chrono::milliseconds poll = std::chrono::milliseconds(100));

  const std::string& endpoint() const;
  const std::string& region() const;
  Clock& clock() const;
  ClientStats stats() const;

  // The raw call underneath all typed calls: signs `body` for `operation`
  // ("PutItem"), sends it with retries, and hands back the response body of
  // a 2xx answer or the mapped error.
  void InvokeAsync(std::string_view operation, std::string body, Callback<std::string> done);

 private:
  class Impl;
  explicit DynamoDbClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A pull-style sequence of pages: `for (Result<QueryResponse> page : pages)`.
template <typename Response>
class Pages {
 public:
  using Fetch = std::function<Result<Response>(bool first)>;
  explicit Pages(Fetch fetch) : fetch_(std::move(fetch)) {}

  // Next page, or nullopt when the previous one was the last (or failed).
  std::optional<Result<Response>> Next() {
    if (done_) return std::nullopt;
    Result<Response> page = fetch_(first_);
    first_ = false;
    done_ = !page || IsLast(*page);
    return page;
  }

  class Iterator {
   public:
    explicit Iterator(Pages* pages) : pages_(pages) { Advance(); }
    Result<Response>& operator*() { return *current_; }
    Iterator& operator++() {
      Advance();
      return *this;
    }
    bool operator!=(std::nullptr_t) const { return current_.has_value(); }

   private:
    void Advance() { current_ = pages_ ? pages_->Next() : std::nullopt; }
    Pages* pages_;
    std::optional<Result<Response>> current_;
  };
  Iterator begin() { return Iterator(this); }
  std::nullptr_t end() { return nullptr; }

 private:
  static bool IsLast(const Response& r);
  Fetch fetch_;
  bool first_ = true;
  bool done_ = false;
};

template <>
inline bool Pages<QueryResponse>::IsLast(const QueryResponse& r) {
  return !r.last_evaluated_key;
}
template <>
inline bool Pages<ListTablesResponse>::IsLast(const ListTablesResponse& r) {
  return !r.last_evaluated_table_name;
}

template <typename Request>
void DynamoDbClient::CallAsync(const Request& request, Callback<typename Request::Response> done) {
  InvokeAsync(Request::kOperation, ToJson(request),
              [done = std::move(done)](Result<std::string> body) {
                if (!body) return done(std::move(body).error());
                done(Parse<typename Request::Response>(*body));
              });
}

namespace internal {
// Blocks until a callback-style call completes.
template <typename T>
class Waiter {
 public:
  std::function<void(Result<T>)> callback() {
    return [this](Result<T> r) {
      std::lock_guard lock(mu_);
      result_.emplace(std::move(r));
      cv_.notify_one();
    };
  }
  Result<T> Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return result_.has_value(); });
    return std::move(*result_);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Result<T>> result_;
};
}  // namespace internal

template <typename Request>
Result<typename Request::Response> DynamoDbClient::Call(const Request& request) {
  internal::Waiter<typename Request::Response> waiter;
  CallAsync(request, waiter.callback());
  return waiter.Wait();
}

template <typename Request>
std::vector<Result<typename Request::Response>> DynamoDbClient::CallAll(
    const std::vector<Request>& requests) {
  using Response = typename Request::Response;
  std::vector<internal::Waiter<Response>> waiters(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) CallAsync(requests[i], waiters[i].callback());
  std::vector<Result<Response>> results;
  results.reserve(requests.size());
  for (auto& waiter : waiters) results.push_back(waiter.Wait());
  return results;
}

}  // namespace moe
