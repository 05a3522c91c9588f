// KinesisClient: typed calls for the Kinesis Data Streams operations moe
// uses (a write-behind journal), over the same SigV4 signer, transports,
// credentials and AWS standard-mode retries as DynamoDbClient. The wire
// protocol is JSON 1.1 with X-Amz-Target `Kinesis_20131202.<Operation>`;
// record data travels base64-encoded and is plain bytes here.
// https://docs.aws.amazon.com/kinesis/latest/APIReference/Welcome.html
//
//   moe::ClientOptions options;            // endpoint: AWS_ENDPOINT_URL_KINESIS, ...
//   auto kinesis = moe::KinesisClient::Create(std::move(options));
//   (*kinesis)->CreateStream({.stream_name = "changes", .shard_count = 2});
//   (*kinesis)->WaitUntilActive("changes");
//   auto put = (*kinesis)->PutRecord({.stream_name = "changes",
//                                     .partition_key = "user#1", .data = "payload"});
//   // put->shard_id, put->sequence_number
//   auto all = (*kinesis)->PutRecordsAll("changes", entries);  // re-sends failed records
//
// Thread safety: KinesisClient is safe for concurrent use, like
// DynamoDbClient; PutRecordsAll blocks its calling thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/client.h"
#include "moe/result.h"

