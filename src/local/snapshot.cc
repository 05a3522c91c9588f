// Compaction support: the engine state as the mutations that rebuild it.

#include "local/engine.h"

namespace moe::local {

namespace {

KeySchema SchemaOf(const KeyShape& key) {
  KeySchema schema{{key.hash.name, KeyType::kHash}};
  if (key.range) schema.push_back({key.range->name, KeyType::kRange});
  return schema;
}

// The CreateTable request that recreates `t`'s schema, indexes and capacity.
CreateTableRequest RequestFor(const Table& t) {
  CreateTableRequest req;
  req.table_name = t.name;
  req.attribute_definitions = t.attribute_definitions;
  req.key_schema = SchemaOf(t.key);
  req.billing_mode = t.billing_mode;
  if (t.billing_mode == BillingMode::kProvisioned) req.provisioned_throughput = t.throughput;
  for (const IndexState& index : t.indexes) {
    if (index.global) {
      req.global_secondary_indexes.push_back(
          {index.name, SchemaOf(index.key), index.projection, index.throughput});
    } else {
      req.local_secondary_indexes.push_back({index.name, SchemaOf(index.key), index.projection});
    }
  }
  return req;
}

}  // namespace

void EngineImpl::MaybeCompact() {
  if (!journal_->WantsCompaction()) return;
  std::unique_lock catalog(catalog_mu_);
  if (!journal_->WantsCompaction()) return;
  // A failed compaction leaves the log as it was; the journal retries later.
  (void)journal_->Compact([this](SnapshotSink& sink) { return DumpState(sink); });
}

Status EngineImpl::DumpState(SnapshotSink& sink) {
  for (const auto& [name, entry] : tables_) {
    const Table& t = entry->table;
    if (t.status == TableStatus::kDeleting) continue;  // gone after a restart anyway
    Mutation create{Mutation::Kind::kCreateTable, name};
    create.create_table = RequestFor(t);
    create.table_id = t.id;
    create.created = t.created;
    MOE_TRY_STATUS(sink.Add(create));
    if (t.ttl_attribute) {
      Mutation ttl{Mutation::Kind::kUpdateTimeToLive, name};
      ttl.ttl = TimeToLiveSpecification{true, *t.ttl_attribute};
      MOE_TRY_STATUS(sink.Add(ttl));
    }
    Mutation put{Mutation::Kind::kPutItem, name};
    Status added = Ok();
    t.items.ForEach([&](const Partition&, const SortKey&, const StoredItem& stored) {
      if (!added) return;
      put.item = stored.item;
      added = sink.Add(put);
    });
    MOE_TRY_STATUS(added);
  }
  return Ok();
}

}  // namespace moe::local
