// Table operations: CreateTable, DeleteTable, DescribeTable, ListTables,
// UpdateTable, UpdateTimeToLive, DescribeTimeToLive.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html

#include "model/codec.h"

namespace moe {

using internal::JsonValue;
using internal::JsonWriter;
using internal::Read;
using internal::ReadStruct;
using internal::ReadStructs;
using internal::WriteEnum;

namespace {

// ------------------------------------------------------------ pieces

void WriteKeySchema(JsonWriter& w, const KeySchema& ks) {
  if (ks.empty()) return;
  w.Key("KeySchema");
  w.BeginArray();
  for (const KeySchemaElement& e : ks) {
    w.BeginObject();
    w.Key("AttributeName");
    w.String(e.attribute_name);
    WriteEnum(w, "KeyType", e.key_type);
    w.EndObject();
  }
  w.EndArray();
}

Status ReadKeySchemaElement(const JsonValue& obj, KeySchemaElement* out) {
  MOE_TRY_STATUS(Read(obj, "AttributeName", &out->attribute_name));
  return Read(obj, "KeyType", &out->key_type);
}

Status ReadKeySchema(const JsonValue& obj, KeySchema* out) {
  return ReadStructs(obj, "KeySchema", out, ReadKeySchemaElement);
}

void WriteAttributeDefinitions(JsonWriter& w, const std::vector<AttributeDefinition>& defs) {
  if (defs.empty()) return;
  w.Key("AttributeDefinitions");
  w.BeginArray();
  for (const AttributeDefinition& d : defs) {
    w.BeginObject();
    w.Key("AttributeName");
    w.String(d.attribute_name);
    WriteEnum(w, "AttributeType", d.attribute_type);
    w.EndObject();
  }
  w.EndArray();
}

Status ReadAttributeDefinition(const JsonValue& obj, AttributeDefinition* out) {
  MOE_TRY_STATUS(Read(obj, "AttributeName", &out->attribute_name));
  return Read(obj, "AttributeType", &out->attribute_type);
}

Status ReadAttributeDefinitions(const JsonValue& obj, std::vector<AttributeDefinition>* out) {
  return ReadStructs(obj, "AttributeDefinitions", out, ReadAttributeDefinition);
}

void WriteProjection(JsonWriter& w, const Projection& p) {
  w.Key("Projection");
  w.BeginObject();
  WriteEnum(w, "ProjectionType", p.projection_type);
  internal::WriteStrings(w, "NonKeyAttributes", p.non_key_attributes);
  w.EndObject();
}

Status ReadProjectionBody(const JsonValue& obj, Projection* out) {
  MOE_TRY_STATUS(Read(obj, "ProjectionType", &out->projection_type));
  return Read(obj, "NonKeyAttributes", &out->non_key_attributes);
}

Status ReadProjection(const JsonValue& obj, Projection* out) {
  std::optional<Projection> p;
  MOE_TRY_STATUS(ReadStruct(obj, "Projection", &p, ReadProjectionBody));
  if (p) *out = std::move(*p);
  return Ok();
}

void WriteThroughput(JsonWriter& w, const std::optional<ProvisionedThroughput>& t) {
  if (!t) return;
  w.Key("ProvisionedThroughput");
  w.BeginObject();
  w.Key("ReadCapacityUnits");
  w.Int(t->read_capacity_units);
  w.Key("WriteCapacityUnits");
  w.Int(t->write_capacity_units);
  w.EndObject();
}

Status ReadThroughputBody(const JsonValue& obj, ProvisionedThroughput* out) {
  MOE_TRY_STATUS(Read(obj, "ReadCapacityUnits", &out->read_capacity_units));
  return Read(obj, "WriteCapacityUnits", &out->write_capacity_units);
}

Status ReadThroughput(const JsonValue& obj, std::optional<ProvisionedThroughput>* out) {
  return ReadStruct(obj, "ProvisionedThroughput", out, ReadThroughputBody);
}

void WriteThroughputDescription(JsonWriter& w,
                                const std::optional<ProvisionedThroughputDescription>& t) {
  if (!t) return;
  w.Key("ProvisionedThroughput");
  w.BeginObject();
  if (t->last_increase_date_time) {
    w.Key("LastIncreaseDateTime");
    w.Double(*t->last_increase_date_time);
  }
  if (t->last_decrease_date_time) {
    w.Key("LastDecreaseDateTime");
    w.Double(*t->last_decrease_date_time);
  }
  w.Key("NumberOfDecreasesToday");
  w.Int(t->number_of_decreases_today);
  w.Key("ReadCapacityUnits");
  w.Int(t->read_capacity_units);
  w.Key("WriteCapacityUnits");
  w.Int(t->write_capacity_units);
  w.EndObject();
}

Status ReadThroughputDescriptionBody(const JsonValue& obj, ProvisionedThroughputDescription* out) {
  MOE_TRY_STATUS(Read(obj, "ReadCapacityUnits", &out->read_capacity_units));
  MOE_TRY_STATUS(Read(obj, "WriteCapacityUnits", &out->write_capacity_units));
  MOE_TRY_STATUS(Read(obj, "NumberOfDecreasesToday", &out->number_of_decreases_today));
  MOE_TRY_STATUS(Read(obj, "LastIncreaseDateTime", &out->last_increase_date_time));
  return Read(obj, "LastDecreaseDateTime", &out->last_decrease_date_time);
}

void WriteGlobalSecondaryIndexBody(JsonWriter& w, const GlobalSecondaryIndex& g) {
  w.BeginObject();
  w.Key("IndexName");
  w.String(g.index_name);
  WriteKeySchema(w, g.key_schema);
  WriteProjection(w, g.projection);
  WriteThroughput(w, g.provisioned_throughput);
  w.EndObject();
}

Status ReadGlobalSecondaryIndex(const JsonValue& obj, GlobalSecondaryIndex* out) {
  MOE_TRY_STATUS(Read(obj, "IndexName", &out->index_name));
  MOE_TRY_STATUS(ReadKeySchema(obj, &out->key_schema));
  MOE_TRY_STATUS(ReadProjection(obj, &out->projection));
  return ReadThroughput(obj, &out->provisioned_throughput);
}

Status ReadLocalSecondaryIndex(const JsonValue& obj, LocalSecondaryIndex* out) {
  MOE_TRY_STATUS(Read(obj, "IndexName", &out->index_name));
  MOE_TRY_STATUS(ReadKeySchema(obj, &out->key_schema));
  return ReadProjection(obj, &out->projection);
}

void WriteIndexDescriptions(JsonWriter& w, std::string_view key,
                            const std::vector<IndexDescription>& v) {
  if (v.empty()) return;
  w.Key(key);
  w.BeginArray();
  for (const IndexDescription& d : v) {
    w.BeginObject();
    w.Key("IndexName");
    w.String(d.index_name);
    WriteKeySchema(w, d.key_schema);
    WriteProjection(w, d.projection);
    if (d.index_status) WriteEnum(w, "IndexStatus", *d.index_status);
    WriteThroughputDescription(w, d.provisioned_throughput);
    w.Key("IndexSizeBytes");
    w.Int(d.index_size_bytes);
    w.Key("ItemCount");
    w.Int(d.item_count);
    if (!d.index_arn.empty()) {
      w.Key("IndexArn");
      w.String(d.index_arn);
    }
    w.EndObject();
  }
  w.EndArray();
}

Status ReadIndexDescription(const JsonValue& obj, IndexDescription* out) {
  MOE_TRY_STATUS(Read(obj, "IndexName", &out->index_name));
  MOE_TRY_STATUS(ReadKeySchema(obj, &out->key_schema));
  MOE_TRY_STATUS(ReadProjection(obj, &out->projection));
  MOE_TRY_STATUS(Read(obj, "IndexStatus", &out->index_status));
  MOE_TRY_STATUS(ReadStruct(obj, "ProvisionedThroughput", &out->provisioned_throughput,
                            ReadThroughputDescriptionBody));
  MOE_TRY_STATUS(Read(obj, "IndexSizeBytes", &out->index_size_bytes));
  MOE_TRY_STATUS(Read(obj, "ItemCount", &out->item_count));
  return Read(obj, "IndexArn", &out->index_arn);
}

void WriteTableDescription(JsonWriter& w, std::string_view key, const TableDescription& t) {
  w.Key(key);
  w.BeginObject();
  WriteAttributeDefinitions(w, t.attribute_definitions);
  w.Key("TableName");
  w.String(t.table_name);
  WriteKeySchema(w, t.key_schema);
  WriteEnum(w, "TableStatus", t.table_status);
  w.Key("CreationDateTime");
  w.Double(t.creation_date_time);
  WriteThroughputDescription(w, t.provisioned_throughput);
  w.Key("TableSizeBytes");
  w.Int(t.table_size_bytes);
  w.Key("ItemCount");
  w.Int(t.item_count);
  if (!t.table_arn.empty()) {
    w.Key("TableArn");
    w.String(t.table_arn);
  }
  if (!t.table_id.empty()) {
    w.Key("TableId");
    w.String(t.table_id);
  }
  if (t.billing_mode) {
    w.Key("BillingModeSummary");
    w.BeginObject();
    WriteEnum(w, "BillingMode", *t.billing_mode);
    w.EndObject();
  }
  WriteIndexDescriptions(w, "LocalSecondaryIndexes", t.local_secondary_indexes);
  WriteIndexDescriptions(w, "GlobalSecondaryIndexes", t.global_secondary_indexes);
  w.EndObject();
}

Status ReadBillingModeSummary(const JsonValue& obj, std::optional<BillingMode>* out) {
  return Read(obj, "BillingMode", out);
}

Status ReadTableDescriptionBody(const JsonValue& obj, TableDescription* out) {
  MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
  MOE_TRY_STATUS(Read(obj, "TableArn", &out->table_arn));
  MOE_TRY_STATUS(Read(obj, "TableId", &out->table_id));
  MOE_TRY_STATUS(Read(obj, "TableStatus", &out->table_status));
  MOE_TRY_STATUS(Read(obj, "CreationDateTime", &out->creation_date_time));
  MOE_TRY_STATUS(ReadAttributeDefinitions(obj, &out->attribute_definitions));
  MOE_TRY_STATUS(ReadKeySchema(obj, &out->key_schema));
  const JsonValue* summary = nullptr;
  MOE_TRY_STATUS(internal::ReadObject(obj, "BillingModeSummary", &summary));
  if (summary != nullptr) MOE_TRY_STATUS(ReadBillingModeSummary(*summary, &out->billing_mode));
  MOE_TRY_STATUS(ReadStruct(obj, "ProvisionedThroughput", &out->provisioned_throughput,
                            ReadThroughputDescriptionBody));
  MOE_TRY_STATUS(Read(obj, "ItemCount", &out->item_count));
  MOE_TRY_STATUS(Read(obj, "TableSizeBytes", &out->table_size_bytes));
  MOE_TRY_STATUS(ReadStructs(obj, "GlobalSecondaryIndexes", &out->global_secondary_indexes,
                             ReadIndexDescription));
  return ReadStructs(obj, "LocalSecondaryIndexes", &out->local_secondary_indexes,
                     ReadIndexDescription);
}

Status ReadTableDescription(const JsonValue& obj, std::string_view key, TableDescription* out) {
  std::optional<TableDescription> t;
  MOE_TRY_STATUS(ReadStruct(obj, key, &t, ReadTableDescriptionBody));
  if (t) *out = std::move(*t);
  return Ok();
}

std::string JsonWithTableName(const std::string& table_name) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("TableName");
  w.String(table_name);
  w.EndObject();
  return out;
}

template <typename T>
Result<T> ParseTableName(std::string_view json) {
  return internal::ParseBody<T>(json, [](const JsonValue& obj, T* out) -> Status {
    return Read(obj, "TableName", &out->table_name);
  });
}

std::string JsonWithDescription(std::string_view key, const TableDescription& t) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteTableDescription(w, key, t);
  w.EndObject();
  return out;
}

}  // namespace

