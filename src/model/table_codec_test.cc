#include <gtest/gtest.h>

#include "model/test_util.h"
#include "moe/model.h"

namespace moe {
namespace {

using testing::ParseError;
using testing::RoundTrip;

TableDescription FullDescription() {
  TableDescription t;
  t.table_name = "Thread";
  t.table_arn = "arn:aws:dynamodb:us-west-2:123456789012:table/Thread";
  t.table_id = "2f5ec5a4-7c25-4ba3-8e3e-5bd8c2b8e6e5";
  t.table_status = TableStatus::kUpdating;
  t.creation_date_time = 1500000000.125;
  t.attribute_definitions = {{"ForumName", ScalarAttributeType::kS},
                             {"Subject", ScalarAttributeType::kS},
                             {"Views", ScalarAttributeType::kN},
                             {"Blob", ScalarAttributeType::kB}};
  t.key_schema = {{"ForumName", KeyType::kHash}, {"Subject", KeyType::kRange}};
  t.billing_mode = BillingMode::kProvisioned;
  t.provisioned_throughput =
      ProvisionedThroughputDescription{5, 10, 2, 1500000100.5, 1500000200.25};
  t.item_count = 1234;
  t.table_size_bytes = 987654321;
  IndexDescription gsi;
  gsi.index_name = "ByViews";
  gsi.key_schema = {{"Views", KeyType::kHash}};
  gsi.projection = Projection{ProjectionType::kInclude, {"Subject", "LastPostDateTime"}};
  gsi.index_status = IndexStatus::kCreating;
  gsi.provisioned_throughput =
      ProvisionedThroughputDescription{1, 2, 0, std::nullopt, std::nullopt};
  gsi.item_count = 7;
  gsi.index_size_bytes = 70;
  gsi.index_arn = t.table_arn + "/index/ByViews";
  t.global_secondary_indexes = {gsi};
  IndexDescription lsi;
  lsi.index_name = "BySubject";
  lsi.key_schema = {{"ForumName", KeyType::kHash}, {"Subject", KeyType::kRange}};
  lsi.projection = Projection{ProjectionType::kKeysOnly, {}};
  lsi.item_count = 3;
  lsi.index_size_bytes = 30;
  lsi.index_arn = t.table_arn + "/index/BySubject";
  t.local_secondary_indexes = {lsi};
  return t;
}

TEST(TableCodec, CreateTableRequestRoundTrip) {
  CreateTableRequest req;
  req.table_name = "Thread";
  req.attribute_definitions = {{"ForumName", ScalarAttributeType::kS},
                               {"Views", ScalarAttributeType::kN}};
  req.key_schema = {{"ForumName", KeyType::kHash}, {"Subject", KeyType::kRange}};
  req.billing_mode = BillingMode::kPayPerRequest;
  req.provisioned_throughput = ProvisionedThroughput{5, 6};
  req.global_secondary_indexes = {
      GlobalSecondaryIndex{"g1",
                           {{"Views", KeyType::kHash}},
                           Projection{ProjectionType::kAll, {}},
                           ProvisionedThroughput{1, 2}},
      GlobalSecondaryIndex{"g2",
                           {{"Views", KeyType::kHash}, {"ForumName", KeyType::kRange}},
                           Projection{ProjectionType::kInclude, {"a", "b"}},
                           std::nullopt}};
  req.local_secondary_indexes = {
      LocalSecondaryIndex{"l1",
                          {{"ForumName", KeyType::kHash}, {"Views", KeyType::kRange}},
                          Projection{ProjectionType::kKeysOnly, {}}}};
  EXPECT_EQ(RoundTrip(req), req);
}

TEST(TableCodec, CreateTableRequestWireNames) {
  CreateTableRequest req;
  req.table_name = "t";
  req.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
  req.key_schema = {{"pk", KeyType::kHash}};
  req.provisioned_throughput = ProvisionedThroughput{5, 5};
  EXPECT_EQ(
      ToJson(req),
      R"({"TableName":"t","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
      R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)"
      R"("ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}})");
}

