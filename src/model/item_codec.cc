// Item operations: PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html

#include "model/codec.h"
#include "model/fast_read.h"

namespace moe {

using internal::JsonValue;
using internal::JsonWriter;
using internal::Read;
using internal::WriteEnumUnless;
using internal::WriteMap;
using internal::WriteNames;
using internal::WriteOpt;

namespace {

// The members every conditional write shares.
template <typename T>
void WriteConditional(JsonWriter& w, const T& v) {
  WriteOpt(w, "ConditionExpression", v.condition_expression);
  WriteNames(w, "ExpressionAttributeNames", v.expression_attribute_names);
  WriteMap(w, "ExpressionAttributeValues", v.expression_attribute_values);
  WriteEnumUnless(w, "ReturnValues", v.return_values, ReturnValue::kNone);
  WriteEnumUnless(w, "ReturnConsumedCapacity", v.return_consumed_capacity,
                  ReturnConsumedCapacity::kNone);
  WriteEnumUnless(w, "ReturnValuesOnConditionCheckFailure",
                  v.return_values_on_condition_check_failure,
                  ReturnValuesOnConditionCheckFailure::kNone);
}

template <typename T>
Status ReadConditional(const JsonValue& obj, T* out) {
  MOE_TRY_STATUS(Read(obj, "ConditionExpression", &out->condition_expression));
  MOE_TRY_STATUS(Read(obj, "ExpressionAttributeNames", &out->expression_attribute_names));
  MOE_TRY_STATUS(Read(obj, "ExpressionAttributeValues", &out->expression_attribute_values));
  MOE_TRY_STATUS(Read(obj, "ReturnValues", &out->return_values));
  MOE_TRY_STATUS(Read(obj, "ReturnConsumedCapacity", &out->return_consumed_capacity));
  return Read(obj, "ReturnValuesOnConditionCheckFailure",
              &out->return_values_on_condition_check_failure);
}

// {"Attributes": {...}, "ConsumedCapacity": {...}}: Put, Update and Delete.
template <typename T>
std::string WriteResponseWithAttributes(const T& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteOpt(w, "Attributes", v.attributes);
  internal::WriteConsumedCapacityMember(w, v.consumed_capacity);
  w.EndObject();
  return out;
}

template <typename T>
Result<T> ParseResponseWithAttributes(std::string_view json) {
  return internal::ParseBody<T>(json, [](const JsonValue& obj, T* out) -> Status {
    MOE_TRY_STATUS(Read(obj, "Attributes", &out->attributes));
    return internal::ReadConsumedCapacityMember(obj, &out->consumed_capacity);
  });
}

void WriteTableName(JsonWriter& w, const std::string& table_name) {
  w.Key("TableName");
  w.String(table_name);
}

void WriteAttributeMap(JsonWriter& w, std::string_view key, const Map& m) {
  w.Key(key);
  w.AttributeMap(m);
}

}  // namespace

// ------------------------------------------------------------ PutItem

std::string ToJson(const PutItemRequest& v) {
  std::string out;
  out.reserve(128);
  JsonWriter w(&out);
  w.BeginObject();
  WriteTableName(w, v.table_name);
  WriteAttributeMap(w, "Item", v.item);
  WriteConditional(w, v);
  w.EndObject();
  return out;
}

template <>
Result<PutItemRequest> Parse<PutItemRequest>(std::string_view json) {
  if (auto fast = internal::FastPutItemRequest(json)) return std::move(*fast);
  return internal::ParseBody<PutItemRequest>(
      json, [](const JsonValue& obj, PutItemRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
        MOE_TRY_STATUS(Read(obj, "Item", &out->item));
        return ReadConditional(obj, out);
      });
}

std::string ToJson(const PutItemResponse& v) { return WriteResponseWithAttributes(v); }

template <>
Result<PutItemResponse> Parse<PutItemResponse>(std::string_view json) {
  return ParseResponseWithAttributes<PutItemResponse>(json);
}

// ------------------------------------------------------------ GetItem

std::string ToJson(const GetItemRequest& v) {
  std::string out;
  out.reserve(96);
  JsonWriter w(&out);
  w.BeginObject();
  WriteTableName(w, v.table_name);
  WriteAttributeMap(w, "Key", v.key);
  if (v.consistent_read) {
    w.Key("ConsistentRead");
    w.Bool(true);
  }
  WriteOpt(w, "ProjectionExpression", v.projection_expression);
  WriteNames(w, "ExpressionAttributeNames", v.expression_attribute_names);
  WriteEnumUnless(w, "ReturnConsumedCapacity", v.return_consumed_capacity,
                  ReturnConsumedCapacity::kNone);
  w.EndObject();
  return out;
}

template <>
Result<GetItemRequest> Parse<GetItemRequest>(std::string_view json) {
  if (auto fast = internal::FastGetItemRequest(json)) return std::move(*fast);
  return internal::ParseBody<GetItemRequest>(
      json, [](const JsonValue& obj, GetItemRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
        MOE_TRY_STATUS(Read(obj, "Key", &out->key));
        MOE_TRY_STATUS(Read(obj, "ConsistentRead", &out->consistent_read));
        MOE_TRY_STATUS(Read(obj, "ProjectionExpression", &out->projection_expression));
        MOE_TRY_STATUS(Read(obj, "ExpressionAttributeNames", &out->expression_attribute_names));
        return Read(obj, "ReturnConsumedCapacity", &out->return_consumed_capacity);
      });
}

std::string ToJson(const GetItemResponse& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteOpt(w, "Item", v.item);
  internal::WriteConsumedCapacityMember(w, v.consumed_capacity);
  w.EndObject();
  return out;
}

template <>
Result<GetItemResponse> Parse<GetItemResponse>(std::string_view json) {
  if (auto fast = internal::FastGetItemResponse(json)) return std::move(*fast);
  return internal::ParseBody<GetItemResponse>(
      json, [](const JsonValue& obj, GetItemResponse* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "Item", &out->item));
        return internal::ReadConsumedCapacityMember(obj, &out->consumed_capacity);
      });
}

