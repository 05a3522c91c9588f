// The Kinesis JSON 1.1 codec: requests and responses in both directions.
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Operations.html

#include <array>

#include "model/codec.h"
#include "moe/json.h"
#include "moe/kinesis.h"

namespace moe::kinesis {
namespace {

using internal::JsonValue;
using internal::JsonWriter;
using internal::Read;
using internal::ReadStructs;
using internal::WriteOpt;

constexpr std::array<std::string_view, 4> kStatusNames = {"CREATING", "DELETING", "ACTIVE",
                                                          "UPDATING"};
constexpr std::array<std::string_view, 5> kIteratorNames = {
    "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"};

template <size_t N>
std::optional<size_t> IndexOf(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return i;
  }
  return std::nullopt;
}

template <typename Fn>
std::string Object(Fn body) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  body(w);
  w.EndObject();
  return out;
}

void Field(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  w.String(value);
}
void Data(JsonWriter& w, std::string_view bytes) { Field(w, "Data", Base64Encode(bytes)); }

Status ReadData(const JsonValue& obj, std::string* out) {
  std::string text;
  MOE_TRY_STATUS(Read(obj, "Data", &text));
  MOE_TRY(*out, Base64Decode(text));
  return Ok();
}

Status ReadEnumName(const JsonValue& obj, std::string_view name, std::string* out,
                    bool required) {
  MOE_TRY_STATUS(Read(obj, name, out));
  if (required && out->empty()) {
    return Error::Validation("1 validation error detected: Value null at '" + std::string(name) +
                             "' failed to satisfy constraint: Member must not be null");
  }
  return Ok();
}

Status ReadShard(const JsonValue& obj, Shard* s) {
  MOE_TRY_STATUS(Read(obj, "ShardId", &s->shard_id));
  MOE_TRY_STATUS(Read(obj, "ParentShardId", &s->parent_shard_id));
  MOE_TRY_STATUS(Read(obj, "AdjacentParentShardId", &s->adjacent_parent_shard_id));
  const JsonValue* range = nullptr;
  MOE_TRY_STATUS(internal::ReadObject(obj, "HashKeyRange", &range));
  if (range != nullptr) {
    MOE_TRY_STATUS(Read(*range, "StartingHashKey", &s->hash_key_range.starting_hash_key));
    MOE_TRY_STATUS(Read(*range, "EndingHashKey", &s->hash_key_range.ending_hash_key));
  }
  MOE_TRY_STATUS(internal::ReadObject(obj, "SequenceNumberRange", &range));
  if (range != nullptr) {
    MOE_TRY_STATUS(Read(*range, "StartingSequenceNumber",
                        &s->sequence_number_range.starting_sequence_number));
    MOE_TRY_STATUS(
        Read(*range, "EndingSequenceNumber", &s->sequence_number_range.ending_sequence_number));
  }
  return Ok();
}

