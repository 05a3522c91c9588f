// Engine lifecycle, dispatch, the catalog lookups and the commit path.

#include "local/engine.h"

#include "local/wal.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace moe::local {

namespace {

double Seconds(Clock::TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::optional<KeyAttr> AttrOf(const std::vector<AttributeDefinition>& defs,
                              const std::string& name) {
  for (const AttributeDefinition& d : defs) {
    if (d.attribute_name == name) return KeyAttr{name, d.attribute_type};
  }
  return std::nullopt;
}

// Precondition: the schema was validated (every key attribute is defined).
KeyShape ShapeOf(const KeySchema& schema, const std::vector<AttributeDefinition>& defs) {
  KeyShape shape;
  for (const KeySchemaElement& e : schema) {
    KeyAttr attr = AttrOf(defs, e.attribute_name).value_or(KeyAttr{e.attribute_name});
    if (e.key_type == KeyType::kHash) {
      shape.hash = std::move(attr);
    } else {
      shape.range = std::move(attr);
    }
  }
  return shape;
}

}  // namespace

// ------------------------------------------------------------ lifecycle

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  std::unique_ptr<Journal> journal;
  if (!options.data_dir.empty()) {
    MOE_TRY(journal, Wal::Open({options.data_dir, options.log_compaction_bytes, options.group_commit}));
  }
  auto engine = std::make_unique<EngineImpl>(std::move(options), std::move(journal));
  MOE_TRY_STATUS(engine->Start());
  return std::unique_ptr<Engine>(std::move(engine));
}

EngineImpl::EngineImpl(EngineOptions options, std::unique_ptr<Journal> journal)
    : clock_(options.clock != nullptr ? *options.clock : Clock::Real()),
      options_(std::move(options)),
      journal_(journal != nullptr ? std::move(journal) : std::make_unique<MemoryJournal>()) {
  if (options_.simulate.enabled) sim_ = std::make_unique<PartitionSimulator>(options_.simulate);
}

EngineImpl::~EngineImpl() {
  {
    std::lock_guard<std::mutex> lock(sweeper_mu_);
    stopping_ = true;
  }
  sweeper_cv_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

Status EngineImpl::Start() {
  {
    std::unique_lock lock(catalog_mu_);
    MOE_TRY_STATUS(journal_->Replay([this](const Mutation& m) -> Status {
      Mutation copy = m;
      ApplyCommitted(copy);
      return Ok();
    }));
    // Replayed tables come back ACTIVE (and deleting ones gone), whatever
    // transition they were in when the process stopped.
    std::erase_if(tables_, [](const auto& kv) { return kv.second->table.status == TableStatus::kDeleting; });
    for (auto& [name, entry] : tables_) {
      entry->table.status = TableStatus::kActive;
      entry->table.status_until = {};
      for (IndexState& index : entry->table.indexes) index.active_at = {};
    }
  }
  if (&clock_ == &Clock::Real()) {
    sweeper_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(sweeper_mu_);
      while (!stopping_) {
        clock_.WaitFor(sweeper_cv_, lock, std::chrono::seconds(1));
        if (stopping_) break;
        lock.unlock();
        SweepExpired();
        lock.lock();
      }
    });
  }
  return Ok();
}

// ------------------------------------------------------------ dispatch

