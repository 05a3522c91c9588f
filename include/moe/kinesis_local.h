// LocalStreams: an embedded Kinesis-compatible journal, for when no Kinesis
// is configured (the `local:` default) and for tests, in memory or, with a
// data directory, durable (the `local:/dir` default keeps it in
// `<dir>/kinesis`). It answers
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
//   auto durable = moe::kinesis::LocalStreams::Open({.data_dir = "/var/lib/moe/kinesis"});
//
// Durability: with `data_dir`, every stream creation and every accepted
// record is appended to a write-ahead log (the engine's: wal/log.h,
// CRC-checked records, fdatasync before the answer) before PutRecord(s)
// answers, and Open replays it: records come back in their shards with
// their sequence numbers and arrival times, and new records continue the
// sequence. A PutRecords is one log record, so its records survive together
// or (never acknowledged) not at all. Shard iterators do not survive a
// restart (a consumer starts again from its checkpoint). The directory is
// locked while open: one process at a time.
//
// Not kept: resharding (SplitShard, MergeShards), retention trimming (the
// log grows with every record; nothing is compacted), tags, encryption,
// enhanced fan-out.
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
  // Where the journal is kept (created when missing; see Durability above).
  // Default: "" (in memory, lost with the process).
  std::string data_dir;
};

class LocalStreams {
 public:
  // In memory; `options.data_dir` must be empty (use Open).
  static std::unique_ptr<LocalStreams> Create(LocalStreamsOptions options);
  // In memory, or durable in `options.data_dir` (replayed first). Errors:
  // kIo (the directory is in use by another process, cannot be written, or
  // holds a damaged log; wal/log.h says which damage is refused).
  static Result<std::unique_ptr<LocalStreams>> Open(LocalStreamsOptions options);

  LocalStreams() = default;
  LocalStreams(const LocalStreams&) = delete;
  LocalStreams& operator=(const LocalStreams&) = delete;
  virtual ~LocalStreams() = default;

  // `operation` is the X-Amz-Target suffix ("PutRecord"), `body` the JSON
  // request. Returns the JSON response, or the Error Kinesis would answer
  // with: kValidation (InvalidArgumentException), kResourceNotFound,
  // kResourceInUse, kExpiredIterator, kProvisionedThroughputExceeded (PutRecord),
  // kLimitExceeded, kSerialization, kUnknownOperation, and
  // kInternalServerError (nothing appended) when a durable journal cannot
  // write its log.
  virtual Result<std::string> Handle(std::string_view operation, std::string_view body) = 0;
};

// A Transport that hands Kinesis requests (X-Amz-Target Kinesis_20131202.*)
// to `streams` in-process; the callback runs before Send returns. Errors come
// back as Kinesis's HTTP error answers. `streams` must outlive the transport.
std::unique_ptr<Transport> NewLoopbackTransport(LocalStreams& streams);

}  // namespace moe::kinesis