// ------------------------------------------------------------ CreateTable

std::string ToJson(const CreateTableRequest& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("TableName");
  w.String(v.table_name);
  WriteAttributeDefinitions(w, v.attribute_definitions);
  WriteKeySchema(w, v.key_schema);
  internal::WriteEnumUnless(w, "BillingMode", v.billing_mode, BillingMode::kProvisioned);
  WriteThroughput(w, v.provisioned_throughput);
  if (!v.global_secondary_indexes.empty()) {
    w.Key("GlobalSecondaryIndexes");
    w.BeginArray();
    for (const GlobalSecondaryIndex& g : v.global_secondary_indexes)
      WriteGlobalSecondaryIndexBody(w, g);
    w.EndArray();
  }
  if (!v.local_secondary_indexes.empty()) {
    w.Key("LocalSecondaryIndexes");
    w.BeginArray();
    for (const LocalSecondaryIndex& l : v.local_secondary_indexes) {
      w.BeginObject();
      w.Key("IndexName");
      w.String(l.index_name);
      WriteKeySchema(w, l.key_schema);
      WriteProjection(w, l.projection);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return out;
}

template <>
Result<CreateTableRequest> Parse<CreateTableRequest>(std::string_view json) {
  return internal::ParseBody<CreateTableRequest>(
      json, [](const JsonValue& obj, CreateTableRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
        MOE_TRY_STATUS(ReadAttributeDefinitions(obj, &out->attribute_definitions));
        MOE_TRY_STATUS(ReadKeySchema(obj, &out->key_schema));
        MOE_TRY_STATUS(Read(obj, "BillingMode", &out->billing_mode));
        MOE_TRY_STATUS(ReadThroughput(obj, &out->provisioned_throughput));
        MOE_TRY_STATUS(ReadStructs(obj, "GlobalSecondaryIndexes", &out->global_secondary_indexes,
                                   ReadGlobalSecondaryIndex));
        return ReadStructs(obj, "LocalSecondaryIndexes", &out->local_secondary_indexes,
                           ReadLocalSecondaryIndex);
      });
}

std::string ToJson(const CreateTableResponse& v) {
  return JsonWithDescription("TableDescription", v.table_description);
}

template <>
Result<CreateTableResponse> Parse<CreateTableResponse>(std::string_view json) {
  return internal::ParseBody<CreateTableResponse>(
      json, [](const JsonValue& obj, CreateTableResponse* out) -> Status {
        return ReadTableDescription(obj, "TableDescription", &out->table_description);
      });
}

// ------------------------------------------------------------ DeleteTable, DescribeTable

std::string ToJson(const DeleteTableRequest& v) { return JsonWithTableName(v.table_name); }

template <>
Result<DeleteTableRequest> Parse<DeleteTableRequest>(std::string_view json) {
  return ParseTableName<DeleteTableRequest>(json);
}

std::string ToJson(const DeleteTableResponse& v) {
  return JsonWithDescription("TableDescription", v.table_description);
}

template <>
Result<DeleteTableResponse> Parse<DeleteTableResponse>(std::string_view json) {
  return internal::ParseBody<DeleteTableResponse>(
      json, [](const JsonValue& obj, DeleteTableResponse* out) -> Status {
        return ReadTableDescription(obj, "TableDescription", &out->table_description);
      });
}

std::string ToJson(const DescribeTableRequest& v) { return JsonWithTableName(v.table_name); }

template <>
Result<DescribeTableRequest> Parse<DescribeTableRequest>(std::string_view json) {
  return ParseTableName<DescribeTableRequest>(json);
}

std::string ToJson(const DescribeTableResponse& v) { return JsonWithDescription("Table", v.table); }

template <>
Result<DescribeTableResponse> Parse<DescribeTableResponse>(std::string_view json) {
  return internal::ParseBody<DescribeTableResponse>(
      json, [](const JsonValue& obj, DescribeTableResponse* out) -> Status {
        return ReadTableDescription(obj, "Table", &out->table);
      });
}

// ------------------------------------------------------------ ListTables

std::string ToJson(const ListTablesRequest& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  internal::WriteOpt(w, "ExclusiveStartTableName", v.exclusive_start_table_name);
  internal::WriteOpt(w, "Limit", v.limit);
  w.EndObject();
  return out;
}

template <>
Result<ListTablesRequest> Parse<ListTablesRequest>(std::string_view json) {
  return internal::ParseBody<ListTablesRequest>(
      json, [](const JsonValue& obj, ListTablesRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "ExclusiveStartTableName", &out->exclusive_start_table_name));
        return Read(obj, "Limit", &out->limit);
      });
}

