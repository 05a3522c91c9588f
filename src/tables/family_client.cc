// FamilyClient: state refresh, mirrored writes by mode, split reads.
#include "moe/family_client.h"

#include <algorithm>
#include <cctype>
#include <thread>
#include <type_traits>

namespace moe {
namespace {

constexpr std::string_view kVersionName = "#moe_v";
constexpr std::string_view kVersionValue = ":moe_v";

Error NotEmptyTable() {
  return Error::InvalidArgument(
      "family writes and reads choose their tables: leave table_name empty");
}

// Adds "#moe_v = :moe_v" to the SET clause of an update expression (or adds
// a SET clause). Clause keywords cannot be attribute names (they are
// reserved words), so a whole-word, case-insensitive SET is the clause.
std::string WithVersionSet(std::string_view expression) {
  std::string assignment = std::string(kVersionName) + " = " + std::string(kVersionValue);
  auto word_at = [&](size_t i) {
    auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    if (i + 3 > expression.size()) return false;
    for (size_t k = 0; k < 3; ++k) {
      if (std::toupper(static_cast<unsigned char>(expression[i + k])) != "SET"[k]) return false;
    }
    bool left = i == 0 || !(is_word(expression[i - 1]) || expression[i - 1] == '#' ||
                            expression[i - 1] == ':' || expression[i - 1] == '.');
    bool right = i + 3 == expression.size() || !is_word(expression[i + 3]);
    return left && right;
  };
  for (size_t i = 0; i < expression.size(); ++i) {
    if (word_at(i)) {
      return std::string(expression.substr(0, i + 3)) + " " + assignment + "," +
             std::string(expression.substr(i + 3));
    }
  }
  return "SET " + assignment + (expression.empty() ? "" : " ") + std::string(expression);
}

Result<Item> KeyOf(const FamilySpec& spec, const Item& item) {
  Item key;
  for (const KeySchemaElement& k : spec.key_schema) {
    auto it = item.find(k.attribute_name);
    if (it == item.end()) {
      return Error::Validation("One of the required keys was not given a value: " +
                               k.attribute_name);
    }
    key.emplace(k.attribute_name, it->second);
  }
  return key;
}

KeyNames Names(const FamilySpec& spec) {
  KeyNames names;
  for (const KeySchemaElement& k : spec.key_schema) {
    (k.key_type == KeyType::kHash ? names.hash : names.range) = k.attribute_name;
  }
  return names;
}

}  // namespace

bool MirroredWrite::all_written() const {
  return std::all_of(copies.begin(), copies.end(), [](const CopyOutcome& c) { return !c.error; });
}

FamilyClient::FamilyClient(DynamoDbClient& client, Registry& registry, std::string family,
                           FamilyClientOptions options)
    : client_(client),
      registry_(registry),
      family_(std::move(family)),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &client.clock()) {}

Result<std::unique_ptr<FamilyClient>> FamilyClient::Open(DynamoDbClient& client, Registry& registry,
                                                         std::string family,
                                                         FamilyClientOptions options) {
  std::unique_ptr<FamilyClient> fc(
      new FamilyClient(client, registry, std::move(family), std::move(options)));
  MOE_TRY_STATUS(fc->Refresh());
  return fc;
}

Status FamilyClient::Refresh() {
  MOE_TRY(FamilyState state, registry_.Load(family_));
  if (!state.write_period) {
    return Error::InvalidArgument("family '" + family_ +
                                  "' has no tables yet: run `moe family rotate " + family_ + "`");
  }
  std::lock_guard lock(mu_);
  // Never step back to an older record (a lagging registry copy).
  if (!state_ || state.version >= state_->version) state_ = std::move(state);
  loaded_at_ = clock_->Monotonic();
  return Ok();
}

