// The DynamoDB API as C++ types: one request and one response struct per
// operation, with the wire names of the 2012-08-10 JSON protocol. The client
// serializes requests and parses responses; the embedded engine does the
// reverse, with the same code (src/model/).
//
//   moe::PutItemRequest req{.table_name = "users", .item = {{"pk", "u#1"}}};
//   req.condition_expression = "attribute_not_exists(pk)";
//   std::string json = moe::ToJson(req);
//
// Optional fields are std::optional or empty containers; an empty container
// is not sent. API reference:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html
// Thread safety: plain structs; the functions are free of shared state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/result.h"
#include "moe/value.h"

namespace moe {

// ------------------------------------------------------------ shared types

enum class ScalarAttributeType : uint8_t { kS, kN, kB };
enum class KeyType : uint8_t { kHash, kRange };
enum class ProjectionType : uint8_t { kAll, kKeysOnly, kInclude };
enum class BillingMode : uint8_t { kProvisioned, kPayPerRequest };
enum class TableStatus : uint8_t {
  kCreating, kUpdating, kDeleting, kActive, kArchiving, kArchived,
  kInaccessibleEncryptionCredentials,
};
enum class IndexStatus : uint8_t { kCreating, kUpdating, kDeleting, kActive };
enum class ReturnValue : uint8_t { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };
enum class ReturnConsumedCapacity : uint8_t { kNone, kTotal, kIndexes };
enum class ReturnValuesOnConditionCheckFailure : uint8_t { kNone, kAllOld };
enum class Select : uint8_t { kAllAttributes, kAllProjectedAttributes, kSpecificAttributes, kCount };
enum class TimeToLiveStatus : uint8_t { kEnabling, kDisabling, kEnabled, kDisabled };

// "#name" -> attribute name, and ":value" -> value.
using ExpressionNames = std::map<std::string, std::string, std::less<>>;
using ExpressionValues = Map;

struct AttributeDefinition {
  std::string attribute_name;
  ScalarAttributeType attribute_type = ScalarAttributeType::kS;
  friend bool operator==(const AttributeDefinition&, const AttributeDefinition&) = default;
};

struct KeySchemaElement {
  std::string attribute_name;
  KeyType key_type = KeyType::kHash;
  friend bool operator==(const KeySchemaElement&, const KeySchemaElement&) = default;
};
using KeySchema = std::vector<KeySchemaElement>;

struct Projection {
  ProjectionType projection_type = ProjectionType::kAll;
  std::vector<std::string> non_key_attributes;  // with kInclude
  friend bool operator==(const Projection&, const Projection&) = default;
};

struct ProvisionedThroughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  friend bool operator==(const ProvisionedThroughput&, const ProvisionedThroughput&) = default;
};

// What DescribeTable reports about provisioned capacity.
struct ProvisionedThroughputDescription {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  int64_t number_of_decreases_today = 0;
  std::optional<double> last_increase_date_time;  // seconds since the epoch
  std::optional<double> last_decrease_date_time;
  friend bool operator==(const ProvisionedThroughputDescription&,
                         const ProvisionedThroughputDescription&) = default;
};

struct GlobalSecondaryIndex {
  std::string index_name;
  KeySchema key_schema;
  Projection projection;
  std::optional<ProvisionedThroughput> provisioned_throughput;  // provisioned tables only
  friend bool operator==(const GlobalSecondaryIndex&, const GlobalSecondaryIndex&) = default;
};

struct LocalSecondaryIndex {
  std::string index_name;
  KeySchema key_schema;
  Projection projection;
  friend bool operator==(const LocalSecondaryIndex&, const LocalSecondaryIndex&) = default;
};

struct IndexDescription {
  std::string index_name;
  KeySchema key_schema;
  Projection projection;
  std::optional<IndexStatus> index_status;  // GSIs only
  std::optional<ProvisionedThroughputDescription> provisioned_throughput;  // GSIs only
  int64_t item_count = 0;
  int64_t index_size_bytes = 0;
  std::string index_arn;
  friend bool operator==(const IndexDescription&, const IndexDescription&) = default;
};

struct TableDescription {
  std::string table_name;
  std::string table_arn;
  std::string table_id;
  TableStatus table_status = TableStatus::kActive;
  double creation_date_time = 0;  // seconds since the epoch
  std::vector<AttributeDefinition> attribute_definitions;
  KeySchema key_schema;
  std::optional<BillingMode> billing_mode;  // BillingModeSummary.BillingMode
  std::optional<ProvisionedThroughputDescription> provisioned_throughput;
  int64_t item_count = 0;
  int64_t table_size_bytes = 0;
  std::vector<IndexDescription> global_secondary_indexes;
  std::vector<IndexDescription> local_secondary_indexes;
  friend bool operator==(const TableDescription&, const TableDescription&) = default;
};

