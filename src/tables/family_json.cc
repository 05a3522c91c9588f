// The JSON form of a family declaration (docs/families.md). The key schema,
// attribute definitions and indexes use the CreateTable wire shapes, read and
// written by the model codec; the family's own members are read here.
#include <string>

#include "core/json_reader.h"
#include "core/json_writer.h"
#include "model/codec.h"
#include "moe/family.h"

namespace moe {
namespace {

using internal::JsonValue;
using internal::JsonWriter;

constexpr std::string_view kOnDemand = "ON_DEMAND";

Status ReadInt(const JsonValue& obj, std::string_view name, int* out) {
  std::optional<int> v;
  MOE_TRY_STATUS(internal::Read(obj, name, &v));
  if (v) *out = *v;
  return Ok();
}

// "ON_DEMAND", {"ReadCapacityUnits": r, "WriteCapacityUnits": w}, or absent.
Status ReadCapacity(const JsonValue& obj, std::string_view name,
                    std::optional<ProvisionedThroughput>* out) {
  const JsonValue* v = internal::Member(obj, name);
  out->reset();
  if (v == nullptr) return Ok();
  if (v->IsString()) {
    if (internal::View(*v) != kOnDemand)
      return Error::InvalidArgument(std::string(name) + ": expected \"ON_DEMAND\" or an object");
    return Ok();
  }
  if (!v->IsObject()) return internal::WrongType(name, "string or object");
  ProvisionedThroughput t;
  MOE_TRY_STATUS(internal::Read(*v, "ReadCapacityUnits", &t.read_capacity_units));
  MOE_TRY_STATUS(internal::Read(*v, "WriteCapacityUnits", &t.write_capacity_units));
  *out = t;
  return Ok();
}

void WriteCapacity(JsonWriter& w, std::string_view name,
                   const std::optional<ProvisionedThroughput>& t) {
  w.Key(name);
  if (!t) {
    w.String(kOnDemand);
    return;
  }
  w.BeginObject();
  w.Key("ReadCapacityUnits");
  w.Int(t->read_capacity_units);
  w.Key("WriteCapacityUnits");
  w.Int(t->write_capacity_units);
  w.EndObject();
}

Status Require(const JsonValue& obj, std::string_view name) {
  if (internal::Member(obj, name) == nullptr)
    return Error::InvalidArgument("family declaration: missing member '" + std::string(name) +
                                  "'");
  return Ok();
}

}  // namespace

Result<FamilySpec> ParseFamilySpec(std::string_view json) {
  internal::JsonDocument doc;
  MOE_TRY_STATUS(internal::ParseJson(json, &doc));
  if (!doc.IsObject())
    return Error(ErrorCode::kSerialization, "family declaration: expected a JSON object");
  const JsonValue& obj = doc;
  for (std::string_view name : {"Name", "Period", "KeySchema", "AttributeDefinitions"})
    MOE_TRY_STATUS(Require(obj, name));

  FamilySpec spec;
  MOE_TRY_STATUS(internal::Read(obj, "Name", &spec.name));
  MOE_TRY_STATUS(internal::Read(obj, "Environment", &spec.environment));
  std::string period;
  MOE_TRY_STATUS(internal::Read(obj, "Period", &period));
  std::optional<Period> p = PeriodFromName(period);
  if (!p)
    return Error::InvalidArgument("family declaration: Period '" + period +
                                  "' is not one of NONE, HOUR, DAY, WEEK, MONTH");
  spec.period = *p;
  MOE_TRY_STATUS(ReadInt(obj, "Copies", &spec.copies));
  MOE_TRY_STATUS(ReadInt(obj, "Retention", &spec.retention));
  MOE_TRY_STATUS(ReadInt(obj, "Precreate", &spec.precreate));
  MOE_TRY_STATUS(ReadCapacity(obj, "CurrentCapacity", &spec.current_capacity));
  MOE_TRY_STATUS(ReadCapacity(obj, "OlderCapacity", &spec.older_capacity));
  std::string mode = "SYNC";
  MOE_TRY_STATUS(internal::Read(obj, "MirrorMode", &mode));
  std::optional<MirrorMode> m = MirrorModeFromName(mode);
  if (!m)
    return Error::InvalidArgument("family declaration: MirrorMode '" + mode +
                                  "' is not one of SYNC, TRANSACTIONAL, WRITE_BEHIND");
  spec.mirror_mode = *m;

  // The schema members have CreateTable's shapes; the codec ignores the rest.
  MOE_TRY(CreateTableRequest table, Parse<CreateTableRequest>(json));
  spec.attribute_definitions = std::move(table.attribute_definitions);
  spec.key_schema = std::move(table.key_schema);
  spec.global_secondary_indexes = std::move(table.global_secondary_indexes);
  spec.local_secondary_indexes = std::move(table.local_secondary_indexes);

  MOE_TRY_STATUS(spec.Validate());
  return spec;
}

std::string ToJson(const FamilySpec& spec) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("Name");
  w.String(spec.name);
  w.Key("Environment");
  w.String(spec.environment);
  w.Key("Period");
  w.String(PeriodName(spec.period));
  w.Key("Copies");
  w.Int(spec.copies);
  w.Key("Retention");
  w.Int(spec.retention);
  w.Key("Precreate");
  w.Int(spec.precreate);
  WriteCapacity(w, "CurrentCapacity", spec.current_capacity);
  WriteCapacity(w, "OlderCapacity", spec.older_capacity);
  w.Key("MirrorMode");
  w.String(MirrorModeName(spec.mirror_mode));

  // The schema members, as the codec writes them for CreateTable: its body
  // with an empty TableName and no throughput is {"TableName":""<,schema>}.
  CreateTableRequest table;
  table.attribute_definitions = spec.attribute_definitions;
  table.key_schema = spec.key_schema;
  table.global_secondary_indexes = spec.global_secondary_indexes;
  table.local_secondary_indexes = spec.local_secondary_indexes;
  std::string body = ToJson(table);
  std::string_view rest(body);
  constexpr std::string_view kHead = R"({"TableName":"")";
  if (rest.starts_with(kHead) && rest.ends_with('}')) {
    rest.remove_prefix(kHead.size());
    rest.remove_suffix(1);
    if (rest.starts_with(',')) rest.remove_prefix(1);
    if (!rest.empty()) w.Raw(rest);
  }
  w.EndObject();
  return out;
}

}  // namespace moe
