#include "local/capacity.h"

namespace moe::local {

namespace {

double Chunks(size_t bytes, size_t unit) {
  size_t n = (bytes + unit - 1) / unit;
  return static_cast<double>(n == 0 ? 1 : n);
}

bool SameIndexKey(const IndexState& index, const Item& a, const Item& b) {
  auto same = [&](const std::string& name) {
    auto ia = a.find(name);
    auto ib = b.find(name);
    return ia != a.end() && ib != b.end() && ia->second == ib->second;
  };
  return same(index.key.hash.name) && (!index.key.range || same(index.key.range->name));
}

}  // namespace

double ReadUnits(size_t bytes, bool consistent) {
  double units = Chunks(bytes, 4096);
  return consistent ? units : units / 2;
}

double WriteUnits(size_t bytes) { return Chunks(bytes, 1024); }

double IndexWriteUnits(const IndexState& index, const KeyShape& table_key,
                       const std::optional<Item>& old_item, const std::optional<Item>& new_item) {
  std::optional<Item> old_p = old_item ? index.Project(*old_item, table_key) : std::nullopt;
  std::optional<Item> new_p = new_item ? index.Project(*new_item, table_key) : std::nullopt;
  if (old_p && new_p) {
    if (*old_p == *new_p) return 0;
    size_t old_size = ItemSize(*old_p);
    size_t new_size = ItemSize(*new_p);
    if (SameIndexKey(index, *old_p, *new_p)) return WriteUnits(std::max(old_size, new_size));
    return WriteUnits(old_size) + WriteUnits(new_size);
  }
  if (old_p) return WriteUnits(ItemSize(*old_p));
  if (new_p) return WriteUnits(ItemSize(*new_p));
  return 0;
}

void CapacityMeter::AddIndex(const IndexState& index, double units) {
  (index.global ? gsi_ : lsi_)[index.name] += units;
}

void CapacityMeter::AddIndexWrites(const Table& table, const std::optional<Item>& old_item,
                                   const std::optional<Item>& new_item, double factor) {
  for (const IndexState& index : table.indexes) {
    double units = IndexWriteUnits(index, table.key, old_item, new_item);
    if (units > 0) AddIndex(index, units * factor);
  }
}

void CapacityMeter::Merge(const CapacityMeter& other) {
  table_units_ += other.table_units_;
  for (const auto& [name, units] : other.gsi_) gsi_[name] += units;
  for (const auto& [name, units] : other.lsi_) lsi_[name] += units;
}

double CapacityMeter::table_and_local_units() const {
  double total = table_units_;
  for (const auto& [name, units] : lsi_) total += units;
  return total;
}

Capacity CapacityMeter::Make(double units) const {
  Capacity c;
  c.capacity_units = units;
  (write_ ? c.write_capacity_units : c.read_capacity_units) = units;
  return c;
}

std::optional<ConsumedCapacity> CapacityMeter::Report(ReturnConsumedCapacity mode) const {
  if (mode == ReturnConsumedCapacity::kNone) return std::nullopt;
  ConsumedCapacity out;
  out.table_name = table_;
  double total = table_units_;
  for (const auto& [name, units] : gsi_) total += units;
  for (const auto& [name, units] : lsi_) total += units;
  Capacity sum = Make(total);
  out.capacity_units = sum.capacity_units;
  out.read_capacity_units = sum.read_capacity_units;
  out.write_capacity_units = sum.write_capacity_units;
  if (mode == ReturnConsumedCapacity::kIndexes) {
    out.table = Make(table_units_);
    for (const auto& [name, units] : gsi_) out.global_secondary_indexes[name] = Make(units);
    for (const auto& [name, units] : lsi_) out.local_secondary_indexes[name] = Make(units);
  }
  return out;
}

}  // namespace moe::local