struct Capacity {
  double capacity_units = 0;
  double read_capacity_units = 0;
  double write_capacity_units = 0;
  friend bool operator==(const Capacity&, const Capacity&) = default;
};

struct ConsumedCapacity {
  std::string table_name;
  double capacity_units = 0;
  double read_capacity_units = 0;
  double write_capacity_units = 0;
  std::optional<Capacity> table;  // with kIndexes
  std::map<std::string, Capacity, std::less<>> local_secondary_indexes;
  std::map<std::string, Capacity, std::less<>> global_secondary_indexes;
  friend bool operator==(const ConsumedCapacity&, const ConsumedCapacity&) = default;
};

// ------------------------------------------------------------ table operations

struct CreateTableResponse {
  TableDescription table_description;
  friend bool operator==(const CreateTableResponse&, const CreateTableResponse&) = default;
};
struct CreateTableRequest {
  static constexpr std::string_view kOperation = "CreateTable";
  using Response = CreateTableResponse;
  std::string table_name;
  std::vector<AttributeDefinition> attribute_definitions;
  KeySchema key_schema;
  BillingMode billing_mode = BillingMode::kProvisioned;
  std::optional<ProvisionedThroughput> provisioned_throughput;  // required when provisioned
  std::vector<GlobalSecondaryIndex> global_secondary_indexes;
  std::vector<LocalSecondaryIndex> local_secondary_indexes;
  friend bool operator==(const CreateTableRequest&, const CreateTableRequest&) = default;
};

struct DeleteTableResponse {
  TableDescription table_description;
  friend bool operator==(const DeleteTableResponse&, const DeleteTableResponse&) = default;
};
struct DeleteTableRequest {
  static constexpr std::string_view kOperation = "DeleteTable";
  using Response = DeleteTableResponse;
  std::string table_name;
  friend bool operator==(const DeleteTableRequest&, const DeleteTableRequest&) = default;
};

struct DescribeTableResponse {
  TableDescription table;
  friend bool operator==(const DescribeTableResponse&, const DescribeTableResponse&) = default;
};
struct DescribeTableRequest {
  static constexpr std::string_view kOperation = "DescribeTable";
  using Response = DescribeTableResponse;
  std::string table_name;
  friend bool operator==(const DescribeTableRequest&, const DescribeTableRequest&) = default;
};

struct ListTablesResponse {
  std::vector<std::string> table_names;
  std::optional<std::string> last_evaluated_table_name;
  friend bool operator==(const ListTablesResponse&, const ListTablesResponse&) = default;
};
struct ListTablesRequest {
  static constexpr std::string_view kOperation = "ListTables";
  using Response = ListTablesResponse;
  std::optional<std::string> exclusive_start_table_name;
  std::optional<int> limit;  // 1..100
  friend bool operator==(const ListTablesRequest&, const ListTablesRequest&) = default;
};

struct GlobalSecondaryIndexUpdate {
  std::optional<GlobalSecondaryIndex> create;
  // Update: index name and its new throughput.
  std::optional<std::string> update_index_name;
  std::optional<ProvisionedThroughput> update_provisioned_throughput;
  std::optional<std::string> delete_index_name;
  friend bool operator==(const GlobalSecondaryIndexUpdate&, const GlobalSecondaryIndexUpdate&) = default;
};

struct UpdateTableResponse {
  TableDescription table_description;
  friend bool operator==(const UpdateTableResponse&, const UpdateTableResponse&) = default;
};
struct UpdateTableRequest {
  static constexpr std::string_view kOperation = "UpdateTable";
  using Response = UpdateTableResponse;
  std::string table_name;
  std::vector<AttributeDefinition> attribute_definitions;  // for new GSIs
  std::optional<BillingMode> billing_mode;
  std::optional<ProvisionedThroughput> provisioned_throughput;
  std::vector<GlobalSecondaryIndexUpdate> global_secondary_index_updates;
  friend bool operator==(const UpdateTableRequest&, const UpdateTableRequest&) = default;
};

struct TimeToLiveSpecification {
  bool enabled = false;
  std::string attribute_name;
  friend bool operator==(const TimeToLiveSpecification&, const TimeToLiveSpecification&) = default;
};