std::string ToJson(const ListTablesResponse& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  // DynamoDB always sends TableNames, empty or not.
  w.Key("TableNames");
  w.BeginArray();
  for (const std::string& name : v.table_names) w.String(name);
  w.EndArray();
  internal::WriteOpt(w, "LastEvaluatedTableName", v.last_evaluated_table_name);
  w.EndObject();
  return out;
}

template <>
Result<ListTablesResponse> Parse<ListTablesResponse>(std::string_view json) {
  return internal::ParseBody<ListTablesResponse>(
      json, [](const JsonValue& obj, ListTablesResponse* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableNames", &out->table_names));
        return Read(obj, "LastEvaluatedTableName", &out->last_evaluated_table_name);
      });
}

// ------------------------------------------------------------ UpdateTable

namespace {

Status ReadIndexNameOnly(const JsonValue& obj, std::string* out) {
  return Read(obj, "IndexName", out);
}

struct IndexThroughputUpdate {
  std::string index_name;
  std::optional<ProvisionedThroughput> throughput;
};

Status ReadIndexThroughputUpdate(const JsonValue& obj, IndexThroughputUpdate* out) {
  MOE_TRY_STATUS(Read(obj, "IndexName", &out->index_name));
  return ReadThroughput(obj, &out->throughput);
}

Status ReadGsiUpdate(const JsonValue& obj, GlobalSecondaryIndexUpdate* out) {
  MOE_TRY_STATUS(ReadStruct(obj, "Create", &out->create, ReadGlobalSecondaryIndex));
  std::optional<IndexThroughputUpdate> update;
  MOE_TRY_STATUS(ReadStruct(obj, "Update", &update, ReadIndexThroughputUpdate));
  if (update) {
    out->update_index_name = std::move(update->index_name);
    out->update_provisioned_throughput = std::move(update->throughput);
  }
  std::optional<std::string> del;
  MOE_TRY_STATUS(ReadStruct(obj, "Delete", &del, ReadIndexNameOnly));
  out->delete_index_name = std::move(del);
  return Ok();
}

}  // namespace

