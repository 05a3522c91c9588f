// The change record that travels through the stream, and the mirror's
// tombstones.

#include "core/json_reader.h"
#include "core/json_writer.h"
#include "moe/journal_mirror.h"
#include "moe/json.h"

namespace moe::mirror {

namespace {

constexpr size_t kMaxPartitionKey = 256;

Error NotAChange(std::string_view why) {
  return Error::Validation("not a journal change record: " + std::string(why));
}

}  // namespace

std::string EncodeChange(const Change& change) {
  std::string out;
  internal::JsonWriter w(&out);
  w.BeginObject();
  w.Key("v");
  w.Int(1);
  w.Key("table");
  w.String(change.table);
  if (!change.mirror_table.empty()) {
    w.Key("mirror");
    w.String(change.mirror_table);
  }
  w.Key("key");
  w.AttributeMap(change.key);
  w.Key("version");
  w.Int(change.version);
  w.Key("op");
  w.String(change.deleted ? "delete" : "put");
  if (!change.deleted) {
    w.Key("image");
    w.AttributeMap(change.image);
  }
  w.EndObject();
  return out;
}

Result<Change> DecodeChange(std::string_view data) {
  internal::JsonDocument doc;
  if (!internal::ParseJson(data, &doc) || !doc.IsObject()) return NotAChange("not a JSON object");
  auto member = [&](const char* name) -> const internal::JsonValue* {
    auto it = doc.FindMember(name);
    return it == doc.MemberEnd() ? nullptr : &it->value;
  };
  const auto* v = member("v");
  const auto* table = member("table");
  const auto* key = member("key");
  const auto* version = member("version");
  const auto* op = member("op");
  if (v == nullptr || !v->IsInt() || v->GetInt() != 1) return NotAChange("unknown format version");
  if (table == nullptr || !table->IsString() || key == nullptr || version == nullptr ||
      !version->IsInt64() || op == nullptr || !op->IsString()) {
    return NotAChange("missing table, key, version or op");
  }
  Change change;
  change.table = std::string(internal::View(*table));
  if (const auto* mirror = member("mirror"); mirror != nullptr && mirror->IsString()) {
    change.mirror_table = std::string(internal::View(*mirror));
  }
  MOE_TRY(change.key, internal::AttributeMapFromJson(*key));
  change.version = version->GetInt64();
  std::string_view kind = internal::View(*op);
  if (kind == "delete") {
    change.deleted = true;
  } else if (kind == "put") {
    const auto* image = member("image");
    if (image == nullptr) return NotAChange("a put without an image");
    MOE_TRY(change.image, internal::AttributeMapFromJson(*image));
  } else {
    return NotAChange("unknown op");
  }
  return change;
}

std::string PartitionKeyFor(const Item& key) {
  std::string json = ToDynamoJson(key);
  if (json.size() > kMaxPartitionKey) {
    size_t cut = kMaxPartitionKey;
    // Never split a UTF-8 sequence: back up to the start of one.
    while (cut > 0 && (static_cast<unsigned char>(json[cut]) & 0xC0) == 0x80) --cut;
    json.resize(cut);
  }
  return json;
}

bool IsTombstone(const Item& item) {
  auto it = item.find(kTombstoneAttribute);
  return it != item.end() && it->second.type() == Type::kBool && it->second.boolean();
}

}  // namespace moe::mirror