namespace moe {
namespace kinesis {

enum class StreamStatus : uint8_t { kCreating, kDeleting, kActive, kUpdating };
enum class ShardIteratorType : uint8_t {
  kAtSequenceNumber,
  kAfterSequenceNumber,
  kTrimHorizon,
  kLatest,
  kAtTimestamp,
};

struct CreateStreamResponse {};
struct CreateStreamRequest {
  static constexpr std::string_view kOperation = "CreateStream";
  using Response = CreateStreamResponse;
  std::string stream_name;
  // Default (unset): 1 on the wire here; AWS requires it for provisioned streams.
  std::optional<int> shard_count;
};

struct StreamDescriptionSummary {
  std::string stream_name;
  std::string stream_arn;
  StreamStatus stream_status = StreamStatus::kCreating;
  int retention_period_hours = 24;
  int open_shard_count = 0;
  double stream_creation_timestamp = 0;  // seconds since the epoch
};
struct DescribeStreamSummaryResponse {
  StreamDescriptionSummary stream_description_summary;
};
struct DescribeStreamSummaryRequest {
  static constexpr std::string_view kOperation = "DescribeStreamSummary";
  using Response = DescribeStreamSummaryResponse;
  std::string stream_name;
};

// Hash keys and sequence numbers are decimal strings (up to 2^128 - 1 and
// 128 digits): compare them as numbers, never as text of unequal length.
struct HashKeyRange {
  std::string starting_hash_key;
  std::string ending_hash_key;
};
struct SequenceNumberRange {
  std::string starting_sequence_number;
  std::optional<std::string> ending_sequence_number;  // set once the shard is closed
};
struct Shard {
  std::string shard_id;
  std::optional<std::string> parent_shard_id;
  std::optional<std::string> adjacent_parent_shard_id;
  HashKeyRange hash_key_range;
  SequenceNumberRange sequence_number_range;
};
struct ListShardsResponse {
  std::vector<Shard> shards;
  std::optional<std::string> next_token;
};
struct ListShardsRequest {
  static constexpr std::string_view kOperation = "ListShards";
  using Response = ListShardsResponse;
  // Exactly one of stream_name and next_token (continuation) is sent.
  std::optional<std::string> stream_name;
  std::optional<std::string> next_token;
  std::optional<int> max_results;
};

struct PutRecordResponse {
  std::string shard_id;
  std::string sequence_number;
};
struct PutRecordRequest {
  static constexpr std::string_view kOperation = "PutRecord";
  using Response = PutRecordResponse;
  std::string stream_name;
  // Up to 256 characters; its MD5 picks the shard.
  std::string partition_key;
  std::string data;  // bytes, up to 1 MiB
  std::optional<std::string> explicit_hash_key;
  std::optional<std::string> sequence_number_for_ordering;
};

struct PutRecordsEntry {
  std::string partition_key;
  std::string data;
  std::optional<std::string> explicit_hash_key;
};
struct PutRecordsResultEntry {
  // Success: shard_id and sequence_number. Failure: error_code
  // ("ProvisionedThroughputExceededException", "InternalFailure") and message.
  std::string shard_id;
  std::string sequence_number;
  std::string error_code;
  std::string error_message;
  bool ok() const { return error_code.empty(); }
};
struct PutRecordsResponse {
  int failed_record_count = 0;
  // One entry per request record, in request order.
  std::vector<PutRecordsResultEntry> records;
};
struct PutRecordsRequest {
  static constexpr std::string_view kOperation = "PutRecords";
  using Response = PutRecordsResponse;
  std::string stream_name;
  std::vector<PutRecordsEntry> records;  // 1 to 500, 5 MiB in all
};

struct GetShardIteratorResponse {
  std::string shard_iterator;
};
struct GetShardIteratorRequest {
  static constexpr std::string_view kOperation = "GetShardIterator";
  using Response = GetShardIteratorResponse;
  std::string stream_name;
  std::string shard_id;
  ShardIteratorType shard_iterator_type = ShardIteratorType::kTrimHorizon;
  // For kAtSequenceNumber / kAfterSequenceNumber.
  std::optional<std::string> starting_sequence_number;
  // For kAtTimestamp: seconds since the epoch.
  std::optional<double> timestamp;
};

struct Record {
  std::string sequence_number;
  double approximate_arrival_timestamp = 0;  // seconds since the epoch
  std::string data;                          // bytes
  std::string partition_key;
};
struct GetRecordsResponse {
  std::vector<Record> records;
  // Absent when the shard is closed and fully read.
  std::optional<std::string> next_shard_iterator;
  int64_t millis_behind_latest = 0;
};
struct GetRecordsRequest {
  static constexpr std::string_view kOperation = "GetRecords";
  using Response = GetRecordsResponse;
  std::string shard_iterator;
  std::optional<int> limit;  // 1 to 10000
};

// The wire codec, both directions (the client writes requests and reads
// responses; the embedded journal reads requests and writes responses).
// Parse errors: kSerialization (bad JSON or member type), kValidation (bad
// enum or base64).
std::string ToJson(const CreateStreamRequest& r);
std::string ToJson(const CreateStreamResponse& r);
std::string ToJson(const DescribeStreamSummaryRequest& r);
std::string ToJson(const DescribeStreamSummaryResponse& r);
std::string ToJson(const ListShardsRequest& r);
std::string ToJson(const ListShardsResponse& r);
std::string ToJson(const PutRecordRequest& r);
std::string ToJson(const PutRecordResponse& r);
std::string ToJson(const PutRecordsRequest& r);
std::string ToJson(const PutRecordsResponse& r);
std::string ToJson(const GetShardIteratorRequest& r);
std::string ToJson(const GetShardIteratorResponse& r);
std::string ToJson(const GetRecordsRequest& r);
std::string ToJson(const GetRecordsResponse& r);
template <typename T>
Result<T> Parse(std::string_view json);

// Kinesis error body {"__type": "...", "message": "..."} for `error`;
// kValidation is written as InvalidArgumentException.
std::string ErrorToJson(const Error& error);

// "ACTIVE", "TRIM_HORIZON", ... and back (nullopt for an unknown name).
std::string_view StreamStatusName(StreamStatus s);
std::optional<StreamStatus> StreamStatusFromName(std::string_view name);
std::string_view ShardIteratorTypeName(ShardIteratorType t);
std::optional<ShardIteratorType> ShardIteratorTypeFromName(std::string_view name);

// Options of PutRecordsAll: how failed records are re-sent.
struct PutAllOptions {
  // PutRecords requests in flight at once. Default: 4. With more than one,
  // or after any re-send, records of one partition key may land out of the
  // order given (Kinesis orders only what it accepted, per shard).
  int max_in_flight = 4;
  // Backoff before re-sending failed records: uniform in
  // [0, min(max_delay, base_delay * 2^(streak-1))]. Defaults: 50 ms, 5 s.
  std::chrono::milliseconds base_delay{50};
  std::chrono::milliseconds max_delay{5000};
  // Rounds in a row without progress before what is left is given back
  // (kRetriesExhausted). Any progress resets the count. Default: 12.
  int retry_budget = 12;
  // Seed for the jitter generator; 0 seeds from std::random_device.
  // Default: 0.
  uint64_t jitter_seed = 0;
};

struct PutAllFailure {
  size_t index;  // into the entries given
  Error error;
};
struct PutAllResult {
  // results[i] answers entries[i] (ok() or the last error seen for it).
  std::vector<PutRecordsResultEntry> results;
  size_t succeeded = 0;
  std::vector<PutAllFailure> failed;  // nothing is dropped silently
  size_t resent = 0;                  // records sent again after failing
};

// Limits of one PutRecords request.
inline constexpr size_t kMaxPutRecordsEntries = 500;
inline constexpr size_t kMaxPutRecordsBytes = 5 * 1024 * 1024;

}  // namespace kinesis

class KinesisClient {
 public:
  template <typename T>
  using Callback = std::function<void(Result<T>)>;

