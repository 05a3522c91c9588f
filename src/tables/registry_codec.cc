// The registry record: one item per family in the manager table.
//
//   family     S  family name (hash key)
//   entry      S  "state" (range key; other entries are repair records)
//   version    N  compare-and-set token, >= 1
//   epoch      N  write-period changes, >= 0
//   spec       S  the declaration (docs/families.md JSON)
//   write      S  the write period's text (absent before the first rotation)
//   periods    L  of S, live period texts, ascending
//   updated_at N  milliseconds since the Unix epoch
//   shards     S  the shard history, "4@0,8@1764000000" (absent when none)
#include <algorithm>

#include "moe/registry.h"

namespace moe {
namespace {

Error Bad(std::string what) {
  return Error::BadResponse("registry record: " + std::move(what));
}

Result<const Value*> Member(const Item& item, const std::string& name, Type type) {
  auto it = item.find(name);
  if (it == item.end()) return Bad("missing attribute '" + name + "'");
  if (!it->second.is(type)) {
    return Bad("attribute '" + name + "' is not of type " + std::string(TypeTag(type)));
  }
  return &it->second;
}

Result<int64_t> Counter(const Item& item, const std::string& name, int64_t min) {
  MOE_TRY(const Value* v, Member(item, name, Type::kN));
  std::optional<int64_t> n = v->n().ToInt64();
  if (!n || *n < min) return Bad("attribute '" + name + "' is not an integer >= " + std::to_string(min));
  return *n;
}

}  // namespace

Item EncodeFamilyState(const FamilyState& state) {
  Item item{{"family", state.spec.name},
            {"entry", "state"},
            {"version", state.version},
            {"epoch", state.epoch},
            {"spec", ToJson(state.spec)},
            {"updated_at", static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                               state.updated_at.time_since_epoch())
                               .count())}};
  if (state.write_period) item.emplace("write", state.write_period->ToString());
  List periods;
  for (const PeriodIndex& p : state.periods) periods.emplace_back(p.ToString());
  item.emplace("periods", std::move(periods));
  if (state.shards) item.emplace("shards", state.shards->ToString());
  return item;
}

Result<FamilyState> DecodeFamilyState(const Item& item) {
  FamilyState state;
  MOE_TRY(const Value* family, Member(item, "family", Type::kS));
  MOE_TRY(const Value* spec, Member(item, "spec", Type::kS));
  auto parsed = ParseFamilySpec(spec->s());
  if (!parsed) return Bad("spec does not parse: " + parsed.error().message());
  state.spec = std::move(*parsed);
  if (state.spec.name != family->s()) {
    return Bad("spec names family '" + state.spec.name + "' under key '" + family->s() + "'");
  }
  MOE_TRY(state.version, Counter(item, "version", 1));
  MOE_TRY(state.epoch, Counter(item, "epoch", 0));
  MOE_TRY(int64_t updated_ms, Counter(item, "updated_at", 0));
  // Past the clock's range (nanoseconds, year 2262) the conversion would overflow.
  constexpr int64_t kMaxMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::Duration::max()).count();
  if (updated_ms > kMaxMs) return Bad("attribute 'updated_at' is out of range");
  state.updated_at = Clock::TimePoint(std::chrono::milliseconds(updated_ms));
  MOE_TRY(const Value* periods, Member(item, "periods", Type::kL));
  for (const Value& v : periods->l()) {
    if (!v.is(Type::kS)) return Bad("periods holds a non-string");
    std::optional<PeriodIndex> p = PeriodIndex::Parse(state.spec.period, v.s());
    if (!p) return Bad("period '" + v.s() + "' is not a " + std::string(PeriodName(state.spec.period)));
    if (!state.periods.empty() && !(state.periods.back() < *p)) {
      return Bad("periods are not strictly ascending");
    }
    state.periods.push_back(*p);
  }
  if (auto it = item.find("write"); it != item.end()) {
    if (!it->second.is(Type::kS)) return Bad("attribute 'write' is not of type S");
    std::optional<PeriodIndex> w = PeriodIndex::Parse(state.spec.period, it->second.s());
    if (!w) return Bad("write period '" + it->second.s() + "' does not parse");
    if (!std::binary_search(state.periods.begin(), state.periods.end(), *w)) {
      return Bad("write period " + it->second.s() + " is not a live period");
    }
    state.write_period = *w;
  }
  if (auto it = item.find("shards"); it != item.end()) {
    if (!it->second.is(Type::kS)) return Bad("attribute 'shards' is not of type S");
    auto history = partitioning::ShardHistory::Parse(it->second.s());
    if (!history) return Bad("shards: " + history.error().message());
    state.shards = std::move(*history);
  }
  return state;
}

std::vector<std::string> FamilyState::Tables(PeriodIndex period) const {
  std::vector<std::string> tables;
  for (int copy = 1; copy <= spec.copies; ++copy) tables.push_back(TableName(spec, period, copy));
  return tables;
}

std::vector<std::string> FamilyState::WriteTables() const {
  if (!write_period) return {};
  return Tables(*write_period);
}

std::vector<PeriodIndex> FamilyState::ReadPeriods() const {
  std::vector<PeriodIndex> out;
  if (!write_period) return out;
  for (auto it = periods.rbegin(); it != periods.rend(); ++it) {
    if (*it <= *write_period) out.push_back(*it);
  }
  return out;
}

}  // namespace moe