void WriteShard(JsonWriter& w, const Shard& s) {
  w.BeginObject();
  Field(w, "ShardId", s.shard_id);
  WriteOpt(w, "ParentShardId", s.parent_shard_id);
  WriteOpt(w, "AdjacentParentShardId", s.adjacent_parent_shard_id);
  w.Key("HashKeyRange");
  w.BeginObject();
  Field(w, "StartingHashKey", s.hash_key_range.starting_hash_key);
  Field(w, "EndingHashKey", s.hash_key_range.ending_hash_key);
  w.EndObject();
  w.Key("SequenceNumberRange");
  w.BeginObject();
  Field(w, "StartingSequenceNumber", s.sequence_number_range.starting_sequence_number);
  WriteOpt(w, "EndingSequenceNumber", s.sequence_number_range.ending_sequence_number);
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string_view StreamStatusName(StreamStatus s) { return kStatusNames[static_cast<size_t>(s)]; }
std::optional<StreamStatus> StreamStatusFromName(std::string_view name) {
  auto i = IndexOf(kStatusNames, name);
  return i ? std::optional(static_cast<StreamStatus>(*i)) : std::nullopt;
}
std::string_view ShardIteratorTypeName(ShardIteratorType t) {
  return kIteratorNames[static_cast<size_t>(t)];
}
std::optional<ShardIteratorType> ShardIteratorTypeFromName(std::string_view name) {
  auto i = IndexOf(kIteratorNames, name);
  return i ? std::optional(static_cast<ShardIteratorType>(*i)) : std::nullopt;
}

std::string ErrorToJson(const Error& error) {
  return Object([&](JsonWriter& w) {
    Field(w, "__type",
          error.code() == ErrorCode::kValidation ? "InvalidArgumentException" : error.type_name());
    Field(w, "message", error.message());
  });
}

// ------------------------------------------------------------ writers

std::string ToJson(const CreateStreamRequest& r) {
  return Object([&](JsonWriter& w) {
    Field(w, "StreamName", r.stream_name);
    WriteOpt(w, "ShardCount", r.shard_count);
  });
}
std::string ToJson(const CreateStreamResponse&) { return "{}"; }

std::string ToJson(const DescribeStreamSummaryRequest& r) {
  return Object([&](JsonWriter& w) { Field(w, "StreamName", r.stream_name); });
}
std::string ToJson(const DescribeStreamSummaryResponse& r) {
  const StreamDescriptionSummary& s = r.stream_description_summary;
  return Object([&](JsonWriter& w) {
    w.Key("StreamDescriptionSummary");
    w.BeginObject();
    Field(w, "StreamName", s.stream_name);
    Field(w, "StreamARN", s.stream_arn);
    Field(w, "StreamStatus", StreamStatusName(s.stream_status));
    w.Key("RetentionPeriodHours");
    w.Int(s.retention_period_hours);
    w.Key("OpenShardCount");
    w.Int(s.open_shard_count);
    w.Key("StreamCreationTimestamp");
    w.Double(s.stream_creation_timestamp);
    w.Key("EnhancedMonitoring");
    w.BeginArray();
    w.EndArray();
    w.EndObject();
  });
}

std::string ToJson(const ListShardsRequest& r) {
  return Object([&](JsonWriter& w) {
    WriteOpt(w, "StreamName", r.stream_name);
    WriteOpt(w, "NextToken", r.next_token);
    WriteOpt(w, "MaxResults", r.max_results);
  });
}
std::string ToJson(const ListShardsResponse& r) {
  return Object([&](JsonWriter& w) {
    w.Key("Shards");
    w.BeginArray();
    for (const Shard& s : r.shards) WriteShard(w, s);
    w.EndArray();
    WriteOpt(w, "NextToken", r.next_token);
  });
}

std::string ToJson(const PutRecordRequest& r) {
  return Object([&](JsonWriter& w) {
    Field(w, "StreamName", r.stream_name);
    Field(w, "PartitionKey", r.partition_key);
    Data(w, r.data);
    WriteOpt(w, "ExplicitHashKey", r.explicit_hash_key);
    WriteOpt(w, "SequenceNumberForOrdering", r.sequence_number_for_ordering);
  });
}
std::string ToJson(const PutRecordResponse& r) {
  return Object([&](JsonWriter& w) {
    Field(w, "ShardId", r.shard_id);
    Field(w, "SequenceNumber", r.sequence_number);
  });
}

std::string ToJson(const PutRecordsRequest& r) {
  return Object([&](JsonWriter& w) {
    Field(w, "StreamName", r.stream_name);
    w.Key("Records");
    w.BeginArray();
    for (const PutRecordsEntry& e : r.records) {
      w.BeginObject();
      Data(w, e.data);
      Field(w, "PartitionKey", e.partition_key);
      WriteOpt(w, "ExplicitHashKey", e.explicit_hash_key);
      w.EndObject();
    }
    w.EndArray();
  });
}
std::string ToJson(const PutRecordsResponse& r) {
  return Object([&](JsonWriter& w) {
    w.Key("FailedRecordCount");
    w.Int(r.failed_record_count);
    w.Key("Records");
    w.BeginArray();
    for (const PutRecordsResultEntry& e : r.records) {
      w.BeginObject();
      if (e.ok()) {
        Field(w, "ShardId", e.shard_id);
        Field(w, "SequenceNumber", e.sequence_number);
      } else {
        Field(w, "ErrorCode", e.error_code);
        Field(w, "ErrorMessage", e.error_message);
      }
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string ToJson(const GetShardIteratorRequest& r) {
  return Object([&](JsonWriter& w) {
    Field(w, "StreamName", r.stream_name);
    Field(w, "ShardId", r.shard_id);
    Field(w, "ShardIteratorType", ShardIteratorTypeName(r.shard_iterator_type));
    WriteOpt(w, "StartingSequenceNumber", r.starting_sequence_number);
    if (r.timestamp) {
      w.Key("Timestamp");
      w.Double(*r.timestamp);
    }
  });
}
std::string ToJson(const GetShardIteratorResponse& r) {
  return Object([&](JsonWriter& w) { Field(w, "ShardIterator", r.shard_iterator); });
}

std::string ToJson(const GetRecordsRequest& r) {
  return Object([&](JsonWriter& w) {
    Field(w, "ShardIterator", r.shard_iterator);
    WriteOpt(w, "Limit", r.limit);
  });
}
std::string ToJson(const GetRecordsResponse& r) {
  return Object([&](JsonWriter& w) {
    w.Key("Records");
    w.BeginArray();
    for (const Record& rec : r.records) {
      w.BeginObject();
      Field(w, "SequenceNumber", rec.sequence_number);
      w.Key("ApproximateArrivalTimestamp");
      w.Double(rec.approximate_arrival_timestamp);
      Data(w, rec.data);
      Field(w, "PartitionKey", rec.partition_key);
      w.EndObject();
    }
    w.EndArray();
    WriteOpt(w, "NextShardIterator", r.next_shard_iterator);
    w.Key("MillisBehindLatest");
    w.Int(r.millis_behind_latest);
  });
}

// ------------------------------------------------------------ readers

template <>
Result<CreateStreamRequest> Parse<CreateStreamRequest>(std::string_view json) {
  return internal::ParseBody<CreateStreamRequest>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(ReadEnumName(o, "StreamName", &r->stream_name, true));
    return Read(o, "ShardCount", &r->shard_count);
  });
}
template <>
Result<CreateStreamResponse> Parse<CreateStreamResponse>(std::string_view json) {
  if (json.empty()) return CreateStreamResponse{};
  return internal::ParseBody<CreateStreamResponse>(json, [](const JsonValue&, auto*) -> Status {
    return Ok();
  });
}

template <>
Result<DescribeStreamSummaryRequest> Parse<DescribeStreamSummaryRequest>(std::string_view json) {
  return internal::ParseBody<DescribeStreamSummaryRequest>(json, [](const JsonValue& o, auto* r) -> Status {
    return ReadEnumName(o, "StreamName", &r->stream_name, true);
  });
}
template <>
Result<DescribeStreamSummaryResponse> Parse<DescribeStreamSummaryResponse>(std::string_view json) {
  return internal::ParseBody<DescribeStreamSummaryResponse>(json, [](const JsonValue& o, auto* r) -> Status {
    const JsonValue* s = nullptr;
    MOE_TRY_STATUS(internal::ReadObject(o, "StreamDescriptionSummary", &s));
    if (s == nullptr) return Status(Error::BadResponse("no StreamDescriptionSummary"));
    StreamDescriptionSummary& d = r->stream_description_summary;
    MOE_TRY_STATUS(Read(*s, "StreamName", &d.stream_name));
    MOE_TRY_STATUS(Read(*s, "StreamARN", &d.stream_arn));
    std::string status;
    MOE_TRY_STATUS(Read(*s, "StreamStatus", &status));
    d.stream_status = StreamStatusFromName(status).value_or(StreamStatus::kCreating);
    int64_t n = 0;
    MOE_TRY_STATUS(Read(*s, "RetentionPeriodHours", &n));
    d.retention_period_hours = static_cast<int>(n);
    n = 0;
    MOE_TRY_STATUS(Read(*s, "OpenShardCount", &n));
    d.open_shard_count = static_cast<int>(n);
    return Read(*s, "StreamCreationTimestamp", &d.stream_creation_timestamp);
  });
}

template <>
Result<ListShardsRequest> Parse<ListShardsRequest>(std::string_view json) {
  return internal::ParseBody<ListShardsRequest>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(Read(o, "StreamName", &r->stream_name));
    MOE_TRY_STATUS(Read(o, "NextToken", &r->next_token));
    return Read(o, "MaxResults", &r->max_results);
  });
}
template <>
Result<ListShardsResponse> Parse<ListShardsResponse>(std::string_view json) {
  return internal::ParseBody<ListShardsResponse>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(ReadStructs(o, "Shards", &r->shards, ReadShard));
    return Read(o, "NextToken", &r->next_token);
  });
}

