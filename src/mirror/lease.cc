#include "mirror/lease.h"

#include <charconv>

namespace moe::mirror::internal {

namespace {

std::string StringAttr(const Item& item, std::string_view name) {
  auto it = item.find(name);
  return it != item.end() && it->second.type() == Type::kS ? it->second.s() : "";
}

int64_t IntAttr(const Item& item, std::string_view name) {
  auto it = item.find(name);
  if (it == item.end() || it->second.type() != Type::kN) return 0;
  const std::string& text = it->second.n().text();
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

Lease FromItem(const std::string& shard, const Item& item) {
  return Lease{shard, StringAttr(item, "owner"), StringAttr(item, "checkpoint"),
               IntAttr(item, "expires_ms"), IntAttr(item, "counter")};
}

}  // namespace

Item LeaseTable::KeyOf(const std::string& shard) const {
  return Item{{"lease", stream_ + "/" + shard}};
}

Status LeaseTable::Create() {
  CreateTableRequest create{.table_name = table_};
  create.attribute_definitions = {{"lease", ScalarAttributeType::kS}};
  create.key_schema = {{"lease", KeyType::kHash}};
  create.billing_mode = BillingMode::kPayPerRequest;
  auto created = dynamo_.CreateTable(create);
  if (!created && created.error().code() != ErrorCode::kResourceInUse) return created.error();
  MOE_TRY(auto active, dynamo_.WaitUntilActive(table_, std::chrono::minutes(5),
                                               std::chrono::milliseconds(20)));
  (void)active;
  return Ok();
}

Result<std::optional<Lease>> LeaseTable::Get(const std::string& shard) {
  MOE_TRY(GetItemResponse got,
          dynamo_.GetItem({.table_name = table_, .key = KeyOf(shard), .consistent_read = true}));
  if (!got.item) return std::optional<Lease>();
  return std::optional<Lease>(FromItem(shard, *got.item));
}

Result<std::optional<Lease>> LeaseTable::Take(const std::string& shard, const std::string& owner,
                                              int64_t now_ms, int64_t duration_ms) {
  auto taken = dynamo_.UpdateItem(
      {.table_name = table_,
       .key = KeyOf(shard),
       .update_expression = "SET #o = :me, #e = :exp ADD #c :one",
       .condition_expression = "attribute_not_exists(#l) OR #o = :me OR #e < :now",
       .expression_attribute_names =
           {{"#o", "owner"}, {"#e", "expires_ms"}, {"#c", "counter"}, {"#l", "lease"}},
       .expression_attribute_values = {{":me", owner},
                                       {":exp", now_ms + duration_ms},
                                       {":one", 1},
                                       {":now", now_ms}},
       .return_values = ReturnValue::kAllNew});
  if (!taken) {
    if (taken.error().code() == ErrorCode::kConditionalCheckFailed) return std::optional<Lease>();
    return std::move(taken).error();
  }
  return std::optional<Lease>(FromItem(shard, taken->attributes.value_or(Item{})));
}

Result<bool> LeaseTable::Update(const Lease& lease, UpdateItemRequest request) {
  request.table_name = table_;
  request.key = KeyOf(lease.shard_id);
  request.condition_expression = "#o = :me AND #c = :counter";
  request.expression_attribute_names.emplace("#o", "owner");
  request.expression_attribute_names.emplace("#c", "counter");
  request.expression_attribute_values.emplace(":me", lease.owner);
  request.expression_attribute_values.emplace(":counter", lease.counter);
  auto updated = dynamo_.UpdateItem(request);
  if (updated) return true;
  if (updated.error().code() == ErrorCode::kConditionalCheckFailed) return false;
  return std::move(updated).error();
}

Result<bool> LeaseTable::Renew(Lease& lease, const std::string& checkpoint, int64_t now_ms,
                               int64_t duration_ms) {
  UpdateItemRequest request{.update_expression = "SET #e = :exp"};
  request.expression_attribute_names = {{"#e", "expires_ms"}};
  request.expression_attribute_values = {{":exp", now_ms + duration_ms}};
  if (!checkpoint.empty()) {
    *request.update_expression += ", #k = :checkpoint";
    request.expression_attribute_names.emplace("#k", "checkpoint");
    request.expression_attribute_values.emplace(":checkpoint", checkpoint);
  }
  MOE_TRY(bool ours, Update(lease, std::move(request)));
  if (ours) {
    lease.expires_ms = now_ms + duration_ms;
    if (!checkpoint.empty()) lease.checkpoint = checkpoint;
  }
  return ours;
}

Result<bool> LeaseTable::Release(const Lease& lease) {
  UpdateItemRequest request{.update_expression = "SET #e = :zero"};
  request.expression_attribute_names = {{"#e", "expires_ms"}};
  request.expression_attribute_values = {{":zero", 0}};
  return Update(lease, std::move(request));
}

}  // namespace moe::mirror::internal