struct UpdateTimeToLiveResponse {
  TimeToLiveSpecification time_to_live_specification;
  friend bool operator==(const UpdateTimeToLiveResponse&, const UpdateTimeToLiveResponse&) = default;
};
struct UpdateTimeToLiveRequest {
  static constexpr std::string_view kOperation = "UpdateTimeToLive";
  using Response = UpdateTimeToLiveResponse;
  std::string table_name;
  TimeToLiveSpecification time_to_live_specification;
  friend bool operator==(const UpdateTimeToLiveRequest&, const UpdateTimeToLiveRequest&) = default;
};

struct DescribeTimeToLiveResponse {
  TimeToLiveStatus time_to_live_status = TimeToLiveStatus::kDisabled;
  std::string attribute_name;  // empty when disabled
  friend bool operator==(const DescribeTimeToLiveResponse&, const DescribeTimeToLiveResponse&) = default;
};
struct DescribeTimeToLiveRequest {
  static constexpr std::string_view kOperation = "DescribeTimeToLive";
  using Response = DescribeTimeToLiveResponse;
  std::string table_name;
  friend bool operator==(const DescribeTimeToLiveRequest&, const DescribeTimeToLiveRequest&) = default;
};

// ------------------------------------------------------------ item operations

struct PutItemResponse {
  std::optional<Item> attributes;  // with return_values
  std::optional<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const PutItemResponse&, const PutItemResponse&) = default;
};
struct PutItemRequest {
  static constexpr std::string_view kOperation = "PutItem";
  using Response = PutItemResponse;
  std::string table_name;
  Item item;
  std::optional<std::string> condition_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  ReturnValue return_values = ReturnValue::kNone;  // kNone or kAllOld
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kNone;
  friend bool operator==(const PutItemRequest&, const PutItemRequest&) = default;
};

struct GetItemResponse {
  std::optional<Item> item;  // absent when no item has the key
  std::optional<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const GetItemResponse&, const GetItemResponse&) = default;
};
struct GetItemRequest {
  static constexpr std::string_view kOperation = "GetItem";
  using Response = GetItemResponse;
  std::string table_name;
  Item key;
  bool consistent_read = false;
  std::optional<std::string> projection_expression;
  ExpressionNames expression_attribute_names;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  friend bool operator==(const GetItemRequest&, const GetItemRequest&) = default;
};

struct UpdateItemResponse {
  std::optional<Item> attributes;
  std::optional<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const UpdateItemResponse&, const UpdateItemResponse&) = default;
};
struct UpdateItemRequest {
  static constexpr std::string_view kOperation = "UpdateItem";
  using Response = UpdateItemResponse;
  std::string table_name;
  Item key;
  std::optional<std::string> update_expression;
  std::optional<std::string> condition_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  ReturnValue return_values = ReturnValue::kNone;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kNone;
  friend bool operator==(const UpdateItemRequest&, const UpdateItemRequest&) = default;
};

struct DeleteItemResponse {
  std::optional<Item> attributes;
  std::optional<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const DeleteItemResponse&, const DeleteItemResponse&) = default;
};
struct DeleteItemRequest {
  static constexpr std::string_view kOperation = "DeleteItem";
  using Response = DeleteItemResponse;
  std::string table_name;
  Item key;
  std::optional<std::string> condition_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  ReturnValue return_values = ReturnValue::kNone;  // kNone or kAllOld
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kNone;
  friend bool operator==(const DeleteItemRequest&, const DeleteItemRequest&) = default;
};

// Query and Scan share their response shape.
struct QueryResponse {
  std::vector<Item> items;
  int64_t count = 0;
  int64_t scanned_count = 0;
  std::optional<Item> last_evaluated_key;  // absent on the last page
  std::optional<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const QueryResponse&, const QueryResponse&) = default;
};
struct QueryRequest {
  static constexpr std::string_view kOperation = "Query";
  using Response = QueryResponse;
  std::string table_name;
  std::optional<std::string> index_name;
  std::optional<std::string> key_condition_expression;
  std::optional<std::string> filter_expression;
  std::optional<std::string> projection_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  std::optional<int> limit;
  bool scan_index_forward = true;
  std::optional<Item> exclusive_start_key;
  bool consistent_read = false;
  std::optional<Select> select;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  friend bool operator==(const QueryRequest&, const QueryRequest&) = default;
};

using ScanResponse = QueryResponse;
struct ScanRequest {
  static constexpr std::string_view kOperation = "Scan";
  using Response = ScanResponse;
  std::string table_name;
  std::optional<std::string> index_name;
  std::optional<std::string> filter_expression;
  std::optional<std::string> projection_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  std::optional<int> limit;
  std::optional<Item> exclusive_start_key;
  bool consistent_read = false;
  std::optional<Select> select;
  std::optional<int> segment;
  std::optional<int> total_segments;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  friend bool operator==(const ScanRequest&, const ScanRequest&) = default;
};

