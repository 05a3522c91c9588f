// BatchGetItem and BatchWriteItem: many keys, one table lock at a time; not
// atomic, as in DynamoDB. Validation covers the whole request before
// anything is read or written.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html

#include <set>

#include "local/engine.h"
#include "local/validation.h"

namespace moe::local {

namespace {

constexpr size_t kMaxBatchGetKeys = 100;
constexpr size_t kMaxBatchWrites = 25;
constexpr size_t kMaxBatchGetBytes = 16 * 1024 * 1024;

Error Duplicates() { return Error::Validation("Provided list of item keys contains duplicates"); }

}  // namespace

Result<std::string> EngineImpl::BatchGetItem(std::string_view body) {
  MOE_TRY(BatchGetItemRequest req, ParseRequest<BatchGetItemRequest>(body));
  if (req.request_items.empty()) return MissingMember("requestItems");
  size_t total = 0;
  std::map<std::string, std::optional<ddbexpr::ProjectionAst>, std::less<>> projections;
  for (auto& [name, ka] : req.request_items) {
    MOE_TRY_STATUS(ValidateName(name, "requestItems.member.key"));
    if (ka.keys.empty()) {
      return Error::Validation("1 validation error detected: Value at 'requestItems." + name +
                               ".member.keys' failed to satisfy constraint: Member must have "
                               "length greater than or equal to 1");
    }
    total += ka.keys.size();
    ddbexpr::PlaceholderTracker tracker(&ka.expression_attribute_names, nullptr);
    MOE_TRY(projections[name], ParseOptionalProjection(ka.projection_expression, tracker));
    MOE_TRY_STATUS(CheckPlaceholdersWithoutExpressions(ka.projection_expression.has_value(),
                                                       ka.expression_attribute_names, {}));
    MOE_TRY_STATUS(tracker.CheckAllUsed());
  }
  if (total > kMaxBatchGetKeys) {
    return Error::Validation("Too many items requested for the BatchGetItem call");
  }

  std::shared_lock catalog(catalog_mu_);
  std::map<std::string, TableEntry*, std::less<>> entries;
  for (const auto& [name, ka] : req.request_items) {
    MOE_TRY(entries[name], ItemTable(name));
    const Table& table = entries[name]->table;
    std::set<StoredKey, StoredKeyLess> seen;
    for (const Item& key : ka.keys) {
      MOE_TRY_STATUS(ValidateKey(key, table.key));
      if (!seen.insert(table.KeyOf(key)).second) return Duplicates();
    }
  }

  BatchGetItemResponse resp;
  size_t bytes = 0;
  // Throttled keys come back unprocessed; only a batch whose every key was
  // throttled fails as a whole.
  std::optional<Error> throttle;
  size_t throttled = 0;
  for (const auto& [name, ka] : req.request_items) {
    TableEntry* entry = entries[name];
    std::lock_guard<std::mutex> lock(entry->mu);
    const Table& table = entry->table;
    CapacityMeter meter(name, /*write=*/false);
    std::vector<Item>& found = resp.responses[name];
    for (const Item& key : ka.keys) {
      auto defer = [&] {
        KeysAndAttributes& rest = resp.unprocessed_keys[name];
        if (rest.keys.empty()) {
          rest.projection_expression = ka.projection_expression;
          rest.expression_attribute_names = ka.expression_attribute_names;
          rest.consistent_read = ka.consistent_read;
        }
        rest.keys.push_back(key);
      };
      if (bytes >= kMaxBatchGetBytes) {
        defer();
        continue;
      }
      const StoredItem* stored = table.Find(table.KeyOf(key));
      double units = ReadUnits(stored != nullptr ? stored->size : 0, ka.consistent_read);
      if (Status s = SimulateRead(table, nullptr, HashKeyValue(key.at(table.key.hash.name)), units);
          !s) {
        if (throttled++ == 0) throttle = s.error();
        defer();
        continue;
      }
      meter.AddTable(units);
      if (stored == nullptr) continue;
      bytes += stored->size;
      const auto& projection = projections[name];
      found.push_back(projection ? ddbexpr::Project(stored->item, *projection) : stored->item);
    }
    if (auto c = meter.Report(req.return_consumed_capacity)) resp.consumed_capacity.push_back(*c);
  }
  if (throttle && throttled == total) return *throttle;
  return ToJson(resp);
}

Result<std::string> EngineImpl::BatchWriteItem(std::string_view body) {
  MOE_TRY(BatchWriteItemRequest req, ParseRequest<BatchWriteItemRequest>(body));
  if (req.request_items.empty()) return MissingMember("requestItems");
  size_t total = 0;
  for (const auto& [name, writes] : req.request_items) {
    MOE_TRY_STATUS(ValidateName(name, "requestItems.member.key"));
    total += writes.size();
    for (const WriteRequest& w : writes) {
      if (w.put_item.has_value() == w.delete_key.has_value()) {
        return Error::Validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
    }
  }
  if (total > kMaxBatchWrites || total == 0) {
    return Error::Validation(
        "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map "
        "value must satisfy constraint: [Member must have length less than or equal to 25, Member "
        "must have length greater than or equal to 1]");
  }

  std::shared_lock catalog(catalog_mu_);
  // Validate everything first; schemas cannot change while the catalog is held.
  std::map<std::string, std::vector<PreparedWrite>, std::less<>> prepared;
  for (auto& [name, writes] : req.request_items) {
    MOE_TRY(TableEntry * entry, ItemTable(name));
    const Table& table = entry->table;
    std::set<StoredKey, StoredKeyLess> seen;
    for (WriteRequest& w : writes) {
      PreparedWrite pw;
      pw.table = name;
      if (w.put_item) {
        pw.kind = PreparedWrite::Kind::kPut;
        pw.item = std::move(*w.put_item);
      } else {
        pw.kind = PreparedWrite::Kind::kDelete;
        pw.key = std::move(*w.delete_key);
      }
      MOE_TRY_STATUS(BindWrite(pw, table));
      if (!seen.insert(table.KeyOf(pw.key)).second) return Duplicates();
      prepared[name].push_back(std::move(pw));
    }
  }

  BatchWriteItemResponse resp;
  // Throttled writes come back unprocessed; only a batch whose every write
  // was throttled fails as a whole.
  std::optional<Error> throttle;
  size_t throttled = 0;
  for (auto& [name, writes] : prepared) {
    TableEntry* entry = FindEntry(name);
    std::lock_guard<std::mutex> lock(entry->mu);
    Table& table = entry->table;
    CapacityMeter meter(name, /*write=*/true);
    std::vector<Mutation> group;
    for (PreparedWrite& w : writes) {
      MOE_TRY(WriteOutcome outcome, EvaluateWrite(w, table));
      size_t old_size = outcome.old_item ? ItemSize(*outcome.old_item) : 0;
      size_t new_size = outcome.new_item ? ItemSize(*outcome.new_item) : 0;
      CapacityMeter item_meter(name, /*write=*/true);
      item_meter.AddTable(WriteUnits(std::max(old_size, new_size)));
      item_meter.AddIndexWrites(table, outcome.old_item, outcome.new_item);
      if (Status s = SimulateWrite(table, w.key, item_meter, outcome); !s) {
        if (throttled++ == 0) throttle = s.error();
        WriteRequest& rest = resp.unprocessed_items[name].emplace_back();
        // EvaluateWrite moved a put's item into the outcome.
        if (w.kind == PreparedWrite::Kind::kPut) {
          rest.put_item = std::move(*outcome.new_item);
        } else {
          rest.delete_key = w.key;
        }
        continue;
      }
      meter.Merge(item_meter);
      if (std::optional<Mutation> m = MutationFor(w, outcome)) group.push_back(std::move(*m));
    }
    MOE_TRY_STATUS(Commit(group));
    if (auto c = meter.Report(req.return_consumed_capacity)) resp.consumed_capacity.push_back(*c);
  }
  if (throttle && throttled == total) return *throttle;
  return ToJson(resp);
}

}  // namespace moe::local