Result<FamilyState> FamilyClient::State() {
  bool due;
  {
    std::lock_guard lock(mu_);
    Clock::Duration age = clock_->Monotonic() - loaded_at_;
    bool near_boundary = clock_->Now() + options_.skew_bound >= state_->write_period->End();
    due = age >= options_.refresh_interval || (near_boundary && age >= options_.boundary_poll);
  }
  if (due) {
    Status refreshed = Refresh();
    // A registry that cannot be read leaves the last state in use.
    (void)refreshed;
  }
  std::lock_guard lock(mu_);
  return *state_;
}

Result<FamilyState> FamilyClient::StateForWrite() {
  MOE_TRY(FamilyState state, State());
  if (state.spec.mirror_mode == MirrorMode::kWriteBehind && options_.journal == nullptr) {
    return Error::InvalidArgument(
        "family '" + family_ + "' mirrors write-behind: FamilyClientOptions.journal is required");
  }
  return state;
}

bool FamilyClient::RecordFailures(const FamilyState& state, const Item& key, const std::string& op,
                                  MirroredWrite& result) {
  if (result.all_written()) return true;
  bool any = std::any_of(result.copies.begin(), result.copies.end(),
                         [](const CopyOutcome& c) { return !c.error; });
  if (!any) return true;  // nothing written anywhere: no divergence to mend
  bool recorded = true;
  for (const CopyOutcome& c : result.copies) {
    if (!c.error) continue;
    RepairRecord record{.period = *state.write_period,
                        .table = c.table,
                        .key = key,
                        .operation = op,
                        .error = c.error->ToString()};
    recorded = registry_.RecordRepair(family_, record) && recorded;
  }
  return recorded;
}

// Per-operation pieces of the generic mirrored write.
namespace {

TransactWriteItem ToTransact(const PutItemRequest& r, const std::string& table) {
  return {.put = TransactPut{.table_name = table,
                             .item = r.item,
                             .condition_expression = r.condition_expression,
                             .expression_attribute_names = r.expression_attribute_names,
                             .expression_attribute_values = r.expression_attribute_values}};
}
TransactWriteItem ToTransact(const UpdateItemRequest& r, const std::string& table) {
  return {.update = TransactUpdate{.table_name = table,
                                   .key = r.key,
                                   .update_expression = r.update_expression.value_or(""),
                                   .condition_expression = r.condition_expression,
                                   .expression_attribute_names = r.expression_attribute_names,
                                   .expression_attribute_values = r.expression_attribute_values}};
}
TransactWriteItem ToTransact(const DeleteItemRequest& r, const std::string& table) {
  return {.del = TransactDelete{.table_name = table,
                                .key = r.key,
                                .condition_expression = r.condition_expression,
                                .expression_attribute_names = r.expression_attribute_names,
                                .expression_attribute_values = r.expression_attribute_values}};
}

// The item after the write on copy 1 (nullopt: deleted).
std::optional<Item> NewImage(const PutItemRequest& r, const PutItemResponse&) { return r.item; }
std::optional<Item> NewImage(const UpdateItemRequest&, const UpdateItemResponse& done) {
  return done.attributes;
}
std::optional<Item> NewImage(const DeleteItemRequest&, const DeleteItemResponse&) {
  return std::nullopt;
}

}  // namespace

