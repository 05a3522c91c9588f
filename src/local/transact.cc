// TransactWriteItems and TransactGetItems: all-or-nothing under the locks of
// every table involved, taken in name order.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html

#include <set>

#include "local/engine.h"
#include "local/validation.h"

namespace moe::local {

namespace {

constexpr size_t kMaxTransactItems = 100;
constexpr auto kTokenLifetime = std::chrono::minutes(10);

Status ValidateCount(size_t n) {
  if (n == 0) return MissingMember("transactItems");
  if (n > kMaxTransactItems) {
    return Error::Validation("1 validation error detected: Value at 'transactItems' failed to "
                             "satisfy constraint: Member must have length less than or equal to 100");
  }
  return Ok();
}

Error MultipleOperations() {
  return Error::Validation("Transaction request cannot include multiple operations on one item");
}

// TransactionCanceledException with one reason per action.
Error Cancelled(std::vector<CancellationReason> reasons) {
  std::string codes;
  for (const CancellationReason& r : reasons) codes += (codes.empty() ? "" : ", ") + r.code;
  Error error(ErrorCode::kTransactionCanceled,
              "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
                  codes + "]");
  auto detail = std::make_shared<ErrorDetail>();
  detail->cancellation_reasons = std::move(reasons);
  error.set_detail(std::move(detail));
  return error;
}

// The locks of a set of tables, taken in name order (std::map iterates sorted).
template <typename Entry>
std::vector<std::unique_lock<std::mutex>> LockInOrder(const std::map<std::string, Entry*, std::less<>>& tables) {
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(tables.size());
  for (const auto& [name, entry] : tables) locks.emplace_back(entry->mu);
  return locks;
}

}  // namespace

Result<std::string> EngineImpl::TransactWriteItems(std::string_view body) {
  MOE_TRY(TransactWriteItemsRequest req, ParseRequest<TransactWriteItemsRequest>(body));
  MOE_TRY_STATUS(ValidateCount(req.transact_items.size()));
  std::vector<PreparedWrite> writes;
  writes.reserve(req.transact_items.size());
  for (const TransactWriteItem& t : req.transact_items) {
    int set = t.condition_check.has_value() + t.put.has_value() + t.del.has_value() + t.update.has_value();
    if (set != 1) {
      return Error::Validation("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    Result<PreparedWrite> w = Error::Validation("");
    std::string_view table;
    if (t.condition_check) {
      const ConditionCheck& c = *t.condition_check;
      table = c.table_name;
      w = PrepareWrite(PreparedWrite::Kind::kCheck, c.table_name, c.key, std::nullopt,
                       c.condition_expression, c.expression_attribute_names,
                       c.expression_attribute_values, c.return_values_on_condition_check_failure);
    } else if (t.put) {
      table = t.put->table_name;
      if (t.put->item.empty()) return MissingMember("transactItems.member.put.item");
      w = PrepareWrite(PreparedWrite::Kind::kPut, t.put->table_name, t.put->item, std::nullopt,
                       t.put->condition_expression, t.put->expression_attribute_names,
                       t.put->expression_attribute_values,
                       t.put->return_values_on_condition_check_failure);
    } else if (t.del) {
      table = t.del->table_name;
      w = PrepareWrite(PreparedWrite::Kind::kDelete, t.del->table_name, t.del->key, std::nullopt,
                       t.del->condition_expression, t.del->expression_attribute_names,
                       t.del->expression_attribute_values,
                       t.del->return_values_on_condition_check_failure);
    } else {
      table = t.update->table_name;
      w = PrepareWrite(PreparedWrite::Kind::kUpdate, t.update->table_name, t.update->key,
                       t.update->update_expression, t.update->condition_expression,
                       t.update->expression_attribute_names, t.update->expression_attribute_values,
                       t.update->return_values_on_condition_check_failure);
    }
    MOE_TRY_STATUS(ValidateTableName(std::string(table)));
    if (!w) return std::move(w).error();
    writes.push_back(std::move(w).value());
  }

  // Idempotency: the same token and request within 10 minutes answers the
  // first answer again without applying anything.
  std::string fingerprint;
  if (req.client_request_token) {
    TransactWriteItemsRequest copy = req;
    copy.client_request_token.reset();
    copy.return_consumed_capacity = ReturnConsumedCapacity::kNone;
    fingerprint = ToJson(copy);
    std::lock_guard<std::mutex> lock(tokens_mu_);
    Clock::TimePoint now = clock_.Now();
    std::erase_if(tokens_, [now](const auto& kv) { return kv.second.expires <= now; });
    if (auto it = tokens_.find(*req.client_request_token); it != tokens_.end()) {
      if (it->second.request != fingerprint) {
        return Error(ErrorCode::kIdempotentParameterMismatch,
                     "The request with the same client token was already used with different "
                     "parameters");
      }
      return it->second.response;
    }
  }

  std::shared_lock catalog(catalog_mu_);
  std::map<std::string, TableEntry*, std::less<>> tables;
  for (const PreparedWrite& w : writes) {
    MOE_TRY(tables[w.table], ItemTable(w.table));
  }
  auto locks = LockInOrder(tables);
  std::set<std::pair<std::string, StoredKey>, decltype([](const auto& a, const auto& b) {
             if (a.first != b.first) return a.first < b.first;
             return StoredKeyLess()(a.second, b.second);
           })>
      touched;
  for (PreparedWrite& w : writes) {
    const Table& table = tables[w.table]->table;
    MOE_TRY_STATUS(BindWrite(w, table));
    if (!touched.insert({w.table, table.KeyOf(w.key)}).second) return MultipleOperations();
  }

  std::vector<CancellationReason> reasons;
  std::vector<Mutation> group;
  std::map<std::string, CapacityMeter, std::less<>> meters;
  std::vector<SimCharge> charges;
  bool cancelled = false;
  for (PreparedWrite& w : writes) {
    const Table& table = tables[w.table]->table;
    Result<WriteOutcome> outcome = EvaluateWrite(w, table);
    CancellationReason reason{"None", "", std::nullopt};
    if (!outcome) {
      reason = {"ValidationError", outcome.error().message(), std::nullopt};
      cancelled = true;
    } else if (outcome->condition_failed) {
      reason = {"ConditionalCheckFailed", "The conditional request failed", std::nullopt};
      if (w.on_failure == ReturnValuesOnConditionCheckFailure::kAllOld) reason.item = outcome->old_item;
      cancelled = true;
    } else {
      size_t old_size = outcome->old_item ? ItemSize(*outcome->old_item) : 0;
      size_t new_size = outcome->new_item ? ItemSize(*outcome->new_item) : 0;
      CapacityMeter meter(w.table, /*write=*/true);
      meter.AddTable(2 * WriteUnits(std::max(old_size, new_size)));
      if (w.kind != PreparedWrite::Kind::kCheck) {
        meter.AddIndexWrites(table, outcome->old_item, outcome->new_item, 2);
      }
      AppendWriteCharges(table, w.key, meter, *outcome, reasons.size(), &charges);
      meters.try_emplace(w.table, w.table, /*write=*/true).first->second.Merge(meter);
      if (std::optional<Mutation> m = MutationFor(w, *outcome)) group.push_back(std::move(*m));
    }
    reasons.push_back(std::move(reason));
  }
  if (cancelled) return Cancelled(std::move(reasons));
  if (std::vector<SimThrottle> throttles = ChargeAll(charges); !throttles.empty()) {
    Error throttle = ThrottleError(charges, throttles);
    for (const SimThrottle& t : throttles) reasons[charges[t.charge].owner] = ThrottleCancellation(throttle);
    return Cancelled(std::move(reasons));
  }
  MOE_TRY_STATUS(Commit(group));
  TransactWriteItemsResponse resp;
  for (const auto& [name, meter] : meters) {
    if (auto c = meter.Report(req.return_consumed_capacity)) resp.consumed_capacity.push_back(*c);
  }
  std::string json = ToJson(resp);
  if (req.client_request_token) {
    std::lock_guard<std::mutex> lock(tokens_mu_);
    tokens_.insert_or_assign(*req.client_request_token,
                             TokenRecord{std::move(fingerprint), json, clock_.Now() + kTokenLifetime});
  }
  return json;
}

Result<std::string> EngineImpl::TransactGetItems(std::string_view body) {
  MOE_TRY(TransactGetItemsRequest req, ParseRequest<TransactGetItemsRequest>(body));
  MOE_TRY_STATUS(ValidateCount(req.transact_items.size()));
  std::vector<std::optional<ddbexpr::ProjectionAst>> projections;
  for (TransactGetItem& g : req.transact_items) {
    MOE_TRY_STATUS(ValidateTableName(g.table_name));
    if (g.key.empty()) return MissingMember("transactItems.member.get.key");
    ddbexpr::PlaceholderTracker tracker(&g.expression_attribute_names, nullptr);
    MOE_TRY(auto projection, ParseOptionalProjection(g.projection_expression, tracker));
    MOE_TRY_STATUS(CheckPlaceholdersWithoutExpressions(projection.has_value(),
                                                       g.expression_attribute_names, {}));
    MOE_TRY_STATUS(tracker.CheckAllUsed());
    projections.push_back(std::move(projection));
  }
  std::shared_lock catalog(catalog_mu_);
  std::map<std::string, TableEntry*, std::less<>> tables;
  for (const TransactGetItem& g : req.transact_items) {
    MOE_TRY(tables[g.table_name], ItemTable(g.table_name));
  }
  auto locks = LockInOrder(tables);
  std::set<std::pair<std::string, std::string>> touched;
  TransactGetItemsResponse resp;
  std::map<std::string, CapacityMeter, std::less<>> meters;
  std::vector<SimCharge> charges;
  for (size_t i = 0; i < req.transact_items.size(); ++i) {
    const TransactGetItem& g = req.transact_items[i];
    const Table& table = tables[g.table_name]->table;
    MOE_TRY_STATUS(ValidateKey(g.key, table.key));
    if (!touched.insert({g.table_name, ToJson(GetItemRequest{.key = g.key})}).second) {
      return MultipleOperations();
    }
    const StoredItem* stored = table.Find(table.KeyOf(g.key));
    auto [it, unused] = meters.try_emplace(g.table_name, g.table_name, /*write=*/false);
    double units = 2 * ReadUnits(stored != nullptr ? stored->size : 0, /*consistent=*/true);
    it->second.AddTable(units);
    charges.push_back({.table = &table,
                       .hash = HashKeyValue(g.key.at(table.key.hash.name)),
                       .units = units,
                       .owner = i});
    if (stored == nullptr) {
      resp.responses.emplace_back();
    } else {
      resp.responses.emplace_back(projections[i] ? ddbexpr::Project(stored->item, *projections[i])
                                                 : stored->item);
    }
  }
  if (std::vector<SimThrottle> throttles = ChargeAll(charges); !throttles.empty()) {
    Error throttle = ThrottleError(charges, throttles);
    std::vector<CancellationReason> reasons(req.transact_items.size(),
                                            CancellationReason{"None", "", std::nullopt});
    for (const SimThrottle& t : throttles) reasons[charges[t.charge].owner] = ThrottleCancellation(throttle);
    return Cancelled(std::move(reasons));
  }
  for (const auto& [name, meter] : meters) {
    if (auto c = meter.Report(req.return_consumed_capacity)) resp.consumed_capacity.push_back(*c);
  }
  return ToJson(resp);
}

}  // namespace moe::local
