// moe demo, chapter 5: the write-behind mirror. A family in WRITE_BEHIND mode
// writes copy 1 and appends each change to a journal (the embedded
// Kinesis-compatible one); a trickle consumer applies the journal to a mirror
// provisioned far below the primary, at a capped rate; one consumer dies
// mid-batch and another takes over. Simulated time (a ManualClock drives the
// engine's partition simulator, the journal, leases and the rate cap).
#include <algorithm>
#include <cstdio>
#include <map>

#include "cli.h"
#include "demo.h"
#include "moe/credentials.h"
#include "moe/family_client.h"
#include "moe/family_journal.h"
#include "moe/journal_mirror.h"
#include "moe/kinesis_local.h"
#include "moe/registry.h"
#include "moe/repair.h"

namespace moe::cli {
namespace {

using namespace std::chrono_literals;

constexpr int kKeys = 200;
constexpr int kVersions = 3;
constexpr int kWrites = kKeys * kVersions;
constexpr int64_t kPrimaryWcu = 400;
constexpr int64_t kMirrorWcu = 20;
constexpr int kShards = 2;
constexpr size_t kKilledAfter = 230;  // records consumer A handles before it dies

FamilySpec ClicksFamily() {
  FamilySpec spec;
  spec.name = "clicks";
  spec.environment = "demo";
  spec.attribute_definitions = {{"user", ScalarAttributeType::kS}};
  spec.key_schema = {{"user", KeyType::kHash}};
  spec.period = Period::kDay;
  spec.copies = 2;
  spec.current_capacity = ProvisionedThroughput{100, kPrimaryWcu};
  spec.mirror_mode = MirrorMode::kWriteBehind;
  return spec;
}

struct Lag {
  size_t records = 0;
  double seconds = 0;
};

Result<Lag> TotalLag(DynamoDbClient& dynamo, KinesisClient& kinesis, const FamilySpec& spec) {
  MOE_TRY(auto shards, mirror::MeasureLag(dynamo, kinesis, JournalStreamName(spec),
                                          JournalLeaseTableName(spec)));
  Lag lag;
  for (const mirror::ShardLag& s : shards) {
    lag.records += s.records_behind;
    lag.seconds = std::max(lag.seconds, s.seconds_behind);
  }
  return lag;
}

}  // namespace

bool MirrorChapter(DemoContext&) {
  std::printf(
      "== 5. Write-behind mirror: a journal that trickles into a small mirror\n\n"
      "The Ruby original mirrored every write synchronously, so the mirror needed the\n"
      "primary's capacity. In WRITE_BEHIND mode a write commits to copy 1 and to a\n"
      "Kinesis journal (here the embedded one); a consumer applies the journal to the\n"
      "mirror at a capped rate, with leases, checkpoints and versioned writes.\n\n");
  ManualClock clock(ManualClock::FromUnixSeconds(1795608000));  // 2026-11-25T12:00:00Z
  local::EngineOptions engine_options;
  engine_options.clock = &clock;
  engine_options.simulate.enabled = true;
  engine_options.simulate.burst_seconds = 0;  // no saved-up credit hides a burst
  engine_options.simulate.metrics_window_seconds = 3600;
  auto engine = local::Engine::Open(engine_options);
  if (!engine) return !Fail(engine.error());
  DemoContext sim{.engine = engine->get(), .loopback = local::NewLoopbackTransport(**engine)};
  auto dynamo = DemoClient(sim, sim.loopback, &clock);
  auto streams = kinesis::LocalStreams::Create({.clock = &clock});
  ClientOptions kinesis_options;
  kinesis_options.endpoint = "http://journal.invalid";
  kinesis_options.region = "us-east-1";
  kinesis_options.credentials = NewStaticCredentialsProvider({"AKIDDEMO", "demo-secret", ""});
  kinesis_options.transport = kinesis::NewLoopbackTransport(*streams);
  kinesis_options.clock = &clock;
  auto kinesis = KinesisClient::Create(std::move(kinesis_options));
  if (!kinesis) return !Fail(kinesis.error());

  Registry registry(*dynamo, {.environment = "demo", .clock = &clock});
  FamilySpec spec = ClicksFamily();
  if (Status s = registry.EnsureTables(); !s) return !Fail(s.error());
  if (auto d = registry.Declare(spec); !d) return !Fail(d.error());
  auto rotated = registry.Rotate("clicks");
  if (!rotated) return !Fail(rotated.error());
  FamilyState state = rotated->state;
  const std::string primary = state.WriteTables()[0], mirror_table = state.WriteTables()[1];
  // The mirror is provisioned far below the primary.
  if (auto u =
          dynamo->UpdateTable({.table_name = mirror_table,
                               .provisioned_throughput = ProvisionedThroughput{50, kMirrorWcu}});
      !u) {
    return !Fail(u.error());
  }
  if (Status s = mirror::EnsureFamilyJournal(**kinesis, spec, kShards); !s) return !Fail(s.error());
  std::printf(
      "[1] family 'clicks' in WRITE_BEHIND mode: copy 1 %s at %lld WCU,\n"
      "    mirror %s at %lld WCU; journal stream %s (%d shards),\n"
      "    leases in %s (both named after the family)\n",
      primary.c_str(), static_cast<long long>(kPrimaryWcu), mirror_table.c_str(),
      static_cast<long long>(kMirrorWcu), JournalStreamName(spec).c_str(), kShards,
      JournalLeaseTableName(spec).c_str());

  mirror::KinesisFamilyJournal journal(**kinesis, JournalStreamName(spec));
  auto clicks =
      FamilyClient::Open(*dynamo, registry, "clicks", {.clock = &clock, .journal = &journal});
  if (!clicks) return !Fail(clicks.error());
  size_t journaled = 0;
  const auto writes_start = clock.Now();
  for (int v = 0; v < kVersions; ++v) {
    for (int k = 0; k < kKeys; ++k) {
      auto w = (*clicks)->Put(
          {.item = {{"user", "user#" + std::to_string(k)}, {"clicks", v + 1}, {"page", "home"}}});
      journaled += w && w->all_written();
      clock.Advance(5ms);  // 200 writes/s, half the primary's capacity
    }
  }
  double write_seconds = std::chrono::duration<double>(clock.Now() - writes_start).count();
  auto counted = DiffPeriod(*dynamo, state, *state.write_period);
  if (!counted) return !Fail(counted.error());
  auto lag = TotalLag(*dynamo, **kinesis, spec);
  if (!lag) return !Fail(lag.error());
  std::printf(
      "\n[2] %d writes (%d users x %d versions) in %.0f simulated seconds: %zu committed to\n"
      "    copy 1 and the journal; copy 1 holds %llu items, the mirror %llu;\n"
      "    lag %zu records, %.1f s\n",
      kWrites, kKeys, kVersions, write_seconds, journaled,
      static_cast<unsigned long long>(counted->item_counts[0]),
      static_cast<unsigned long long>(counted->item_counts[1]), lag->records, lag->seconds);
  bool ok = journaled == kWrites && counted->item_counts[0] == kKeys &&
            counted->item_counts[1] == 0 && lag->records == kWrites;

  // Consumers: capped at the mirror's capacity, one write unit of burst.
  std::map<std::string, int64_t> last_version;
  bool in_order = true;
  size_t handled = 0;
  auto options = mirror::FamilyTrickleOptions(spec);
  options.max_wcu = kMirrorWcu;
  options.burst_wcu = 1;
  options.batch_limit = 50;
  options.clock = &clock;
  options.hook = [&](const mirror::Change& change, const mirror::RecordPosition&) -> Status {
    if (options.consumer_id == "consumer-a" && ++handled > kKilledAfter) {
      return Error(ErrorCode::kInternalServerError, "consumer-a was killed");
    }
    // Each consumer reads a shard in order, so it sees a user's versions rising.
    int64_t& last = last_version[change.key.at("user").s()];
    in_order = in_order && change.version > last;
    last = change.version;
    return Ok();
  };
  options.consumer_id = "consumer-a";
  mirror::TrickleConsumer a(*dynamo, **kinesis, options);
  if (Status s = a.CreateLeaseTable(); !s) return !Fail(s.error());
  const auto trickle_start = clock.Now();
  bool killed = false;
  while (!killed) {
    auto round = a.RunOnce();
    if (!round) killed = true;
  }
  lag = TotalLag(*dynamo, **kinesis, spec);
  if (!lag) return !Fail(lag.error());
  std::printf(
      "\n[3] consumer-a trickles at <= %lld WCU/s, then dies mid-batch after %zu records\n"
      "    (no goodbye: its leases stay taken); lag %zu records, %.1f s\n",
      static_cast<long long>(kMirrorWcu), kKilledAfter, lag->records, lag->seconds);
  size_t lag_when_killed = lag->records;
  ok = ok && lag_when_killed > 0 && lag_when_killed < kWrites;

  options.consumer_id = "consumer-b";
  last_version.clear();
  mirror::TrickleConsumer b(*dynamo, **kinesis, options);
  std::printf(
      "    consumer-b starts; it takes the shards once consumer-a's leases expire (%llds):\n",
      static_cast<long long>(options.lease_duration.count() / 1000));
  bool falling = true;
  size_t previous = lag_when_killed;
  for (int round = 0;; ++round) {
    auto r = b.RunOnce();
    if (!r && !r.error().retryable()) return !Fail(r.error());
    bool waiting = r && r->shards_owned == 0;
    if (waiting) clock.Advance(1s);
    bool done = r && r->records_read == 0 && r->shards_owned == kShards;
    if ((waiting && round % 5 == 0) || (!waiting && round % 2 == 1) || done) {
      lag = TotalLag(*dynamo, **kinesis, spec);
      if (!lag) return !Fail(lag.error());
      std::printf(
          "      t+%3.0fs  shards %zu  applied %4llu  stale %3llu  lag %3zu records, %5.1f s\n",
          std::chrono::duration<double>(clock.Now() - trickle_start).count(),
          r ? r->shards_owned : 0, static_cast<unsigned long long>(b.stats().applied),
          static_cast<unsigned long long>(b.stats().stale), lag->records, lag->seconds);
      falling = falling && lag->records <= previous;
      previous = lag->records;
      if (lag->records == 0) break;
    }
    if (round > 10000) break;
  }
  ok = ok && falling && previous == 0;

  // What the simulated mirror partitions say (DynamoDB's view, like CloudWatch).
  double peak = 0, throttled = 0, consumed = 0;
  for (const local::SimResourceReport& r : (*engine)->SimulatorMetrics().resources) {
    if (r.table != mirror_table || !r.index.empty()) continue;
    for (const local::SimSecond& s : r.seconds) peak = std::max(peak, s.consumed_write_units);
    throttled = r.totals.throttled_write_units;
    consumed = r.totals.consumed_write_units;
  }
  double trickle_seconds = std::chrono::duration<double>(clock.Now() - trickle_start).count();
  std::printf(
      "\n[4] the mirror consumed %.0f WCU over %.0f simulated seconds, at most %.0f in any\n"
      "    second (cap %lld), %.0f throttled; records of each user applied in version order: %s;\n"
      "    replays after the takeover refused as older: %llu\n",
      consumed, trickle_seconds, peak, static_cast<long long>(kMirrorWcu), throttled,
      in_order ? "yes" : "NO", static_cast<unsigned long long>(b.stats().stale));
  ok = ok && peak <= kMirrorWcu && throttled == 0 && in_order &&
       a.stats().applied + b.stats().applied == kWrites;

  auto diff = DiffPeriod(*dynamo, state, *state.write_period);
  if (!diff) return !Fail(diff.error());
  std::printf("\n[5] family diff of %s: copy 1 %llu items, mirror %llu items, %s\n",
              state.write_period->ToString().c_str(),
              static_cast<unsigned long long>(diff->item_counts[0]),
              static_cast<unsigned long long>(diff->item_counts[1]),
              diff->in_agreement() ? "the copies agree" : "THE COPIES DIFFER");
  return ok && diff->in_agreement();
}

}  // namespace moe::cli