template <typename Request>
Result<MirroredWrite> FamilyClient::Write(Request request, const FamilyState& state, Item key,
                                          const std::string& op) {
  using Response = typename Request::Response;
  const std::vector<std::string> tables = state.WriteTables();
  MirroredWrite result;
  auto outcome = [&](size_t i, const std::optional<Error>& error) {
    result.copies.push_back({tables[i], error});
  };

  if (state.spec.mirror_mode == MirrorMode::kTransactional) {
    TransactWriteItemsRequest tx;
    for (const std::string& t : tables) tx.transact_items.push_back(ToTransact(request, t));
    MOE_TRY_STATUS(client_.TransactWriteItems(tx));
    for (size_t i = 0; i < tables.size(); ++i) outcome(i, std::nullopt);
    return result;
  }

  // Copy 1 decides first when the write is conditional (the replicas then
  // take its result, whatever their own state) or when a journal follows.
  const bool primary_first = request.condition_expression.has_value() ||
                             state.spec.mirror_mode == MirrorMode::kWriteBehind;
  if (!primary_first) {
    std::vector<Request> requests(tables.size(), request);
    for (size_t i = 0; i < tables.size(); ++i) requests[i].table_name = tables[i];
    std::vector<Result<Response>> done = client_.CallAll(requests);
    bool any = false;
    for (size_t i = 0; i < tables.size(); ++i) {
      outcome(i, done[i] ? std::nullopt : std::optional<Error>(done[i].error()));
      any = any || done[i];
    }
    if (!any) return std::move(done[0]).error();  // nothing written anywhere
    if (done[0]) result.attributes = done[0]->attributes;
    result.repair_recorded = RecordFailures(state, key, op, result);
    return result;
  }

  Request primary = std::move(request);
  primary.table_name = tables[0];
  if constexpr (std::is_same_v<Request, UpdateItemRequest>) {
    // The replicas are given copy 1's new image.
    if (primary.return_values != ReturnValue::kNone &&
        primary.return_values != ReturnValue::kAllNew) {
      return Error::InvalidArgument(
          "a conditional or write-behind update of a mirrored family returns ALL_NEW or NONE");
    }
    primary.return_values = ReturnValue::kAllNew;
  }
  MOE_TRY(Response done, client_.Call(primary));
  result.attributes = done.attributes;
  outcome(0, std::nullopt);
  std::optional<Item> image = NewImage(primary, done);
  std::vector<std::string> replicas(tables.begin() + 1, tables.end());

  if (state.spec.mirror_mode == MirrorMode::kWriteBehind) {
    Status appended =
        options_.journal->Append({family_, *state.write_period, tables[0], replicas, key, image});
    for (size_t i = 1; i < tables.size(); ++i) {
      outcome(i, appended ? std::nullopt : std::optional<Error>(appended.error()));
    }
  } else if (image) {
    std::vector<PutItemRequest> puts;
    for (const std::string& t : replicas) puts.push_back({.table_name = t, .item = *image});
    auto applied = client_.CallAll(puts);
    for (size_t i = 0; i < applied.size(); ++i) {
      outcome(i + 1, applied[i] ? std::nullopt : std::optional<Error>(applied[i].error()));
    }
  } else {
    std::vector<DeleteItemRequest> deletes;
    for (const std::string& t : replicas) deletes.push_back({.table_name = t, .key = key});
    auto applied = client_.CallAll(deletes);
    for (size_t i = 0; i < applied.size(); ++i) {
      outcome(i + 1, applied[i] ? std::nullopt : std::optional<Error>(applied[i].error()));
    }
  }
  result.repair_recorded = RecordFailures(state, key, op, result);
  return result;
}

FamilyClient::Microseconds FamilyClient::VersionNow() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock_->Now().time_since_epoch())
      .count();
}

Result<MirroredWrite> FamilyClient::Put(PutItemRequest request) {
  if (!request.table_name.empty()) return NotEmptyTable();
  MOE_TRY(FamilyState state, StateForWrite());
  MOE_TRY(Item key, KeyOf(state.spec, request.item));
  request.item[options_.version_attribute] = Value(VersionNow());
  return Write(std::move(request), state, std::move(key), "put");
}

Result<MirroredWrite> FamilyClient::Update(UpdateItemRequest request) {
  if (!request.table_name.empty()) return NotEmptyTable();
  MOE_TRY(FamilyState state, StateForWrite());
  if (request.expression_attribute_names.contains(std::string(kVersionName)) ||
      request.expression_attribute_values.contains(std::string(kVersionValue))) {
    return Error::InvalidArgument("#moe_v and :moe_v are reserved for the family's version");
  }
  request.update_expression = WithVersionSet(request.update_expression.value_or(""));
  request.expression_attribute_names.emplace(kVersionName, options_.version_attribute);
  request.expression_attribute_values.emplace(kVersionValue, Value(VersionNow()));
  Item key = request.key;
  return Write(std::move(request), state, std::move(key), "update");
}

