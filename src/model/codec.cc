#include "model/codec.h"

#include <cmath>
#include <limits>

namespace moe {
namespace internal {

namespace {

// "ReturnValues" -> "returnValues", as DynamoDB names members in messages.
std::string LowerCamel(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

// A JSON integer, or a double with an integral value ("10.0").
std::optional<int64_t> IntegerOf(const JsonValue& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsDouble()) {
    double d = v.GetDouble();
    if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

Error WrongType(std::string_view name, std::string_view expected) {
  return Error(ErrorCode::kSerialization, "Unexpected JSON type for member '" + std::string(name) +
                                              "': expected " + std::string(expected));
}

Error BadEnum(std::string_view name, std::string_view value, const std::string_view* names,
              size_t count) {
  std::string msg = "1 validation error detected: Value '";
  msg += value;
  msg += "' at '";
  msg += LowerCamel(name);
  msg += "' failed to satisfy constraint: Member must satisfy enum value set: [";
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) msg += ", ";
    msg += names[i];
  }
  msg += "]";
  return Error::Validation(std::move(msg));
}

Status Read(const JsonValue& obj, std::string_view name, std::string* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsString()) return WrongType(name, "string");
  out->assign(v->GetString(), v->GetStringLength());
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, std::optional<std::string>* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsString()) return WrongType(name, "string");
  out->emplace(v->GetString(), v->GetStringLength());
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, bool* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsBool()) return WrongType(name, "boolean");
  *out = v->GetBool();
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, int64_t* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  std::optional<int64_t> i = IntegerOf(*v);
  if (!i) return WrongType(name, "integer");
  *out = *i;
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, std::optional<int>* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  std::optional<int64_t> i = IntegerOf(*v);
  if (!i || *i < std::numeric_limits<int>::min() || *i > std::numeric_limits<int>::max()) {
    return WrongType(name, "32-bit integer");
  }
  *out = static_cast<int>(*i);
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, double* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsNumber()) return WrongType(name, "number");
  *out = v->GetDouble();
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, std::optional<double>* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsNumber()) return WrongType(name, "number");
  *out = v->GetDouble();
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, Map* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsObject()) return WrongType(name, "object");
  MOE_TRY(*out, AttributeMapFromJson(*v));
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, std::optional<Map>* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsObject()) return WrongType(name, "object");
  MOE_TRY(*out, AttributeMapFromJson(*v));
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, ExpressionNames* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsObject()) return WrongType(name, "object");
  for (const auto& m : v->GetObject()) {
    if (!m.value.IsString()) return WrongType(name, "map of strings");
    out->insert_or_assign(std::string(View(m.name)), std::string(View(m.value)));
  }
  return Ok();
}

Status Read(const JsonValue& obj, std::string_view name, std::vector<std::string>* out) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr) return Ok();
  if (!v->IsArray()) return WrongType(name, "array");
  out->reserve(out->size() + v->Size());
  for (const JsonValue& e : v->GetArray()) {
    if (!e.IsString()) return WrongType(name, "array of strings");
    out->emplace_back(e.GetString(), e.GetStringLength());
  }
  return Ok();
}

Status ReadObject(const JsonValue& obj, std::string_view name, const JsonValue** out) {
  const JsonValue* v = Member(obj, name);
  if (v != nullptr && !v->IsObject()) return WrongType(name, "object");
  *out = v;
  return Ok();
}

Status ReadArray(const JsonValue& obj, std::string_view name, const JsonValue** out) {
  const JsonValue* v = Member(obj, name);
  if (v != nullptr && !v->IsArray()) return WrongType(name, "array");
  *out = v;
  return Ok();
}

void WriteNames(JsonWriter& w, std::string_view key, const ExpressionNames& names) {
  if (names.empty()) return;
  w.Key(key);
  w.BeginObject();
  for (const auto& [k, v] : names) {
    w.Key(k);
    w.String(v);
  }
  w.EndObject();
}

void WriteStrings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  if (v.empty()) return;
  w.Key(key);
  w.BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

// ------------------------------------------------------------ consumed capacity

namespace {

void WriteCapacityFields(JsonWriter& w, double capacity, double read, double write) {
  w.Key("CapacityUnits");
  w.Double(capacity);
  if (read != 0) {
    w.Key("ReadCapacityUnits");
    w.Double(read);
  }
  if (write != 0) {
    w.Key("WriteCapacityUnits");
    w.Double(write);
  }
}

void WriteCapacity(JsonWriter& w, const Capacity& c) {
  w.BeginObject();
  WriteCapacityFields(w, c.capacity_units, c.read_capacity_units, c.write_capacity_units);
  w.EndObject();
}

Status ReadCapacity(const JsonValue& obj, Capacity* out) {
  if (!obj.IsObject()) return WrongType("Capacity", "object");
  MOE_TRY_STATUS(Read(obj, "CapacityUnits", &out->capacity_units));
  MOE_TRY_STATUS(Read(obj, "ReadCapacityUnits", &out->read_capacity_units));
  return Read(obj, "WriteCapacityUnits", &out->write_capacity_units);
}

void WriteCapacityMap(JsonWriter& w, std::string_view key,
                      const std::map<std::string, Capacity, std::less<>>& m) {
  if (m.empty()) return;
  w.Key(key);
  w.BeginObject();
  for (const auto& [name, c] : m) {
    w.Key(name);
    WriteCapacity(w, c);
  }
  w.EndObject();
}

}  // namespace