template <>
Result<PutRecordRequest> Parse<PutRecordRequest>(std::string_view json) {
  return internal::ParseBody<PutRecordRequest>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(ReadEnumName(o, "StreamName", &r->stream_name, true));
    MOE_TRY_STATUS(ReadEnumName(o, "PartitionKey", &r->partition_key, true));
    MOE_TRY_STATUS(ReadData(o, &r->data));
    MOE_TRY_STATUS(Read(o, "ExplicitHashKey", &r->explicit_hash_key));
    return Read(o, "SequenceNumberForOrdering", &r->sequence_number_for_ordering);
  });
}
template <>
Result<PutRecordResponse> Parse<PutRecordResponse>(std::string_view json) {
  return internal::ParseBody<PutRecordResponse>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(Read(o, "ShardId", &r->shard_id));
    return Read(o, "SequenceNumber", &r->sequence_number);
  });
}

template <>
Result<PutRecordsRequest> Parse<PutRecordsRequest>(std::string_view json) {
  return internal::ParseBody<PutRecordsRequest>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(ReadEnumName(o, "StreamName", &r->stream_name, true));
    return ReadStructs(o, "Records", &r->records, [](const JsonValue& e, PutRecordsEntry* out) -> Status {
      MOE_TRY_STATUS(ReadEnumName(e, "PartitionKey", &out->partition_key, true));
      MOE_TRY_STATUS(ReadData(e, &out->data));
      return Read(e, "ExplicitHashKey", &out->explicit_hash_key);
    });
  });
}
template <>
Result<PutRecordsResponse> Parse<PutRecordsResponse>(std::string_view json) {
  return internal::ParseBody<PutRecordsResponse>(json, [](const JsonValue& o, auto* r) -> Status {
    int64_t failed = 0;
    MOE_TRY_STATUS(Read(o, "FailedRecordCount", &failed));
    r->failed_record_count = static_cast<int>(failed);
    return ReadStructs(o, "Records", &r->records,
                       [](const JsonValue& e, PutRecordsResultEntry* out) -> Status {
                         MOE_TRY_STATUS(Read(e, "ShardId", &out->shard_id));
                         MOE_TRY_STATUS(Read(e, "SequenceNumber", &out->sequence_number));
                         MOE_TRY_STATUS(Read(e, "ErrorCode", &out->error_code));
                         return Read(e, "ErrorMessage", &out->error_message);
                       });
  });
}