Result<MirroredWrite> FamilyClient::Delete(DeleteItemRequest request) {
  if (!request.table_name.empty()) return NotEmptyTable();
  MOE_TRY(FamilyState state, StateForWrite());
  Item key = request.key;
  MOE_TRY(MirroredWrite result, Write(std::move(request), state, key, "delete"));
  // Older periods may hold earlier versions that a newest-first read would
  // find: they go too (unconditionally; the decision was the write period's).
  std::vector<DeleteItemRequest> older;
  std::vector<PeriodIndex> periods;
  for (PeriodIndex p : state.ReadPeriods()) {
    if (p == *state.write_period) continue;
    for (const std::string& t : state.Tables(p)) {
      older.push_back({.table_name = t, .key = key});
      periods.push_back(p);
    }
  }
  auto done = client_.CallAll(older);
  for (size_t i = 0; i < done.size(); ++i) {
    if (done[i] || done[i].error().code() == ErrorCode::kResourceNotFound) continue;
    result.copies.push_back({older[i].table_name, done[i].error()});
    RepairRecord record{.period = periods[i],
                        .table = older[i].table_name,
                        .key = key,
                        .operation = "delete",
                        .error = done[i].error().ToString()};
    result.repair_recorded = registry_.RecordRepair(family_, record) && result.repair_recorded;
  }
  return result;
}

Result<MirroredBatch> FamilyClient::BatchWrite(std::vector<WriteRequest> writes) {
  MOE_TRY(FamilyState state, StateForWrite());
  const std::vector<std::string> tables = state.WriteTables();
  const Value version(VersionNow());
  for (WriteRequest& w : writes) {
    if (w.put_item) (*w.put_item)[options_.version_attribute] = version;
  }
  BatchOptions batch = options_.batch;
  for (const std::string& t : tables) batch.key_names.emplace(t, Names(state.spec));
  // Write-behind: the batch engine writes copy 1 only; the journal takes the rest.
  const bool write_behind = state.spec.mirror_mode == MirrorMode::kWriteBehind;
  const size_t direct = write_behind ? 1 : tables.size();

  // Every copy through its own batch engine, concurrently.
  std::vector<std::optional<Result<BatchWriteResult>>> results(direct);
  {
    std::vector<std::thread> threads;
    for (size_t c = 0; c < direct; ++c) {
      threads.emplace_back([&, c] {
        BatchWriter writer(client_, batch);
        for (const WriteRequest& w : writes) {
          if (w.put_item) writer.Put(tables[c], *w.put_item);
          if (w.delete_key) writer.Delete(tables[c], *w.delete_key);
        }
        results[c] = writer.Flush();
      });
    }
    for (std::thread& t : threads) t.join();
  }
  MirroredBatch out;
  for (auto& r : results) {
    if (!*r) return std::move(*r).error();
    out.copies.push_back(std::move(**r));
  }
  if (write_behind) {
    JournalBatch(state, writes, out);
    return out;
  }
  // An entry that failed on some copies and landed on others diverges.
  std::vector<std::vector<const FailedWrite*>> failed(writes.size());
  for (const BatchWriteResult& r : out.copies) {
    for (const FailedWrite& f : r.failed) {
      if (f.index < writes.size()) failed[f.index].push_back(&f);
    }
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    if (failed[i].empty() || failed[i].size() == tables.size()) continue;
    const WriteRequest& w = writes[i];
    auto key = w.put_item ? KeyOf(state.spec, *w.put_item) : Result<Item>(*w.delete_key);
    if (!key) continue;  // an invalid entry fails on every copy alike
    for (const FailedWrite* f : failed[i]) {
      RepairRecord record{.period = *state.write_period,
                          .table = f->table,
                          .key = *key,
                          .operation = w.put_item ? "batch-put" : "batch-delete",
                          .error = f->error.ToString()};
      if (registry_.RecordRepair(family_, record)) {
        ++out.repairs_recorded;
      } else {
        ++out.repairs_unrecorded;
      }
    }
  }
  return out;
}

