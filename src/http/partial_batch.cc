#include "http/partial_batch.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <vector>

#include "core/json_reader.h"

namespace moe::internal {

std::string Serialize(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

// The entry array of one RequestItems table, or null when malformed.
JsonValue* Entries(JsonValue& table, bool is_get) {
  if (!is_get) return table.IsArray() ? &table : nullptr;
  if (!table.IsObject()) return nullptr;
  auto keys = table.FindMember("Keys");
  if (keys == table.MemberEnd() || !keys->value.IsArray()) return nullptr;
  return &keys->value;
}

}  // namespace

std::optional<BatchSplit> SplitBatch(std::string_view body, bool is_get, std::mt19937_64& rng) {
  JsonDocument doc;
  if (!ParseJson(body, &doc) || !doc.IsObject()) return std::nullopt;
  auto items_it = doc.FindMember("RequestItems");
  if (items_it == doc.MemberEnd() || !items_it->value.IsObject()) return std::nullopt;
  JsonValue& items = items_it->value;

  size_t n = 0;
  for (auto& table : items.GetObject()) {
    JsonValue* entries = Entries(table.value, is_get);
    if (entries == nullptr) return std::nullopt;
    n += entries->Size();
  }
  if (n < 2) return std::nullopt;

  // Withhold k entries, 1 <= k <= n-1, picked by a partial Fisher-Yates
  // shuffle written out so the choice does not depend on the standard
  // library's std::shuffle.
  size_t k = 1 + static_cast<size_t>(rng() % (n - 1));
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  for (size_t i = 0; i < k; ++i) {
    size_t j = i + static_cast<size_t>(rng() % (n - i));
    std::swap(order[i], order[j]);
  }
  std::vector<bool> held_flag(n, false);
  for (size_t i = 0; i < k; ++i) held_flag[order[i]] = true;

  JsonDocument withheld(rapidjson::kObjectType);
  auto& wa = withheld.GetAllocator();
  auto& da = doc.GetAllocator();
  size_t index = 0;
  for (auto& table : items.GetObject()) {
    JsonValue* entries = Entries(table.value, is_get);
    JsonValue kept(rapidjson::kArrayType);
    JsonValue held(rapidjson::kArrayType);
    for (JsonValue& entry : entries->GetArray()) {
      if (held_flag[index++]) {
        held.PushBack(JsonValue(entry, wa), wa);
      } else {
        kept.PushBack(entry, da);  // moves
      }
    }
    *entries = kept;  // moves
    if (held.Empty()) continue;
    if (!is_get) {
      withheld.AddMember(JsonValue(table.name, wa), held, wa);
    } else {
      JsonValue entry(rapidjson::kObjectType);
      for (auto& m : table.value.GetObject()) {
        if (m.name == "Keys") continue;
        entry.AddMember(JsonValue(m.name, wa), JsonValue(m.value, wa), wa);
      }
      entry.AddMember("Keys", held, wa);
      withheld.AddMember(JsonValue(table.name, wa), entry, wa);
    }
  }
  // Tables with nothing left to forward leave the request.
  for (auto it = items.MemberBegin(); it != items.MemberEnd();) {
    if (Entries(it->value, is_get)->Empty()) {
      it = items.EraseMember(it);
    } else {
      ++it;
    }
  }

  BatchSplit split;
  split.forwarded_body = Serialize(doc);
  split.withheld = Serialize(withheld);
  split.forwarded_count = static_cast<int>(n - k);
  split.withheld_count = static_cast<int>(k);
  return split;
}

std::optional<std::string> MergeUnprocessed(std::string_view response_body,
                                            std::string_view withheld, bool is_get) {
  JsonDocument doc;
  if (!ParseJson(response_body.empty() ? "{}" : response_body, &doc) || !doc.IsObject()) {
    return std::nullopt;
  }
  JsonDocument held;
  if (!ParseJson(withheld, &held) || !held.IsObject()) return std::nullopt;
  auto& a = doc.GetAllocator();
  const char* key = is_get ? "UnprocessedKeys" : "UnprocessedItems";
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) {
    doc.AddMember(rapidjson::StringRef(key), JsonValue(rapidjson::kObjectType), a);
    it = doc.FindMember(key);
  } else if (!it->value.IsObject()) {
    it->value.SetObject();
  }
  JsonValue& unprocessed = it->value;
  for (auto& table : held.GetObject()) {
    auto existing = unprocessed.FindMember(table.name);
    JsonValue* target = nullptr;
    if (existing != unprocessed.MemberEnd()) target = Entries(existing->value, is_get);
    if (target == nullptr) {
      if (existing != unprocessed.MemberEnd()) unprocessed.RemoveMember(existing);
      unprocessed.AddMember(JsonValue(table.name, a), JsonValue(table.value, a), a);
      continue;
    }
    for (JsonValue& entry : Entries(table.value, is_get)->GetArray()) {
      target->PushBack(JsonValue(entry, a), a);
    }
  }
  return Serialize(doc);
}

}  // namespace moe::internal