std::string ToJson(const UpdateTableRequest& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("TableName");
  w.String(v.table_name);
  WriteAttributeDefinitions(w, v.attribute_definitions);
  if (v.billing_mode) WriteEnum(w, "BillingMode", *v.billing_mode);
  WriteThroughput(w, v.provisioned_throughput);
  if (!v.global_secondary_index_updates.empty()) {
    w.Key("GlobalSecondaryIndexUpdates");
    w.BeginArray();
    for (const GlobalSecondaryIndexUpdate& u : v.global_secondary_index_updates) {
      w.BeginObject();
      if (u.create) {
        w.Key("Create");
        WriteGlobalSecondaryIndexBody(w, *u.create);
      }
      if (u.update_index_name) {
        w.Key("Update");
        w.BeginObject();
        w.Key("IndexName");
        w.String(*u.update_index_name);
        WriteThroughput(w, u.update_provisioned_throughput);
        w.EndObject();
      }
      if (u.delete_index_name) {
        w.Key("Delete");
        w.BeginObject();
        w.Key("IndexName");
        w.String(*u.delete_index_name);
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return out;
}

template <>
Result<UpdateTableRequest> Parse<UpdateTableRequest>(std::string_view json) {
  return internal::ParseBody<UpdateTableRequest>(
      json, [](const JsonValue& obj, UpdateTableRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
        MOE_TRY_STATUS(ReadAttributeDefinitions(obj, &out->attribute_definitions));
        MOE_TRY_STATUS(Read(obj, "BillingMode", &out->billing_mode));
        MOE_TRY_STATUS(ReadThroughput(obj, &out->provisioned_throughput));
        return ReadStructs(obj, "GlobalSecondaryIndexUpdates", &out->global_secondary_index_updates,
                           ReadGsiUpdate);
      });
}

std::string ToJson(const UpdateTableResponse& v) {
  return JsonWithDescription("TableDescription", v.table_description);
}

template <>
Result<UpdateTableResponse> Parse<UpdateTableResponse>(std::string_view json) {
  return internal::ParseBody<UpdateTableResponse>(
      json, [](const JsonValue& obj, UpdateTableResponse* out) -> Status {
        return ReadTableDescription(obj, "TableDescription", &out->table_description);
      });
}

// ------------------------------------------------------------ time to live

namespace {

void WriteTtlSpecification(JsonWriter& w, const TimeToLiveSpecification& s) {
  w.Key("TimeToLiveSpecification");
  w.BeginObject();
  w.Key("Enabled");
  w.Bool(s.enabled);
  w.Key("AttributeName");
  w.String(s.attribute_name);
  w.EndObject();
}

Status ReadTtlSpecificationBody(const JsonValue& obj, TimeToLiveSpecification* out) {
  MOE_TRY_STATUS(Read(obj, "Enabled", &out->enabled));
  return Read(obj, "AttributeName", &out->attribute_name);
}

Status ReadTtlSpecification(const JsonValue& obj, TimeToLiveSpecification* out) {
  std::optional<TimeToLiveSpecification> s;
  MOE_TRY_STATUS(ReadStruct(obj, "TimeToLiveSpecification", &s, ReadTtlSpecificationBody));
  if (s) *out = std::move(*s);
  return Ok();
}

}  // namespace

std::string ToJson(const UpdateTimeToLiveRequest& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("TableName");
  w.String(v.table_name);
  WriteTtlSpecification(w, v.time_to_live_specification);
  w.EndObject();
  return out;
}

template <>
Result<UpdateTimeToLiveRequest> Parse<UpdateTimeToLiveRequest>(std::string_view json) {
  return internal::ParseBody<UpdateTimeToLiveRequest>(
      json, [](const JsonValue& obj, UpdateTimeToLiveRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
        return ReadTtlSpecification(obj, &out->time_to_live_specification);
      });
}

std::string ToJson(const UpdateTimeToLiveResponse& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteTtlSpecification(w, v.time_to_live_specification);
  w.EndObject();
  return out;
}

template <>
Result<UpdateTimeToLiveResponse> Parse<UpdateTimeToLiveResponse>(std::string_view json) {
  return internal::ParseBody<UpdateTimeToLiveResponse>(
      json, [](const JsonValue& obj, UpdateTimeToLiveResponse* out) -> Status {
        return ReadTtlSpecification(obj, &out->time_to_live_specification);
      });
}

std::string ToJson(const DescribeTimeToLiveRequest& v) { return JsonWithTableName(v.table_name); }

template <>
Result<DescribeTimeToLiveRequest> Parse<DescribeTimeToLiveRequest>(std::string_view json) {
  return ParseTableName<DescribeTimeToLiveRequest>(json);
}

std::string ToJson(const DescribeTimeToLiveResponse& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("TimeToLiveDescription");
  w.BeginObject();
  WriteEnum(w, "TimeToLiveStatus", v.time_to_live_status);
  if (!v.attribute_name.empty()) {
    w.Key("AttributeName");
    w.String(v.attribute_name);
  }
  w.EndObject();
  w.EndObject();
  return out;
}

template <>
Result<DescribeTimeToLiveResponse> Parse<DescribeTimeToLiveResponse>(std::string_view json) {
  return internal::ParseBody<DescribeTimeToLiveResponse>(
      json, [](const JsonValue& obj, DescribeTimeToLiveResponse* out) -> Status {
        const JsonValue* d = nullptr;
        MOE_TRY_STATUS(internal::ReadObject(obj, "TimeToLiveDescription", &d));
        if (d == nullptr) return Ok();
        MOE_TRY_STATUS(Read(*d, "TimeToLiveStatus", &out->time_to_live_status));
        return Read(*d, "AttributeName", &out->attribute_name);
      });
}

}  // namespace moe
