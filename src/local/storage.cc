#include "local/storage.h"

#include <cstring>

namespace moe::local {

uint64_t HashKeyValue(const Value& v) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  std::string_view tag = TypeTag(v.type());
  mix(tag);
  switch (v.type()) {
    case Type::kS:
      mix(v.s());
      break;
    case Type::kN:
      mix(v.n().Canonical());
      break;
    case Type::kB:
      mix(v.b().data);
      break;
    default:
      break;
  }
  // FNV's low bits are weak for short inputs; finish with a 64-bit mixer so
  // that segments (ranges of the high bits) are balanced.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

Item KeyAttributes(const Item& item, const KeyShape& shape) {
  Item out;
  if (auto it = item.find(shape.hash.name); it != item.end()) out.insert(*it);
  if (shape.range) {
    if (auto it = item.find(shape.range->name); it != item.end()) out.insert(*it);
  }
  return out;
}

std::optional<Item> IndexState::Project(const Item& item, const KeyShape& table_key) const {
  auto has = [&item](const KeyAttr& attr) {
    auto it = item.find(attr.name);
    return it != item.end() && static_cast<uint8_t>(it->second.type()) ==
                                   static_cast<uint8_t>(attr.type);  // S/N/B share order
  };
  if (!has(key.hash) || (key.range && !has(*key.range))) return std::nullopt;
  if (projection.projection_type == ProjectionType::kAll) return item;
  Item out = KeyAttributes(item, table_key);
  for (const auto& kv : KeyAttributes(item, key)) out.insert(kv);
  if (projection.projection_type == ProjectionType::kInclude) {
    for (const std::string& name : projection.non_key_attributes) {
      if (auto it = item.find(name); it != item.end()) out.insert(*it);
    }
  }
  return out;
}

StoredKey IndexState::KeyOf(const Item& projected, const KeyShape& table_key) const {
  StoredKey k;
  k.hk = projected.at(key.hash.name);
  k.hash = HashKeyValue(k.hk);
  if (key.range) k.rk = projected.at(key.range->name);
  k.table_hk = projected.at(table_key.hash.name);
  if (table_key.range) k.table_rk = projected.at(table_key.range->name);
  return k;
}

const IndexState* Table::FindIndex(std::string_view index_name) const {
  for (const IndexState& index : indexes) {
    if (index.name == index_name) return &index;
  }
  return nullptr;
}

StoredKey Table::KeyOf(const Item& item) const {
  StoredKey k;
  k.hk = item.at(key.hash.name);
  k.hash = HashKeyValue(k.hk);
  if (key.range) k.rk = item.at(key.range->name);
  return k;
}

void IndexState::Erase(const Item& item, const KeyShape& table_key) {
  std::optional<Item> old = Project(item, table_key);
  if (!old) return;
  size_t size = 0;
  if (items.Erase(KeyOf(*old, table_key), &size)) size_bytes -= static_cast<int64_t>(size);
}

void IndexState::Insert(const Item& item, const KeyShape& table_key) {
  std::optional<Item> projected = Project(item, table_key);
  if (!projected) return;
  StoredKey ik = KeyOf(*projected, table_key);
  size_t psize = ItemSize(*projected);
  size_bytes += static_cast<int64_t>(psize);
  if (StoredItem* stored = items.Find(ik)) {
    size_bytes -= static_cast<int64_t>(stored->size);
    *stored = StoredItem(std::move(*projected), psize);
  } else {
    items.Insert(std::move(ik), StoredItem(std::move(*projected), psize));
  }
}

void Table::Put(Item item) {
  StoredKey k = KeyOf(item);
  size_t size = ItemSize(item);
  size_bytes += static_cast<int64_t>(size);
  StoredItem* stored = items.Find(k);
  if (stored != nullptr) {
    for (IndexState& index : indexes) index.Erase(stored->item, key);
    size_bytes -= static_cast<int64_t>(stored->size);
    *stored = StoredItem(std::move(item), size);
  } else {
    stored = &items.Insert(std::move(k), StoredItem(std::move(item), size));
  }
  for (IndexState& index : indexes) index.Insert(stored->item, key);
}

void Table::Remove(const Item& key_attrs) {
  StoredKey k = KeyOf(key_attrs);
  const StoredItem* stored = items.Find(k);
  if (stored == nullptr) return;
  for (IndexState& index : indexes) index.Erase(stored->item, key);
  size_bytes -= static_cast<int64_t>(stored->size);
  items.Erase(k);
}

void Table::Backfill(IndexState& index) const {
  index.items.Clear();
  index.size_bytes = 0;
  items.ForEach([&](const Partition&, const SortKey&, const StoredItem& stored) {
    index.Insert(stored.item, key);
  });
}

namespace {

KeySchema SchemaOf(const KeyShape& shape) {
  KeySchema out{{shape.hash.name, KeyType::kHash}};
  if (shape.range) out.push_back({shape.range->name, KeyType::kRange});
  return out;
}

}  // namespace

TableDescription Table::Describe(Clock::TimePoint now) const {
  TableDescription d;
  d.table_name = name;
  d.table_arn = arn;
  d.table_id = id;
  d.table_status = EffectiveStatus(now);
  d.creation_date_time = created;
  d.attribute_definitions = attribute_definitions;
  d.key_schema = SchemaOf(key);
  d.billing_mode = billing_mode;
  ProvisionedThroughputDescription pt;
  pt.read_capacity_units = throughput.read_capacity_units;
  pt.write_capacity_units = throughput.write_capacity_units;
  pt.number_of_decreases_today = decreases_today;
  pt.last_increase_date_time = last_increase;
  pt.last_decrease_date_time = last_decrease;
  d.provisioned_throughput = pt;
  d.item_count = static_cast<int64_t>(items.size());
  d.table_size_bytes = size_bytes;
  for (const IndexState& index : indexes) {
    IndexDescription id;
    id.index_name = index.name;
    id.key_schema = SchemaOf(index.key);
    id.projection = index.projection;
    id.item_count = static_cast<int64_t>(index.items.size());
    id.index_size_bytes = index.size_bytes;
    id.index_arn = arn + "/index/" + index.name;
    if (index.global) {
      id.index_status = now >= index.active_at ? IndexStatus::kActive : IndexStatus::kCreating;
      ProvisionedThroughputDescription ipt;
      if (index.throughput) {
        ipt.read_capacity_units = index.throughput->read_capacity_units;
        ipt.write_capacity_units = index.throughput->write_capacity_units;
      }
      id.provisioned_throughput = ipt;
      d.global_secondary_indexes.push_back(std::move(id));
    } else {
      d.local_secondary_indexes.push_back(std::move(id));
    }
  }
  return d;
}

}  // namespace moe::local