// ------------------------------------------------------------ batch operations

struct KeysAndAttributes {
  std::vector<Item> keys;
  std::optional<std::string> projection_expression;
  ExpressionNames expression_attribute_names;
  bool consistent_read = false;
  friend bool operator==(const KeysAndAttributes&, const KeysAndAttributes&) = default;
};

struct BatchGetItemResponse {
  std::map<std::string, std::vector<Item>, std::less<>> responses;
  std::map<std::string, KeysAndAttributes, std::less<>> unprocessed_keys;
  std::vector<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const BatchGetItemResponse&, const BatchGetItemResponse&) = default;
};
struct BatchGetItemRequest {
  static constexpr std::string_view kOperation = "BatchGetItem";
  using Response = BatchGetItemResponse;
  std::map<std::string, KeysAndAttributes, std::less<>> request_items;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  friend bool operator==(const BatchGetItemRequest&, const BatchGetItemRequest&) = default;
};

// Exactly one of put_item and delete_key is set.
struct WriteRequest {
  std::optional<Item> put_item;
  std::optional<Item> delete_key;
  friend bool operator==(const WriteRequest&, const WriteRequest&) = default;
};

struct BatchWriteItemResponse {
  std::map<std::string, std::vector<WriteRequest>, std::less<>> unprocessed_items;
  std::vector<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const BatchWriteItemResponse&, const BatchWriteItemResponse&) = default;
};
struct BatchWriteItemRequest {
  static constexpr std::string_view kOperation = "BatchWriteItem";
  using Response = BatchWriteItemResponse;
  std::map<std::string, std::vector<WriteRequest>, std::less<>> request_items;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  friend bool operator==(const BatchWriteItemRequest&, const BatchWriteItemRequest&) = default;
};

// ------------------------------------------------------------ transactions

struct ConditionCheck {
  std::string table_name;
  Item key;
  std::string condition_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kNone;
  friend bool operator==(const ConditionCheck&, const ConditionCheck&) = default;
};
struct TransactPut {
  std::string table_name;
  Item item;
  std::optional<std::string> condition_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kNone;
  friend bool operator==(const TransactPut&, const TransactPut&) = default;
};
struct TransactDelete {
  std::string table_name;
  Item key;
  std::optional<std::string> condition_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kNone;
  friend bool operator==(const TransactDelete&, const TransactDelete&) = default;
};
struct TransactUpdate {
  std::string table_name;
  Item key;
  std::string update_expression;
  std::optional<std::string> condition_expression;
  ExpressionNames expression_attribute_names;
  ExpressionValues expression_attribute_values;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kNone;
  friend bool operator==(const TransactUpdate&, const TransactUpdate&) = default;
};
// Exactly one member is set.
struct TransactWriteItem {
  std::optional<ConditionCheck> condition_check;
  std::optional<TransactPut> put;
  std::optional<TransactDelete> del;  // "Delete" on the wire
  std::optional<TransactUpdate> update;
  friend bool operator==(const TransactWriteItem&, const TransactWriteItem&) = default;
};

struct TransactWriteItemsResponse {
  std::vector<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const TransactWriteItemsResponse&, const TransactWriteItemsResponse&) = default;
};
struct TransactWriteItemsRequest {
  static constexpr std::string_view kOperation = "TransactWriteItems";
  using Response = TransactWriteItemsResponse;
  std::vector<TransactWriteItem> transact_items;  // 1..100
  std::optional<std::string> client_request_token;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  friend bool operator==(const TransactWriteItemsRequest&, const TransactWriteItemsRequest&) = default;
};

struct TransactGetItem {
  std::string table_name;
  Item key;
  std::optional<std::string> projection_expression;
  ExpressionNames expression_attribute_names;
  friend bool operator==(const TransactGetItem&, const TransactGetItem&) = default;
};

struct TransactGetItemsResponse {
  std::vector<std::optional<Item>> responses;  // one per requested item, in order
  std::vector<ConsumedCapacity> consumed_capacity;
  friend bool operator==(const TransactGetItemsResponse&, const TransactGetItemsResponse&) = default;
};
struct TransactGetItemsRequest {
  static constexpr std::string_view kOperation = "TransactGetItems";
  using Response = TransactGetItemsResponse;
  std::vector<TransactGetItem> transact_items;  // 1..100
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  friend bool operator==(const TransactGetItemsRequest&, const TransactGetItemsRequest&) = default;
};