TEST(TableCodec, TableResponsesRoundTrip) {
  CreateTableResponse create{FullDescription()};
  EXPECT_EQ(RoundTrip(create), create);
  DeleteTableResponse del{FullDescription()};
  del.table_description.table_status = TableStatus::kDeleting;
  EXPECT_EQ(RoundTrip(del), del);
  DescribeTableResponse describe{FullDescription()};
  describe.table.billing_mode = BillingMode::kPayPerRequest;
  EXPECT_EQ(RoundTrip(describe), describe);
  UpdateTableResponse update{FullDescription()};
  update.table_description.table_status = TableStatus::kInaccessibleEncryptionCredentials;
  EXPECT_EQ(RoundTrip(update), update);
  EXPECT_NE(ToJson(describe).find(R"({"Table":{)"), std::string::npos);
  EXPECT_NE(ToJson(create).find(R"({"TableDescription":{)"), std::string::npos);
}

TEST(TableCodec, SimpleRequestsRoundTrip) {
  DeleteTableRequest del{"a"};
  EXPECT_EQ(RoundTrip(del), del);
  DescribeTableRequest describe{"b"};
  EXPECT_EQ(RoundTrip(describe), describe);
  EXPECT_EQ(ToJson(describe), R"({"TableName":"b"})");
  DescribeTimeToLiveRequest ttl{"c"};
  EXPECT_EQ(RoundTrip(ttl), ttl);
}

TEST(TableCodec, ListTablesRoundTrip) {
  ListTablesRequest req{"Forum", 10};
  EXPECT_EQ(RoundTrip(req), req);
  EXPECT_EQ(ToJson(ListTablesRequest{}), "{}");
  ListTablesResponse resp{{"Forum", "Reply", "Thread"}, "Thread"};
  EXPECT_EQ(RoundTrip(resp), resp);
  EXPECT_EQ(ToJson(ListTablesResponse{}), R"({"TableNames":[]})");
}

TEST(TableCodec, UpdateTableRequestRoundTrip) {
  UpdateTableRequest req;
  req.table_name = "Thread";
  req.attribute_definitions = {{"Views", ScalarAttributeType::kN}};
  req.billing_mode = BillingMode::kProvisioned;
  req.provisioned_throughput = ProvisionedThroughput{10, 20};
  GlobalSecondaryIndexUpdate create;
  create.create = GlobalSecondaryIndex{
      "g", {{"Views", KeyType::kHash}}, Projection{}, ProvisionedThroughput{1, 1}};
  GlobalSecondaryIndexUpdate update;
  update.update_index_name = "h";
  update.update_provisioned_throughput = ProvisionedThroughput{3, 4};
  GlobalSecondaryIndexUpdate del;
  del.delete_index_name = "old";
  req.global_secondary_index_updates = {create, update, del};
  EXPECT_EQ(RoundTrip(req), req);
  EXPECT_NE(ToJson(req).find(R"({"Delete":{"IndexName":"old"}})"), std::string::npos);
}

TEST(TableCodec, TimeToLiveRoundTrip) {
  UpdateTimeToLiveRequest req{"t", TimeToLiveSpecification{true, "expires"}};
  EXPECT_EQ(RoundTrip(req), req);
  UpdateTimeToLiveResponse resp{TimeToLiveSpecification{true, "expires"}};
  EXPECT_EQ(RoundTrip(resp), resp);
  DescribeTimeToLiveResponse d{TimeToLiveStatus::kEnabling, "expires"};
  EXPECT_EQ(RoundTrip(d), d);
  EXPECT_EQ(ToJson(DescribeTimeToLiveResponse{}),
            R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})");
}