void WriteConsumedCapacity(JsonWriter& w, const ConsumedCapacity& c) {
  w.BeginObject();
  w.Key("TableName");
  w.String(c.table_name);
  WriteCapacityFields(w, c.capacity_units, c.read_capacity_units, c.write_capacity_units);
  if (c.table) {
    w.Key("Table");
    WriteCapacity(w, *c.table);
  }
  WriteCapacityMap(w, "LocalSecondaryIndexes", c.local_secondary_indexes);
  WriteCapacityMap(w, "GlobalSecondaryIndexes", c.global_secondary_indexes);
  w.EndObject();
}

Status ReadConsumedCapacity(const JsonValue& obj, ConsumedCapacity* out) {
  MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
  MOE_TRY_STATUS(Read(obj, "CapacityUnits", &out->capacity_units));
  MOE_TRY_STATUS(Read(obj, "ReadCapacityUnits", &out->read_capacity_units));
  MOE_TRY_STATUS(Read(obj, "WriteCapacityUnits", &out->write_capacity_units));
  MOE_TRY_STATUS(ReadStruct(obj, "Table", &out->table, ReadCapacity));
  MOE_TRY_STATUS(
      ReadStructMap(obj, "LocalSecondaryIndexes", &out->local_secondary_indexes, ReadCapacity));
  return ReadStructMap(obj, "GlobalSecondaryIndexes", &out->global_secondary_indexes, ReadCapacity);
}

void WriteConsumedCapacityMember(JsonWriter& w, const std::optional<ConsumedCapacity>& c) {
  if (!c) return;
  w.Key("ConsumedCapacity");
  WriteConsumedCapacity(w, *c);
}

Status ReadConsumedCapacityMember(const JsonValue& obj, std::optional<ConsumedCapacity>* out) {
  return ReadStruct(obj, "ConsumedCapacity", out, ReadConsumedCapacity);
}

void WriteConsumedCapacityList(JsonWriter& w, const std::vector<ConsumedCapacity>& c) {
  if (c.empty()) return;
  w.Key("ConsumedCapacity");
  w.BeginArray();
  for (const ConsumedCapacity& e : c) WriteConsumedCapacity(w, e);
  w.EndArray();
}

Status ReadConsumedCapacityList(const JsonValue& obj, std::vector<ConsumedCapacity>* out) {
  return ReadStructs(obj, "ConsumedCapacity", out, ReadConsumedCapacity);
}

}  // namespace internal

// ------------------------------------------------------------ public enum names

std::string_view ToString(TableStatus v) { return internal::EnumName(v); }
std::string_view ToString(BillingMode v) { return internal::EnumName(v); }
std::string_view ToString(ScalarAttributeType v) { return internal::EnumName(v); }
std::string_view ToString(KeyType v) { return internal::EnumName(v); }
std::string_view ToString(ProjectionType v) { return internal::EnumName(v); }
std::string_view ToString(IndexStatus v) { return internal::EnumName(v); }
std::string_view ToString(ReturnValue v) { return internal::EnumName(v); }
std::string_view ToString(ReturnConsumedCapacity v) { return internal::EnumName(v); }
std::string_view ToString(ReturnValuesOnConditionCheckFailure v) { return internal::EnumName(v); }
std::string_view ToString(Select v) { return internal::EnumName(v); }
std::string_view ToString(TimeToLiveStatus v) { return internal::EnumName(v); }

template <typename E>
std::optional<E> EnumFromString(std::string_view name) {
  return internal::EnumFromName<E>(name);
}
template std::optional<TableStatus> EnumFromString<TableStatus>(std::string_view);
template std::optional<BillingMode> EnumFromString<BillingMode>(std::string_view);
template std::optional<ScalarAttributeType> EnumFromString<ScalarAttributeType>(std::string_view);
template std::optional<KeyType> EnumFromString<KeyType>(std::string_view);
template std::optional<ProjectionType> EnumFromString<ProjectionType>(std::string_view);
template std::optional<IndexStatus> EnumFromString<IndexStatus>(std::string_view);
template std::optional<ReturnValue> EnumFromString<ReturnValue>(std::string_view);
template std::optional<ReturnConsumedCapacity> EnumFromString<ReturnConsumedCapacity>(
    std::string_view);
template std::optional<ReturnValuesOnConditionCheckFailure>
    EnumFromString<ReturnValuesOnConditionCheckFailure>(std::string_view);
template std::optional<Select> EnumFromString<Select>(std::string_view);
template std::optional<TimeToLiveStatus> EnumFromString<TimeToLiveStatus>(std::string_view);

}  // namespace moe
