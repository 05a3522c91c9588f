// The Sequence strategy's cleaning: items no saved sequence covers.
#include <map>
#include <set>

#include "moe/sequence.h"
#include "persistence/common.h"
#include "persistence/sequence_codec.h"

namespace moe {
namespace {

constexpr int64_t kTombstone = -1;

struct Doomed {
  size_t period;  // index into ReadPeriods()
  std::string range_key;
};

}  // namespace

Result<CleanReport> Sequences::Clean(const std::string& owner, CleanOptions options) {
  MOE_TRY(FamilyState state, family_.State());
  const ExpressionNames names{{"#h", keys_.hash}, {"#r", keys_.range}};

  // Every metadata item of the owner, tombstones included: id -> count.
  std::map<std::string, int64_t, std::less<>> saved;
  QueryRequest meta{.key_condition_expression = "#h = :o AND begins_with(#r, :p)",
                    .expression_attribute_names = names,
                    .expression_attribute_values = {{":o", owner},
                                                    {":p", persistence::MetadataPrefix()}},
                    .consistent_read = true};
  MOE_TRY(auto metadata, family_.Query(meta, std::nullopt,
                                       MergedQueryOptions{.page_size = 1000,
                                                          .distinct_keys = true}));
  while (!metadata->done()) {
    MOE_TRY(MergedPage page, metadata->NextPage());
    for (const Item& item : page.items) {
      if (persistence::IsTombstone(item)) {
        auto parsed = persistence::ParseSequenceRangeKey(item.at(keys_.range).s());
        if (parsed) saved[std::string(parsed->id)] = kTombstone;
        continue;
      }
      MOE_TRY(SequenceInfo info, persistence::DecodeMetadata(item, keys_));
      saved[info.id] = info.count;
    }
  }

  // The owner's item keys, period by period (a sequence may straddle a
  // rotation, so the metadata above spans them all).
  const Clock::TimePoint cutoff = clock_.Now() - options_.abandon_after;
  const std::vector<PeriodIndex> periods = state.ReadPeriods();
  std::vector<Doomed> doomed;
  std::set<std::string> abandoned;
  for (size_t p = 0; p < periods.size(); ++p) {
    QueryRequest q{.table_name = state.Tables(periods[p]).front(),
                   .key_condition_expression = "#h = :o",
                   .projection_expression = "#h, #r",
                   .expression_attribute_names = names,
                   .expression_attribute_values = {{":o", owner}},
                   .consistent_read = true};
    for (auto& page : client_.QueryPages(q)) {
      if (!page) {
        if (page.error().code() == ErrorCode::kResourceNotFound) break;  // dropped meanwhile
        return std::move(page).error();
      }
      for (const Item& item : page->items) {
        const Value& range = item.at(keys_.range);
        auto parsed = persistence::ParseSequenceRangeKey(
            range.is(Type::kS) ? std::string_view(range.s()) : std::string_view());
        if (!parsed || parsed->n == 0) continue;  // not the strategy's, or metadata
        auto it = saved.find(parsed->id);
        bool orphan;
        if (it == saved.end()) {
          orphan = *persistence::SequenceIdTime(parsed->id) <= cutoff;
          if (orphan) abandoned.emplace(parsed->id);
        } else {
          orphan = it->second == kTombstone || parsed->n > it->second;
        }
        if (orphan) doomed.push_back({p, range.s()});
      }
    }
  }
  CleanReport report{.abandoned = {abandoned.begin(), abandoned.end()},
                     .orphan_items = doomed.size()};
  if (options.dry_run) return report;

  // A tombstone first: a late Save of the sequence then fails instead of
  // publishing it with items deleted. A Save that got there first wins.
  std::set<std::string, std::less<>> spared;
  for (const std::string& id : abandoned) {
    auto put = family_.Put({.item = {{keys_.hash, owner},
                                     {keys_.range, SequenceRangeKey(0, id)},
                                     {std::string(persistence::kAbandoned), true}},
                            .condition_expression = "attribute_not_exists(#r)",
                            .expression_attribute_names = {{"#r", keys_.range}}});
    if (put) continue;
    if (put.error().code() != ErrorCode::kConditionalCheckFailed) return std::move(put).error();
    spared.insert(id);
  }
  std::erase_if(report.abandoned, [&](const std::string& id) { return spared.contains(id); });

  for (size_t p = 0; p < periods.size(); ++p) {
    std::vector<Item> keys;
    for (const Doomed& d : doomed) {
      auto parsed = persistence::ParseSequenceRangeKey(d.range_key);
      if (d.period != p || spared.contains(parsed->id)) continue;
      keys.push_back({{keys_.hash, owner}, {keys_.range, d.range_key}});
    }
    if (keys.empty()) continue;
    const std::vector<std::string> tables = state.Tables(periods[p]);
    for (size_t c = 0; c < tables.size(); ++c) {
      BatchOptions batch = options_.batch;
      batch.key_names[tables[c]] = {keys_.hash, keys_.range};
      BatchWriter writer(client_, std::move(batch));
      for (const Item& key : keys) writer.Delete(tables[c], key);
      MOE_TRY(BatchWriteResult result, writer.Flush());
      if (!result.failed.empty()) return result.failed.front().error;
      if (c == 0) report.items_deleted += result.succeeded;
    }
  }
  return report;
}

}  // namespace moe