// ------------------------------------------------------------ serialization
//
// ToJson writes the wire body; Parse<T> reads it. Both exist for every
// request and response type above, so the client (requests out, responses in)
// and the engine (requests in, responses out) share one codec. Parse errors:
// kSerialization for malformed JSON or wrong field types, kValidation for bad
// attribute values and unknown enum strings (DynamoDB's messages where known).

#define MOE_MODEL_TYPES(X)                                                                      \
  X(CreateTableRequest) X(CreateTableResponse) X(DeleteTableRequest) X(DeleteTableResponse)    \
  X(DescribeTableRequest) X(DescribeTableResponse) X(ListTablesRequest) X(ListTablesResponse) \
  X(UpdateTableRequest) X(UpdateTableResponse) X(UpdateTimeToLiveRequest)                      \
  X(UpdateTimeToLiveResponse) X(DescribeTimeToLiveRequest) X(DescribeTimeToLiveResponse)       \
  X(PutItemRequest) X(PutItemResponse) X(GetItemRequest) X(GetItemResponse)                    \
  X(UpdateItemRequest) X(UpdateItemResponse) X(DeleteItemRequest) X(DeleteItemResponse)       \
  X(QueryRequest) X(QueryResponse) X(ScanRequest) X(BatchGetItemRequest)                       \
  X(BatchGetItemResponse) X(BatchWriteItemRequest) X(BatchWriteItemResponse)                   \
  X(TransactWriteItemsRequest) X(TransactWriteItemsResponse) X(TransactGetItemsRequest)        \
  X(TransactGetItemsResponse)

#define MOE_DECLARE_CODEC(T) std::string ToJson(const T& v);
MOE_MODEL_TYPES(MOE_DECLARE_CODEC)
#undef MOE_DECLARE_CODEC

template <typename T>
Result<T> Parse(std::string_view json);

#define MOE_DECLARE_PARSE(T) template <> Result<T> Parse<T>(std::string_view json);
MOE_MODEL_TYPES(MOE_DECLARE_PARSE)
#undef MOE_DECLARE_PARSE

// Wire names of enums ("ALL_OLD", "PAY_PER_REQUEST", ...).
std::string_view ToString(TableStatus v);
std::string_view ToString(BillingMode v);
std::string_view ToString(ScalarAttributeType v);
std::string_view ToString(KeyType v);
std::string_view ToString(ProjectionType v);
std::string_view ToString(IndexStatus v);
std::string_view ToString(ReturnValue v);
std::string_view ToString(ReturnConsumedCapacity v);
std::string_view ToString(ReturnValuesOnConditionCheckFailure v);
std::string_view ToString(Select v);
std::string_view ToString(TimeToLiveStatus v);

// Reverse of ToString for any of the enums above: nullopt for a name that
// is not in the enum's value set (names are case-sensitive, as on the wire).
template <typename E>
std::optional<E> EnumFromString(std::string_view name);

// The X-Amz-Target header value for a request type:
// TargetFor<PutItemRequest>() == "DynamoDB_20120810.PutItem".
template <typename Request>
std::string TargetFor() {
  return std::string("DynamoDB_20120810.") + std::string(Request::kOperation);
}

// ------------------------------------------------------------ errors
//
// The one place where an Error becomes DynamoDB's error body and back:
// {"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"..."}
// with Item (ConditionalCheckFailed) and CancellationReasons
// (TransactionCanceled) when the error carries an ErrorDetail.

// The namespace follows DynamoDB: com.amazon.coral.validate# for
// ValidationException, com.amazon.coral.service# for the front end's errors
// (AccessDenied, IncompleteSignature, InvalidSignature,
// MissingAuthenticationToken, Serialization, UnknownOperation,
// UnrecognizedClient), com.amazon.coral.availability# for
// ThrottlingException, com.amazonaws.dynamodb.v20120810# for the rest.
// TransactionCanceledException carries "Message", the others "message".
std::string ErrorToJson(const Error& error);
// Builds the Error for a non-2xx response: the code from `__type` (any
// namespace prefix), the message from "message" or "Message", the ErrorDetail
// from Item and CancellationReasons, and the status and request id. A
// `__type` moe does not know gives kUnknownService with type_name() the name
// after '#'. A body without a usable `__type` gives an error from the HTTP
// status alone: 413 -> kRequestEntityTooLarge, 500 -> kInternalServerError,
// 503 -> kServiceUnavailable, other 5xx -> kUnknownService (retryable), any
// other status -> kBadResponse naming the status. A malformed Item in the
// body is dropped; the error is kept.
Error ErrorFromResponse(int http_status, std::string_view body, std::string_view request_id);

}  // namespace moe
