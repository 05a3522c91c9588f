// moe demo, chapter 4: a hot key throttled by its partition while the table
// looks idle, then relieved by write sharding; the effectiveness report and
// its SVG heat map tell the two runs apart. Runs on the engine's partition
// simulator with a manual clock: 20 simulated seconds per run.
#include <cstdio>
#include <fstream>

#include "cli.h"
#include "demo.h"
#include "moe/effectiveness_report.h"
#include "moe/heat_tracker.h"
#include "moe/sharding.h"
#include "moe/simulator.h"

namespace moe::cli {
namespace {

using namespace std::chrono_literals;
using partitioning::BuildReport;
using partitioning::LoadMatrix;
using partitioning::ReportInput;

constexpr int kSeconds = 20;
constexpr int kWritesPerSecond = 2000;  // all on one logical key

struct Run {
  partitioning::EffectivenessReport report;
  uint64_t served = 0, throttled = 0;
};

Result<Run> Drive(DynamoDbClient& client, local::Engine& engine, ManualClock& clock,
                  const std::string& table, const partitioning::ShardingPolicy* sharding) {
  CreateTableRequest create{.table_name = table};
  create.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"n", ScalarAttributeType::kN}};
  create.key_schema = {{"pk", KeyType::kHash}, {"n", KeyType::kRange}};
  create.provisioned_throughput = ProvisionedThroughput{3000, 3000};  // 4 partitions
  MOE_TRY_STATUS(client.CreateTable(create));
  MOE_TRY_STATUS(client.WaitUntilActive(table, 10s, 1ms));
  partitioning::HeatTracker heat;
  Run run;
  const auto start = clock.Now();
  for (int second = 0; second < kSeconds; ++second) {
    for (int i = 0; i < kWritesPerSecond; ++i) {
      Item item{{"pk", "device#42"}, {"n", second * kWritesPerSecond + i}, {"v", "reading"}};
      std::string key = "device#42";
      if (sharding != nullptr) {
        MOE_TRY(key, sharding->WriteKey("device#42", item));
        item["pk"] = key;
      }
      auto put = client.PutItem({.table_name = table, .item = item});
      bool throttled = !put && put.error().throttling();
      if (!put && !throttled) return std::move(put).error();
      (throttled ? run.throttled : run.served)++;
      heat.Observe(key, throttled ? 0 : 1, throttled);
    }
    clock.Advance(1s);
  }
  // What the server (the simulator, like CloudWatch) says each partition did.
  ReportInput in{.table = table};
  in.provisioned = {.read_units = 3000, .write_units = 3000};
  in.client = {.duration_seconds = kSeconds,
               .consumed_units = static_cast<double>(run.served),
               .attempts = run.served + run.throttled,
               .throttled_attempts = run.throttled};
  in.load = {.kind = LoadMatrix::Kind::kPartitions,
             .from_server = true,
             .start_unix_seconds =
                 std::chrono::duration_cast<std::chrono::seconds>(start.time_since_epoch()).count()};
  for (const local::SimResourceReport& r : engine.SimulatorMetrics().resources) {
    if (r.table != table || !r.index.empty()) continue;
    for (size_t p = 0; p < r.partitions.size(); ++p) {
      partitioning::LoadSeries series{.name = "partition " + std::to_string(p)};
      for (const local::SimSecond& s : r.partitions[p].seconds) {
        if (s.unix_second < in.load.start_unix_seconds) continue;
        series.consumed.push_back(s.consumed_write_units);
        series.throttled.push_back(s.throttled_write_units);
      }
      in.load.series.push_back(std::move(series));
    }
  }
  in.hottest = heat.Top(3);
  in.heat_total = heat.total_weight();
  in.strategy = sharding ? "random suffix, 8 shards" : "one hash key";
  run.report = BuildReport(in);
  return run;
}

void Show(const char* label, const Run& run) {
  const auto& r = run.report;
  std::printf(
      "    %-26s %5.0f of %d writes/s served (%4.1f%% throttled), table capacity used %3.0f%%,\n"
      "    %-26s partitions %d, skew %.2f, hottest key %s (%.0f%% of the load%s)\n",
      label, r.achieved_per_second, kWritesPerSecond, 100.0 * r.throttle_ratio,
      100.0 * r.achieved_vs_provisioned, "", r.partitions_reported.value_or(0), r.skew,
      r.hottest.empty() ? "-" : r.hottest[0].key.c_str(),
      r.hottest.empty() ? 0.0 : 100.0 * r.hottest[0].share,
      !r.hottest.empty() && r.hottest[0].throttled ? ", throttled" : "");
}

}  // namespace

bool PartitionChapter(DemoContext&) {
  std::printf(
      "== 4. Hot partitions: seen, measured, and fixed by write sharding\n\n"
      "DynamoDB splits a table's capacity evenly over partitions it does not show\n"
      "you. One busy hash key lives on one partition and is throttled while the\n"
      "table as a whole looks idle. moe's engine simulates partitions (DynamoDB's\n"
      "public model: token buckets, per-partition caps, adaptive capacity).\n\n"
      "[1] table with 3,000 WCU (4 partitions of 750 WCU/s, at most 1,000 with adaptive\n"
      "    capacity); %d writes/s for %d simulated seconds, no burst credit saved up:\n",
      kWritesPerSecond, kSeconds);
  ManualClock clock(ManualClock::FromUnixSeconds(1795608000));  // 2026-11-25T12:00:00Z
  local::EngineOptions options;
  options.clock = &clock;
  options.simulate.enabled = true;
  options.simulate.burst_seconds = 0;
  auto engine = local::Engine::Open(options);
  if (!engine) return !Fail(engine.error());
  DemoContext sim{.engine = engine->get(), .loopback = local::NewLoopbackTransport(**engine)};
  ManualClock retry_clock;
  auto client = DemoClient(sim, sim.loopback, &retry_clock);

  auto naive = Drive(*client, **engine, clock, "readings_naive", nullptr);
  if (!naive) return !Fail(naive.error());
  Show("one hash key:", *naive);
  auto policy =
      partitioning::NewRandomSuffixPolicy(partitioning::ShardHistory(8), /*seed=*/2026);
  auto sharded = Drive(*client, **engine, clock, "readings_sharded", policy.get());
  if (!sharded) return !Fail(sharded.error());
  Show("random suffix, 8 shards:", *sharded);

  const char* svg_path = "moe-demo-heatmap.svg";
  {
    std::ofstream svg(svg_path);
    svg << partitioning::ToSvg(naive->report);
  }
  std::printf(
      "\n[2] the effectiveness report of the first run (moe bench prints it for any\n"
      "    workload); its heat map, partitions over time, is in %s:\n\n%s",
      svg_path, partitioning::ToText(naive->report).c_str());
  double naive_rate = naive->report.achieved_per_second;
  double sharded_rate = sharded->report.achieved_per_second;
  return naive->throttled > 0 && naive_rate < 0.6 * kWritesPerSecond &&
         sharded_rate > 0.95 * kWritesPerSecond && sharded->report.skew < naive->report.skew;
}

}  // namespace moe::cli
