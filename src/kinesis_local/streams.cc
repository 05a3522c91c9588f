// The embedded journal: Kinesis's stream, shard, sequence-number and
// iterator semantics, in memory or durable in a wal::Log
// (include/moe/kinesis_local.h).

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <vector>

#include "kinesis_local/hash_key.h"
#include "moe/json.h"
#include "moe/kinesis.h"
#include "moe/kinesis_local.h"
#include "wal/log.h"
#include "wal/record.h"

namespace moe::kinesis {
namespace {

using internal::HashKey;

constexpr size_t kMaxRecordBytes = 1024 * 1024;
constexpr int kDefaultGetRecordsLimit = 10000;
// Sequence numbers: a fixed-width decimal of a per-stream counter, so that
// they compare as numbers and as text alike.
constexpr int kSequenceDigits = 21;

struct StoredRecord {
  uint64_t sequence;
  double arrival;  // seconds since the epoch
  std::string data;
  std::string partition_key;
};

struct ShardState {
  HashKey start;
  HashKey end;
  uint64_t starting_sequence;
  std::vector<StoredRecord> records;  // ascending sequence
  int64_t window_second = -1;         // for records_per_second_per_shard
  int window_count = 0;
};

struct Stream {
  Clock::TimePoint created;
  std::vector<ShardState> shards;
  uint64_t next_sequence = 1;
};

std::string ShardId(size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shardId-%012zu", index);
  return buf;
}

std::optional<size_t> ShardIndex(std::string_view id) {
  if (!id.starts_with("shardId-") || id.size() != 20) return std::nullopt;
  size_t index = 0;
  for (char c : id.substr(8)) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<size_t>(c - '0');
  }
  return index;
}

std::string SequenceText(uint64_t sequence) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", kSequenceDigits,
                static_cast<unsigned long long>(sequence));
  return buf;
}