void FamilyClient::JournalBatch(const FamilyState& state, const std::vector<WriteRequest>& writes,
                                MirroredBatch& out) {
  const std::vector<std::string> tables = state.WriteTables();
  const std::vector<std::string> replicas(tables.begin() + 1, tables.end());
  std::vector<bool> landed(writes.size(), true);
  for (const FailedWrite& f : out.copies[0].failed) {
    if (f.index < writes.size()) landed[f.index] = false;
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    if (!landed[i]) continue;
    const WriteRequest& w = writes[i];
    auto key = w.put_item ? KeyOf(state.spec, *w.put_item) : Result<Item>(*w.delete_key);
    if (!key) continue;  // copy 1 refused it too
    std::optional<Item> image;
    if (w.put_item) image = *w.put_item;
    Status appended =
        options_.journal->Append({family_, *state.write_period, tables[0], replicas, *key, image});
    if (appended) {
      ++out.journaled;
      continue;
    }
    for (const std::string& t : replicas) {
      RepairRecord record{.period = *state.write_period,
                          .table = t,
                          .key = *key,
                          .operation = w.put_item ? "batch-put" : "batch-delete",
                          .error = appended.error().ToString()};
      if (registry_.RecordRepair(family_, record)) {
        ++out.repairs_recorded;
      } else {
        ++out.repairs_unrecorded;
      }
    }
  }
}

Result<FamilyGet> FamilyClient::Get(GetItemRequest request, FamilyGetOptions options) {
  if (!request.table_name.empty()) return NotEmptyTable();
  MOE_TRY(FamilyState state, State());
  return GetNewestFirst(std::move(request), state, options.read_all_copies,
                        [this](const GetItemRequest& r) { return client_.GetItem(r); });
}

Result<FamilyGet> FamilyClient::GetNewestFirst(
    GetItemRequest request, const FamilyState& state, bool read_all_copies,
    const std::function<Result<GetItemResponse>(const GetItemRequest&)>& get) {
  FamilyGet out;
  for (PeriodIndex p : state.ReadPeriods()) {
    std::vector<std::string> tables = state.Tables(p);
    std::optional<GetItemResponse> found;
    std::optional<Error> last;
    size_t from = 0;
    for (; from < tables.size(); ++from) {  // copy 1, the next on error
      request.table_name = tables[from];
      auto got = get(request);
      if (got) {
        found = std::move(*got);
        break;
      }
      last = std::move(got).error();
      if (last->code() == ErrorCode::kInvalidArgument) return std::move(*last);  // any copy
    }
    if (!found) {
      // A table dropped under a stale state holds nothing any more.
      if (last->code() == ErrorCode::kResourceNotFound) continue;
      return std::move(*last);
    }
    if (!found->item) continue;
    out.item = std::move(found->item);
    out.table = tables[from];
    if (read_all_copies) {
      std::vector<GetItemRequest> others;
      for (size_t c = 0; c < tables.size(); ++c) {
        if (c == from) continue;
        GetItemRequest g = request;
        g.table_name = tables[c];
        others.push_back(std::move(g));
      }
      auto answers = client_.CallAll(others);
      for (size_t k = 0; k < answers.size(); ++k) {
        if (!answers[k] || answers[k]->item != out.item) {
          out.disagreeing.push_back(others[k].table_name);
        }
      }
    }
    return out;
  }
  return out;
}

