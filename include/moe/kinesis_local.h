// LocalStreams: an embedded, in-memory Kinesis-compatible journal, for when
// no Kinesis is configured (the `local:` default) and for tests. It answers
// the operations KinesisClient uses with Kinesis's semantics: streams of
// shards splitting the 128-bit hash-key space evenly, a record's shard
// chosen by the MD5 of its partition key (or its ExplicitHashKey), sequence
// numbers increasing within a stream, shard iterators (TRIM_HORIZON, LATEST,
// AT_/AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP) that expire after five minutes,
// and, optionally, a per-shard write rate that answers
// ProvisionedThroughputExceededException per record as Kinesis does.
// https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html
//
//   auto streams = moe::kinesis::LocalStreams::Create({});
//   moe::ClientOptions options;
//   options.endpoint = "http://local";        // not dialed
//   options.transport = moe::kinesis::NewLoopbackTransport(*streams);
//   options.credentials = moe::NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
//   auto kinesis = moe::KinesisClient::Create(std::move(options));
//
// Not kept: resharding (SplitShard, MergeShards), retention trimming,
// tags, encryption, enhanced fan-out. Records live in memory only.
//
// Thread safety: LocalStreams is safe for concurrent use (one mutex).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "moe/clock.h"
#include "moe/result.h"
#include "moe/transport.h"

namespace moe::kinesis {

struct LocalStreamsOptions {
  // Arrival times, stream transitions, iterator expiry and rate windows.
  // Default: Clock::Real(). Borrowed; must outlive the streams.
  Clock* clock = nullptr;
  // Region and account in ARNs and messages. Defaults: "us-east-1", "000000000000".
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  // How long a new stream stays CREATING. Default: 0 (ACTIVE at once).
  std::chrono::milliseconds stream_transition{0};
  // Age after which a shard iterator is refused with ExpiredIteratorException.
  // Default: 5 minutes (Kinesis's).
  std::chrono::milliseconds iterator_lifetime = std::chrono::minutes(5);
  // Records accepted per shard per second of the clock; beyond it a record
  // fails with ProvisionedThroughputExceededException. Default: 0 (no limit;
  // Kinesis's is 1000).
  int records_per_second_per_shard = 0;
  // Most shards one stream may have. Default: 500.
  int max_shards = 500;
};

class LocalStreams {
 public:
  static std::unique_ptr<LocalStreams> Create(LocalStreamsOptions options);

  LocalStreams() = default;
  LocalStreams(const LocalStreams&) = delete;
  LocalStreams& operator=(const LocalStreams&) = delete;
  virtual ~LocalStreams() = default;

  // `operation` is the X-Amz-Target suffix ("PutRecord"), `body` the JSON
  // request. Returns the JSON response, or the Error Kinesis would answer
  // with: kValidation (InvalidArgumentException), kResourceNotFound,
  // kResourceInUse, kExpiredIterator, kProvisionedThroughputExceeded (PutRecord),
  // kLimitExceeded, kSerialization, kUnknownOperation.
  virtual Result<std::string> Handle(std::string_view operation, std::string_view body) = 0;
};

// A Transport that hands Kinesis requests (X-Amz-Target Kinesis_20131202.*)
// to `streams` in-process; the callback runs before Send returns. Errors come
// back as Kinesis's HTTP error answers. `streams` must outlive the transport.
std::unique_ptr<Transport> NewLoopbackTransport(LocalStreams& streams);

}  // namespace moe::kinesis