// Shaped like the DescribeTable example of the API reference, plus members
// from newer servers that moe does not model.
TEST(TableCodec, ParsesDescribeTableSample) {
  constexpr std::string_view kBody = R"({
    "Table": {
      "AttributeDefinitions": [
        {"AttributeName": "ForumName", "AttributeType": "S"},
        {"AttributeName": "LastPostDateTime", "AttributeType": "S"},
        {"AttributeName": "Subject", "AttributeType": "S"}
      ],
      "CreationDateTime": 1.363729002358E9,
      "ItemCount": 0,
      "KeySchema": [
        {"AttributeName": "ForumName", "KeyType": "HASH"},
        {"AttributeName": "Subject", "KeyType": "RANGE"}
      ],
      "LocalSecondaryIndexes": [{
        "IndexName": "LastPostIndex",
        "IndexSizeBytes": 0,
        "ItemCount": 0,
        "KeySchema": [
          {"AttributeName": "ForumName", "KeyType": "HASH"},
          {"AttributeName": "LastPostDateTime", "KeyType": "RANGE"}
        ],
        "Projection": {"ProjectionType": "KEYS_ONLY"}
      }],
      "GlobalSecondaryIndexes": [{
        "IndexName": "SubjectIndex",
        "IndexStatus": "ACTIVE",
        "Backfilling": false,
        "KeySchema": [{"AttributeName": "Subject", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["LastPostDateTime"]},
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        "IndexSizeBytes": 10, "ItemCount": 1,
        "IndexArn": "arn:aws:dynamodb:us-west-2:123456789012:table/Thread/index/SubjectIndex"
      }],
      "ProvisionedThroughput": {
        "LastIncreaseDateTime": 1.363729002358E9,
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": 5,
        "WriteCapacityUnits": 5
      },
      "TableName": "Thread",
      "TableSizeBytes": 0,
      "TableStatus": "ACTIVE",
      "TableArn": "arn:aws:dynamodb:us-west-2:123456789012:table/Thread",
      "TableId": "a8f2f3f5-9a4b-4c8e-9d1e-0a1b2c3d4e5f",
      "BillingModeSummary": {"BillingMode": "PROVISIONED", "LastUpdateToPayPerRequestDateTime": 1.5E9},
      "DeletionProtectionEnabled": false,
      "TableClassSummary": {"TableClass": "STANDARD"},
      "StreamSpecification": {"StreamEnabled": false}
    }
  })";
  Result<DescribeTableResponse> r = Parse<DescribeTableResponse>(kBody);
  ASSERT_TRUE(r) << r.error().ToString();
  const TableDescription& t = r->table;
  EXPECT_EQ(t.table_name, "Thread");
  EXPECT_EQ(t.table_status, TableStatus::kActive);
  EXPECT_DOUBLE_EQ(t.creation_date_time, 1363729002.358);
  ASSERT_EQ(t.attribute_definitions.size(), 3u);
  EXPECT_EQ(t.attribute_definitions[1].attribute_name, "LastPostDateTime");
  ASSERT_EQ(t.key_schema.size(), 2u);
  EXPECT_EQ(t.key_schema[1], (KeySchemaElement{"Subject", KeyType::kRange}));
  ASSERT_EQ(t.local_secondary_indexes.size(), 1u);
  EXPECT_EQ(t.local_secondary_indexes[0].projection.projection_type, ProjectionType::kKeysOnly);
  EXPECT_FALSE(t.local_secondary_indexes[0].index_status.has_value());
  ASSERT_EQ(t.global_secondary_indexes.size(), 1u);
  const IndexDescription& g = t.global_secondary_indexes[0];
  EXPECT_EQ(g.index_status, IndexStatus::kActive);
  EXPECT_EQ(g.projection.non_key_attributes, std::vector<std::string>{"LastPostDateTime"});
  ASSERT_TRUE(g.provisioned_throughput);
  EXPECT_EQ(g.provisioned_throughput->read_capacity_units, 5);
  EXPECT_EQ(g.item_count, 1);
  EXPECT_EQ(g.index_size_bytes, 10);
  ASSERT_TRUE(t.provisioned_throughput);
  EXPECT_TRUE(t.provisioned_throughput->last_increase_date_time);
  EXPECT_FALSE(t.provisioned_throughput->last_decrease_date_time);
  EXPECT_EQ(t.billing_mode, BillingMode::kProvisioned);
  EXPECT_EQ(t.table_id, "a8f2f3f5-9a4b-4c8e-9d1e-0a1b2c3d4e5f");
}

