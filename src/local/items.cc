// Single-item operations (PutItem, GetItem, UpdateItem, DeleteItem) and the
// write pipeline they share with BatchWriteItem and TransactWriteItems:
// PrepareWrite (parse) -> BindWrite (validate against the table) ->
// EvaluateWrite (condition, new item) -> MutationFor -> Commit.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html

#include "local/engine.h"
#include "local/validation.h"

namespace moe::local {

namespace {

std::optional<Item> NonEmpty(Item item) {
  if (item.empty()) return std::nullopt;
  return item;
}

size_t SizeOf(const std::optional<Item>& item) { return item ? ItemSize(*item) : 0; }

// GetItem's answer with `item` (may be null) written straight from storage,
// without copying it into `rest`, which holds every other member.
std::string GetItemJson(const GetItemResponse& rest, const StoredItem* item) {
  std::string tail = ToJson(rest);
  if (item == nullptr) return tail;
  std::string out;
  out.reserve(tail.size() + item->json.size() + 10);
  out.append(R"({"Item":)");
  out.append(item->json);
  if (tail.size() > 2) {  // more than "{}"
    out.push_back(',');
    out.append(tail, 1);
  } else {
    out.push_back('}');
  }
  return out;
}

}  // namespace

// ------------------------------------------------------------ the write pipeline

Result<PreparedWrite> PrepareWrite(PreparedWrite::Kind kind, std::string table, Item key_or_item,
                                   const std::optional<std::string>& update,
                                   const std::optional<std::string>& condition,
                                   const ExpressionNames& names, const ExpressionValues& values,
                                   ReturnValuesOnConditionCheckFailure on_failure) {
  PreparedWrite w;
  w.kind = kind;
  w.table = std::move(table);
  w.on_failure = on_failure;
  (kind == PreparedWrite::Kind::kPut ? w.item : w.key) = std::move(key_or_item);
  ddbexpr::PlaceholderTracker tracker(&names, &values);
  if (update) {
    MOE_TRY(w.update, ddbexpr::ParseUpdate(*update, tracker));
  }
  MOE_TRY(w.condition,
          ParseOptionalCondition(condition, ddbexpr::ExpressionKind::kCondition, tracker));
  MOE_TRY_STATUS(CheckPlaceholdersWithoutExpressions(update || condition, names, values));
  MOE_TRY_STATUS(tracker.CheckAllUsed());
  return w;
}

Status EngineImpl::BindWrite(PreparedWrite& w, const Table& table) const {
  if (w.kind == PreparedWrite::Kind::kPut) {
    MOE_TRY_STATUS(ValidateItem(w.item, table));
    w.key = KeyAttributes(w.item, table.key);
    return Ok();
  }
  MOE_TRY_STATUS(ValidateKey(w.key, table.key));
  if (w.update) {
    for (const ddbexpr::Path& path : ddbexpr::UpdatedPaths(*w.update)) {
      const std::string& top = path.front().name;
      if (table.key.IsKey(top)) {
        return InvalidParameter("Cannot update attribute " + top +
                                ". This attribute is part of the key");
      }
      if (path.size() > 1) {
        for (const IndexState& index : table.indexes) {
          if (index.key.IsKey(top)) {
            return Error::Validation(
                "Key attributes must be scalars; list random access '[]' and map lookup '.' are "
                "not allowed: IndexKey: " +
                top);
          }
        }
      }
    }
  }
  return Ok();
}

Result<WriteOutcome> EngineImpl::EvaluateWrite(PreparedWrite& w, const Table& table) const {
  WriteOutcome out;
  if (const StoredItem* stored = table.Find(table.KeyOf(w.key))) out.old_item = stored->item;
  if (w.condition) {
    static const Item kEmpty;
    MOE_TRY(bool ok,
            ddbexpr::EvaluateCondition(*w.condition, out.old_item ? *out.old_item : kEmpty));
    if (!ok) {
      out.condition_failed = true;
      return out;
    }
  }
  switch (w.kind) {
    case PreparedWrite::Kind::kPut:
      out.new_item = std::move(w.item);
      break;
    case PreparedWrite::Kind::kUpdate: {
      Item base = out.old_item ? *out.old_item : w.key;
      if (w.update) {
        MOE_TRY(base, ddbexpr::ApplyUpdate(*w.update, std::move(base)));
      }
      if (ItemSize(base) > kMaxItemBytes) {
        return Error::Validation("Item size to update has exceeded the maximum allowed size");
      }
      MOE_TRY_STATUS(ValidateItem(base, table));
      out.new_item = std::move(base);
      break;
    }
    case PreparedWrite::Kind::kDelete:
    case PreparedWrite::Kind::kCheck:
      break;
  }
  return out;
}

std::optional<Mutation> EngineImpl::MutationFor(const PreparedWrite& w, WriteOutcome& outcome) {
  if (outcome.condition_failed) return std::nullopt;
  switch (w.kind) {
    case PreparedWrite::Kind::kPut:
    case PreparedWrite::Kind::kUpdate:
      return Mutation{Mutation::Kind::kPutItem, w.table, std::move(*outcome.new_item)};
    case PreparedWrite::Kind::kDelete:
      if (!outcome.old_item) return std::nullopt;
      return Mutation{Mutation::Kind::kDeleteItem, w.table, w.key};
    case PreparedWrite::Kind::kCheck:
      return std::nullopt;
  }
  return std::nullopt;
}

Result<WriteOutcome> EngineImpl::ExecuteSingleWrite(PreparedWrite& w, ReturnConsumedCapacity rcc,
                                                    std::optional<ConsumedCapacity>* consumed,
                                                    bool keep_new_item) {
  std::shared_lock catalog(catalog_mu_);
  MOE_TRY(TableEntry * entry, ItemTable(w.table));
  std::lock_guard<std::mutex> lock(entry->mu);
  Table& table = entry->table;
  MOE_TRY_STATUS(BindWrite(w, table));
  MOE_TRY(WriteOutcome outcome, EvaluateWrite(w, table));
  if (outcome.condition_failed) return ConditionFailed(outcome.old_item, w.on_failure);
  // A write costs the larger of the old and new item; a delete has no new item.
  CapacityMeter meter(table.name, /*write=*/true);
  meter.AddTable(WriteUnits(std::max(SizeOf(outcome.old_item), SizeOf(outcome.new_item))));
  meter.AddIndexWrites(table, outcome.old_item, outcome.new_item);
  MOE_TRY_STATUS(SimulateWrite(table, w.key, meter, outcome));
  std::optional<Item> new_item;
  if (keep_new_item) new_item = outcome.new_item;
  if (std::optional<Mutation> m = MutationFor(w, outcome)) {
    MOE_TRY_STATUS(Commit({&*m, 1}));
  }
  outcome.new_item = std::move(new_item);
  *consumed = meter.Report(rcc);
  return outcome;
}

// ------------------------------------------------------------ operations

Result<std::string> EngineImpl::PutItem(std::string_view body) {
  MOE_TRY(PutItemRequest req, ParseRequest<PutItemRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (req.item.empty()) return MissingMember("item");
  if (req.return_values != ReturnValue::kNone && req.return_values != ReturnValue::kAllOld) {
    return Error::Validation("ReturnValues can only be ALL_OLD or NONE");
  }
  MOE_TRY(
      PreparedWrite w,
      PrepareWrite(PreparedWrite::Kind::kPut, req.table_name, std::move(req.item), std::nullopt,
                   req.condition_expression, req.expression_attribute_names,
                   req.expression_attribute_values, req.return_values_on_condition_check_failure));
  PutItemResponse resp;
  MOE_TRY(WriteOutcome outcome,
          ExecuteSingleWrite(w, req.return_consumed_capacity, &resp.consumed_capacity));
  if (req.return_values == ReturnValue::kAllOld) resp.attributes = outcome.old_item;
  return ToJson(resp);
}

Result<std::string> EngineImpl::GetItem(std::string_view body) {
  MOE_TRY(GetItemRequest req, ParseRequest<GetItemRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (req.key.empty()) return MissingMember("key");
  ddbexpr::PlaceholderTracker tracker(&req.expression_attribute_names, nullptr);
  MOE_TRY(auto projection, ParseOptionalProjection(req.projection_expression, tracker));
  MOE_TRY_STATUS(CheckPlaceholdersWithoutExpressions(projection.has_value(),
                                                     req.expression_attribute_names, {}));
  MOE_TRY_STATUS(tracker.CheckAllUsed());
  std::shared_lock catalog(catalog_mu_);
  MOE_TRY(TableEntry * entry, ItemTable(req.table_name));
  std::lock_guard<std::mutex> lock(entry->mu);
  const Table& table = entry->table;
  MOE_TRY_STATUS(ValidateKey(req.key, table.key));
  GetItemResponse resp;
  size_t size = 0;
  const StoredItem* item = nullptr;  // answered from storage, not copied
  if (const StoredItem* stored = table.Find(table.KeyOf(req.key))) {
    size = stored->size;
    if (projection) {
      resp.item = ddbexpr::Project(stored->item, *projection);
    } else {
      item = stored;
    }
  }
  CapacityMeter meter(table.name, /*write=*/false);
  meter.AddTable(ReadUnits(size, req.consistent_read));
  MOE_TRY_STATUS(SimulateRead(table, nullptr, HashKeyValue(req.key.at(table.key.hash.name)),
                              ReadUnits(size, req.consistent_read)));
  resp.consumed_capacity = meter.Report(req.return_consumed_capacity);
  return GetItemJson(resp, item);
}

Result<std::string> EngineImpl::UpdateItem(std::string_view body) {
  MOE_TRY(UpdateItemRequest req, ParseRequest<UpdateItemRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (req.key.empty()) return MissingMember("key");
  MOE_TRY(
      PreparedWrite w,
      PrepareWrite(PreparedWrite::Kind::kUpdate, req.table_name, std::move(req.key),
                   req.update_expression, req.condition_expression, req.expression_attribute_names,
                   req.expression_attribute_values, req.return_values_on_condition_check_failure));
  UpdateItemResponse resp;
  bool wants_new =
      req.return_values == ReturnValue::kAllNew || req.return_values == ReturnValue::kUpdatedNew;
  MOE_TRY(WriteOutcome outcome, ExecuteSingleWrite(w, req.return_consumed_capacity,
                                                   &resp.consumed_capacity, wants_new));
  switch (req.return_values) {
    case ReturnValue::kNone:
      break;
    case ReturnValue::kAllOld:
      resp.attributes = outcome.old_item;
      break;
    case ReturnValue::kAllNew:
      resp.attributes = outcome.new_item;
      break;
    case ReturnValue::kUpdatedOld:
      if (outcome.old_item && w.update) {
        resp.attributes = NonEmpty(ddbexpr::ProjectUpdated(*outcome.old_item, *w.update));
      }
      break;
    case ReturnValue::kUpdatedNew:
      if (w.update)
        resp.attributes = NonEmpty(ddbexpr::ProjectUpdated(*outcome.new_item, *w.update));
      break;
  }
  return ToJson(resp);
}

Result<std::string> EngineImpl::DeleteItem(std::string_view body) {
  MOE_TRY(DeleteItemRequest req, ParseRequest<DeleteItemRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (req.key.empty()) return MissingMember("key");
  if (req.return_values != ReturnValue::kNone && req.return_values != ReturnValue::kAllOld) {
    return Error::Validation("ReturnValues can only be ALL_OLD or NONE");
  }
  MOE_TRY(
      PreparedWrite w,
      PrepareWrite(PreparedWrite::Kind::kDelete, req.table_name, std::move(req.key), std::nullopt,
                   req.condition_expression, req.expression_attribute_names,
                   req.expression_attribute_values, req.return_values_on_condition_check_failure));
  DeleteItemResponse resp;
  MOE_TRY(WriteOutcome outcome,
          ExecuteSingleWrite(w, req.return_consumed_capacity, &resp.consumed_capacity));
  if (req.return_values == ReturnValue::kAllOld) resp.attributes = outcome.old_item;
  return ToJson(resp);
}

}  // namespace moe::local
