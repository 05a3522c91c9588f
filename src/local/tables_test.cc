#include <chrono>

#include "local/test_util.h"

namespace moe::local::testing {
namespace {

using TablesTest = EngineTest;

TEST_F(TablesTest, CreateDescribeListDelete) {
  auto created = Ok(TableSpec("users", true));
  const TableDescription& d = created.table_description;
  EXPECT_EQ(d.table_name, "users");
  EXPECT_EQ(d.table_status, TableStatus::kActive);
  EXPECT_EQ(d.table_arn, "arn:aws:dynamodb:us-east-1:000000000000:table/users");
  EXPECT_EQ(d.creation_date_time, 1700000000.0);
  ASSERT_EQ(d.key_schema.size(), 2u);
  EXPECT_EQ(d.billing_mode, BillingMode::kPayPerRequest);

  Put({{"pk", "a"}, {"sk", 1}, {"v", "hello"}}, "users");
  auto described = Ok(DescribeTableRequest{"users"});
  EXPECT_EQ(described.table.item_count, 1);
  EXPECT_GT(described.table.table_size_bytes, 0);

  CreateTable("alpha");
  CreateTable("zeta");
  auto listed = Ok(ListTablesRequest{});
  EXPECT_EQ(listed.table_names, (std::vector<std::string>{"alpha", "users", "zeta"}));
  EXPECT_FALSE(listed.last_evaluated_table_name);

  auto page = Ok(ListTablesRequest{.limit = 2});
  EXPECT_EQ(page.table_names, (std::vector<std::string>{"alpha", "users"}));
  EXPECT_EQ(page.last_evaluated_table_name, "users");
  auto rest = Ok(ListTablesRequest{.exclusive_start_table_name = "users", .limit = 2});
  EXPECT_EQ(rest.table_names, (std::vector<std::string>{"zeta"}));
  EXPECT_FALSE(rest.last_evaluated_table_name);

  auto deleted = Ok(DeleteTableRequest{"users"});
  EXPECT_EQ(deleted.table_description.table_status, TableStatus::kDeleting);
  EXPECT_EQ(Fail(DescribeTableRequest{"users"}, ErrorCode::kResourceNotFound),
            "Requested resource not found: Table: users not found");
}

TEST_F(TablesTest, DuplicateTableIsInUse) {
  CreateTable("tbl");
  EXPECT_EQ(Fail(TableSpec("tbl"), ErrorCode::kResourceInUse), "Table already exists: tbl");
}

TEST_F(TablesTest, StateTransitionsFollowTheClock) {
  engine_ = Open({.table_transition = std::chrono::seconds(5)});
  auto created = Ok(TableSpec("tbl"));
  EXPECT_EQ(created.table_description.table_status, TableStatus::kCreating);
  PutItemRequest put{.table_name = "tbl", .item = {{"pk", "a"}}};
  EXPECT_EQ(Fail(put, ErrorCode::kResourceNotFound), "Requested resource not found");
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(Ok(DescribeTableRequest{"tbl"}).table.table_status, TableStatus::kActive);
  Ok(put);
  EXPECT_EQ(Ok(DeleteTableRequest{"tbl"}).table_description.table_status, TableStatus::kDeleting);
  EXPECT_EQ(Ok(DescribeTableRequest{"tbl"}).table.table_status, TableStatus::kDeleting);
  clock_.Advance(std::chrono::seconds(5));
  Fail(DescribeTableRequest{"tbl"}, ErrorCode::kResourceNotFound);
  Ok(TableSpec("tbl"));  // the name is free again
}

TEST_F(TablesTest, NameValidation) {
  EXPECT_EQ(Fail(DescribeTableRequest{}),
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
            "Member must not be null");
  EXPECT_EQ(Fail(DescribeTableRequest{"ab"}),
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 3");
  EXPECT_EQ(Fail(DescribeTableRequest{"a b"}),
            "1 validation error detected: Value 'a b' at 'tableName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  EXPECT_EQ(Fail(ListTablesRequest{.limit = 0}),
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
  EXPECT_EQ(Fail(ListTablesRequest{.limit = 101}),
            "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 100");
}

TEST_F(TablesTest, SchemaValidation) {
  CreateTableRequest req = TableSpec();
  req.attribute_definitions.push_back({"extra", ScalarAttributeType::kS});
  EXPECT_EQ(Fail(req),
            "One or more parameter values were invalid: Number of attributes in KeySchema does not "
            "exactly match number of attributes defined in AttributeDefinitions");

  req = TableSpec();
  req.key_schema = {{"nope", KeyType::kHash}};
  EXPECT_EQ(Fail(req),
            "One or more parameter values were invalid: Some index key attributes are not defined "
            "in AttributeDefinitions. Keys: [nope], AttributeDefinitions: [pk]");

  req = TableSpec("tbl", true);
  req.key_schema = {{"sk", KeyType::kRange}, {"pk", KeyType::kHash}};
  EXPECT_EQ(Fail(req), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");

  req = TableSpec();
  req.billing_mode = BillingMode::kProvisioned;
  EXPECT_EQ(Fail(req),
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
            "must both be specified when BillingMode is PROVISIONED");
  req.provisioned_throughput = ProvisionedThroughput{5, 5};
  auto created = Ok(req);
  EXPECT_EQ(created.table_description.provisioned_throughput->read_capacity_units, 5);

  req = TableSpec("tbl2");
  req.provisioned_throughput = ProvisionedThroughput{5, 5};
  EXPECT_EQ(Fail(req),
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
            "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
}

TEST_F(TablesTest, IndexValidation) {
  CreateTableRequest req = TableSpec("tbl", true);
  req.attribute_definitions.push_back({"other", ScalarAttributeType::kS});
  req.local_secondary_indexes = {{"lsi", {{"other", KeyType::kHash}, {"sk", KeyType::kRange}}, {}}};
  EXPECT_EQ(Fail(req),
            "One or more parameter values were invalid: Index KeySchema does not have the same "
            "leading hash key as table KeySchema for index: lsi. index hash key: other, table hash "
            "key: pk");
  req.local_secondary_indexes.clear();
  for (int i = 0; i < 6; ++i) {
    req.local_secondary_indexes.push_back(
        {"lsi" + std::to_string(i), {{"pk", KeyType::kHash}, {"other", KeyType::kRange}}, {}});
  }
  EXPECT_EQ(Fail(req),
            "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds "
            "per-table limit of 5");
  req.local_secondary_indexes.resize(5);
  for (int i = 0; i < 21; ++i) {
    req.global_secondary_indexes.push_back({"gsi" + std::to_string(i), {{"other", KeyType::kHash}}, {}});
  }
  EXPECT_EQ(Fail(req),
            "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the "
            "per-table limit of 20");
  req.global_secondary_indexes.resize(20);
  auto created = Ok(req);
  EXPECT_EQ(created.table_description.local_secondary_indexes.size(), 5u);
  EXPECT_EQ(created.table_description.global_secondary_indexes.size(), 20u);
  EXPECT_EQ(created.table_description.global_secondary_indexes[0].index_status, IndexStatus::kActive);
  EXPECT_EQ(created.table_description.global_secondary_indexes[0].index_arn,
            "arn:aws:dynamodb:us-east-1:000000000000:table/tbl/index/gsi0");

  CreateTableRequest lsi_without_range = TableSpec("tbl3");
  lsi_without_range.local_secondary_indexes = {{"l", {{"pk", KeyType::kHash}}, {}}};
  EXPECT_EQ(Fail(lsi_without_range),
            "One or more parameter values were invalid: Table KeySchema does not have a range key, "
            "which is required when specifying a LocalSecondaryIndex");
}

TEST_F(TablesTest, UpdateTableThroughputAndBilling) {
  CreateTableRequest req = TableSpec();
  req.billing_mode = BillingMode::kProvisioned;
  req.provisioned_throughput = ProvisionedThroughput{5, 5};
  Ok(req);
  EXPECT_EQ(Fail(UpdateTableRequest{.table_name = "tbl"}),
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
            "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  EXPECT_EQ(Fail(UpdateTableRequest{.table_name = "tbl",
                                    .provisioned_throughput = ProvisionedThroughput{5, 5}}),
            "The provisioned throughput for the table will not change. The requested value equals "
            "the current value. Current ReadCapacityUnitsForTable: 5. Requested "
            "ReadCapacityUnitsForTable: 5. Current WriteCapacityUnitsForTable: 5. Requested "
            "WriteCapacityUnitsForTable: 5.");
  auto up = Ok(UpdateTableRequest{.table_name = "tbl",
                                  .provisioned_throughput = ProvisionedThroughput{10, 2}});
  EXPECT_EQ(up.table_description.provisioned_throughput->read_capacity_units, 10);
  EXPECT_EQ(up.table_description.provisioned_throughput->number_of_decreases_today, 1);
  auto ppr = Ok(UpdateTableRequest{.table_name = "tbl", .billing_mode = BillingMode::kPayPerRequest});
  EXPECT_EQ(ppr.table_description.billing_mode, BillingMode::kPayPerRequest);
  Fail(UpdateTableRequest{.table_name = "missing", .billing_mode = BillingMode::kPayPerRequest},
       ErrorCode::kResourceNotFound);
}

TEST_F(TablesTest, TimeToLiveSettings) {
  CreateTable();
  EXPECT_EQ(Ok(DescribeTimeToLiveRequest{"tbl"}).time_to_live_status, TimeToLiveStatus::kDisabled);
  auto up = Ok(UpdateTimeToLiveRequest{"tbl", {true, "expires"}});
  EXPECT_EQ(up.time_to_live_specification.attribute_name, "expires");
  auto d = Ok(DescribeTimeToLiveRequest{"tbl"});
  EXPECT_EQ(d.time_to_live_status, TimeToLiveStatus::kEnabled);
  EXPECT_EQ(d.attribute_name, "expires");
  EXPECT_EQ(Fail(UpdateTimeToLiveRequest{"tbl", {true, "expires"}}), "TimeToLive is already enabled");
  Ok(UpdateTimeToLiveRequest{"tbl", {false, "expires"}});
  EXPECT_EQ(Fail(UpdateTimeToLiveRequest{"tbl", {false, "expires"}}), "TimeToLive is already disabled");
  Fail(DescribeTimeToLiveRequest{"nope"}, ErrorCode::kResourceNotFound);
}

TEST_F(TablesTest, UnusableDataDirIsAnIoError) {
  ManualClock clock;
  auto engine = Engine::Open({.clock = &clock, .data_dir = "/proc/moe-cannot-create-this"});
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code(), ErrorCode::kIo);
}

TEST_F(TablesTest, UnknownOperation) {
  auto r = engine_->Handle("FlyToTheMoon", "{}");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnknownOperation);
}

}  // namespace
}  // namespace moe::local::testing
