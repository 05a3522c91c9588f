// Consumed capacity by DynamoDB's rules:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
//  - a write costs 1 WCU per started KB of the larger of the old and new item;
//  - a read costs 1 RCU per started 4 KB, half when eventually consistent;
//  - Query and Scan round the summed size of the evaluated items up to 4 KB;
//  - transactional reads and writes cost double;
//  - each index an item change touches costs writes on that index, by the
//    projected sizes (an index key change is a delete plus a put).
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "local/storage.h"
#include "moe/model.h"

namespace moe::local {

double ReadUnits(size_t bytes, bool consistent);
double WriteUnits(size_t bytes);

// The write units a change from `old_item` to `new_item` costs on `index`.
double IndexWriteUnits(const IndexState& index, const KeyShape& table_key,
                       const std::optional<Item>& old_item, const std::optional<Item>& new_item);

// Sums the units of one table's share of a request.
class CapacityMeter {
 public:
  CapacityMeter(std::string table, bool write) : table_(std::move(table)), write_(write) {}

  void AddTable(double units) { table_units_ += units; }
  void AddIndex(const IndexState& index, double units);
  // Every index of `table` the change touches.
  void AddIndexWrites(const Table& table, const std::optional<Item>& old_item,
                      const std::optional<Item>& new_item, double factor = 1);

  // nullopt for ReturnConsumedCapacity NONE.
  std::optional<ConsumedCapacity> Report(ReturnConsumedCapacity mode) const;
  // Adds everything `other` (of the same table) holds.
  void Merge(const CapacityMeter& other);

  // The units on the table itself plus its LSIs (which share its
  // partitions), and per GSI.
  double table_and_local_units() const;
  const std::map<std::string, double, std::less<>>& gsi_units() const { return gsi_; }

 private:
  Capacity Make(double units) const;

  std::string table_;
  bool write_;
  double table_units_ = 0;
  std::map<std::string, double, std::less<>> gsi_;
  std::map<std::string, double, std::less<>> lsi_;
};

}  // namespace moe::local
