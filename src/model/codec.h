// Shared readers and writers of the DynamoDB JSON 1.0 codec (src/model/).
//
// Readers take a JSON object and a member's wire name. They are tolerant of
// absent members (and of JSON null, which the SDKs treat as absent) and of
// unknown ones, and strict on the types of the members they know: a wrong
// JSON type is kSerialization, an enum string outside its value set is
// kValidation with DynamoDB's message, a bad attribute value is the
// kValidation of the core codec.
// Writers append a member only when it is set.
// Not thread-safe per writer or document; the functions hold no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "core/json_writer.h"
#include "moe/model.h"
#include "moe/result.h"

namespace moe::internal {

// ------------------------------------------------------------ errors

// kSerialization: member `name` does not hold a JSON `expected`.
Error WrongType(std::string_view name, std::string_view expected);
// kValidation in DynamoDB's words: "1 validation error detected: Value 'X' at
// 'returnValues' failed to satisfy constraint: Member must satisfy enum value
// set: [...]".
Error BadEnum(std::string_view name, std::string_view value, const std::string_view* names,
              size_t count);

// ------------------------------------------------------------ enums

template <typename E>
struct EnumNames;
#define MOE_ENUM_NAMES(E, ...)                                  \
  template <>                                                   \
  struct EnumNames<E> {                                         \
    static constexpr std::string_view kNames[] = {__VA_ARGS__}; \
  };
MOE_ENUM_NAMES(ScalarAttributeType, "S", "N", "B")
MOE_ENUM_NAMES(KeyType, "HASH", "RANGE")
MOE_ENUM_NAMES(ProjectionType, "ALL", "KEYS_ONLY", "INCLUDE")
MOE_ENUM_NAMES(BillingMode, "PROVISIONED", "PAY_PER_REQUEST")
MOE_ENUM_NAMES(TableStatus, "CREATING", "UPDATING", "DELETING", "ACTIVE", "ARCHIVING", "ARCHIVED",
               "INACCESSIBLE_ENCRYPTION_CREDENTIALS")
MOE_ENUM_NAMES(IndexStatus, "CREATING", "UPDATING", "DELETING", "ACTIVE")
MOE_ENUM_NAMES(ReturnValue, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")
MOE_ENUM_NAMES(ReturnConsumedCapacity, "NONE", "TOTAL", "INDEXES")
MOE_ENUM_NAMES(ReturnValuesOnConditionCheckFailure, "NONE", "ALL_OLD")
MOE_ENUM_NAMES(Select, "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT")
MOE_ENUM_NAMES(TimeToLiveStatus, "ENABLING", "DISABLING", "ENABLED", "DISABLED")
#undef MOE_ENUM_NAMES

template <typename E>
std::string_view EnumName(E v) {
  const auto& names = EnumNames<E>::kNames;
  size_t i = static_cast<size_t>(v);
  return i < std::size(names) ? names[i] : std::string_view("?");
}

template <typename E>
std::optional<E> EnumFromName(std::string_view name) {
  const auto& names = EnumNames<E>::kNames;
  for (size_t i = 0; i < std::size(names); ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

// ------------------------------------------------------------ readers

// The member `name` of `obj`, or null when it is absent or JSON null.
inline const JsonValue* Member(const JsonValue& obj, std::string_view name) {
  auto it = obj.FindMember(rapidjson::StringRef(name.data(), name.size()));
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

Status Read(const JsonValue& obj, std::string_view name, std::string* out);
Status Read(const JsonValue& obj, std::string_view name, std::optional<std::string>* out);
Status Read(const JsonValue& obj, std::string_view name, bool* out);
Status Read(const JsonValue& obj, std::string_view name, int64_t* out);
Status Read(const JsonValue& obj, std::string_view name, std::optional<int>* out);
Status Read(const JsonValue& obj, std::string_view name, double* out);
Status Read(const JsonValue& obj, std::string_view name, std::optional<double>* out);
// An attribute map (Item, Key, ExpressionAttributeValues).
Status Read(const JsonValue& obj, std::string_view name, Map* out);
Status Read(const JsonValue& obj, std::string_view name, std::optional<Map>* out);
Status Read(const JsonValue& obj, std::string_view name, ExpressionNames* out);
Status Read(const JsonValue& obj, std::string_view name, std::vector<std::string>* out);

template <typename E>
requires std::is_enum_v<E> Status Read(const JsonValue& obj, std::string_view name,
                                       std::optional<E>* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsString()) return WrongType(name, "string");
  std::string_view s = View(*v);
  std::optional<E> e = EnumFromName<E>(s);
  if (!e) return BadEnum(name, s, EnumNames<E>::kNames, std::size(EnumNames<E>::kNames));
  *out = *e;
  return Ok();
}

template <typename E>
requires std::is_enum_v<E> Status Read(const JsonValue& obj, std::string_view name, E* out) {
  std::optional<E> e;
  MOE_TRY_STATUS(Read(obj, name, &e));
  if (e) *out = *e;
  return Ok();
}

// The member as a JSON object or array; null when absent.
Status ReadObject(const JsonValue& obj, std::string_view name, const JsonValue** out);
Status ReadArray(const JsonValue& obj, std::string_view name, const JsonValue** out);

// An optional nested structure: `read(const JsonValue&, T*) -> Status`.
template <typename T, typename Fn>
Status ReadStruct(const JsonValue& obj, std::string_view name, std::optional<T>* out, Fn read) {
  const JsonValue* v = nullptr;
  MOE_TRY_STATUS(ReadObject(obj, name, &v));
  if (v == nullptr) return Ok();
  T t{};
  MOE_TRY_STATUS(read(*v, &t));
  *out = std::move(t);
  return Ok();
}

// An array of structures, each read by `read(const JsonValue&, T*) -> Status`.
template <typename T, typename Fn>
Status ReadStructs(const JsonValue& obj, std::string_view name, std::vector<T>* out, Fn read) {
  const JsonValue* arr = nullptr;
  MOE_TRY_STATUS(ReadArray(obj, name, &arr));
  if (arr == nullptr) return Ok();
  out->reserve(out->size() + arr->Size());
  for (const JsonValue& e : arr->GetArray()) {
    if (!e.IsObject()) return WrongType(name, "array of objects");
    T t{};
    MOE_TRY_STATUS(read(e, &t));
    out->push_back(std::move(t));
  }
  return Ok();
}

// A map of structures keyed by name ({"table": {...}}).
template <typename M, typename Fn>
Status ReadStructMap(const JsonValue& obj, std::string_view name, M* out, Fn read) {
  const JsonValue* v = nullptr;
  MOE_TRY_STATUS(ReadObject(obj, name, &v));
  if (v == nullptr) return Ok();
  for (const auto& member : v->GetObject()) {
    if (!member.value.IsObject()) return WrongType(name, "map of objects");
    typename M::mapped_type t{};
    MOE_TRY_STATUS(read(member.value, &t));
    out->insert_or_assign(std::string(View(member.name)), std::move(t));
  }
  return Ok();
}

// Parses a whole body: one document, which must be a JSON object.
template <typename T, typename Fn>
Result<T> ParseBody(std::string_view json, Fn read) {
  ScratchDocument scratch;
  JsonDocument& doc = scratch.doc();
  MOE_TRY_STATUS(ParseJson(json, &doc));
  if (!doc.IsObject())
    return Error(ErrorCode::kSerialization,
                 "Expected a JSON object as the request or response body");
  T out{};
  MOE_TRY_STATUS(read(static_cast<const JsonValue&>(doc), &out));
  return out;
}

// ------------------------------------------------------------ writers

inline void WriteOpt(JsonWriter& w, std::string_view key, const std::optional<std::string>& v) {
  if (!v) return;
  w.Key(key);
  w.String(*v);
}
inline void WriteOpt(JsonWriter& w, std::string_view key, const std::optional<int>& v) {
  if (!v) return;
  w.Key(key);
  w.Int(*v);
}
inline void WriteOpt(JsonWriter& w, std::string_view key, const std::optional<Map>& v) {
  if (!v) return;
  w.Key(key);
  w.AttributeMap(*v);
}
// Skipped when empty.
inline void WriteMap(JsonWriter& w, std::string_view key, const Map& m) {
  if (m.empty()) return;
  w.Key(key);
  w.AttributeMap(m);
}
void WriteNames(JsonWriter& w, std::string_view key, const ExpressionNames& names);
void WriteStrings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v);
template <typename E>
void WriteEnum(JsonWriter& w, std::string_view key, E v) {
  w.Key(key);
  w.String(EnumName(v));
}
// Skipped when `v` is the default `skip`.
template <typename E>
void WriteEnumUnless(JsonWriter& w, std::string_view key, E v, E skip) {
  if (v != skip) WriteEnum(w, key, v);
}

// ------------------------------------------------------------ shared structures

void WriteConsumedCapacity(JsonWriter& w, const ConsumedCapacity& c);
Status ReadConsumedCapacity(const JsonValue& obj, ConsumedCapacity* out);
// "ConsumedCapacity": an object for single-item operations.
void WriteConsumedCapacityMember(JsonWriter& w, const std::optional<ConsumedCapacity>& c);
Status ReadConsumedCapacityMember(const JsonValue& obj, std::optional<ConsumedCapacity>* out);
// "ConsumedCapacity": an array for batch and transaction operations.
void WriteConsumedCapacityList(JsonWriter& w, const std::vector<ConsumedCapacity>& c);
Status ReadConsumedCapacityList(const JsonValue& obj, std::vector<ConsumedCapacity>* out);

}  // namespace moe::internal
