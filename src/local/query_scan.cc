// Query and Scan, on tables and on secondary indexes.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan
//
// Both walk an ItemStore (the table's or an index's) in key order, evaluating
// items until Limit items were evaluated or 1 MB of them was read; the
// filter applies after that, so Count <= ScannedCount. LastEvaluatedKey names
// the last evaluated item: its table key, plus its index key on an index.

#include <algorithm>

#include "core/json_writer.h"
#include "local/engine.h"
#include "local/validation.h"

namespace moe::local {

namespace {

constexpr size_t kPageBytes = 1024 * 1024;

// What a Query or Scan reads and how it answers; shared by both.
struct ReadPlan {
  const Table* table = nullptr;
  const IndexState* index = nullptr;  // null: the table itself
  std::optional<ddbexpr::ConditionAst> filter;
  std::optional<ddbexpr::ProjectionAst> projection;
  Select select = Select::kAllAttributes;
  bool fetch_from_table = false;  // ALL_ATTRIBUTES on an LSI that projects less
  std::optional<int> limit;
  bool consistent = false;

  const ItemStore& items() const { return index != nullptr ? index->items : table->items; }
};

// The walk's state and answer. The items are serialized as they are
// evaluated, straight from storage (no copy of the stored item), into `json`,
// which starts as the head of the response; resp holds everything else.
struct Page {
  Page() = default;
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;

  QueryResponse resp;  // resp.items stays empty
  std::string json = std::string(kItemsHead);
  internal::JsonWriter items{&json};
  size_t bytes = 0;
  // How many items the walk will likely write (0: unknown). After the first,
  // `json` is reserved for them all at that item's length, instead of
  // doubling (and copying) its way up to a 100 KB to 1 MB answer.
  size_t expected = 0;

  void ReserveAfterFirst() {
    constexpr size_t kMaxReserve = 2 * kPageBytes;
    size_t per_item = json.size() - kItemsHead.size() + 1;
    json.reserve(json.size() + std::min(per_item * (expected - 1) + 256, kMaxReserve));
  }

