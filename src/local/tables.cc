// Table operations: CreateTable, DeleteTable, DescribeTable, ListTables,
// UpdateTable, UpdateTimeToLive, DescribeTimeToLive.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html

#include <algorithm>
#include <set>

#include "local/engine.h"
#include "local/validation.h"

namespace moe::local {

namespace {

constexpr size_t kMaxLocalIndexes = 5;
constexpr size_t kMaxGlobalIndexes = 20;

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::vector<std::string> DefinedNames(const std::vector<AttributeDefinition>& defs) {
  std::vector<std::string> out;
  for (const auto& d : defs) out.push_back(d.attribute_name);
  return out;
}

Error TableNotFound(std::string_view name) {
  return Error::ResourceNotFound("Requested resource not found: Table: " + std::string(name) +
                                 " not found");
}

Error InUse(std::string message) { return Error(ErrorCode::kResourceInUse, std::move(message)); }

// Shared by the table and every index: one HASH then at most one RANGE, each
// defined in `defs`.
Status ValidateKeySchema(const KeySchema& schema, const std::vector<AttributeDefinition>& defs,
                         std::string_view member) {
  if (schema.empty()) return MissingMember(member);
  if (schema.size() > 2) {
    return Error::Validation("1 validation error detected: Value at '" + std::string(member) +
                             "' failed to satisfy constraint: Member must have length less than "
                             "or equal to 2");
  }
  std::vector<std::string> keys;
  for (const auto& e : schema) keys.push_back(e.attribute_name);
  std::vector<std::string> defined = DefinedNames(defs);
  for (const std::string& k : keys) {
    if (std::find(defined.begin(), defined.end(), k) == defined.end()) {
      return InvalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
                              Join(keys) + "], AttributeDefinitions: [" + Join(defined) + "]");
    }
  }
  if (keys.size() == 2 && keys[0] == keys[1]) {
    return Error::Validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (schema[0].key_type != KeyType::kHash) {
    return Error::Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (schema.size() == 2 && schema[1].key_type != KeyType::kRange) {
    return Error::Validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  return Ok();
}

Status ValidateProjection(const Projection& p) {
  if (p.projection_type != ProjectionType::kInclude && !p.non_key_attributes.empty()) {
    return InvalidParameter("ProjectionType is " + std::string(ToString(p.projection_type)) +
                            ", but NonKeyAttributes is specified");
  }
  return Ok();
}

Status ValidateThroughput(const ProvisionedThroughput& p) {
  for (auto [value, name] : {std::pair{p.read_capacity_units, "ReadCapacityUnits"},
                             std::pair{p.write_capacity_units, "WriteCapacityUnits"}}) {
    if (value < 1) {
      return InvalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                              "BillingMode is PROVISIONED");
    }
    if (value > 1000000000000) {
      return Error::Validation("Given value " + std::to_string(value) + " for " + name +
                               " is out of bounds");
    }
  }
  return Ok();
}

Status ValidateGsi(const GlobalSecondaryIndex& gsi, const std::vector<AttributeDefinition>& defs,
                   BillingMode billing) {
  MOE_TRY_STATUS(ValidateName(gsi.index_name, "globalSecondaryIndexes.member.indexName"));
  MOE_TRY_STATUS(ValidateKeySchema(gsi.key_schema, defs, "globalSecondaryIndexes.member.keySchema"));
  MOE_TRY_STATUS(ValidateProjection(gsi.projection));
  if (billing == BillingMode::kProvisioned) {
    if (!gsi.provisioned_throughput) {
      return InvalidParameter("ProvisionedThroughput must be specified for index: " + gsi.index_name);
    }
    MOE_TRY_STATUS(ValidateThroughput(*gsi.provisioned_throughput));
  } else if (gsi.provisioned_throughput) {
    return InvalidParameter("ProvisionedThroughput should not be specified for index: " +
                            gsi.index_name + " when BillingMode is PAY_PER_REQUEST");
  }
  return Ok();
}

Status ValidateCreateTable(const CreateTableRequest& req) {
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (req.attribute_definitions.empty()) return MissingMember("attributeDefinitions");
  if (req.key_schema.empty()) return MissingMember("keySchema");
  if (req.billing_mode == BillingMode::kPayPerRequest) {
    if (req.provisioned_throughput) {
      return InvalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                              "when BillingMode is PAY_PER_REQUEST");
    }
  } else {
    if (!req.provisioned_throughput) {
      return InvalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified "
                              "when BillingMode is PROVISIONED");
    }
    MOE_TRY_STATUS(ValidateThroughput(*req.provisioned_throughput));
  }
  std::set<std::string> seen;
  for (const AttributeDefinition& d : req.attribute_definitions) {
    if (!seen.insert(d.attribute_name).second) {
      return InvalidParameter("Duplicate AttributeName in AttributeDefinitions: " + d.attribute_name);
    }
  }
  MOE_TRY_STATUS(ValidateKeySchema(req.key_schema, req.attribute_definitions, "keySchema"));
  std::set<std::string> used;
  for (const auto& e : req.key_schema) used.insert(e.attribute_name);
  std::set<std::string> index_names;
  if (!req.local_secondary_indexes.empty()) {
    if (req.key_schema.size() != 2) {
      return InvalidParameter("Table KeySchema does not have a range key, which is required when "
                              "specifying a LocalSecondaryIndex");
    }
    for (const LocalSecondaryIndex& lsi : req.local_secondary_indexes) {
      MOE_TRY_STATUS(ValidateName(lsi.index_name, "localSecondaryIndexes.member.indexName"));
      MOE_TRY_STATUS(ValidateKeySchema(lsi.key_schema, req.attribute_definitions,
                                       "localSecondaryIndexes.member.keySchema"));
      if (lsi.key_schema.size() != 2) {
        return InvalidParameter("Index KeySchema does not have a range key for index: " +
                                lsi.index_name);
      }
      const std::string& table_hash = req.key_schema[0].attribute_name;
      if (lsi.key_schema[0].attribute_name != table_hash) {
        return InvalidParameter(
            "Index KeySchema does not have the same leading hash key as table KeySchema for "
            "index: " + lsi.index_name + ". index hash key: " + lsi.key_schema[0].attribute_name +
            ", table hash key: " + table_hash);
      }
      MOE_TRY_STATUS(ValidateProjection(lsi.projection));
      if (!index_names.insert(lsi.index_name).second) {
        return InvalidParameter("Duplicate index name: " + lsi.index_name);
      }
      for (const auto& e : lsi.key_schema) used.insert(e.attribute_name);
    }
    if (req.local_secondary_indexes.size() > kMaxLocalIndexes) {
      return InvalidParameter("Number of LocalSecondaryIndexes exceeds per-table limit of 5");
    }
  }
  for (const GlobalSecondaryIndex& gsi : req.global_secondary_indexes) {
    MOE_TRY_STATUS(ValidateGsi(gsi, req.attribute_definitions, req.billing_mode));
    if (!index_names.insert(gsi.index_name).second) {
      return InvalidParameter("Duplicate index name: " + gsi.index_name);
    }
    for (const auto& e : gsi.key_schema) used.insert(e.attribute_name);
  }
  if (req.global_secondary_indexes.size() > kMaxGlobalIndexes) {
    return InvalidParameter("GlobalSecondaryIndex count exceeds the per-table limit of 20");
  }
  if (used.size() != req.attribute_definitions.size()) {
    if (req.local_secondary_indexes.empty() && req.global_secondary_indexes.empty()) {
      return InvalidParameter("Number of attributes in KeySchema does not exactly match number of "
                              "attributes defined in AttributeDefinitions");
    }
    return InvalidParameter("Some AttributeDefinitions are not used. AttributeDefinitions: [" +
                            Join(DefinedNames(req.attribute_definitions)) + "], keys used: [" +
                            Join(std::vector<std::string>(used.begin(), used.end())) + "]");
  }
  return Ok();
}

}  // namespace

