// moe demo, chapter 2: a table family rotating over simulated days, with
// mirrored writes, newest-first reads, merged queries, and repair after a
// mirror outage.
#include <cstdio>
#include <map>

#include "cli.h"
#include "demo.h"
#include "moe/family_client.h"
#include "moe/faulty_transport.h"
#include "moe/registry.h"
#include "moe/repair.h"

namespace moe::cli {
namespace {

using namespace std::chrono_literals;

constexpr int kDays = 7;
constexpr int kEventsPerDay = 200;
constexpr int kOutageDay = 5;   // copy 2 unreachable for part of this day
constexpr int kOutageWrites = 40;

FamilySpec EventsFamily() {
  FamilySpec spec;
  spec.name = "events";
  spec.environment = "demo";
  spec.attribute_definitions = {{"user", ScalarAttributeType::kS}, {"ts", ScalarAttributeType::kN}};
  spec.key_schema = {{"user", KeyType::kHash}, {"ts", KeyType::kRange}};
  spec.period = Period::kDay;
  spec.copies = 2;
  spec.retention = 3;
  spec.precreate = 1;
  spec.mirror_mode = MirrorMode::kSync;
  return spec;
}

Item Event(int day, int i) {
  return {{"user", "user#" + std::to_string(i % 10)},
          {"ts", day * 1000 + i},
          {"kind", i % 4 == 0 ? "purchase" : "view"}};
}

// "2026-11-27 (x2)": tables grouped by period.
std::string ByPeriod(const FamilySpec& spec, const std::vector<std::string>& tables) {
  std::map<std::string, int> periods;
  for (const std::string& t : tables) {
    if (auto p = ParseTableName(spec, t)) ++periods[p->period.ToString()];
  }
  std::string out;
  for (const auto& [p, n] : periods) {
    out += (out.empty() ? "" : ", ") + p + " (x" + std::to_string(n) + ")";
  }
  return out.empty() ? "-" : out;
}

}  // namespace

bool FamilyChapter(DemoContext& ctx) {
  std::printf(
      "== 2. Table families: rotation, mirrors, split reads, repair\n\n"
      "The Ruby original read the oldest table first, never expired a table, never\n"
      "waited for a new one to become ACTIVE, and wrote mirrors one after another\n"
      "with no outcome. moe's family registry lives in DynamoDB (mirrored, changed\n"
      "only by versioned compare-and-set) so every process agrees on the tables.\n\n");
  ManualClock clock(ManualClock::FromUnixSeconds(1795565100));  // 2026-11-25T00:05:00Z
  auto client = DemoClient(ctx, ctx.loopback);
  Registry registry(*client, {.environment = "demo", .clock = &clock});
  FamilySpec spec = EventsFamily();
  if (Status s = registry.EnsureTables(); !s) return !Fail(s.error());
  if (auto d = registry.Declare(spec); !d) return !Fail(d.error());
  std::printf(
      "[1] declared family 'events': one table per DAY, %d mirrored copies (sync fan-out),\n"
      "    keep %d days, create %d ahead; registry in %s and %s\n",
      spec.copies, spec.retention, spec.precreate, registry.TableName(1).c_str(),
      registry.TableName(2).c_str());

  std::printf("\n[2] %d simulated days on a manual clock (each rotation waits for ACTIVE):\n", kDays);
  std::unique_ptr<FamilyClient> events;
  PeriodIndex outage_period;
  size_t outage_partial = 0, outage_recorded = 0;
  bool ok = true;
  for (int day = 0; day < kDays; ++day) {
    auto r = registry.Rotate("events");
    if (!r) return !Fail(r.error());
    if (!events) {
      auto opened = FamilyClient::Open(*client, registry, "events", {.clock = &clock});
      if (!opened) return !Fail(opened.error());
      events = std::move(*opened);
    } else if (Status s = events->Refresh(); !s) {
      return !Fail(s.error());
    }
    size_t mirrored = 0;
    for (int i = 0; i < kEventsPerDay; ++i) {
      auto w = events->Put({.item = Event(day, i)});
      mirrored += w && w->all_written();
    }
    // The profile of user#7, written on day 4 and again on the last day.
    if (day == 4 || day == kDays - 1) {
      Item profile{{"user", "profile#7"}, {"ts", 0}, {"plan", day == 4 ? "free" : "pro"}};
      ok = events->Put({.item = profile}).has_value() && ok;
    }
    std::printf("    %s  epoch %lld  created %-24s dropped %-18s %zu/%d events on both copies\n",
                r->state.write_period->ToString().c_str(),
                static_cast<long long>(r->state.epoch), ByPeriod(spec, r->created).c_str(),
                ByPeriod(spec, r->dropped).c_str(), mirrored, kEventsPerDay);
    ok = ok && mirrored == kEventsPerDay;

    if (day == kOutageDay) {
      outage_period = *r->state.write_period;
      const std::string copy2 = r->state.WriteTables()[1];
      auto faulty = std::make_shared<FaultyTransport>(
          *ctx.loopback, FaultOptions{.internal_error = 1.0, .body_filter = [copy2](auto body) {
                                        return body.find("\"" + copy2 + "\"") != body.npos;
                                      }});
      ManualClock instant;  // retries back off at once
      auto broken = DemoClient(ctx, faulty, &instant);
      auto during = FamilyClient::Open(*broken, registry, "events", {.clock = &clock});
      if (!during) return !Fail(during.error());
      for (int i = 0; i < kOutageWrites; ++i) {
        auto w = (*during)->Put({.item = Event(day, kEventsPerDay + i)});
        if (w && w->primary_written() && !w->all_written()) ++outage_partial;
        if (w && w->repair_recorded) ++outage_recorded;
      }
      std::printf(
          "      then %s became unreachable for %d writes: each result says\n"
          "      copy 1 written, copy 2 failed (%zu), and recorded it for repair (%zu)\n",
          copy2.c_str(), kOutageWrites, outage_partial, outage_recorded);
      ok = ok && outage_partial == kOutageWrites && outage_recorded == kOutageWrites;
    }
    clock.Advance(24h);
  }
  clock.Advance(-24h);  // back on the last day

  auto profile = events->Get({.key = {{"user", "profile#7"}, {"ts", 0}}});
  if (!profile) return !Fail(profile.error());
  bool newest = profile->item && profile->item->at("plan") == Value("pro");
  std::printf(
      "\n[3] point read of profile#7 (written on day 5, updated on day 7): plan=%s from %s\n"
      "    (newest period first; the Ruby original read the oldest table first)\n",
      profile->item ? profile->item->at("plan").s().c_str() : "(none)", profile->table.c_str());
  ok = ok && newest;

  QueryRequest q{.key_condition_expression = "#u = :u",
                 .expression_attribute_names = {{"#u", "user"}},
                 .expression_attribute_values = {{":u", "user#3"}}};
  std::optional<std::string> token;
  int pages = 0;
  int64_t items = 0, last = -1;
  bool ordered = true;
  do {
    auto merged = events->Query(q, token, MergedQueryOptions{.page_size = 25});
    if (!merged) return !Fail(merged.error());
    auto page = (*merged)->NextPage();
    if (!page) return !Fail(page.error());
    ++pages;
    for (const Item& item : page->items) {
      int64_t ts = *item.at("ts").n().ToInt64();
      ordered = ordered && ts > last;
      last = ts;
      ++items;
    }
    token = page->next_token;
  } while (token);
  FamilyState state = *events->State();
  int64_t expected = static_cast<int64_t>(state.ReadPeriods().size()) * kEventsPerDay / 10 +
                     (kOutageDay >= kDays - spec.retention ? kOutageWrites / 10 : 0);
  std::printf(
      "\n[4] query user#3 across the %zu readable days, merged by ts, 25 per page behind one\n"
      "    opaque token: %lld items over %d pages, %s, each exactly once (expected %lld)\n",
      state.ReadPeriods().size(), static_cast<long long>(items), pages,
      ordered ? "in order" : "OUT OF ORDER", static_cast<long long>(expected));
  ok = ok && ordered && items == expected;

  auto diff = DiffPeriod(*client, state, outage_period);
  if (!diff) return !Fail(diff.error());
  auto repaired = RepairPeriod(*client, registry, state, outage_period);
  if (!repaired) return !Fail(repaired.error());
  auto after = DiffPeriod(*client, state, outage_period);
  if (!after) return !Fail(after.error());
  std::printf(
      "\n[5] diff %s: %llu keys differ (copy 1 has %llu items, copy 2 %llu)\n"
      "    repair: %llu repair records replayed, %llu items copied (newest version wins)\n"
      "    diff again: %s\n",
      outage_period.ToString().c_str(), static_cast<unsigned long long>(diff->differing_keys),
      static_cast<unsigned long long>(diff->item_counts[0]),
      static_cast<unsigned long long>(diff->item_counts[1]),
      static_cast<unsigned long long>(repaired->records_replayed),
      static_cast<unsigned long long>(repaired->items_written),
      after->in_agreement() ? "the copies agree" : "STILL DIFFERENT");
  ok = ok && diff->differing_keys == kOutageWrites && after->in_agreement();

  std::vector<std::string> live;
  for (auto page : client->ListTablesPages()) {
    if (!page) return !Fail(page.error());
    for (const std::string& t : page->table_names) {
      if (!ParseTableName(spec, t)) continue;
      auto d = client->DescribeTable({.table_name = t});
      if (d && d->table.table_status != TableStatus::kDeleting) live.push_back(t);
    }
  }
  size_t want = static_cast<size_t>(spec.retention + spec.precreate) * spec.copies;
  std::printf(
      "\n[6] family tables now (%zu = (%d kept + %d ahead) x %d copies; older days dropped\n"
      "    once past retention and the clock-skew grace): %s\n",
      live.size(), spec.retention, spec.precreate, spec.copies, ByPeriod(spec, live).c_str());
  return ok && live.size() == want;
}

}  // namespace moe::cli