TEST(TableCodec, WrongTypesAreSerializationErrors) {
  EXPECT_EQ(ParseError<DescribeTableRequest>(R"({"TableName":5})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<CreateTableRequest>(R"({"TableName":"t","KeySchema":{}})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<CreateTableRequest>(R"({"TableName":"t","KeySchema":["pk"]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<CreateTableRequest>(R"({"ProvisionedThroughput":{"ReadCapacityUnits":"5"}})")
                .code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<ListTablesRequest>(R"({"Limit":1.5})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<ListTablesRequest>(R"({"Limit":"10"})").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<ListTablesRequest>(R"({"Limit":4294967296})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<ListTablesResponse>(R"({"TableNames":[1]})").code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(
      ParseError<DescribeTableResponse>(R"({"Table":{"CreationDateTime":"yesterday"}})").code(),
      ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<UpdateTimeToLiveRequest>(R"({"TimeToLiveSpecification":{"Enabled":"true"}})")
                .code(),
            ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<DescribeTableRequest>("[]").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<DescribeTableRequest>("{").code(), ErrorCode::kSerialization);
  EXPECT_EQ(ParseError<DescribeTableRequest>("").code(), ErrorCode::kSerialization);
}

TEST(TableCodec, UnknownEnumsAreValidationErrors) {
  Error e =
      ParseError<CreateTableRequest>(R"({"KeySchema":[{"AttributeName":"pk","KeyType":"SORT"}]})");
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_EQ(e.message(),
            "1 validation error detected: Value 'SORT' at 'keyType' failed to satisfy constraint: "
            "Member must "
            "satisfy enum value set: [HASH, RANGE]");
  EXPECT_EQ(ParseError<CreateTableRequest>(R"({"BillingMode":"ON_DEMAND"})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<DescribeTableResponse>(R"({"Table":{"TableStatus":"GONE"}})").code(),
            ErrorCode::kValidation);
  EXPECT_EQ(ParseError<DescribeTimeToLiveResponse>(
                R"({"TimeToLiveDescription":{"TimeToLiveStatus":"enabled"}})")
                .code(),
            ErrorCode::kValidation);
}

TEST(TableCodec, AbsentAndNullMembersAreTolerated) {
  Result<DescribeTableResponse> r =
      Parse<DescribeTableResponse>(R"({"Table":{"TableName":"t","ItemCount":null}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->table.table_name, "t");
  EXPECT_EQ(r->table.item_count, 0);
  Result<CreateTableRequest> c = Parse<CreateTableRequest>("{}");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->billing_mode, BillingMode::kProvisioned);
}

TEST(TableCodec, EnumNames) {
  EXPECT_EQ(ToString(TableStatus::kActive), "ACTIVE");
  EXPECT_EQ(ToString(TableStatus::kInaccessibleEncryptionCredentials),
            "INACCESSIBLE_ENCRYPTION_CREDENTIALS");
  EXPECT_EQ(ToString(BillingMode::kPayPerRequest), "PAY_PER_REQUEST");
  EXPECT_EQ(ToString(ReturnValue::kUpdatedNew), "UPDATED_NEW");
  EXPECT_EQ(ToString(Select::kAllProjectedAttributes), "ALL_PROJECTED_ATTRIBUTES");
  EXPECT_EQ(ToString(ProjectionType::kKeysOnly), "KEYS_ONLY");
  EXPECT_EQ(EnumFromString<ReturnValue>("ALL_OLD"), ReturnValue::kAllOld);
  EXPECT_EQ(EnumFromString<KeyType>("RANGE"), KeyType::kRange);
  EXPECT_EQ(EnumFromString<TimeToLiveStatus>("DISABLED"), TimeToLiveStatus::kDisabled);
  EXPECT_FALSE(EnumFromString<ReturnValue>("all_old").has_value());
  EXPECT_EQ(TargetFor<PutItemRequest>(), "DynamoDB_20120810.PutItem");
  EXPECT_EQ(TargetFor<TransactWriteItemsRequest>(), "DynamoDB_20120810.TransactWriteItems");
}

}  // namespace
}  // namespace moe
