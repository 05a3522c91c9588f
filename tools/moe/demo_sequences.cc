// moe demo, chapter 3: the Sequence strategy over a daily table family:
// sequences saved under throttling on several simulated days, a crashed run
// that stays invisible until it is re-run, and every sequence listed newest
// first and read back whole across the periods.
#include <cstdio>

#include "cli.h"
#include "demo.h"
#include "moe/faulty_transport.h"
#include "moe/registry.h"
#include "moe/sequence.h"

namespace moe::cli {
namespace {

using namespace std::chrono_literals;

constexpr int kDays = 3;
constexpr int kRunsPerDay = 4;
constexpr int kItemsPerRun = 250;
constexpr int kCrashedItems = 230;  // two flushes of 100 land, then the process "dies"
constexpr const char* kOwner = "user#42";

Item Step(int run, int step) {
  return {{"run", run}, {"step", step}, {"loss", *Number::Parse("0." + std::to_string(1000 - step))}};
}

// Adds a run's items and saves it.
Result<SequenceInfo> SaveRun(Collector& c, int run, int items) {
  for (int step = 1; step <= items; ++step) MOE_TRY_STATUS(c.Add(Step(run, step)));
  return c.Save({{"run", run}});
}

}  // namespace

bool SequenceChapter(DemoContext& ctx) {
  std::printf(
      "== 3. Sequences: an owner's runs in one table family, whole or not at all\n\n"
      "The Ruby original stored an owner's sequences of items in one table, but wrote\n"
      "them with BatchWriteItem and dropped UnprocessedItems, and wrote each sequence's\n"
      "metadata first: a throttle or a crash left sequences that were listed yet read\n"
      "back short. moe's Sequence strategy writes the items through the batch engine\n"
      "and publishes the metadata last, conditionally, with a digest of the items.\n\n");
  ManualClock clock(ManualClock::FromUnixSeconds(1795565100));  // 2026-11-25T00:05:00Z
  ManualClock instant;  // retries back off at once
  auto client = DemoClient(ctx, ctx.loopback);
  auto faulty = std::make_shared<FaultyTransport>(
      *ctx.loopback, FaultOptions{.seed = 7, .throttle = 0.2, .partial_batch = 0.2});
  auto throttled = DemoClient(ctx, faulty, &instant);

  Registry registry(*client, {.environment = "demo", .clock = &clock});
  FamilySpec spec = SequenceStrategy().ExampleSpec("runs", Period::kDay);
  spec.environment = "demo";
  spec.copies = 2;
  spec.retention = kDays;
  spec.precreate = 1;
  if (Status s = registry.EnsureTables(); !s) return !Fail(s.error());
  if (auto d = registry.Declare(spec); !d) return !Fail(d.error());
  std::printf(
      "[1] family 'runs' (the Sequence layout: hash key owner, range key m.<id> for the\n"
      "    metadata and i.<id>.<n> for item n): one table per DAY, %d copies, keep %d days\n",
      spec.copies, spec.retention);

  std::printf(
      "\n[2] %d simulated days; 20%% of requests throttled and 20%% of batches half-processed:\n",
      kDays);
  bool ok = true;
  int saved_runs = 0;
  std::unique_ptr<FamilyClient> family;
  std::unique_ptr<Sequences> sequences;
  std::string crashed_id;
  for (int day = 0; day < kDays; ++day) {
    auto r = registry.Rotate("runs");
    if (!r) return !Fail(r.error());
    auto opened = FamilyClient::Open(*throttled, registry, "runs", {.clock = &clock});
    if (!opened) return !Fail(opened.error());
    family = std::move(*opened);
    auto store = Sequences::Open(*throttled, *family, {.clock = &clock});
    if (!store) return !Fail(store.error());
    sequences = std::move(*store);
    int64_t items = 0;
    for (int i = 0; i < kRunsPerDay; ++i) {
      Collector c = sequences->NewSequence(kOwner);
      auto saved = SaveRun(c, ++saved_runs, kItemsPerRun);
      if (!saved) return !Fail(saved.error());
      items += saved->count;
      clock.Advance(1min);
    }
    std::printf("    %s  %d sequences saved, %lld items, none lost (faults injected so far: %llu)\n",
                r->state.write_period->ToString().c_str(), kRunsPerDay,
                static_cast<long long>(items),
                static_cast<unsigned long long>(faulty->total_faults()));
    ok = ok && items == kRunsPerDay * kItemsPerRun;
    if (day == 1) {
      // A run that dies after two of its three flushes: 200 items written,
      // no metadata. Nobody lists it; re-running the same collector finishes it.
      Collector c = sequences->NewSequence(kOwner);
      crashed_id = c.id();
      for (int step = 1; step <= kCrashedItems; ++step) {
        if (Status s = c.Add(Step(0, step)); !s) return !Fail(s.error());
      }
      std::printf("      a run crashes with %zu of its %d items written and no metadata\n",
                  static_cast<size_t>(kCrashedItems) - c.unflushed(), kCrashedItems);
    }
    clock.Advance(24h - kRunsPerDay * 1min);
  }
  clock.Advance(-24h);

  auto before = sequences->Find(kOwner, crashed_id);
  if (!before) return !Fail(before.error());
  auto resumed = sequences->Resume(kOwner, crashed_id);
  if (!resumed) return !Fail(resumed.error());
  auto finished = SaveRun(*resumed, 0, kCrashedItems);
  if (!finished) return !Fail(finished.error());
  auto again = sequences->Resume(kOwner, crashed_id);
  if (!again) return !Fail(again.error());
  auto repeat = SaveRun(*again, 0, kCrashedItems);
  if (!repeat) return !Fail(repeat.error());
  ++saved_runs;
  const bool same = repeat->count == finished->count && repeat->digest == finished->digest &&
                    repeat->saved_at == finished->saved_at;
  std::printf(
      "\n[3] the crashed run before its re-run: %s\n"
      "    re-run (Resume, same id and items, a day later): saved with %lld items\n"
      "    re-run once more: %s\n",
      before->has_value() ? "LISTED (half a sequence visible)" : "not listed, not readable",
      static_cast<long long>(finished->count),
      same ? "the same metadata back (same digest, same saved_at): nothing published twice"
           : "PUBLISHED AGAIN");
  ok = ok && !before->has_value() && finished->count == kCrashedItems && same;

  // Everything back: listed newest first across the readable days, each
  // sequence read whole and in order.
  auto list = sequences->List(kOwner, std::nullopt, 5);
  if (!list) return !Fail(list.error());
  int listed = 0, pages = 0, whole = 0;
  int64_t items_read = 0;
  Clock::TimePoint previous = Clock::TimePoint::max();
  bool newest_first = true;
  while (!list->done()) {
    auto page = list->NextPage();
    if (!page) return !Fail(page.error());
    ++pages;
    for (const SequenceInfo& info : page->sequences) {
      ++listed;
      newest_first = newest_first && info.created_at <= previous;
      previous = info.created_at;
      auto reader = sequences->Read(info);
      if (!reader) return !Fail(reader.error());
      int64_t n = 0;
      bool in_order = true;
      while (!reader->done()) {
        auto chunk = reader->Next();
        if (!chunk) return !Fail(chunk.error());
        for (const Item& item : *chunk) in_order = in_order && *item.at("step").n().ToInt64() == ++n;
      }
      items_read += n;
      whole += in_order && n == info.count;
    }
  }
  const int64_t expected_items =
      static_cast<int64_t>(kDays) * kRunsPerDay * kItemsPerRun + kCrashedItems;
  std::printf(
      "\n[4] %s's sequences, newest first across %d days, 5 per page: %d listed over %d pages,\n"
      "    %s; read back %d of them whole and in order, %lld items (expected %lld)\n",
      kOwner, kDays, listed, pages, newest_first ? "newest first" : "OUT OF ORDER", whole,
      static_cast<long long>(items_read), static_cast<long long>(expected_items));
  return ok && newest_first && listed == saved_runs && whole == saved_runs &&
         items_read == expected_items;
}

}  // namespace moe::cli