template <>
Result<GetShardIteratorRequest> Parse<GetShardIteratorRequest>(std::string_view json) {
  return internal::ParseBody<GetShardIteratorRequest>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(ReadEnumName(o, "StreamName", &r->stream_name, true));
    MOE_TRY_STATUS(ReadEnumName(o, "ShardId", &r->shard_id, true));
    std::string type;
    MOE_TRY_STATUS(ReadEnumName(o, "ShardIteratorType", &type, true));
    auto t = ShardIteratorTypeFromName(type);
    if (!t) {
      return Status(Error::Validation(
          "1 validation error detected: Value '" + type +
          "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value "
          "set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]"));
    }
    r->shard_iterator_type = *t;
    MOE_TRY_STATUS(Read(o, "StartingSequenceNumber", &r->starting_sequence_number));
    return Read(o, "Timestamp", &r->timestamp);
  });
}
template <>
Result<GetShardIteratorResponse> Parse<GetShardIteratorResponse>(std::string_view json) {
  return internal::ParseBody<GetShardIteratorResponse>(json, [](const JsonValue& o, auto* r) -> Status {
    return Read(o, "ShardIterator", &r->shard_iterator);
  });
}

template <>
Result<GetRecordsRequest> Parse<GetRecordsRequest>(std::string_view json) {
  return internal::ParseBody<GetRecordsRequest>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(ReadEnumName(o, "ShardIterator", &r->shard_iterator, true));
    return Read(o, "Limit", &r->limit);
  });
}
template <>
Result<GetRecordsResponse> Parse<GetRecordsResponse>(std::string_view json) {
  return internal::ParseBody<GetRecordsResponse>(json, [](const JsonValue& o, auto* r) -> Status {
    MOE_TRY_STATUS(ReadStructs(o, "Records", &r->records, [](const JsonValue& e, Record* out) -> Status {
      MOE_TRY_STATUS(Read(e, "SequenceNumber", &out->sequence_number));
      MOE_TRY_STATUS(Read(e, "ApproximateArrivalTimestamp", &out->approximate_arrival_timestamp));
      MOE_TRY_STATUS(ReadData(e, &out->data));
      return Read(e, "PartitionKey", &out->partition_key);
    }));
    MOE_TRY_STATUS(Read(o, "NextShardIterator", &r->next_shard_iterator));
    return Read(o, "MillisBehindLatest", &r->millis_behind_latest);
  });
}

}  // namespace moe::kinesis
