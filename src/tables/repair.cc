// Diff (parallel scan of every copy, compared by key) and repair (newest
// version wins, conditional writes that never replace a newer item).
#include "moe/repair.h"

#include <algorithm>
#include <functional>
#include <map>

#include "moe/json.h"

namespace moe {
namespace {

// Per copy: key (as DynamoDB JSON, which sorts and compares exactly) to a
// hash of the whole item.
using Digest = std::map<std::string, size_t>;

Result<Item> KeyFor(const FamilySpec& spec, const Item& item) {
  Item key;
  for (const KeySchemaElement& k : spec.key_schema) {
    auto it = item.find(k.attribute_name);
    if (it == item.end()) return Error::BadResponse("scanned item lacks key " + k.attribute_name);
    key.emplace(k.attribute_name, it->second);
  }
  return key;
}

int64_t VersionOf(const std::optional<Item>& item, const std::string& attribute) {
  if (!item) return -2;
  auto it = item->find(attribute);
  if (it == item->end() || !it->second.is(Type::kN)) return -1;
  return it->second.n().ToInt64().value_or(-1);
}

bool Listed(const FamilyState& state, PeriodIndex period) {
  return std::binary_search(state.periods.begin(), state.periods.end(), period);
}

}  // namespace

Result<DiffReport> DiffPeriod(DynamoDbClient& client, const FamilyState& state, PeriodIndex period,
                              const DiffOptions& options) {
  if (!Listed(state, period)) {
    return Error::InvalidArgument("period " + period.ToString() + " is not live in family '" +
                                  state.spec.name + "'");
  }
  DiffReport report;
  report.tables = state.Tables(period);
  uint64_t estimate = 0;
  for (const std::string& t : report.tables) {
    if (auto d = client.DescribeTable({.table_name = t})) estimate += d->table.item_count;
  }
  std::vector<Digest> digests(report.tables.size());
  uint64_t scanned = 0;
  for (size_t c = 0; c < report.tables.size(); ++c) {
    Digest& digest = digests[c];
    MOE_TRY_STATUS(client.ParallelScan(
        {.table_name = report.tables[c], .consistent_read = true}, options.segments,
        [&](int, ScanResponse& page) -> Status {
          for (const Item& item : page.items) {
            MOE_TRY(Item key, KeyFor(state.spec, item));
            digest.emplace(ToDynamoJson(key), std::hash<std::string>{}(ToDynamoJson(item)));
          }
          scanned += page.items.size();
          if (options.progress) options.progress(scanned, std::max(estimate, scanned));
          return Ok();
        }));
    report.item_counts.push_back(digest.size());
  }
  std::map<std::string, std::vector<const size_t*>> keys;  // key -> per-copy hash or null
  for (size_t c = 0; c < digests.size(); ++c) {
    for (const auto& [key, hash] : digests[c]) {
      auto& slots = keys[key];
      slots.resize(digests.size(), nullptr);
      slots[c] = &hash;
    }
  }
  for (const auto& [key, slots] : keys) {
    DiffEntry entry;
    const size_t* first = nullptr;
    for (size_t c = 0; c < slots.size(); ++c) {
      if (!slots[c]) {
        entry.missing_from.push_back(report.tables[c]);
      } else if (!first) {
        first = slots[c];
      } else if (*slots[c] != *first) {
        entry.values_differ = true;
      }
    }
    if (entry.missing_from.empty() && !entry.values_differ) continue;
    ++report.differing_keys;
    if (report.entries.size() >= options.max_entries) continue;
    MOE_TRY(entry.key, ParseDynamoJson(key));
    report.entries.push_back(std::move(entry));
  }
  return report;
}

namespace {

// Reads every copy of `key` and writes the newest to the copies that are
// older (or, when `deleted_before` is set, deletes copies not newer than it).
Status Mend(DynamoDbClient& client, const std::vector<std::string>& tables, const Item& key,
            const std::string& version_attribute, std::optional<int64_t> deleted_before,
            RepairReport& report) {
  std::vector<GetItemRequest> gets;
  for (const std::string& t : tables) {
    gets.push_back({.table_name = t, .key = key, .consistent_read = true});
  }
  std::vector<std::optional<Item>> items;
  for (auto& got : client.CallAll(gets)) {
    if (!got) return std::move(got).error();
    items.push_back(std::move(got->item));
  }
  size_t newest = 0;
  for (size_t c = 1; c < items.size(); ++c) {
    if (VersionOf(items[c], version_attribute) > VersionOf(items[newest], version_attribute)) {
      newest = c;
    }
  }
  const int64_t winner = VersionOf(items[newest], version_attribute);
  const bool delete_all = deleted_before && winner <= *deleted_before;
  for (size_t c = 0; c < tables.size(); ++c) {
    if (delete_all) {
      if (!items[c]) continue;
      DeleteItemRequest del{.table_name = tables[c], .key = key};
      del.condition_expression = "attribute_not_exists(#v) OR #v <= :before";
      del.expression_attribute_names = {{"#v", version_attribute}};
      del.expression_attribute_values = {{":before", *deleted_before}};
      auto done = client.DeleteItem(del);
      if (!done && done.error().code() != ErrorCode::kConditionalCheckFailed) {
        return std::move(done).error();
      }
      report.items_deleted += done.has_value();
      continue;
    }
    if (c == newest || !items[newest] || items[c] == items[newest]) continue;
    PutItemRequest put{.table_name = tables[c], .item = *items[newest]};
    put.condition_expression = "attribute_not_exists(#v) OR #v <= :v";
    put.expression_attribute_names = {{"#v", version_attribute}};
    put.expression_attribute_values = {{":v", std::max<int64_t>(winner, 0)}};
    auto done = client.PutItem(put);
    // A newer write landed meanwhile: that copy is ahead, nothing to mend.
    if (!done && done.error().code() != ErrorCode::kConditionalCheckFailed) {
      return std::move(done).error();
    }
    report.items_written += done.has_value();
  }
  return Ok();
}

}  // namespace

Result<RepairReport> RepairPeriod(DynamoDbClient& client, Registry& registry,
                                  const FamilyState& state, PeriodIndex period,
                                  const RepairOptions& options) {
  if (!Listed(state, period)) {
    return Error::InvalidArgument("period " + period.ToString() + " is not live in family '" +
                                  state.spec.name + "'");
  }
  RepairReport report;
  const std::vector<std::string> tables = state.Tables(period);
  MOE_TRY(std::vector<RepairRecord> records, registry.PendingRepairs(state.spec.name, period));
  for (const RepairRecord& r : records) {
    bool deletion = r.operation == "delete" || r.operation == "batch-delete";
    std::optional<int64_t> before;
    if (deletion) {
      before = std::chrono::duration_cast<std::chrono::microseconds>(r.at.time_since_epoch())
                   .count();
    }
    Status mended = Mend(client, tables, r.key, options.version_attribute, before, report);
    if (!mended) {
      report.errors.push_back(ToDynamoJson(r.key) + ": " + mended.error().ToString());
      continue;
    }
    Status resolved = registry.ResolveRepair(state.spec.name, r.id);
    if (!resolved) report.errors.push_back(r.id + ": " + resolved.error().ToString());
    ++report.records_replayed;
  }

  MOE_TRY(DiffReport diff, DiffPeriod(client, state, period, options.diff));
  uint64_t done = 0;
  for (const DiffEntry& e : diff.entries) {
    Status mended = Mend(client, tables, e.key, options.version_attribute, std::nullopt, report);
    if (mended) {
      ++report.keys_mended;
    } else {
      report.errors.push_back(ToDynamoJson(e.key) + ": " + mended.error().ToString());
    }
    if (options.progress) options.progress(++done, diff.entries.size());
  }
  if (diff.differing_keys > diff.entries.size()) {
    report.errors.push_back(std::to_string(diff.differing_keys - diff.entries.size()) +
                            " more differing keys past max_entries: run repair again");
  }
  return report;
}

}  // namespace moe
