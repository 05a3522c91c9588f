#include "moe/faulty_transport.h"

#include "core/ascii.h"

#include <zlib.h>

#include <optional>
#include <string>
#include <utility>

#include "http/partial_batch.h"
#include "http/partial_put_records.h"

namespace moe {
namespace {

constexpr std::string_view kBatchWriteTarget = "DynamoDB_20120810.BatchWriteItem";
constexpr std::string_view kBatchGetTarget = "DynamoDB_20120810.BatchGetItem";
constexpr std::string_view kPutRecordsTarget = "Kinesis_20131202.PutRecords";

constexpr std::string_view kThrottleBody =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",)"
    R"("message":"The level of configured provisioned throughput for the table was exceeded. )"
    R"(Consider increasing your provisioning level with the UpdateTable API."})";
constexpr std::string_view kInternalErrorBody =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError",)"
    R"("message":"Internal server error"})";
constexpr std::string_view kServiceUnavailableBody =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable",)"
    R"("message":"The service is currently unavailable or busy."})";

std::string_view RequestHeader(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (internal::EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

HttpResponse ErrorResponse(int status, std::string_view body) {
  HttpResponse response{.status = status, .body = std::string(body)};
  response.headers.push_back({"content-type", "application/x-amz-json-1.0"});
  response.headers.push_back({"x-amzn-requestid", "moe-injected-fault"});
  return response;
}

// After rewriting a body, headers that describe the old one must follow.
void FixBodyHeaders(HttpResponse& response) {
  for (auto& [name, value] : response.headers) {
    if (name == "x-amz-crc32") {
      uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(response.body.data()),
                        static_cast<uInt>(response.body.size()));
      value = std::to_string(static_cast<uint32_t>(crc));
    } else if (name == "content-length") {
      value = std::to_string(response.body.size());
    }
  }
}

}  // namespace

std::string_view FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kThrottle: return "Throttle";
    case FaultKind::kInternalError: return "InternalError";
    case FaultKind::kServiceUnavailable: return "ServiceUnavailable";
    case FaultKind::kTimeoutBeforeSend: return "TimeoutBeforeSend";
    case FaultKind::kTimeoutAfterSend: return "TimeoutAfterSend";
    case FaultKind::kResetBeforeSend: return "ResetBeforeSend";
    case FaultKind::kResetAfterSend: return "ResetAfterSend";
    case FaultKind::kPartialBatch: return "PartialBatch";
  }
  return "Unknown";
}

struct FaultyTransport::Decision {
  std::optional<FaultKind> kind;
  uint64_t subset_seed = 0;
};

FaultyTransport::FaultyTransport(Transport& inner, FaultOptions options)
    : inner_(&inner), options_(std::move(options)), rng_(options_.seed) {}

FaultyTransport::FaultyTransport(std::unique_ptr<Transport> inner, FaultOptions options)
    : owned_(std::move(inner)), inner_(owned_.get()), options_(std::move(options)),
      rng_(options_.seed) {}

// Callbacks handed to the inner transport capture no `this`, so requests
// still in flight may complete after this object is gone.
FaultyTransport::~FaultyTransport() = default;

uint64_t FaultyTransport::total_faults() const {
  uint64_t total = 0;
  for (const auto& c : counts_) total += c.load();
  return total;
}

FaultyTransport::Decision FaultyTransport::Decide(std::string_view target,
                                                  std::string_view body) {
  Decision d;
  if (!enabled_.load()) return d;
  if (options_.filter && !options_.filter(target)) return d;
  if (options_.body_filter && !options_.body_filter(body)) return d;
  double u;
  {
    std::lock_guard lock(mu_);
    u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;  // uniform in [0, 1)
    d.subset_seed = rng_();
  }
  const std::pair<double, FaultKind> bands[] = {
      {options_.throttle, FaultKind::kThrottle},
      {options_.internal_error, FaultKind::kInternalError},
      {options_.service_unavailable, FaultKind::kServiceUnavailable},
      {options_.timeout_before_send, FaultKind::kTimeoutBeforeSend},
      {options_.timeout_after_send, FaultKind::kTimeoutAfterSend},
      {options_.reset_before_send, FaultKind::kResetBeforeSend},
      {options_.reset_after_send, FaultKind::kResetAfterSend},
      {options_.partial_batch, FaultKind::kPartialBatch},
  };
  double edge = 0;
  for (const auto& [p, kind] : bands) {
    edge += p > 0 ? p : 0;
    if (u < edge) {
      d.kind = kind;
      break;
    }
  }
  if (d.kind == FaultKind::kPartialBatch && target != kBatchWriteTarget &&
      target != kBatchGetTarget && target != kPutRecordsTarget) {
    d.kind.reset();
  }
  return d;
}

