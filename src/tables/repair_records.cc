// Repair records: one manager-table entry per write a copy missed,
//   entry  "repair#<period>#<microseconds, 16 digits>#<sequence>"
// with attributes table (S), key (M), op (S), error (S), at (N, µs).
// Stored on the first copy that accepts it, read from all, resolved on all.
#include <cinttypes>
#include <cstdio>
#include <map>

#include "moe/registry.h"
#include "tables/registry_internals.h"

namespace moe {
namespace {

constexpr std::string_view kRepairPrefix = "repair#";

int64_t Micros(Clock::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::string PeriodPrefix(const PeriodIndex& p) {
  return std::string(kRepairPrefix) + p.ToString() + "#";
}

std::optional<RepairRecord> Decode(const FamilySpec& spec, const Item& item) {
  RepairRecord r;
  auto str = [&](const char* name) -> const std::string* {
    auto it = item.find(name);
    return it != item.end() && it->second.is(Type::kS) ? &it->second.s() : nullptr;
  };
  const std::string* entry = str("entry");
  const std::string* table = str("table");
  const std::string* op = str("op");
  const std::string* error = str("error");
  auto key = item.find("key");
  auto at = item.find("at");
  if (!entry || !table || !op || !error || key == item.end() || !key->second.is(Type::kM) ||
      at == item.end() || !at->second.is(Type::kN)) {
    return std::nullopt;
  }
  auto parsed = ParseTableName(spec, *table);
  auto micros = at->second.n().ToInt64();
  if (!parsed || !micros) return std::nullopt;
  r.id = *entry;
  r.period = parsed->period;
  r.table = *table;
  r.key = key->second.m();
  r.operation = *op;
  r.error = *error;
  r.at = Clock::TimePoint(std::chrono::microseconds(*micros));
  return r;
}

}  // namespace

Status Registry::RecordRepair(std::string_view family, RepairRecord& record) {
  record.at = clock_->Now();
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%016" PRId64 "#%08" PRIx64, Micros(record.at),
                repair_salt_ + repair_sequence_.fetch_add(1));
  record.id = PeriodPrefix(record.period) + stamp;
  Item item{{"family", std::string(family)}, {"entry", record.id},     {"table", record.table},
            {"key", Map(record.key)},        {"op", record.operation}, {"error", record.error},
            {"at", Micros(record.at)}};
  std::optional<Error> last;
  for (int copy = 1; copy <= options_.copies; ++copy) {
    auto put = client_.PutItem({.table_name = TableName(copy), .item = item});
    if (put) return Ok();
    last = std::move(put).error();
  }
  return std::move(*last);
}

Result<std::vector<RepairRecord>> Registry::PendingRepairs(std::string_view family,
                                                           std::optional<PeriodIndex> period) {
  MOE_TRY(FamilyState state, Load(family));
  std::map<std::string, RepairRecord> by_id;  // ids sort by period, then time
  std::optional<Error> last;
  int answered = 0;
  for (int copy = 1; copy <= options_.copies; ++copy) {
    QueryRequest q{.table_name = TableName(copy),
                   .key_condition_expression = "#f = :f AND begins_with(#e, :p)",
                   .consistent_read = true};
    q.expression_attribute_names = {{"#f", "family"}, {"#e", "entry"}};
    q.expression_attribute_values = {
        {":f", std::string(family)},
        {":p", period ? PeriodPrefix(*period) : std::string(kRepairPrefix)}};
    bool ok = true;
    for (Result<QueryResponse> page : client_.QueryPages(q)) {
      if (!page) {
        last = std::move(page).error();
        ok = false;
        break;
      }
      for (const Item& item : page->items) {
        if (auto r = Decode(state.spec, item)) by_id.emplace(r->id, std::move(*r));
      }
    }
    answered += ok;
  }
  if (answered == 0) return std::move(*last);
  std::vector<RepairRecord> out;
  for (auto& [id, r] : by_id) out.push_back(std::move(r));
  std::stable_sort(out.begin(), out.end(),
                   [](const RepairRecord& a, const RepairRecord& b) { return a.at < b.at; });
  return out;
}

Status Registry::ResolveRepair(std::string_view family, const std::string& id) {
  for (int copy = 1; copy <= options_.copies; ++copy) {
    MOE_TRY_STATUS(client_.DeleteItem(
        {.table_name = TableName(copy), .key = {{"family", std::string(family)}, {"entry", id}}}));
  }
  return Ok();
}

}  // namespace moe
