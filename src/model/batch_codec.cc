// Batch operations: BatchGetItem, BatchWriteItem.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html

#include "model/codec.h"
#include "model/fast_read.h"

namespace moe {

using internal::JsonValue;
using internal::JsonWriter;
using internal::Read;
using internal::View;
using internal::WrongType;

namespace {

using KeysByTable = std::map<std::string, KeysAndAttributes, std::less<>>;
using WritesByTable = std::map<std::string, std::vector<WriteRequest>, std::less<>>;

Status ReadItems(const JsonValue& arr, std::string_view name, std::vector<Item>* out) {
  if (!arr.IsArray()) return WrongType(name, "array");
  out->reserve(out->size() + arr.Size());
  for (const JsonValue& e : arr.GetArray()) {
    if (!e.IsObject()) return WrongType(name, "array of objects");
    MOE_TRY(Item item, internal::AttributeMapFromJson(e));
    out->push_back(std::move(item));
  }
  return Ok();
}

void WriteItems(JsonWriter& w, const std::vector<Item>& items) {
  w.BeginArray();
  for (const Item& item : items) w.AttributeMap(item);
  w.EndArray();
}

// ------------------------------------------------------------ keys and attributes

void WriteKeysByTable(JsonWriter& w, std::string_view key, const KeysByTable& m) {
  w.Key(key);
  w.BeginObject();
  for (const auto& [table, ka] : m) {
    w.Key(table);
    w.BeginObject();
    w.Key("Keys");
    WriteItems(w, ka.keys);
    internal::WriteOpt(w, "ProjectionExpression", ka.projection_expression);
    internal::WriteNames(w, "ExpressionAttributeNames", ka.expression_attribute_names);
    if (ka.consistent_read) {
      w.Key("ConsistentRead");
      w.Bool(true);
    }
    w.EndObject();
  }
  w.EndObject();
}

Status ReadKeysAndAttributes(const JsonValue& obj, KeysAndAttributes* out) {
  if (const JsonValue* keys = internal::Member(obj, "Keys"))
    MOE_TRY_STATUS(ReadItems(*keys, "Keys", &out->keys));
  MOE_TRY_STATUS(Read(obj, "ProjectionExpression", &out->projection_expression));
  MOE_TRY_STATUS(Read(obj, "ExpressionAttributeNames", &out->expression_attribute_names));
  return Read(obj, "ConsistentRead", &out->consistent_read);
}

// ------------------------------------------------------------ write requests

void WriteWritesByTable(JsonWriter& w, std::string_view key, const WritesByTable& m) {
  w.Key(key);
  w.BeginObject();
  for (const auto& [table, writes] : m) {
    w.Key(table);
    w.BeginArray();
    for (const WriteRequest& r : writes) {
      w.BeginObject();
      if (r.put_item) {
        w.Key("PutRequest");
        w.BeginObject();
        w.Key("Item");
        w.AttributeMap(*r.put_item);
        w.EndObject();
      }
      if (r.delete_key) {
        w.Key("DeleteRequest");
        w.BeginObject();
        w.Key("Key");
        w.AttributeMap(*r.delete_key);
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

Status ReadWriteRequest(const JsonValue& obj, WriteRequest* out) {
  const JsonValue* put = nullptr;
  const JsonValue* del = nullptr;
  MOE_TRY_STATUS(internal::ReadObject(obj, "PutRequest", &put));
  MOE_TRY_STATUS(internal::ReadObject(obj, "DeleteRequest", &del));
  if ((put == nullptr) == (del == nullptr)) {
    return Error::Validation(
        "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: a "
        "WriteRequest "
        "must contain exactly one of PutRequest or DeleteRequest");
  }
  if (put != nullptr) {
    out->put_item.emplace();
    return Read(*put, "Item", &*out->put_item);
  }
  out->delete_key.emplace();
  return Read(*del, "Key", &*out->delete_key);
}

Status ReadWritesByTable(const JsonValue& obj, std::string_view name, WritesByTable* out) {
  const JsonValue* m = nullptr;
  MOE_TRY_STATUS(internal::ReadObject(obj, name, &m));
  if (m == nullptr) return Ok();
  for (const auto& member : m->GetObject()) {
    if (!member.value.IsArray()) return WrongType(name, "map of arrays");
    std::vector<WriteRequest> writes;
    writes.reserve(member.value.Size());
    for (const JsonValue& e : member.value.GetArray()) {
      if (!e.IsObject()) return WrongType(name, "map of arrays of objects");
      WriteRequest r;
      MOE_TRY_STATUS(ReadWriteRequest(e, &r));
      writes.push_back(std::move(r));
    }
    out->insert_or_assign(std::string(View(member.name)), std::move(writes));
  }
  return Ok();
}

}  // namespace

// ------------------------------------------------------------ BatchGetItem

std::string ToJson(const BatchGetItemRequest& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteKeysByTable(w, "RequestItems", v.request_items);
  internal::WriteEnumUnless(w, "ReturnConsumedCapacity", v.return_consumed_capacity,
                            ReturnConsumedCapacity::kNone);
  w.EndObject();
  return out;
}

template <>
Result<BatchGetItemRequest> Parse<BatchGetItemRequest>(std::string_view json) {
  return internal::ParseBody<BatchGetItemRequest>(
      json, [](const JsonValue& obj, BatchGetItemRequest* out) -> Status {
        MOE_TRY_STATUS(internal::ReadStructMap(obj, "RequestItems", &out->request_items,
                                               ReadKeysAndAttributes));
        return Read(obj, "ReturnConsumedCapacity", &out->return_consumed_capacity);
      });
}

std::string ToJson(const BatchGetItemResponse& v) {
  std::string out;
  size_t n = 0;
  for (const auto& [table, items] : v.responses) n += items.size();
  out.reserve(64 + n * 128);
  JsonWriter w(&out);
  w.BeginObject();
  // DynamoDB always sends Responses and UnprocessedKeys, empty or not.
  w.Key("Responses");
  w.BeginObject();
  for (const auto& [table, items] : v.responses) {
    w.Key(table);
    WriteItems(w, items);
  }
  w.EndObject();
  WriteKeysByTable(w, "UnprocessedKeys", v.unprocessed_keys);
  internal::WriteConsumedCapacityList(w, v.consumed_capacity);
  w.EndObject();
  return out;
}

template <>
Result<BatchGetItemResponse> Parse<BatchGetItemResponse>(std::string_view json) {
  if (auto fast = internal::FastBatchGetItemResponse(json)) return std::move(*fast);
  return internal::ParseBody<BatchGetItemResponse>(
      json, [](const JsonValue& obj, BatchGetItemResponse* out) -> Status {
        const JsonValue* responses = nullptr;
        MOE_TRY_STATUS(internal::ReadObject(obj, "Responses", &responses));
        if (responses != nullptr) {
          for (const auto& member : responses->GetObject()) {
            std::vector<Item> items;
            MOE_TRY_STATUS(ReadItems(member.value, "Responses", &items));
            out->responses.insert_or_assign(std::string(View(member.name)), std::move(items));
          }
        }
        MOE_TRY_STATUS(internal::ReadStructMap(obj, "UnprocessedKeys", &out->unprocessed_keys,
                                               ReadKeysAndAttributes));
        return internal::ReadConsumedCapacityList(obj, &out->consumed_capacity);
      });
}

// ------------------------------------------------------------ BatchWriteItem

std::string ToJson(const BatchWriteItemRequest& v) {
  std::string out;
  size_t n = 0;
  for (const auto& [table, writes] : v.request_items) n += writes.size();
  out.reserve(64 + n * 128);
  JsonWriter w(&out);
  w.BeginObject();
  WriteWritesByTable(w, "RequestItems", v.request_items);
  internal::WriteEnumUnless(w, "ReturnConsumedCapacity", v.return_consumed_capacity,
                            ReturnConsumedCapacity::kNone);
  w.EndObject();
  return out;
}

template <>
Result<BatchWriteItemRequest> Parse<BatchWriteItemRequest>(std::string_view json) {
  return internal::ParseBody<BatchWriteItemRequest>(
      json, [](const JsonValue& obj, BatchWriteItemRequest* out) -> Status {
        MOE_TRY_STATUS(ReadWritesByTable(obj, "RequestItems", &out->request_items));
        return Read(obj, "ReturnConsumedCapacity", &out->return_consumed_capacity);
      });
}

std::string ToJson(const BatchWriteItemResponse& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  // DynamoDB always sends UnprocessedItems, empty or not.
  WriteWritesByTable(w, "UnprocessedItems", v.unprocessed_items);
  internal::WriteConsumedCapacityList(w, v.consumed_capacity);
  w.EndObject();
  return out;
}

template <>
Result<BatchWriteItemResponse> Parse<BatchWriteItemResponse>(std::string_view json) {
  return internal::ParseBody<BatchWriteItemResponse>(
      json, [](const JsonValue& obj, BatchWriteItemResponse* out) -> Status {
        MOE_TRY_STATUS(ReadWritesByTable(obj, "UnprocessedItems", &out->unprocessed_items));
        return internal::ReadConsumedCapacityList(obj, &out->consumed_capacity);
      });
}

}  // namespace moe