Result<std::string> EngineImpl::Handle(std::string_view op, std::string_view body) {
  using Fn = Result<std::string> (EngineImpl::*)(std::string_view);
  static constexpr std::pair<std::string_view, Fn> kOps[] = {
      {"PutItem", &EngineImpl::PutItem},
      {"GetItem", &EngineImpl::GetItem},
      {"UpdateItem", &EngineImpl::UpdateItem},
      {"DeleteItem", &EngineImpl::DeleteItem},
      {"Query", &EngineImpl::Query},
      {"Scan", &EngineImpl::Scan},
      {"BatchGetItem", &EngineImpl::BatchGetItem},
      {"BatchWriteItem", &EngineImpl::BatchWriteItem},
      {"TransactWriteItems", &EngineImpl::TransactWriteItems},
      {"TransactGetItems", &EngineImpl::TransactGetItems},
      {"CreateTable", &EngineImpl::CreateTable},
      {"DeleteTable", &EngineImpl::DeleteTable},
      {"DescribeTable", &EngineImpl::DescribeTable},
      {"ListTables", &EngineImpl::ListTables},
      {"UpdateTable", &EngineImpl::UpdateTable},
      {"UpdateTimeToLive", &EngineImpl::UpdateTimeToLive},
      {"DescribeTimeToLive", &EngineImpl::DescribeTimeToLive},
  };
  for (const auto& [name, fn] : kOps) {
    if (name == op) {
      Result<std::string> result = (this->*fn)(body);
      MaybeCompact();
      return result;
    }
  }
  return Error(ErrorCode::kUnknownOperation, "");
}

// ------------------------------------------------------------ catalog lookups

EngineImpl::TableEntry* EngineImpl::FindEntry(std::string_view name) {
  auto it = tables_.find(name);
  if (it == tables_.end() || it->second->table.Gone(clock_.Now())) return nullptr;
  return it->second.get();
}

Result<EngineImpl::TableEntry*> EngineImpl::ItemTable(std::string_view name) {
  TableEntry* entry = FindEntry(name);
  if (entry != nullptr) {
    TableStatus status = entry->table.EffectiveStatus(clock_.Now());
    if (status != TableStatus::kCreating && status != TableStatus::kDeleting) return entry;
  }
  return Error::ResourceNotFound("Requested resource not found");
}

void EngineImpl::PruneDeleted() {
  Clock::TimePoint now = clock_.Now();
  std::erase_if(tables_, [now](const auto& kv) { return kv.second->table.Gone(now); });
}

// ------------------------------------------------------------ commit path

Status EngineImpl::Commit(std::span<Mutation> group) {
  if (group.empty()) return Ok();
  if (group[0].kind == Mutation::Kind::kCreateTable && group[0].table_id.empty()) {
    // Stamp the new table's identity, so that the journal keeps it.
    Mutation stamped = group[0];
    uint64_t n = next_table_id_.fetch_add(1);
    char id[40];
    std::snprintf(id, sizeof(id), "%08llx-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(n * 2654435761u & 0xffffffffu),
                  static_cast<unsigned long long>(n));
    stamped.table_id = id;
    stamped.created = Seconds(clock_.Now());
    return Commit({&stamped, 1});
  }
  MOE_TRY_STATUS(journal_->Append(group));
  for (Mutation& m : group) ApplyCommitted(m);
  return Ok();
}

