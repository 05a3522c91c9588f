#include "http/partial_put_records.h"

#include "core/json_reader.h"
#include "http/partial_batch.h"

namespace moe::internal {
namespace {

JsonValue* Records(JsonDocument& doc) {
  if (!doc.IsObject()) return nullptr;
  auto it = doc.FindMember("Records");
  return it != doc.MemberEnd() && it->value.IsArray() ? &it->value : nullptr;
}

}  // namespace

std::optional<PutRecordsSplit> SplitPutRecords(std::string_view body, std::mt19937_64& rng) {
  JsonDocument doc;
  if (!ParseJson(body, &doc)) return std::nullopt;
  JsonValue* records = Records(doc);
  if (records == nullptr || records->Size() < 2) return std::nullopt;
  size_t n = records->Size();
  size_t k = 1 + static_cast<size_t>(rng() % (n - 1));
  PutRecordsSplit split;
  split.withheld.assign(n, false);
  for (size_t held = 0; held < k;) {
    size_t i = static_cast<size_t>(rng() % n);
    if (!split.withheld[i]) {
      split.withheld[i] = true;
      ++held;
    }
  }
  JsonValue kept(rapidjson::kArrayType);
  size_t i = 0;
  for (JsonValue& record : records->GetArray()) {
    if (!split.withheld[i++]) kept.PushBack(record, doc.GetAllocator());  // moves
  }
  *records = kept;
  split.forwarded_body = Serialize(doc);
  return split;
}

std::optional<std::string> MergePutRecords(std::string_view response_body,
                                           const std::vector<bool>& withheld) {
  JsonDocument inner;
  if (!ParseJson(response_body, &inner)) return std::nullopt;
  JsonValue* answered = Records(inner);
  size_t forwarded = 0;
  for (bool held : withheld) forwarded += held ? 0 : 1;
  if (answered == nullptr || answered->Size() != forwarded) return std::nullopt;
  auto failed_it = inner.FindMember("FailedRecordCount");
  int64_t failed = failed_it != inner.MemberEnd() && failed_it->value.IsInt64()
                       ? failed_it->value.GetInt64()
                       : 0;

  JsonDocument out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  JsonValue merged(rapidjson::kArrayType);
  size_t next = 0;
  for (bool held : withheld) {
    if (!held) {
      merged.PushBack(JsonValue((*answered)[static_cast<rapidjson::SizeType>(next++)], a), a);
      continue;
    }
    ++failed;
    JsonValue entry(rapidjson::kObjectType);
    entry.AddMember("ErrorCode", "ProvisionedThroughputExceededException", a);
    entry.AddMember("ErrorMessage", "Rate exceeded for shard (injected by FaultyTransport)", a);
    merged.PushBack(entry, a);
  }
  out.AddMember("FailedRecordCount", JsonValue(failed), a);
  out.AddMember("Records", merged, a);
  return Serialize(out);
}

}  // namespace moe::internal