// ------------------------------------------------------------ UpdateItem

std::string ToJson(const UpdateItemRequest& v) {
  std::string out;
  out.reserve(128);
  JsonWriter w(&out);
  w.BeginObject();
  WriteTableName(w, v.table_name);
  WriteAttributeMap(w, "Key", v.key);
  WriteOpt(w, "UpdateExpression", v.update_expression);
  WriteConditional(w, v);
  w.EndObject();
  return out;
}

template <>
Result<UpdateItemRequest> Parse<UpdateItemRequest>(std::string_view json) {
  return internal::ParseBody<UpdateItemRequest>(
      json, [](const JsonValue& obj, UpdateItemRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
        MOE_TRY_STATUS(Read(obj, "Key", &out->key));
        MOE_TRY_STATUS(Read(obj, "UpdateExpression", &out->update_expression));
        return ReadConditional(obj, out);
      });
}

std::string ToJson(const UpdateItemResponse& v) { return WriteResponseWithAttributes(v); }

template <>
Result<UpdateItemResponse> Parse<UpdateItemResponse>(std::string_view json) {
  return ParseResponseWithAttributes<UpdateItemResponse>(json);
}

// ------------------------------------------------------------ DeleteItem

std::string ToJson(const DeleteItemRequest& v) {
  std::string out;
  out.reserve(96);
  JsonWriter w(&out);
  w.BeginObject();
  WriteTableName(w, v.table_name);
  WriteAttributeMap(w, "Key", v.key);
  WriteConditional(w, v);
  w.EndObject();
  return out;
}

template <>
Result<DeleteItemRequest> Parse<DeleteItemRequest>(std::string_view json) {
  return internal::ParseBody<DeleteItemRequest>(
      json, [](const JsonValue& obj, DeleteItemRequest* out) -> Status {
        MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
        MOE_TRY_STATUS(Read(obj, "Key", &out->key));
        return ReadConditional(obj, out);
      });
}

std::string ToJson(const DeleteItemResponse& v) { return WriteResponseWithAttributes(v); }

template <>
Result<DeleteItemResponse> Parse<DeleteItemResponse>(std::string_view json) {
  return ParseResponseWithAttributes<DeleteItemResponse>(json);
}

// ------------------------------------------------------------ Query and Scan