void EngineImpl::ApplyCommitted(Mutation& m) {
  if (m.kind == Mutation::Kind::kPutItem || m.kind == Mutation::Kind::kDeleteItem) {
    auto it = tables_.find(m.table);
    if (it == tables_.end()) return;
    Table& t = it->second->table;
    if (m.kind == Mutation::Kind::kPutItem) {
      t.Put(std::move(m.item));
    } else {
      t.Remove(m.item);
    }
    return;
  }
  Clock::TimePoint now = clock_.Now();
  auto transition = std::chrono::duration_cast<Clock::Duration>(options_.table_transition);
  switch (m.kind) {
    case Mutation::Kind::kPutItem:
    case Mutation::Kind::kDeleteItem:
      return;  // above
    case Mutation::Kind::kCreateTable: {
      const CreateTableRequest& req = *m.create_table;
      auto entry = std::make_unique<TableEntry>();
      Table& t = entry->table;
      t.name = req.table_name;
      t.arn = "arn:aws:dynamodb:" + options_.region + ":" + options_.account_id + ":table/" +
              req.table_name;
      t.id = m.table_id;
      // Ids of replayed tables end in their counter: never reuse one.
      if (t.id.size() > 12) {
        uint64_t n = std::strtoull(t.id.c_str() + t.id.size() - 12, nullptr, 16);
        uint64_t next = next_table_id_.load();
        while (next <= n && !next_table_id_.compare_exchange_weak(next, n + 1)) {
        }
      }
      t.key = ShapeOf(req.key_schema, req.attribute_definitions);
      t.billing_mode = req.billing_mode;
      if (req.provisioned_throughput && req.billing_mode == BillingMode::kProvisioned) {
        t.throughput = *req.provisioned_throughput;
      }
      t.created = m.created;
      t.status = transition.count() > 0 ? TableStatus::kCreating : TableStatus::kActive;
      t.status_until = now + transition;
      // Only attributes some key schema uses are kept.
      std::vector<std::string> used;
      for (const auto& e : req.key_schema) used.push_back(e.attribute_name);
      for (const LocalSecondaryIndex& lsi : req.local_secondary_indexes) {
        IndexState index;
        index.name = lsi.index_name;
        index.key = ShapeOf(lsi.key_schema, req.attribute_definitions);
        index.projection = lsi.projection;
        for (const auto& e : lsi.key_schema) used.push_back(e.attribute_name);
        t.indexes.push_back(std::move(index));
      }
      for (const GlobalSecondaryIndex& gsi : req.global_secondary_indexes) {
        IndexState index;
        index.name = gsi.index_name;
        index.global = true;
        index.key = ShapeOf(gsi.key_schema, req.attribute_definitions);
        index.projection = gsi.projection;
        if (req.billing_mode == BillingMode::kProvisioned) index.throughput = gsi.provisioned_throughput;
        index.active_at = now + transition;
        for (const auto& e : gsi.key_schema) used.push_back(e.attribute_name);
        t.indexes.push_back(std::move(index));
      }
      for (const AttributeDefinition& d : req.attribute_definitions) {
        if (std::find(used.begin(), used.end(), d.attribute_name) != used.end() &&
            !AttrOf(t.attribute_definitions, d.attribute_name)) {
          t.attribute_definitions.push_back(d);
        }
      }
      tables_.insert_or_assign(req.table_name, std::move(entry));
      return;
    }
    case Mutation::Kind::kDeleteTable: {
      auto it = tables_.find(m.table);
      if (it == tables_.end()) return;
      if (transition.count() == 0) {
        tables_.erase(it);
        return;
      }
      it->second->table.status = TableStatus::kDeleting;
      it->second->table.status_until = now + transition;
      return;
    }
    case Mutation::Kind::kUpdateTable: {
      auto it = tables_.find(m.table);
      if (it == tables_.end()) return;
      Table& t = it->second->table;
      const UpdateTableRequest& req = *m.update_table;
      double stamp = Seconds(now);
      if (req.billing_mode) {
        t.billing_mode = *req.billing_mode;
        if (t.billing_mode == BillingMode::kPayPerRequest) {
          t.throughput = {};
          for (IndexState& index : t.indexes) index.throughput.reset();
        }
      }
      if (req.provisioned_throughput) {
        const ProvisionedThroughput& p = *req.provisioned_throughput;
        if (p.read_capacity_units < t.throughput.read_capacity_units ||
            p.write_capacity_units < t.throughput.write_capacity_units) {
          ++t.decreases_today;
          t.last_decrease = stamp;
        }
        if (p.read_capacity_units > t.throughput.read_capacity_units ||
            p.write_capacity_units > t.throughput.write_capacity_units) {
          t.last_increase = stamp;
        }
        t.throughput = p;
      }
      for (const GlobalSecondaryIndexUpdate& u : req.global_secondary_index_updates) {
        if (u.create) {
          IndexState index;
          index.name = u.create->index_name;
          index.global = true;
          index.key = ShapeOf(u.create->key_schema, req.attribute_definitions);
          index.projection = u.create->projection;
          if (t.billing_mode == BillingMode::kProvisioned) {
            index.throughput = u.create->provisioned_throughput;
          }
          index.active_at = now + transition;
          for (const auto& e : u.create->key_schema) {
            if (auto attr = AttrOf(req.attribute_definitions, e.attribute_name);
                attr && !AttrOf(t.attribute_definitions, e.attribute_name)) {
              t.attribute_definitions.push_back({attr->name, attr->type});
            }
          }
          t.Backfill(index);
          t.indexes.push_back(std::move(index));
        } else if (u.update_index_name) {
          for (IndexState& index : t.indexes) {
            if (index.name == *u.update_index_name) index.throughput = u.update_provisioned_throughput;
          }
        } else if (u.delete_index_name) {
          std::erase_if(t.indexes,
                        [&](const IndexState& index) { return index.name == *u.delete_index_name; });
        }
      }
      if (transition.count() > 0) {
        t.status = TableStatus::kUpdating;
        t.status_until = now + transition;
      }
      return;
    }
    case Mutation::Kind::kUpdateTimeToLive: {
      auto it = tables_.find(m.table);
      if (it == tables_.end()) return;
      Table& t = it->second->table;
      if (m.ttl->enabled) {
        t.ttl_attribute = m.ttl->attribute_name;
      } else {
        t.ttl_attribute.reset();
      }
      return;
    }
  }
}

