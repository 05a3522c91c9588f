// Transactions: TransactWriteItems, TransactGetItems.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html

#include "model/codec.h"

namespace moe {

using internal::JsonValue;
using internal::JsonWriter;
using internal::Read;
using internal::ReadStruct;

namespace {

// Members shared by the four kinds of write action, after TableName and Key/Item.
template <typename T>
void WriteActionTail(JsonWriter& w, const T& v) {
  internal::WriteNames(w, "ExpressionAttributeNames", v.expression_attribute_names);
  internal::WriteMap(w, "ExpressionAttributeValues", v.expression_attribute_values);
  internal::WriteEnumUnless(w, "ReturnValuesOnConditionCheckFailure",
                            v.return_values_on_condition_check_failure,
                            ReturnValuesOnConditionCheckFailure::kNone);
}

template <typename T>
Status ReadActionTail(const JsonValue& obj, T* out) {
  MOE_TRY_STATUS(Read(obj, "TableName", &out->table_name));
  MOE_TRY_STATUS(Read(obj, "ConditionExpression", &out->condition_expression));
  MOE_TRY_STATUS(Read(obj, "ExpressionAttributeNames", &out->expression_attribute_names));
  MOE_TRY_STATUS(Read(obj, "ExpressionAttributeValues", &out->expression_attribute_values));
  return Read(obj, "ReturnValuesOnConditionCheckFailure",
              &out->return_values_on_condition_check_failure);
}

void BeginAction(JsonWriter& w, std::string_view kind, const std::string& table_name,
                 std::string_view map_key, const Map& map) {
  w.Key(kind);
  w.BeginObject();
  w.Key("TableName");
  w.String(table_name);
  w.Key(map_key);
  w.AttributeMap(map);
}

void WriteTransactWriteItem(JsonWriter& w, const TransactWriteItem& t) {
  w.BeginObject();
  if (t.condition_check) {
    const ConditionCheck& c = *t.condition_check;
    BeginAction(w, "ConditionCheck", c.table_name, "Key", c.key);
    w.Key("ConditionExpression");
    w.String(c.condition_expression);
    WriteActionTail(w, c);
    w.EndObject();
  }
  if (t.put) {
    const TransactPut& p = *t.put;
    BeginAction(w, "Put", p.table_name, "Item", p.item);
    internal::WriteOpt(w, "ConditionExpression", p.condition_expression);
    WriteActionTail(w, p);
    w.EndObject();
  }
  if (t.del) {
    const TransactDelete& d = *t.del;
    BeginAction(w, "Delete", d.table_name, "Key", d.key);
    internal::WriteOpt(w, "ConditionExpression", d.condition_expression);
    WriteActionTail(w, d);
    w.EndObject();
  }
  if (t.update) {
    const TransactUpdate& u = *t.update;
    BeginAction(w, "Update", u.table_name, "Key", u.key);
    w.Key("UpdateExpression");
    w.String(u.update_expression);
    internal::WriteOpt(w, "ConditionExpression", u.condition_expression);
    WriteActionTail(w, u);
    w.EndObject();
  }
  w.EndObject();
}

Status ReadConditionCheck(const JsonValue& obj, ConditionCheck* out) {
  MOE_TRY_STATUS(Read(obj, "Key", &out->key));
  return ReadActionTail(obj, out);
}

Status ReadPut(const JsonValue& obj, TransactPut* out) {
  MOE_TRY_STATUS(Read(obj, "Item", &out->item));
  return ReadActionTail(obj, out);
}

Status ReadDelete(const JsonValue& obj, TransactDelete* out) {
  MOE_TRY_STATUS(Read(obj, "Key", &out->key));
  return ReadActionTail(obj, out);
}

Status ReadUpdate(const JsonValue& obj, TransactUpdate* out) {
  MOE_TRY_STATUS(Read(obj, "Key", &out->key));
  MOE_TRY_STATUS(Read(obj, "UpdateExpression", &out->update_expression));
  return ReadActionTail(obj, out);
}

Status ReadTransactWriteItem(const JsonValue& obj, TransactWriteItem* out) {
  MOE_TRY_STATUS(ReadStruct(obj, "ConditionCheck", &out->condition_check, ReadConditionCheck));
  MOE_TRY_STATUS(ReadStruct(obj, "Put", &out->put, ReadPut));
  MOE_TRY_STATUS(ReadStruct(obj, "Delete", &out->del, ReadDelete));
  MOE_TRY_STATUS(ReadStruct(obj, "Update", &out->update, ReadUpdate));
  int set = out->condition_check.has_value() + out->put.has_value() + out->del.has_value() +
            out->update.has_value();
  if (set != 1) {
    return Error::Validation("TransactItems can only contain one of Check, Put, Update or Delete");
  }
  return Ok();
}

Status ReadTransactGetItem(const JsonValue& obj, TransactGetItem* out) {
  const JsonValue* get = nullptr;
  MOE_TRY_STATUS(internal::ReadObject(obj, "Get", &get));
  if (get == nullptr) return Error::Validation("TransactItems must contain a Get action");
  MOE_TRY_STATUS(Read(*get, "TableName", &out->table_name));
  MOE_TRY_STATUS(Read(*get, "Key", &out->key));
  MOE_TRY_STATUS(Read(*get, "ProjectionExpression", &out->projection_expression));
  return Read(*get, "ExpressionAttributeNames", &out->expression_attribute_names);
}

}  // namespace

// ------------------------------------------------------------ TransactWriteItems

std::string ToJson(const TransactWriteItemsRequest& v) {
  std::string out;
  out.reserve(64 + v.transact_items.size() * 160);
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("TransactItems");
  w.BeginArray();
  for (const TransactWriteItem& t : v.transact_items) WriteTransactWriteItem(w, t);
  w.EndArray();
  internal::WriteOpt(w, "ClientRequestToken", v.client_request_token);
  internal::WriteEnumUnless(w, "ReturnConsumedCapacity", v.return_consumed_capacity,
                            ReturnConsumedCapacity::kNone);
  w.EndObject();
  return out;
}

template <>
Result<TransactWriteItemsRequest> Parse<TransactWriteItemsRequest>(std::string_view json) {
  return internal::ParseBody<TransactWriteItemsRequest>(
      json, [](const JsonValue& obj, TransactWriteItemsRequest* out) -> Status {
        MOE_TRY_STATUS(internal::ReadStructs(obj, "TransactItems", &out->transact_items,
                                             ReadTransactWriteItem));
        MOE_TRY_STATUS(Read(obj, "ClientRequestToken", &out->client_request_token));
        return Read(obj, "ReturnConsumedCapacity", &out->return_consumed_capacity);
      });
}

std::string ToJson(const TransactWriteItemsResponse& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  internal::WriteConsumedCapacityList(w, v.consumed_capacity);
  w.EndObject();
  return out;
}

template <>
Result<TransactWriteItemsResponse> Parse<TransactWriteItemsResponse>(std::string_view json) {
  return internal::ParseBody<TransactWriteItemsResponse>(
      json, [](const JsonValue& obj, TransactWriteItemsResponse* out) -> Status {
        return internal::ReadConsumedCapacityList(obj, &out->consumed_capacity);
      });
}

// ------------------------------------------------------------ TransactGetItems

std::string ToJson(const TransactGetItemsRequest& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("TransactItems");
  w.BeginArray();
  for (const TransactGetItem& t : v.transact_items) {
    w.BeginObject();
    w.Key("Get");
    w.BeginObject();
    w.Key("TableName");
    w.String(t.table_name);
    w.Key("Key");
    w.AttributeMap(t.key);
    internal::WriteOpt(w, "ProjectionExpression", t.projection_expression);
    internal::WriteNames(w, "ExpressionAttributeNames", t.expression_attribute_names);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  internal::WriteEnumUnless(w, "ReturnConsumedCapacity", v.return_consumed_capacity,
                            ReturnConsumedCapacity::kNone);
  w.EndObject();
  return out;
}

template <>
Result<TransactGetItemsRequest> Parse<TransactGetItemsRequest>(std::string_view json) {
  return internal::ParseBody<TransactGetItemsRequest>(
      json, [](const JsonValue& obj, TransactGetItemsRequest* out) -> Status {
        MOE_TRY_STATUS(
            internal::ReadStructs(obj, "TransactItems", &out->transact_items, ReadTransactGetItem));
        return Read(obj, "ReturnConsumedCapacity", &out->return_consumed_capacity);
      });
}

std::string ToJson(const TransactGetItemsResponse& v) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  // One entry per requested item, in order; {} where no item has the key.
  w.Key("Responses");
  w.BeginArray();
  for (const std::optional<Item>& item : v.responses) {
    w.BeginObject();
    internal::WriteOpt(w, "Item", item);
    w.EndObject();
  }
  w.EndArray();
  internal::WriteConsumedCapacityList(w, v.consumed_capacity);
  w.EndObject();
  return out;
}

template <>
Result<TransactGetItemsResponse> Parse<TransactGetItemsResponse>(std::string_view json) {
  return internal::ParseBody<TransactGetItemsResponse>(
      json, [](const JsonValue& obj, TransactGetItemsResponse* out) -> Status {
        const JsonValue* responses = nullptr;
        MOE_TRY_STATUS(internal::ReadArray(obj, "Responses", &responses));
        if (responses != nullptr) {
          out->responses.reserve(responses->Size());
          for (const JsonValue& e : responses->GetArray()) {
            if (!e.IsObject()) return internal::WrongType("Responses", "array of objects");
            std::optional<Item> item;
            MOE_TRY_STATUS(Read(e, "Item", &item));
            out->responses.push_back(std::move(item));
          }
        }
        return internal::ReadConsumedCapacityList(obj, &out->consumed_capacity);
      });
}

}  // namespace moe