std::optional<uint64_t> SequenceFromText(std::string_view text) {
  if (text.empty() || text.size() > kSequenceDigits) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

double Seconds(Clock::TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

bool ValidStreamName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

// Iterators are opaque to clients: base64 of "stream\nshard\nsequence\ncreated_ns".
std::string MakeIterator(std::string_view stream, size_t shard, uint64_t sequence,
                         Clock::TimePoint created) {
  std::string text(stream);
  text += '\n' + std::to_string(shard) + '\n' + std::to_string(sequence) + '\n' +
          std::to_string(created.time_since_epoch().count());
  return Base64Encode(text);
}

struct Iterator {
  std::string stream;
  size_t shard = 0;
  uint64_t sequence = 0;
  int64_t created_ns = 0;
};

std::optional<Iterator> ReadIterator(std::string_view text) {
  auto decoded = Base64Decode(text);
  if (!decoded) return std::nullopt;
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= decoded->size(); ++i) {
    if (i == decoded->size() || (*decoded)[i] == '\n') {
      parts.push_back(decoded->substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 4) return std::nullopt;
  Iterator it;
  it.stream = parts[0];
  auto shard = SequenceFromText(parts[1]);
  auto sequence = SequenceFromText(parts[2]);
  if (!shard || !sequence || parts[3].empty()) return std::nullopt;
  it.shard = static_cast<size_t>(*shard);
  it.sequence = *sequence;
  it.created_ns = std::strtoll(parts[3].c_str(), nullptr, 10);
  return it;
}

// Log entries of a durable journal (wal/log.h frames them):
//   [u8 1][str stream][u32 shard count][u64 created, ns since the epoch]
//   [u8 2][str stream][u32 shard][u64 sequence][u64 bits of arrival][str partition key][str data]
enum class EntryKind : uint8_t { kCreateStream = 1, kRecord = 2 };

void EncodeCreateStream(std::string_view name, int shards, Clock::TimePoint created,
                        std::string& out) {
  out.push_back(static_cast<char>(EntryKind::kCreateStream));
  wal::PutString(name, out);
  wal::PutU32(static_cast<uint32_t>(shards), out);
  wal::PutU64(
      static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(created.time_since_epoch()).count()),
      out);
}

void EncodeRecord(std::string_view stream, size_t shard, const StoredRecord& r, std::string& out) {
  out.push_back(static_cast<char>(EntryKind::kRecord));
  wal::PutString(stream, out);
  wal::PutU32(static_cast<uint32_t>(shard), out);
  wal::PutU64(r.sequence, out);
  wal::PutU64(std::bit_cast<uint64_t>(r.arrival), out);
  wal::PutString(r.partition_key, out);
  wal::PutString(r.data, out);
}

Error Malformed(std::string_view what) {
  return Error(ErrorCode::kIo, "malformed journal entry: " + std::string(what));
}

class LocalStreamsImpl final : public LocalStreams {
 public:
  LocalStreamsImpl(LocalStreamsOptions options, std::unique_ptr<wal::Log> log)
      : options_(std::move(options)),
        clock_(options_.clock != nullptr ? *options_.clock : Clock::Real()),
        log_(std::move(log)) {}

  // Rebuilds the streams from the log (before any request).
  Status Replay() {
    if (!log_) return Ok();
    return log_->Replay([this](std::string_view& in) { return ApplyEntry(in); });
  }

  Result<std::string> Handle(std::string_view operation, std::string_view body) override {
    std::lock_guard lock(mu_);
    if (operation == "CreateStream") return Run<CreateStreamRequest>(body, &Self::CreateStream);
    if (operation == "DescribeStreamSummary")
      return Run<DescribeStreamSummaryRequest>(body, &Self::DescribeStreamSummary);
    if (operation == "ListShards") return Run<ListShardsRequest>(body, &Self::ListShards);
    if (operation == "PutRecord") return Run<PutRecordRequest>(body, &Self::PutRecord);
    if (operation == "PutRecords") return Run<PutRecordsRequest>(body, &Self::PutRecords);
    if (operation == "GetShardIterator")
      return Run<GetShardIteratorRequest>(body, &Self::GetShardIterator);
    if (operation == "GetRecords") return Run<GetRecordsRequest>(body, &Self::GetRecords);
    return Error(ErrorCode::kUnknownOperation, "");
  }

 private:
  using Self = LocalStreamsImpl;

  template <typename Request>
  Result<std::string> Run(std::string_view body,
                          Result<typename Request::Response> (Self::*op)(const Request&)) {
    MOE_TRY(Request request, Parse<Request>(body));
    pending_.clear();
    undo_.clear();
    auto response = (this->*op)(request);
    // What the operation changed is durable before it is acknowledged.
    if (Status logged = Commit(); !logged) return logged.error();
    if (!response) return response.error();
    return ToJson(*response);
  }

  // Appends the operation's entries to the log; when that fails, takes its
  // changes back out of memory so that nothing unlogged is ever read.
  Status Commit() {
    if (!log_ || pending_.empty()) return Ok();
    Status s = log_->Append(pending_);
    if (s) return Ok();
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) it->Apply(streams_);
    return Error(ErrorCode::kInternalServerError,
                 "the journal could not write its log: " + s.error().message());
  }

  Status ApplyEntry(std::string_view& in) {
    if (in.empty()) return Malformed("empty");
    auto kind = static_cast<EntryKind>(in[0]);
    in.remove_prefix(1);
    std::string_view name;
    uint32_t shard_number;
    if (!wal::GetString(in, &name) || !wal::GetU32(in, &shard_number)) return Malformed("header");
    if (kind == EntryKind::kCreateStream) {
      uint64_t created_ns;
      if (!wal::GetU64(in, &created_ns) || shard_number < 1) return Malformed("stream");
      NewStream(std::string(name), static_cast<int>(shard_number),
                Clock::TimePoint(std::chrono::duration_cast<Clock::Duration>(
                    std::chrono::nanoseconds(created_ns))));
      return Ok();
    }
    if (kind != EntryKind::kRecord) return Malformed("kind");
    StoredRecord r;
    uint64_t arrival;
    std::string_view key, data;
    if (!wal::GetU64(in, &r.sequence) || !wal::GetU64(in, &arrival) || !wal::GetString(in, &key) ||
        !wal::GetString(in, &data)) {
      return Malformed("record");
    }
    r.arrival = std::bit_cast<double>(arrival);
    r.partition_key = std::string(key);
    r.data = std::string(data);
    auto it = streams_.find(name);
    if (it == streams_.end() || shard_number >= it->second.shards.size()) {
      return Malformed("record of an unknown stream or shard");
    }
    Stream& s = it->second;
    std::vector<StoredRecord>& records = s.shards[shard_number].records;
    if (!records.empty() && records.back().sequence >= r.sequence) {
      return Malformed("sequence numbers out of order");
    }
    s.next_sequence = std::max(s.next_sequence, r.sequence + 1);
    records.push_back(std::move(r));
    return Ok();
  }

  void NewStream(std::string name, int count, Clock::TimePoint created) {
    Stream stream;
    stream.created = created;
    for (int i = 0; i < count; ++i) {
      stream.shards.push_back(
          {internal::ShardStart(i, count), internal::ShardEnd(i, count), stream.next_sequence});
    }
    streams_.emplace(std::move(name), std::move(stream));
  }

  std::string Account() const { return " under account " + options_.account_id; }

  Error NotFound(std::string_view stream) const {
    return Error::ResourceNotFound("Stream " + std::string(stream) + Account() + " not found.");
  }

  bool Active(const Stream& s) const {
    return clock_.Now() - s.created >= Clock::Duration(options_.stream_transition);
  }

  // The stream, which must be ACTIVE for `writing` operations.
  Result<Stream*> Find(std::string_view name, bool must_be_active) {
    auto it = streams_.find(name);
    if (it == streams_.end() || (must_be_active && !Active(it->second))) return NotFound(name);
    return &it->second;
  }

  Result<CreateStreamResponse> CreateStream(const CreateStreamRequest& r) {
    if (!ValidStreamName(r.stream_name)) {
      return Error::Validation("1 validation error detected: Value '" + r.stream_name +
                               "' at 'streamName' failed to satisfy constraint: Member must "
                               "satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    int count = r.shard_count.value_or(1);
    if (count < 1) {
      return Error::Validation(
          "1 validation error detected: Value '" + std::to_string(count) +
          "' at 'shardCount' failed to satisfy constraint: Member must have value greater than "
          "or equal to 1");
    }
    if (count > options_.max_shards) {
      return Error(ErrorCode::kLimitExceeded,
                   "This request would exceed the shard limit for the account " +
                       options_.account_id + " in " + options_.region +
                       ". Current shard count "
                       "for the account: 0. Limit: " +
                       std::to_string(options_.max_shards) +
                       ". Number of additional shards that would have resulted from this "
                       "request: " +
                       std::to_string(count) + ".");
    }
    if (streams_.contains(r.stream_name)) {
      return Error(ErrorCode::kResourceInUse,
                   "Stream " + r.stream_name + Account() + " already exists.");
    }
    Clock::TimePoint now = clock_.Now();
    NewStream(r.stream_name, count, now);
    if (log_) {
      EncodeCreateStream(r.stream_name, count, now, pending_);
      undo_.push_back({r.stream_name, std::nullopt, 0});
    }
    return CreateStreamResponse{};
  }

  Result<DescribeStreamSummaryResponse> DescribeStreamSummary(
      const DescribeStreamSummaryRequest& r) {
    MOE_TRY(Stream * s, Find(r.stream_name, false));
    DescribeStreamSummaryResponse out;
    StreamDescriptionSummary& d = out.stream_description_summary;
    d.stream_name = r.stream_name;
    d.stream_arn = "arn:aws:kinesis:" + options_.region + ":" + options_.account_id + ":stream/" +
                   r.stream_name;
    d.stream_status = Active(*s) ? StreamStatus::kActive : StreamStatus::kCreating;
    d.open_shard_count = static_cast<int>(s->shards.size());
    d.stream_creation_timestamp = Seconds(s->created);
    return out;
  }

  Result<ListShardsResponse> ListShards(const ListShardsRequest& r) {
    std::string name;
    size_t from = 0;
    if (r.next_token) {
      if (r.stream_name) {
        return Error::Validation("NextToken and StreamName cannot be provided together.");
      }
      auto token = ReadIterator(*r.next_token);
      if (!token) return Error::Validation("Invalid NextToken.");
      name = token->stream;
      from = token->shard;
    } else if (r.stream_name) {
      name = *r.stream_name;
    } else {
      return Error::Validation("Either NextToken or StreamName should be provided.");
    }
    MOE_TRY(Stream * s, Find(name, false));
    size_t max = static_cast<size_t>(std::clamp(r.max_results.value_or(1000), 1, 10000));
    ListShardsResponse out;
    for (size_t i = from; i < s->shards.size() && out.shards.size() < max; ++i) {
      const ShardState& shard = s->shards[i];
      Shard entry{.shard_id = ShardId(i)};
      entry.hash_key_range = {internal::HashKeyToString(shard.start),
                              internal::HashKeyToString(shard.end)};
      entry.sequence_number_range.starting_sequence_number = SequenceText(shard.starting_sequence);
      out.shards.push_back(std::move(entry));
    }
    size_t next = from + out.shards.size();
    if (next < s->shards.size()) out.next_token = MakeIterator(name, next, 0, clock_.Now());
    return out;
  }

  // Appends one record; `error_code` set (and nothing appended) when the
  // shard is over its rate.
  Result<PutRecordsResultEntry> Append(const std::string& name, Stream& s,
                                       const PutRecordsEntry& e) {
    if (e.partition_key.empty() || e.partition_key.size() > 256) {
      return Error::Validation(
          "1 validation error detected: Value at 'partitionKey' failed to "
          "satisfy constraint: Member must have length between 1 and 256");
    }
    if (e.data.size() + e.partition_key.size() > kMaxRecordBytes) {
      return Error::Validation(
          "1 validation error detected: Value at 'data' failed to satisfy "
          "constraint: Member must have length less than or equal to "
          "1048576");
    }
    HashKey hash;
    if (e.explicit_hash_key) {
      auto parsed = internal::HashKeyFromString(*e.explicit_hash_key);
      if (!parsed) {
        return Error::Validation(
            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
            "[0, 2^128-1]. Specified value was " +
            *e.explicit_hash_key);
      }
      hash = *parsed;
    } else {
      hash = internal::HashOfPartitionKey(e.partition_key);
    }
    size_t index = 0;
    while (index + 1 < s.shards.size() && s.shards[index].end < hash) ++index;
    ShardState& shard = s.shards[index];
    PutRecordsResultEntry out;
    Clock::TimePoint now = clock_.Now();
    if (options_.records_per_second_per_shard > 0) {
      int64_t second =
          std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
      if (second != shard.window_second) {
        shard.window_second = second;
        shard.window_count = 0;
      }
      if (shard.window_count >= options_.records_per_second_per_shard) {
        out.error_code = "ProvisionedThroughputExceededException";
        out.error_message =
            "Rate exceeded for shard " + ShardId(index) + " in stream " + name + Account() + ".";
        return out;
      }
      ++shard.window_count;
    }
    uint64_t sequence = s.next_sequence++;
    shard.records.push_back({sequence, Seconds(now), e.data, e.partition_key});
    if (log_) {
      EncodeRecord(name, index, shard.records.back(), pending_);
      undo_.push_back({name, index, sequence});
    }
    out.shard_id = ShardId(index);
    out.sequence_number = SequenceText(sequence);
    return out;
  }

  Result<PutRecordResponse> PutRecord(const PutRecordRequest& r) {
    MOE_TRY(Stream * s, Find(r.stream_name, true));
    MOE_TRY(PutRecordsResultEntry entry,
            Append(r.stream_name, *s, {r.partition_key, r.data, r.explicit_hash_key}));
    if (!entry.ok()) return Error(ErrorCode::kProvisionedThroughputExceeded, entry.error_message);
    return PutRecordResponse{std::move(entry.shard_id), std::move(entry.sequence_number)};
  }

  Result<PutRecordsResponse> PutRecords(const PutRecordsRequest& r) {
    if (r.records.empty() || r.records.size() > kMaxPutRecordsEntries) {
      return Error::Validation(
          "1 validation error detected: Value at 'records' failed to "
          "satisfy constraint: Member must have length between 1 and 500");
    }
    MOE_TRY(Stream * s, Find(r.stream_name, true));
    PutRecordsResponse out;
    for (const PutRecordsEntry& e : r.records) {
      MOE_TRY(PutRecordsResultEntry entry, Append(r.stream_name, *s, e));
      if (!entry.ok()) ++out.failed_record_count;
      out.records.push_back(std::move(entry));
    }
    return out;
  }

  Result<ShardState*> FindShard(Stream& s, const std::string& stream, std::string_view id) {
    auto index = ShardIndex(id);
    if (!index || *index >= s.shards.size()) {
      return Error::ResourceNotFound("Shard " + std::string(id) + " in stream " + stream +
                                     Account() + " does not exist");
    }
    return &s.shards[*index];
  }

  Result<GetShardIteratorResponse> GetShardIterator(const GetShardIteratorRequest& r) {
    MOE_TRY(Stream * s, Find(r.stream_name, false));
    MOE_TRY(ShardState * shard, FindShard(*s, r.stream_name, r.shard_id));
    uint64_t start = 0;
    switch (r.shard_iterator_type) {
      case ShardIteratorType::kTrimHorizon:
        start = shard->starting_sequence;
        break;
      case ShardIteratorType::kLatest:
        start = s->next_sequence;
        break;
      case ShardIteratorType::kAtSequenceNumber:
      case ShardIteratorType::kAfterSequenceNumber: {
        auto seq = r.starting_sequence_number ? SequenceFromText(*r.starting_sequence_number)
                                              : std::nullopt;
        if (!seq) {
          return Error::Validation("StartingSequenceNumber " +
                                   r.starting_sequence_number.value_or("null") +
                                   " used in GetShardIterator on shard " + r.shard_id +
                                   " in stream " + r.stream_name + Account() + " is invalid.");
        }
        start = *seq + (r.shard_iterator_type == ShardIteratorType::kAfterSequenceNumber ? 1 : 0);
        break;
      }
      case ShardIteratorType::kAtTimestamp: {
        if (!r.timestamp)
          return Error::Validation(
              "Must specify timestampInMillis parameter "
              "for iterator of type AT_TIMESTAMP.");
        auto it =
            std::find_if(shard->records.begin(), shard->records.end(),
                         [&](const StoredRecord& rec) { return rec.arrival >= *r.timestamp; });
        start = it == shard->records.end() ? s->next_sequence : it->sequence;
        break;
      }
    }
    return GetShardIteratorResponse{
        MakeIterator(r.stream_name, *ShardIndex(r.shard_id), start, clock_.Now())};
  }

  Result<GetRecordsResponse> GetRecords(const GetRecordsRequest& r) {
    auto it = ReadIterator(r.shard_iterator);
    if (!it) return Error::Validation("Invalid ShardIterator.");
    if (r.limit && (*r.limit < 1 || *r.limit > 10000)) {
      return Error::Validation("1 validation error detected: Value '" + std::to_string(*r.limit) +
                               "' at 'limit' failed to satisfy constraint: Member must have value "
                               "between 1 and 10000");
    }
    Clock::TimePoint now = clock_.Now();
    if (now.time_since_epoch().count() - it->created_ns >
        Clock::Duration(options_.iterator_lifetime).count()) {
      return Error(ErrorCode::kExpiredIterator,
                   "Iterator expired. The iterator was created more than " +
                       std::to_string(options_.iterator_lifetime.count()) + " ms ago.");
    }
    MOE_TRY(Stream * s, Find(it->stream, false));
    MOE_TRY(ShardState * shard, FindShard(*s, it->stream, ShardId(it->shard)));
    auto first =
        std::lower_bound(shard->records.begin(), shard->records.end(), it->sequence,
                         [](const StoredRecord& rec, uint64_t seq) { return rec.sequence < seq; });
    size_t limit = static_cast<size_t>(r.limit.value_or(kDefaultGetRecordsLimit));
    GetRecordsResponse out;
    uint64_t next = it->sequence;
    auto rec = first;
    for (; rec != shard->records.end() && out.records.size() < limit; ++rec) {
      out.records.push_back(
          {SequenceText(rec->sequence), rec->arrival, rec->data, rec->partition_key});
      next = rec->sequence + 1;
    }
    if (rec != shard->records.end()) {
      out.millis_behind_latest =
          std::max<int64_t>(0, static_cast<int64_t>((Seconds(now) - rec->arrival) * 1000));
    }
    out.next_shard_iterator = MakeIterator(it->stream, it->shard, next, now);
    return out;
  }

  // One change of the running operation, for Commit to take back.
  struct UndoStep {
    std::string stream;
    std::optional<size_t> shard;  // nullopt: the stream was created
    uint64_t sequence = 0;        // the record appended to `shard`
    void Apply(std::map<std::string, Stream, std::less<>>& streams) const {
      auto it = streams.find(stream);
      if (it == streams.end()) return;
      if (!shard) {
        streams.erase(it);
        return;
      }
      it->second.shards[*shard].records.pop_back();
      it->second.next_sequence = sequence;
    }
  };

  const LocalStreamsOptions options_;
  Clock& clock_;
  const std::unique_ptr<wal::Log> log_;  // null in memory
  std::mutex mu_;
  std::map<std::string, Stream, std::less<>> streams_;  // guarded by mu_
  std::string pending_;                                 // the operation's log entries
  std::vector<UndoStep> undo_;                          // and how to take them back
};

}  // namespace

std::unique_ptr<LocalStreams> LocalStreams::Create(LocalStreamsOptions options) {
  assert(options.data_dir.empty() && "a durable journal is opened with LocalStreams::Open");
  return std::make_unique<LocalStreamsImpl>(std::move(options), nullptr);
}

Result<std::unique_ptr<LocalStreams>> LocalStreams::Open(LocalStreamsOptions options) {
  std::unique_ptr<wal::Log> log;
  if (!options.data_dir.empty()) {
    // Records are never trimmed, so a snapshot would be as large as the log.
    MOE_TRY(log, wal::Log::Open({.dir = options.data_dir,
                                 .compaction_bytes = std::numeric_limits<int64_t>::max()}));
  }
  auto streams = std::make_unique<LocalStreamsImpl>(std::move(options), std::move(log));
  MOE_TRY_STATUS(streams->Replay());
  return std::unique_ptr<LocalStreams>(std::move(streams));
}

}  // namespace moe::kinesis