void FaultyTransport::Send(HttpRequest request, Callback done) {
  requests_.fetch_add(1);
  std::string_view target = RequestHeader(request, "x-amz-target");
  Decision d = Decide(target, request.body);
  if (!d.kind) {
    inner_->Send(std::move(request), std::move(done));
    return;
  }
  FaultKind kind = *d.kind;
  switch (kind) {
    case FaultKind::kThrottle:
      Count(kind);
      done(ErrorResponse(400, kThrottleBody));
      return;
    case FaultKind::kInternalError:
      Count(kind);
      done(ErrorResponse(500, kInternalErrorBody));
      return;
    case FaultKind::kServiceUnavailable:
      Count(kind);
      done(ErrorResponse(503, kServiceUnavailableBody));
      return;
    case FaultKind::kTimeoutBeforeSend:
      Count(kind);
      done(Error(ErrorCode::kTimeout, "request timed out (injected before sending)"));
      return;
    case FaultKind::kResetBeforeSend:
      Count(kind);
      done(Error(ErrorCode::kNetwork, "connection reset by peer (injected before sending)"));
      return;
    case FaultKind::kTimeoutAfterSend:
      Count(kind);
      inner_->Send(std::move(request), [done = std::move(done)](Result<HttpResponse>) {
        done(Error(ErrorCode::kTimeout,
                   "request timed out (injected after sending; it may have been applied)"));
      });
      return;
    case FaultKind::kResetAfterSend:
      Count(kind);
      inner_->Send(std::move(request), [done = std::move(done)](Result<HttpResponse>) {
        done(Error(ErrorCode::kNetwork,
                   "connection reset by peer (injected after sending; it may have been applied)"));
      });
      return;
    case FaultKind::kPartialBatch: {
      if (target == kPutRecordsTarget) {
        SendPartialPutRecords(std::move(request), std::move(done), d.subset_seed);
        return;
      }
      bool is_get = target == kBatchGetTarget;
      SendPartialBatch(std::move(request), std::move(done), is_get, d.subset_seed);
      return;
    }
  }
}

void FaultyTransport::SendPartialBatch(HttpRequest request, Callback done, bool is_get,
                                       uint64_t subset_seed) {
  std::mt19937_64 rng(subset_seed);
  std::optional<internal::BatchSplit> split = internal::SplitBatch(request.body, is_get, rng);
  if (!split) {  // nothing to split: pass through, no fault counted
    inner_->Send(std::move(request), std::move(done));
    return;
  }
  Count(FaultKind::kPartialBatch);
  request.body = std::move(split->forwarded_body);
  inner_->Send(std::move(request), [done = std::move(done), withheld = std::move(split->withheld),
                                    is_get](Result<HttpResponse> result) {
    // Only a successful answer has unprocessed entries; on an error the whole
    // request failed and the caller retries all of it anyway.
    if (!result || result->status != 200) {
      done(std::move(result));
      return;
    }
    std::optional<std::string> merged =
        internal::MergeUnprocessed(result->body, withheld, is_get);
    if (!merged) {
      done(Error::BadResponse("batch response is not a JSON object"));
      return;
    }
    result->body = std::move(*merged);
    FixBodyHeaders(*result);
    done(std::move(result));
  });
}

void FaultyTransport::SendPartialPutRecords(HttpRequest request, Callback done,
                                            uint64_t subset_seed) {
  std::mt19937_64 rng(subset_seed);
  std::optional<internal::PutRecordsSplit> split = internal::SplitPutRecords(request.body, rng);
  if (!split) {  // nothing to split: pass through, no fault counted
    inner_->Send(std::move(request), std::move(done));
    return;
  }
  Count(FaultKind::kPartialBatch);
  request.body = std::move(split->forwarded_body);
  inner_->Send(std::move(request), [done = std::move(done), withheld = std::move(split->withheld)](
                                       Result<HttpResponse> result) {
    if (!result || result->status != 200) {
      done(std::move(result));
      return;
    }
    std::optional<std::string> merged = internal::MergePutRecords(result->body, withheld);
    if (!merged) {
      done(Error::BadResponse("PutRecords response does not answer the forwarded records"));
      return;
    }
    result->body = std::move(*merged);
    FixBodyHeaders(*result);
    done(std::move(result));
  });
}

}  // namespace moe