namespace {

// The members Query and Scan share.
template <typename T>
void WriteReadRequest(JsonWriter& w, const T& v) {
  WriteTableName(w, v.table_name);
  WriteOpt(w, "IndexName", v.index_name);
  WriteOpt(w, "FilterExpression", v.filter_expression);
  WriteOpt(w, "ProjectionExpression", v.projection_expression);
  WriteNames(w, "ExpressionAttributeNames", v.expression_attribute_names);
  WriteMap(w, "ExpressionAttributeValues", v.expression_attribute_values);
  WriteOpt(w, "Limit", v.limit);
  WriteOpt(w, "ExclusiveStartKey", v.exclusive_start_key);
  if (v.consistent_read) {
    w.Key("ConsistentRead");
    w.Bool(true);
  }
  if (v.select) internal::WriteEnum(w, "Select", *v.select);
  WriteEnumUnless(w, "ReturnConsumedCapacity", v.return_consumed_capacity,
                  ReturnConsumedCapacity::kNone);
}

template <typename T>
Status ReadReadRequest(const JsonValue& obj, T* out) {
  MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
  MOE_TRY_STATUS(Read(obj, "IndexName", &out->index_name));
  MOE_TRY_STATUS(Read(obj, "FilterExpression", &out->filter_expression));
  MOE_TRY_STATUS(Read(obj, "ProjectionExpression", &out->projection_expression));
  MOE_TRY_STATUS(Read(obj, "ExpressionAttributeNames", &out->expression_attribute_names));
  MOE_TRY_STATUS(Read(obj, "ExpressionAttributeValues", &out->expression_attribute_values));
  MOE_TRY_STATUS(Read(obj, "Limit", &out->limit));
  MOE_TRY_STATUS(Read(obj, "ExclusiveStartKey", &out->exclusive_start_key));
  MOE_TRY_STATUS(Read(obj, "ConsistentRead", &out->consistent_read));
  MOE_TRY_STATUS(Read(obj, "Select", &out->select));
  return Read(obj, "ReturnConsumedCapacity", &out->return_consumed_capacity);
}

}  // namespace

std::string ToJson(const QueryRequest& v) {
  std::string out;
  out.reserve(256);
  JsonWriter w(&out);
  w.BeginObject();
  WriteReadRequest(w, v);
  WriteOpt(w, "KeyConditionExpression", v.key_condition_expression);
  if (!v.scan_index_forward) {
    w.Key("ScanIndexForward");
    w.Bool(false);
  }
  w.EndObject();
  return out;
}

template <>
Result<QueryRequest> Parse<QueryRequest>(std::string_view json) {
  return internal::ParseBody<QueryRequest>(
      json, [](const JsonValue& obj, QueryRequest* out) -> Status {
        MOE_TRY_STATUS(ReadReadRequest(obj, out));
        MOE_TRY_STATUS(Read(obj, "KeyConditionExpression", &out->key_condition_expression));
        return Read(obj, "ScanIndexForward", &out->scan_index_forward);
      });
}

std::string ToJson(const ScanRequest& v) {
  std::string out;
  out.reserve(256);
  JsonWriter w(&out);
  w.BeginObject();
  WriteReadRequest(w, v);
  WriteOpt(w, "Segment", v.segment);
  WriteOpt(w, "TotalSegments", v.total_segments);
  w.EndObject();
  return out;
}

template <>
Result<ScanRequest> Parse<ScanRequest>(std::string_view json) {
  return internal::ParseBody<ScanRequest>(json,
                                          [](const JsonValue& obj, ScanRequest* out) -> Status {
                                            MOE_TRY_STATUS(ReadReadRequest(obj, out));
                                            MOE_TRY_STATUS(Read(obj, "Segment", &out->segment));
                                            return Read(obj, "TotalSegments", &out->total_segments);
                                          });
}

std::string ToJson(const QueryResponse& v) {
  std::string out;
  out.reserve(64 + v.items.size() * 128);
  JsonWriter w(&out);
  w.BeginObject();
  // DynamoDB always sends Items (unless Select is COUNT), Count and ScannedCount.
  w.Key("Items");
  w.BeginArray();
  for (const Item& item : v.items) w.AttributeMap(item);
  w.EndArray();
  w.Key("Count");
  w.Int(v.count);
  w.Key("ScannedCount");
  w.Int(v.scanned_count);
  WriteOpt(w, "LastEvaluatedKey", v.last_evaluated_key);
  internal::WriteConsumedCapacityMember(w, v.consumed_capacity);
  w.EndObject();
  return out;
}

template <>
Result<QueryResponse> Parse<QueryResponse>(std::string_view json) {
  if (auto fast = internal::FastQueryResponse(json)) return std::move(*fast);
  return internal::ParseBody<QueryResponse>(
      json, [](const JsonValue& obj, QueryResponse* out) -> Status {
        const JsonValue* items = nullptr;
        MOE_TRY_STATUS(internal::ReadArray(obj, "Items", &items));
        if (items != nullptr) {
          out->items.reserve(items->Size());
          for (const JsonValue& e : items->GetArray()) {
            if (!e.IsObject()) return internal::WrongType("Items", "array of objects");
            MOE_TRY(Item item, internal::AttributeMapFromJson(e));
            out->items.push_back(std::move(item));
          }
        }
        MOE_TRY_STATUS(Read(obj, "Count", &out->count));
        MOE_TRY_STATUS(Read(obj, "ScannedCount", &out->scanned_count));
        MOE_TRY_STATUS(Read(obj, "LastEvaluatedKey", &out->last_evaluated_key));
        return internal::ReadConsumedCapacityMember(obj, &out->consumed_capacity);
      });
}

}  // namespace moe