Result<std::string> EngineImpl::CreateTable(std::string_view body) {
  MOE_TRY(CreateTableRequest req, ParseRequest<CreateTableRequest>(body));
  MOE_TRY_STATUS(ValidateCreateTable(req));
  std::unique_lock catalog(catalog_mu_);
  PruneDeleted();
  if (tables_.contains(req.table_name)) {
    return InUse("Table already exists: " + req.table_name);
  }
  std::string name = req.table_name;
  Mutation m{Mutation::Kind::kCreateTable, name};
  m.create_table = std::move(req);
  MOE_TRY_STATUS(Commit({&m, 1}));
  CreateTableResponse resp;
  resp.table_description = tables_.at(name)->table.Describe(clock_.Now());
  return ToJson(resp);
}

Result<std::string> EngineImpl::DeleteTable(std::string_view body) {
  MOE_TRY(DeleteTableRequest req, ParseRequest<DeleteTableRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  std::unique_lock catalog(catalog_mu_);
  TableEntry* entry = FindEntry(req.table_name);
  if (entry == nullptr) return TableNotFound(req.table_name);
  Clock::TimePoint now = clock_.Now();
  switch (entry->table.EffectiveStatus(now)) {
    case TableStatus::kCreating:
      return InUse("Attempt to change a resource which is still in use: Table is being created: " +
                   req.table_name);
    case TableStatus::kDeleting:
      return InUse("Attempt to change a resource which is still in use: Table is being deleted: " +
                   req.table_name);
    default:
      break;
  }
  DeleteTableResponse resp;
  resp.table_description = entry->table.Describe(now);
  resp.table_description.table_status = TableStatus::kDeleting;
  Mutation m{Mutation::Kind::kDeleteTable, req.table_name};
  MOE_TRY_STATUS(Commit({&m, 1}));
  return ToJson(resp);
}

Result<std::string> EngineImpl::DescribeTable(std::string_view body) {
  MOE_TRY(DescribeTableRequest req, ParseRequest<DescribeTableRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  std::shared_lock catalog(catalog_mu_);
  TableEntry* entry = FindEntry(req.table_name);
  if (entry == nullptr) return TableNotFound(req.table_name);
  std::lock_guard<std::mutex> lock(entry->mu);
  DescribeTableResponse resp;
  resp.table = entry->table.Describe(clock_.Now());
  return ToJson(resp);
}

Result<std::string> EngineImpl::ListTables(std::string_view body) {
  MOE_TRY(ListTablesRequest req, ParseRequest<ListTablesRequest>(body));
  MOE_TRY_STATUS(ValidateLimit(req.limit, "limit", 100));
  if (req.exclusive_start_table_name) {
    MOE_TRY_STATUS(ValidateName(*req.exclusive_start_table_name, "exclusiveStartTableName"));
  }
  size_t limit = static_cast<size_t>(req.limit.value_or(100));
  std::shared_lock catalog(catalog_mu_);
  Clock::TimePoint now = clock_.Now();
  ListTablesResponse resp;
  auto it = req.exclusive_start_table_name ? tables_.upper_bound(*req.exclusive_start_table_name)
                                           : tables_.begin();
  for (; it != tables_.end(); ++it) {
    if (it->second->table.Gone(now)) continue;
    if (resp.table_names.size() == limit) break;
    resp.table_names.push_back(it->first);
  }
  if (it != tables_.end() && resp.table_names.size() == limit) {
    resp.last_evaluated_table_name = resp.table_names.back();
  }
  return ToJson(resp);
}

Result<std::string> EngineImpl::UpdateTable(std::string_view body) {
  MOE_TRY(UpdateTableRequest req, ParseRequest<UpdateTableRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (!req.billing_mode && !req.provisioned_throughput && req.global_secondary_index_updates.empty()) {
    return Error::Validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  std::unique_lock catalog(catalog_mu_);
  TableEntry* entry = FindEntry(req.table_name);
  if (entry == nullptr) return TableNotFound(req.table_name);
  Table& t = entry->table;
  Clock::TimePoint now = clock_.Now();
  TableStatus status = t.EffectiveStatus(now);
  if (status != TableStatus::kActive) {
    return InUse("Attempt to change a resource which is still in use: Table is being " +
                 std::string(status == TableStatus::kCreating   ? "created"
                             : status == TableStatus::kDeleting ? "deleted"
                                                                : "updated") +
                 ": " + req.table_name);
  }
  BillingMode billing = req.billing_mode.value_or(t.billing_mode);
  if (billing == BillingMode::kPayPerRequest && req.provisioned_throughput) {
    return InvalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                            "when BillingMode is PAY_PER_REQUEST");
  }
  if (billing == BillingMode::kProvisioned && t.billing_mode == BillingMode::kPayPerRequest &&
      !req.provisioned_throughput) {
    return InvalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
  }
  if (req.provisioned_throughput) {
    MOE_TRY_STATUS(ValidateThroughput(*req.provisioned_throughput));
    const ProvisionedThroughput& p = *req.provisioned_throughput;
    if (t.billing_mode == BillingMode::kProvisioned && p == t.throughput &&
        req.global_secondary_index_updates.empty()) {
      auto n = [](int64_t v) { return std::to_string(v); };
      return Error::Validation(
          "The provisioned throughput for the table will not change. The requested value equals "
          "the current value. Current ReadCapacityUnitsForTable: " +
          n(t.throughput.read_capacity_units) + ". Requested ReadCapacityUnitsForTable: " +
          n(p.read_capacity_units) + ". Current WriteCapacityUnitsForTable: " +
          n(t.throughput.write_capacity_units) + ". Requested WriteCapacityUnitsForTable: " +
          n(p.write_capacity_units) + ".");
    }
  }
  // New GSIs may use attributes defined by the table or by this request.
  std::vector<AttributeDefinition> defs = t.attribute_definitions;
  for (const AttributeDefinition& d : req.attribute_definitions) {
    auto same = [&](const AttributeDefinition& e) { return e.attribute_name == d.attribute_name; };
    if (std::none_of(defs.begin(), defs.end(), same)) defs.push_back(d);
  }
  int online_changes = 0;
  for (const GlobalSecondaryIndexUpdate& u : req.global_secondary_index_updates) {
    if (u.create) {
      ++online_changes;
      MOE_TRY_STATUS(ValidateGsi(*u.create, defs, billing));
      if (t.FindIndex(u.create->index_name) != nullptr) {
        return Error::Validation("Attempting to create an index which already exists");
      }
      size_t gsis = static_cast<size_t>(std::count_if(
          t.indexes.begin(), t.indexes.end(), [](const IndexState& i) { return i.global; }));
      if (gsis >= kMaxGlobalIndexes) {
        return InvalidParameter("GlobalSecondaryIndex count exceeds the per-table limit of 20");
      }
    } else if (u.update_index_name || u.delete_index_name) {
      const std::string& name = u.update_index_name ? *u.update_index_name : *u.delete_index_name;
      const IndexState* index = t.FindIndex(name);
      if (index == nullptr || !index->global) {
        return Error::ResourceNotFound("Requested resource not found: Table: " + req.table_name +
                                       " does not have a GlobalSecondaryIndex named " + name);
      }
      if (u.update_index_name) {
        if (!u.update_provisioned_throughput) return MissingMember("provisionedThroughput");
        if (billing == BillingMode::kPayPerRequest) {
          return InvalidParameter("ProvisionedThroughput should not be specified for index: " +
                                  name + " when BillingMode is PAY_PER_REQUEST");
        }
        MOE_TRY_STATUS(ValidateThroughput(*u.update_provisioned_throughput));
      } else {
        ++online_changes;
      }
    } else {
      return Error::Validation(
          "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, "
          "Update or Delete must be specified");
    }
  }
  if (online_changes > 1) {
    return Error(ErrorCode::kLimitExceeded,
                 "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                 "simultaneously per table");
  }
  req.attribute_definitions = std::move(defs);
  std::string name = req.table_name;
  Mutation m{Mutation::Kind::kUpdateTable, name};
  m.update_table = std::move(req);
  {
    std::lock_guard<std::mutex> lock(entry->mu);
    MOE_TRY_STATUS(Commit({&m, 1}));
  }
  UpdateTableResponse resp;
  resp.table_description = t.Describe(now);
  return ToJson(resp);
}

Result<std::string> EngineImpl::UpdateTimeToLive(std::string_view body) {
  MOE_TRY(UpdateTimeToLiveRequest req, ParseRequest<UpdateTimeToLiveRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  const TimeToLiveSpecification& spec = req.time_to_live_specification;
  if (spec.attribute_name.empty()) {
    return MissingMember("timeToLiveSpecification.attributeName");
  }
  std::unique_lock catalog(catalog_mu_);
  TableEntry* entry = FindEntry(req.table_name);
  if (entry == nullptr) return TableNotFound(req.table_name);
  const Table& t = entry->table;
  if (spec.enabled && t.ttl_attribute) {
    return Error::Validation("TimeToLive is already enabled");
  }
  if (!spec.enabled && !t.ttl_attribute) {
    return Error::Validation("TimeToLive is already disabled");
  }
  Mutation m{Mutation::Kind::kUpdateTimeToLive, req.table_name};
  m.ttl = spec;
  {
    std::lock_guard<std::mutex> lock(entry->mu);
    MOE_TRY_STATUS(Commit({&m, 1}));
  }
  UpdateTimeToLiveResponse resp;
  resp.time_to_live_specification = spec;
  return ToJson(resp);
}

Result<std::string> EngineImpl::DescribeTimeToLive(std::string_view body) {
  MOE_TRY(DescribeTimeToLiveRequest req, ParseRequest<DescribeTimeToLiveRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  std::shared_lock catalog(catalog_mu_);
  TableEntry* entry = FindEntry(req.table_name);
  if (entry == nullptr) return TableNotFound(req.table_name);
  DescribeTimeToLiveResponse resp;
  if (entry->table.ttl_attribute) {
    resp.time_to_live_status = TimeToLiveStatus::kEnabled;
    resp.attribute_name = *entry->table.ttl_attribute;
  }
  return ToJson(resp);
}

}  // namespace moe::local