  // Like DynamoDbClient::Create; the endpoint defaults to
  // AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL, the profile's endpoint_url,
  // else https://kinesis.<region>.amazonaws.com. Errors: kInvalidArgument.
  static Result<std::unique_ptr<KinesisClient>> Create(ClientOptions options);

  KinesisClient(const KinesisClient&) = delete;
  KinesisClient& operator=(const KinesisClient&) = delete;
  ~KinesisClient();

  // One call per operation. Errors, after retries for retryable ones:
  // kResourceNotFound (no such stream or shard), kResourceInUse (stream
  // exists or is not ACTIVE), kLimitExceeded and
  // kProvisionedThroughputExceeded (retryable), kExpiredIterator (get a new
  // iterator; not retryable), kValidation (InvalidArgumentException), and the
  // transport errors.
  Result<kinesis::CreateStreamResponse> CreateStream(const kinesis::CreateStreamRequest& r) {
    return Call(r);
  }
  Result<kinesis::DescribeStreamSummaryResponse> DescribeStreamSummary(
      const kinesis::DescribeStreamSummaryRequest& r) {
    return Call(r);
  }
  Result<kinesis::ListShardsResponse> ListShards(const kinesis::ListShardsRequest& r) {
    return Call(r);
  }
  Result<kinesis::PutRecordResponse> PutRecord(const kinesis::PutRecordRequest& r) {
    return Call(r);
  }
  // One request; failed entries come back in the response (see PutRecordsAll).
  Result<kinesis::PutRecordsResponse> PutRecords(const kinesis::PutRecordsRequest& r) {
    return Call(r);
  }
  Result<kinesis::GetShardIteratorResponse> GetShardIterator(
      const kinesis::GetShardIteratorRequest& r) {
    return Call(r);
  }
  Result<kinesis::GetRecordsResponse> GetRecords(const kinesis::GetRecordsRequest& r) {
    return Call(r);
  }

  template <typename Request>
  Result<typename Request::Response> Call(const Request& request);
  template <typename Request>
  void CallAsync(const Request& request, Callback<typename Request::Response> done);

  // Appends any number of records: packs PutRecords requests (500 records,
  // 5 MiB), re-sends records that failed (per-record errors or a failed
  // request) with backoff until each lands or the retry budget is spent.
  // Every entry ends in `succeeded` or `failed`. Errors (whole call):
  // kInvalidArgument for an entry larger than 1 MiB or with an empty key.
  Result<kinesis::PutAllResult> PutRecordsAll(const std::string& stream,
                                              const std::vector<kinesis::PutRecordsEntry>& entries,
                                              const kinesis::PutAllOptions& options = {});

  // Every shard of the stream (follows ListShards' NextToken). Errors:
  // ListShards' (kResourceNotFound for an unknown stream, the client's).
  Result<std::vector<kinesis::Shard>> ListAllShards(const std::string& stream);

  // Polls DescribeStreamSummary until the stream is ACTIVE. Errors: those of
  // DescribeStreamSummary; kTimeout when `timeout` passes (on the clock).
  Result<kinesis::StreamDescriptionSummary> WaitUntilActive(
      const std::string& stream, std::chrono::milliseconds timeout = std::chrono::minutes(5),
      std::chrono::milliseconds poll = std::chrono::milliseconds(100));

  const std::string& endpoint() const;
  Clock& clock() const;
  ClientStats stats() const;

  // The raw call: signs `body` for `operation` ("PutRecord"), sends it with
  // retries, and hands back the body of a 2xx answer or the mapped error.
  void InvokeAsync(std::string_view operation, std::string body, Callback<std::string> done);

 private:
  class Impl;
  explicit KinesisClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

template <typename Request>
void KinesisClient::CallAsync(const Request& request, Callback<typename Request::Response> done) {
  InvokeAsync(Request::kOperation, kinesis::ToJson(request),
              [done = std::move(done)](Result<std::string> body) {
                if (!body) return done(std::move(body).error());
                done(kinesis::Parse<typename Request::Response>(*body));
              });
}

template <typename Request>
Result<typename Request::Response> KinesisClient::Call(const Request& request) {
  internal::Waiter<typename Request::Response> waiter;
  CallAsync(request, waiter.callback());
  return waiter.Wait();
}

}  // namespace moe