  static constexpr std::string_view kItemsHead = "{\"Items\":[";
};

// Evaluates one item; returns false when the page is full after it.
Result<bool> Evaluate(const ReadPlan& plan, const StoredItem& stored, Page& page) {
  const StoredItem* source = &stored;
  if (plan.fetch_from_table) {
    if (const StoredItem* full = plan.table->Find(plan.table->KeyOf(stored.item))) source = full;
  }
  const Item* item = &source->item;
  ++page.resp.scanned_count;
  page.bytes += stored.size;
  bool keep = true;
  if (plan.filter) {
    MOE_TRY(keep, ddbexpr::EvaluateCondition(*plan.filter, *item));
  }
  if (keep) {
    ++page.resp.count;
    if (plan.projection) {
      page.items.AttributeMap(ddbexpr::Project(*item, *plan.projection));
    } else if (plan.select != Select::kCount) {
      page.items.Raw(source->json);
    }
    if (page.resp.count == 1 && page.expected > 1 && plan.select != Select::kCount) {
      page.ReserveAfterFirst();
    }
  }
  bool full = (plan.limit && page.resp.scanned_count >= *plan.limit) || page.bytes >= kPageBytes;
  if (full) {
    Item lek = KeyAttributes(stored.item, plan.table->key);
    if (plan.index != nullptr) {
      for (auto& kv : KeyAttributes(stored.item, plan.index->key)) lek.insert(std::move(kv));
    }
    page.resp.last_evaluated_key = std::move(lek);
  }
  return !full;
}

bool HasScalarType(const Value& v, ScalarAttributeType t) {
  return static_cast<uint8_t>(v.type()) == static_cast<uint8_t>(t);
}

// The source's key shape: the index's, or the table's.
const KeyShape& SourceKey(const ReadPlan& plan) {
  return plan.index != nullptr ? plan.index->key : plan.table->key;
}

// Validates an ExclusiveStartKey and returns its position in the source map.
Result<StoredKey> StartKey(const ReadPlan& plan, const Item& esk) {
  auto invalid = [] {
    return Error::Validation(
        "The provided starting key is invalid: The provided key element does not match the schema");
  };
  std::vector<const KeyAttr*> attrs = {&plan.table->key.hash};
  if (plan.table->key.range) attrs.push_back(&*plan.table->key.range);
  if (plan.index != nullptr) {
    attrs.push_back(&plan.index->key.hash);
    if (plan.index->key.range) attrs.push_back(&*plan.index->key.range);
  }
  size_t distinct = 0;
  for (size_t i = 0; i < attrs.size(); ++i) {
    bool dup = false;
    for (size_t j = 0; j < i; ++j) dup = dup || attrs[j]->name == attrs[i]->name;
    if (dup) continue;
    ++distinct;
    auto it = esk.find(attrs[i]->name);
    if (it == esk.end() || !HasScalarType(it->second, attrs[i]->type)) return invalid();
  }
  if (esk.size() != distinct) return invalid();
  if (plan.index == nullptr) return plan.table->KeyOf(esk);
  return plan.index->KeyOf(esk, plan.table->key);
}

Status ValidateSelect(const std::optional<Select>& select, bool has_projection, bool has_index) {
  if (!select) return Ok();
  if (*select == Select::kSpecificAttributes && !has_projection) {
    return Error::Validation(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES");
  }
  if (*select != Select::kSpecificAttributes && has_projection) {
    return Error::Validation("Cannot specify the ProjectionExpression when choosing to get " +
                             std::string(ToString(*select)));
  }
  if (*select == Select::kAllProjectedAttributes && !has_index) {
    return Error::Validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  }
  return Ok();
}

// Resolves the index and the Select rules of a read on `table`.
Status BindSource(ReadPlan& plan, const Table& table, const std::optional<std::string>& index_name,
                  const std::optional<Select>& select, Clock::TimePoint now) {
  plan.table = &table;
  plan.select = select.value_or(index_name && !plan.projection ? Select::kAllProjectedAttributes
                                                               : Select::kAllAttributes);
  if (plan.projection) plan.select = Select::kSpecificAttributes;
  if (select == Select::kCount) plan.select = Select::kCount;
  if (!index_name) return Ok();
  plan.index = table.FindIndex(*index_name);
  if (plan.index == nullptr) {
    return Error::Validation("The table does not have the specified index: " + *index_name);
  }
  if (plan.index->global && plan.consistent) {
    return Error::Validation("Consistent reads are not supported on global secondary indexes");
  }
  if (plan.index->global && now < plan.index->active_at) {
    return Error::Validation("Cannot read from backfilling global secondary index: " + *index_name);
  }
  if (select == Select::kAllAttributes &&
      plan.index->projection.projection_type != ProjectionType::kAll) {
    if (plan.index->global) {
      return InvalidParameter("Select type ALL_ATTRIBUTES is not supported for global secondary index " +
                              *index_name + " because its projection type is not ALL");
    }
    plan.fetch_from_table = true;
  }
  return Ok();
}

bool BeginsWith(const Value& v, const Value& prefix) {
  if (v.is(Type::kS) && prefix.is(Type::kS)) return v.s().starts_with(prefix.s());
  if (v.is(Type::kB) && prefix.is(Type::kB)) return v.b().data.starts_with(prefix.b().data);
  return false;
}

bool RangeMatches(const ddbexpr::SortKeyCondition& cond, const Value& v) {
  using Op = ddbexpr::SortKeyCondition::Op;
  int c = CompareKeyValues(v, cond.value);
  switch (cond.op) {
    case Op::kEq:
      return c == 0;
    case Op::kLt:
      return c < 0;
    case Op::kLe:
      return c <= 0;
    case Op::kGt:
      return c > 0;
    case Op::kGe:
      return c >= 0;
    case Op::kBetween:
      return c >= 0 && CompareKeyValues(v, *cond.upper) <= 0;
    case Op::kBeginsWith:
      return BeginsWith(v, cond.value);
  }
  return false;
}

// The answer body: the page's items, then the rest of resp (which has no
// items, so its JSON starts with `{"Items":[]`). Select COUNT answers without
// Items.
std::string ResponseJson(Page& page, Select select) {
  std::string rest = ToJson(page.resp);
  constexpr std::string_view kEmptyItems = "\"Items\":[],";
  if (select == Select::kCount && rest.compare(1, kEmptyItems.size(), kEmptyItems) == 0) {
    rest.erase(1, kEmptyItems.size());
    return rest;
  }
  page.json.append(rest, Page::kItemsHead.size());
  return std::move(page.json);
}

void ChargeRead(const ReadPlan& plan, const Page& page, ReturnConsumedCapacity mode,
                QueryResponse& resp) {
  CapacityMeter meter(plan.table->name, /*write=*/false);
  double units = ReadUnits(page.bytes, plan.consistent);
  if (plan.index != nullptr) {
    meter.AddIndex(*plan.index, units);
  } else {
    meter.AddTable(units);
  }
  resp.consumed_capacity = meter.Report(mode);
}

}  // namespace

Result<std::string> EngineImpl::Query(std::string_view body) {
  MOE_TRY(QueryRequest req, ParseRequest<QueryRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (req.index_name) MOE_TRY_STATUS(ValidateName(*req.index_name, "indexName"));
  MOE_TRY_STATUS(ValidateLimit(req.limit, "limit"));
  if (!req.key_condition_expression) {
    return Error::Validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  ReadPlan plan;
  plan.limit = req.limit;
  plan.consistent = req.consistent_read;
  ddbexpr::PlaceholderTracker tracker(&req.expression_attribute_names,
                                      &req.expression_attribute_values);
  MOE_TRY(ddbexpr::ConditionAst key_ast,
          ddbexpr::ParseCondition(*req.key_condition_expression,
                                  ddbexpr::ExpressionKind::kKeyCondition, tracker));
  MOE_TRY(plan.filter,
          ParseOptionalCondition(req.filter_expression, ddbexpr::ExpressionKind::kFilter, tracker));
  MOE_TRY(plan.projection, ParseOptionalProjection(req.projection_expression, tracker));
  MOE_TRY_STATUS(tracker.CheckAllUsed());
  MOE_TRY_STATUS(ValidateSelect(req.select, plan.projection.has_value(), req.index_name.has_value()));

  std::shared_lock catalog(catalog_mu_);
  MOE_TRY(TableEntry * entry, ItemTable(req.table_name));
  std::lock_guard<std::mutex> lock(entry->mu);
  MOE_TRY_STATUS(BindSource(plan, entry->table, req.index_name, req.select, clock_.Now()));
  const KeyShape& key = SourceKey(plan);
  MOE_TRY(ddbexpr::KeyCondition kc,
          ddbexpr::ExtractKeyCondition(key_ast, key.hash.name,
                                       key.range ? std::string_view(key.range->name) : ""));
  bool types_ok = HasScalarType(kc.hash_value, key.hash.type);
  if (kc.range) {
    types_ok = types_ok && HasScalarType(kc.range->value, key.range->type) &&
               (!kc.range->upper || HasScalarType(*kc.range->upper, key.range->type));
    if (kc.range->op == ddbexpr::SortKeyCondition::Op::kBeginsWith &&
        key.range->type == ScalarAttributeType::kN) {
      return Error::Validation(
          "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
          "operator or function: begins_with, operand type: N");
    }
  }
  if (!types_ok) {
    return InvalidParameter("Condition parameter type does not match schema type");
  }
  if (kc.range && kc.range->op == ddbexpr::SortKeyCondition::Op::kBetween &&
      CompareKeyValues(kc.range->value, *kc.range->upper) > 0) {
    return Error::Validation(
        "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater "
        "than or equal to lower bound");
  }

  const Partition* partition =
      plan.items().FindPartition(HashKeyValue(kc.hash_value), kc.hash_value);
  std::optional<StoredKey> start;
  if (req.exclusive_start_key) {
    MOE_TRY(start, StartKey(plan, *req.exclusive_start_key));
    if (CompareKeyValues(start->hk, kc.hash_value) != 0) {
      return Error::Validation(
          "The provided starting key is outside query boundaries based on provided conditions");
    }
  }
  Page page;
  // Without a sort-key condition or filter, every item of the partition up
  // to Limit is written.
  if (partition != nullptr && !kc.range && !plan.filter) {
    page.expected = std::min<size_t>(partition->items.size(), plan.limit.value_or(INT32_MAX));
  }
  auto visit = [&](const StoredItem& stored) -> Result<bool> {
    if (kc.range && !RangeMatches(*kc.range, stored.item.at(key.range->name))) return true;
    return Evaluate(plan, stored, page);
  };
  // The start key shares the partition (checked above): it positions the
  // walk inside the partition's items.
  if (partition != nullptr && req.scan_index_forward) {
    const PartitionItems& items = partition->items;
    for (auto it = start ? items.upper_bound(*start) : items.begin(); it != items.end(); ++it) {
      MOE_TRY(bool more, visit(it->second));
      if (!more) break;
    }
  } else if (partition != nullptr) {
    const PartitionItems& items = partition->items;
    auto it = start ? items.lower_bound(*start) : items.end();
    while (it != items.begin()) {
      --it;
      MOE_TRY(bool more, visit(it->second));
      if (!more) break;
    }
  }
  MOE_TRY_STATUS(SimulateRead(*plan.table, plan.index, HashKeyValue(kc.hash_value),
                              ReadUnits(page.bytes, plan.consistent)));
  ChargeRead(plan, page, req.return_consumed_capacity, page.resp);
  return ResponseJson(page, plan.select);
}

Result<std::string> EngineImpl::Scan(std::string_view body) {
  MOE_TRY(ScanRequest req, ParseRequest<ScanRequest>(body));
  MOE_TRY_STATUS(ValidateTableName(req.table_name));
  if (req.index_name) MOE_TRY_STATUS(ValidateName(*req.index_name, "indexName"));
  MOE_TRY_STATUS(ValidateLimit(req.limit, "limit"));
  if (req.segment && !req.total_segments) {
    return Error::Validation(
        "The TotalSegments parameter is required but was not present in the request when Segment "
        "parameter is present");
  }
  if (req.total_segments) {
    MOE_TRY_STATUS(ValidateLimit(req.total_segments, "totalSegments", 1000000));
    if (!req.segment) {
      return Error::Validation(
          "The Segment parameter is required but was not present in the request when parameter "
          "TotalSegments is present");
    }
    if (*req.segment < 0) {
      return Error::Validation("1 validation error detected: Value '" + std::to_string(*req.segment) +
                               "' at 'segment' failed to satisfy constraint: Member must have value "
                               "greater than or equal to 0");
    }
    if (*req.segment >= *req.total_segments) {
      return Error::Validation(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
          "Segment: " + std::to_string(*req.segment) + " is out of bounds, TotalSegments: " +
          std::to_string(*req.total_segments));
    }
  }
  ReadPlan plan;
  plan.limit = req.limit;
  plan.consistent = req.consistent_read;
  ddbexpr::PlaceholderTracker tracker(&req.expression_attribute_names,
                                      &req.expression_attribute_values);
  MOE_TRY(plan.filter,
          ParseOptionalCondition(req.filter_expression, ddbexpr::ExpressionKind::kFilter, tracker));
  MOE_TRY(plan.projection, ParseOptionalProjection(req.projection_expression, tracker));
  MOE_TRY_STATUS(CheckPlaceholdersWithoutExpressions(
      plan.filter.has_value() || plan.projection.has_value(), req.expression_attribute_names,
      req.expression_attribute_values));
  MOE_TRY_STATUS(tracker.CheckAllUsed());
  MOE_TRY_STATUS(ValidateSelect(req.select, plan.projection.has_value(), req.index_name.has_value()));

  std::shared_lock catalog(catalog_mu_);
  MOE_TRY(TableEntry * entry, ItemTable(req.table_name));
  std::lock_guard<std::mutex> lock(entry->mu);
  MOE_TRY_STATUS(BindSource(plan, entry->table, req.index_name, req.select, clock_.Now()));
  const ItemStore& items = plan.items();

  // A segment is the range [lo, hi) of partition-key hashes.
  unsigned __int128 lo = 0;
  unsigned __int128 hi = static_cast<unsigned __int128>(1) << 64;
  if (req.total_segments) {
    unsigned __int128 span = hi;
    lo = span * static_cast<unsigned>(*req.segment) / static_cast<unsigned>(*req.total_segments);
    hi = span * static_cast<unsigned>(*req.segment + 1) / static_cast<unsigned>(*req.total_segments);
  }
  ItemStore::Cursor it = items.LowerBound(static_cast<uint64_t>(lo));
  if (req.exclusive_start_key) {
    // Start after the key, but not before the segment.
    MOE_TRY(StoredKey start, StartKey(plan, *req.exclusive_start_key));
    ItemStore::Cursor after = items.UpperBound(start);
    if (after.Done() || after.partition().hash >= lo) it = after;
  }
  Page page;
  if (!plan.filter && !req.total_segments) {
    page.expected = std::min<size_t>(items.size(), plan.limit.value_or(INT32_MAX));
  }
  uint64_t page_hash = !it.Done() ? it.partition().hash : static_cast<uint64_t>(lo);
  for (; !it.Done() && it.partition().hash < hi; it.Next()) {
    MOE_TRY(bool more, Evaluate(plan, it.item(), page));
    if (!more) break;
  }
  // The simulator charges a page to the partition it starts in.
  MOE_TRY_STATUS(SimulateRead(*plan.table, plan.index, page_hash, ReadUnits(page.bytes, plan.consistent)));
  ChargeRead(plan, page, req.return_consumed_capacity, page.resp);
  return ResponseJson(page, plan.select);
}

}  // namespace moe::local