namespace {

// Query's merge options: the table's key plus the queried index's, merged
// by the range key of whatever is queried (the hash key when it has none).
MergedQueryOptions MergeOptions(const FamilySpec& spec, const QueryRequest& request,
                                std::optional<MergedQueryOptions> options) {
  MergedQueryOptions merged = options.value_or(MergedQueryOptions{.distinct_keys = true});
  merged.scan_index_forward = request.scan_index_forward;
  if (merged.key_attributes.empty() || merged.sort_key.empty()) {
    const KeySchema* schema = &spec.key_schema;
    for (const auto& g : spec.global_secondary_indexes) {
      if (request.index_name == g.index_name) schema = &g.key_schema;
    }
    for (const auto& l : spec.local_secondary_indexes) {
      if (request.index_name == l.index_name) schema = &l.key_schema;
    }
    std::vector<std::string> keys;
    for (const auto* s : {&spec.key_schema, schema}) {
      for (const KeySchemaElement& k : *s) {
        if (std::find(keys.begin(), keys.end(), k.attribute_name) == keys.end()) {
          keys.push_back(k.attribute_name);
        }
      }
    }
    if (merged.key_attributes.empty()) merged.key_attributes = keys;
    if (merged.sort_key.empty()) merged.sort_key = schema->back().attribute_name;
  }
  return merged;
}

// `request` once per read period, newest first (a merge gives ties to the
// earlier source, so to the newest period), each on the period's copy 1.
std::vector<QueryRequest> PeriodQueries(const FamilyState& state, const QueryRequest& request) {
  std::vector<QueryRequest> out;
  for (PeriodIndex p : state.ReadPeriods()) {
    QueryRequest q = request;
    q.table_name = state.Tables(p)[0];
    out.push_back(std::move(q));
  }
  return out;
}

std::string HashKeyOf(const FamilySpec& spec) {
  for (const KeySchemaElement& k : spec.key_schema) {
    if (k.key_type == KeyType::kHash) return k.attribute_name;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<MergedQuery>> FamilyClient::Query(
    QueryRequest request, std::optional<std::string_view> token,
    std::optional<MergedQueryOptions> options) {
  if (!request.table_name.empty()) return NotEmptyTable();
  MOE_TRY(FamilyState state, State());
  MergedQueryOptions merged = MergeOptions(state.spec, request, std::move(options));
  return MergedQuery::Start(client_, PeriodQueries(state, request), std::move(merged), token);
}

// ------------------------------------------------------------ sharded families

Result<partitioning::ShardHistory> FamilyClient::Shards() {
  MOE_TRY(FamilyState state, State());
  if (!state.shards) {
    return Error::InvalidArgument("family '" + family_ +
                                  "' records no shard count (moe family shards " + family_ +
                                  " --raise N)");
  }
  return std::move(*state.shards);
}

Status FamilyClient::SyncShards(partitioning::ShardingPolicy& policy) {
  MOE_TRY(FamilyState state, State());
  if (!state.shards) return Ok();
  return policy.Follow(*state.shards);
}

Result<FamilyGet> FamilyClient::ShardedGet(GetItemRequest request,
                                           partitioning::ShardingPolicy& policy) {
  if (!request.table_name.empty()) return NotEmptyTable();
  MOE_TRY_STATUS(SyncShards(policy));
  MOE_TRY(FamilyState state, State());
  const std::string hash_key = HashKeyOf(state.spec);
  return GetNewestFirst(std::move(request), state, /*read_all_copies=*/false,
                        [&](const GetItemRequest& r) {
                          return partitioning::ShardedGetItem(client_, policy, r, hash_key);
                        });
}

Result<std::unique_ptr<MergedQuery>> FamilyClient::ShardedQuery(
    QueryRequest request, partitioning::ShardingPolicy& policy,
    std::optional<std::string_view> token, std::optional<MergedQueryOptions> options) {
  if (!request.table_name.empty()) return NotEmptyTable();
  if (request.index_name) {
    return Error::InvalidArgument("a sharded query reads the table's key, not an index");
  }
  MOE_TRY_STATUS(SyncShards(policy));
  MOE_TRY(FamilyState state, State());
  MergedQueryOptions merged = MergeOptions(state.spec, request, std::move(options));
  std::vector<QueryRequest> sources;
  for (const QueryRequest& q : PeriodQueries(state, request)) {
    MOE_TRY(std::vector<QueryRequest> shards,
            partitioning::ShardedQueryRequests(policy, q, HashKeyOf(state.spec)));
    for (QueryRequest& s : shards) sources.push_back(std::move(s));
  }
  return MergedQuery::Start(client_, std::move(sources), std::move(merged), token);
}

}  // namespace moe