// ------------------------------------------------------------ TTL

void EngineImpl::SweepExpired() {
  std::shared_lock catalog(catalog_mu_);
  Clock::TimePoint now = clock_.Now();
  double now_s = Seconds(now);
  for (auto& [name, entry] : tables_) {
    std::lock_guard<std::mutex> lock(entry->mu);
    Table& t = entry->table;
    if (!t.ttl_attribute || t.Gone(now)) continue;
    std::vector<Mutation> group;
    t.items.ForEach([&](const Partition&, const SortKey&, const StoredItem& stored) {
      auto it = stored.item.find(*t.ttl_attribute);
      if (it == stored.item.end() || !it->second.is(Type::kN)) return;
      if (it->second.n().ToDouble() < now_s) {
        group.push_back(Mutation{Mutation::Kind::kDeleteItem, name, KeyAttributes(stored.item, t.key)});
      }
    });
    // A failing journal leaves the items for the next sweep.
    (void)Commit(group);
  }
}

// ------------------------------------------------------------ shared helpers

Error ConditionFailed(const std::optional<Item>& old_item,
                      ReturnValuesOnConditionCheckFailure on_failure) {
  Error error(ErrorCode::kConditionalCheckFailed, "The conditional request failed");
  if (on_failure == ReturnValuesOnConditionCheckFailure::kAllOld && old_item) {
    auto detail = std::make_shared<ErrorDetail>();
    detail->item = *old_item;
    error.set_detail(std::move(detail));
  }
  return error;
}

Result<std::optional<ddbexpr::ConditionAst>> ParseOptionalCondition(
    const std::optional<std::string>& text, ddbexpr::ExpressionKind kind,
    ddbexpr::PlaceholderTracker& tracker) {
  if (!text) return std::optional<ddbexpr::ConditionAst>();
  MOE_TRY(ddbexpr::ConditionAst ast, ddbexpr::ParseCondition(*text, kind, tracker));
  return std::optional<ddbexpr::ConditionAst>(std::move(ast));
}

Result<std::optional<ddbexpr::ProjectionAst>> ParseOptionalProjection(
    const std::optional<std::string>& text, ddbexpr::PlaceholderTracker& tracker) {
  if (!text) return std::optional<ddbexpr::ProjectionAst>();
  MOE_TRY(ddbexpr::ProjectionAst ast, ddbexpr::ParseProjection(*text, tracker));
  return std::optional<ddbexpr::ProjectionAst>(std::move(ast));
}

Status CheckPlaceholdersWithoutExpressions(bool any_expression, const ExpressionNames& names,
                                           const ExpressionValues& values) {
  if (any_expression) return Ok();
  if (!names.empty()) {
    return Error::Validation("ExpressionAttributeNames can only be specified when using expressions");
  }
  if (!values.empty()) {
    return Error::Validation("ExpressionAttributeValues can only be specified when using expressions");
  }
  return Ok();
}

}  // namespace moe::local
