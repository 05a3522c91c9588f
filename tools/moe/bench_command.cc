// moe bench TABLE: a load generator that measures how well a key strategy
// spreads load over a table's partitions, and ends with the effectiveness
// report (text or JSON on stdout) and its SVG heat map.
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <random>
#include <thread>

#include "commands.h"
#include "moe/effectiveness_report.h"
#include "moe/heat_tracker.h"
#include "moe/partition_observer.h"
#include "moe/rate_limiter.h"
#include "moe/sharding.h"

namespace moe::cli {
namespace {

using namespace moe::partitioning;

struct BenchArgs {
  std::string table = "moe_bench";
  bool create = false;
  bool on_demand = false;
  int64_t rcu = 1000, wcu = 1000;
  std::string distribution = "uniform";
  double zipf_s = 1.1;
  int64_t keys = 10000;
  std::string sharding = "none";
  int shards = 8;
  int64_t bucket_seconds = 60;
  double read_fraction = 0;
  double rate = 0;
  double duration = 10;
  int concurrency = 4;
  int item_bytes = 100;
  bool adaptive = false;
  std::string svg = "moe-bench.svg";
  bool json = false;
  int buckets = 16;
};

// Draws key indexes from the chosen distribution.
class KeyPicker {
 public:
  explicit KeyPicker(const BenchArgs& a) : kind_(a.distribution), keys_(std::max<int64_t>(1, a.keys)) {
    if (kind_ == "zipf") {
      double sum = 0;
      for (int64_t i = 1; i <= keys_; ++i) cdf_.push_back(sum += 1.0 / std::pow(i, a.zipf_s));
      for (double& c : cdf_) c /= sum;
    }
  }
  int64_t Next(std::mt19937_64& rng) const {
    if (kind_ == "hot") return 0;
    if (kind_ == "zipf") {
      double u = std::uniform_real_distribution<double>(0, 1)(rng);
      return std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin();
    }
    return static_cast<int64_t>(rng() % static_cast<uint64_t>(keys_));
  }

 private:
  std::string kind_;
  int64_t keys_;
  std::vector<double> cdf_;
};

Result<std::unique_ptr<ShardingPolicy>> MakePolicy(const BenchArgs& a, Clock& clock) {
  if (a.sharding == "none") return std::unique_ptr<ShardingPolicy>();
  if (a.sharding == "random") return NewRandomSuffixPolicy(ShardHistory(a.shards));
  if (a.sharding == "calculated") return NewCalculatedSuffixPolicy(ShardHistory(a.shards), "sk", clock);
  if (a.sharding == "time") {
    return NewTimeBucketPolicy(ShardHistory(a.shards), std::chrono::seconds(a.bucket_seconds), "",
                               clock);
  }
  return Error::InvalidArgument("--sharding must be none, random, calculated or time");
}

Status CreateBenchTable(DynamoDbClient& client, const BenchArgs& a) {
  CreateTableRequest create{.table_name = a.table};
  create.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kN}};
  create.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  if (a.on_demand) {
    create.billing_mode = BillingMode::kPayPerRequest;
  } else {
    create.provisioned_throughput = ProvisionedThroughput{a.rcu, a.wcu};
  }
  auto created = client.CreateTable(create);
  if (!created && created.error().code() != ErrorCode::kResourceInUse) return created.error();
  MOE_TRY_STATUS(client.WaitUntilActive(a.table).has_value()
                     ? Ok()
                     : Status(Error(ErrorCode::kTimeout, "table did not become ACTIVE")));
  return Ok();
}

struct Totals {
  std::atomic<uint64_t> calls{0}, failed{0};
  std::mutex mu;
  double consumed = 0;  // guarded by mu
  void Add(double units) {
    std::lock_guard lock(mu);
    consumed += units;
  }
  double Consumed() {
    std::lock_guard lock(mu);
    return consumed;
  }
};

// One worker: paced by a shared ticket counter when --rate is set.
void Worker(int index, const BenchArgs& a, DynamoDbClient& client, const ShardingPolicy* policy,
            const KeyPicker& picker, Clock& clock, Clock::Duration start, Clock::Duration end,
            std::atomic<uint64_t>& tickets, Totals& totals) {
  std::mt19937_64 rng(0x5eed + index);
  std::string payload(static_cast<size_t>(std::max(0, a.item_bytes)), 'x');
  for (;;) {
    Clock::Duration now = clock.Monotonic();
    if (a.rate > 0) {
      uint64_t ticket = tickets.fetch_add(1);
      auto due = start + std::chrono::duration_cast<Clock::Duration>(
                             std::chrono::duration<double>(static_cast<double>(ticket) / a.rate));
      if (due >= end) return;
      if (due > now) clock.SleepFor(due - now);
    } else if (now >= end) {
      return;
    }
    std::string logical = "k" + std::to_string(picker.Next(rng));
    int64_t sk = static_cast<int64_t>(rng() % 1000000);
    bool read = std::uniform_real_distribution<double>(0, 1)(rng) < a.read_fraction;
    std::optional<Error> error;
    double units = 0;
    if (read) {
      GetItemRequest get{.table_name = a.table, .key = {{"pk", logical}, {"sk", sk}}};
      get.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
      auto r = policy ? ShardedGetItem(client, *policy, get, "pk") : client.GetItem(get);
      if (!r) error = r.error();
      else if (r->consumed_capacity) units = r->consumed_capacity->capacity_units;
    } else {
      PutItemRequest put{.table_name = a.table, .item = {{"sk", sk}, {"data", payload}}};
      put.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
      auto physical = policy ? policy->WriteKey(logical, put.item) : Result<std::string>(logical);
      put.item["pk"] = Value(physical ? *physical : logical);
      auto r = client.PutItem(put);
      if (!r) error = r.error();
      else if (r->consumed_capacity) units = r->consumed_capacity->capacity_units;
    }
    totals.calls.fetch_add(1);
    if (error) totals.failed.fetch_add(1);
    totals.Add(units);
  }
}

int Bench(const GlobalOptions& g, const BenchArgs& a) {
  Clock& clock = Clock::Real();
  auto heat = std::make_shared<HeatTracker>(HeatOptions{.capacity = 256});
  auto load = std::make_shared<LoadRecorder>(static_cast<size_t>(std::max(1, a.buckets)), clock);
  auto limiter = a.adaptive ? std::make_shared<RateLimiter>(RateLimiterOptions{.clock = &clock})
                            : nullptr;
  auto client = MakeClient(
      g, NewPartitionObserver({.heat = heat, .limiter = limiter, .load = load,
                               .hash_keys = {{a.table, "pk"}}}));
  if (!client) return Fail(client.error());
  if (a.create) {
    if (Status s = CreateBenchTable(**client, a); !s) return Fail(s.error());
  }
  auto described = (*client)->DescribeTable({.table_name = a.table});
  if (!described) return Fail(described.error());
  if (limiter) {
    if (Status s = LoadCapacity(**client, *limiter, a.table); !s) return Fail(s.error());
  }
  auto policy = MakePolicy(a, clock);
  if (!policy) return Fail(policy.error());
  if (a.distribution != "uniform" && a.distribution != "zipf" && a.distribution != "hot") {
    return Fail(Error::InvalidArgument("--distribution must be uniform, zipf or hot"));
  }
  KeyPicker picker(a);
  heat->Reset();  // only the measured traffic

  Totals totals;
  std::atomic<uint64_t> tickets{0};
  Clock::Duration start = clock.Monotonic();
  Clock::Duration end =
      start + std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(a.duration));
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, a.concurrency); ++i) {
    workers.emplace_back([&, i] {
      Worker(i, a, **client, policy->get(), picker, clock, start, end, tickets, totals);
    });
  }
  // Live progress on a terminal, once a second.
  bool tty = ::isatty(2) != 0;
  while (clock.Monotonic() < end) {
    clock.SleepFor(std::min<Clock::Duration>(std::chrono::seconds(1), end - clock.Monotonic()));
    if (!tty) continue;
    double elapsed = std::chrono::duration<double>(clock.Monotonic() - start).count();
    ClientStats s = (*client)->stats();
    std::fprintf(stderr, "\r[%6.1fs] %llu calls, %llu throttled attempts, %.1f units/s   ", elapsed,
                 static_cast<unsigned long long>(totals.calls.load()),
                 static_cast<unsigned long long>(s.throttles),
                 elapsed > 0 ? totals.Consumed() / elapsed : 0.0);
    std::fflush(stderr);
  }
  for (auto& w : workers) w.join();
  if (tty) std::fprintf(stderr, "\n");
  double elapsed = std::chrono::duration<double>(clock.Monotonic() - start).count();

  ReportInput in;
  in.table = a.table;
  in.reads = a.read_fraction > 0;
  in.writes = a.read_fraction < 1;
  const TableDescription& d = described->table;
  if (d.provisioned_throughput && d.billing_mode != BillingMode::kPayPerRequest) {
    in.provisioned.read_units = static_cast<double>(d.provisioned_throughput->read_capacity_units);
    in.provisioned.write_units = static_cast<double>(d.provisioned_throughput->write_capacity_units);
  }
  in.provisioned.table_size_bytes = d.table_size_bytes;
  ClientStats stats = (*client)->stats();
  in.client = {.duration_seconds = elapsed, .consumed_units = totals.Consumed(),
               .attempts = stats.attempts, .throttled_attempts = stats.throttles,
               .failed_calls = totals.failed.load()};
  in.load = load->Snapshot();
  in.hottest = heat->Top(10);
  in.heat_total = heat->total_weight();
  in.strategy = a.distribution + " keys, " +
                (a.sharding == "none" ? std::string("no sharding")
                                      : a.sharding + " suffix x" + std::to_string(a.shards));
  EffectivenessReport report = BuildReport(in);
  std::fputs((a.json ? ToJson(report) + "\n" : ToText(report)).c_str(), stdout);
  if (!a.svg.empty()) {
    std::ofstream(a.svg) << ToSvg(report);
    std::fprintf(stderr, "heat map: %s\n", a.svg.c_str());
  }
  return 0;
}

}  // namespace

void RegisterBenchCommand(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<BenchArgs>();
  CLI::App* bench = app.add_subcommand(
      "bench", "Generate load and report how evenly it spreads over partitions");
  bench->add_option("table", a->table, "Table name (default moe_bench)");
  bench->add_flag("--create", a->create, "Create the table (pk S, sk N) if it does not exist");
  bench->add_option("--rcu", a->rcu, "With --create: read capacity units (default 1000)");
  bench->add_option("--wcu", a->wcu, "With --create: write capacity units (default 1000)");
  bench->add_flag("--on-demand", a->on_demand, "With --create: PAY_PER_REQUEST");
  bench->add_option("--distribution", a->distribution, "uniform, zipf or hot (default uniform)");
  bench->add_option("--zipf-s", a->zipf_s, "Zipf exponent (default 1.1)");
  bench->add_option("--keys", a->keys, "Logical partition keys (default 10000)");
  bench->add_option("--sharding", a->sharding, "none, random, calculated or time (default none)");
  bench->add_option("--shards", a->shards, "Shards per logical key (default 8)");
  bench->add_option("--bucket-seconds", a->bucket_seconds, "Time-bucket width (default 60)");
  bench->add_option("--read-fraction", a->read_fraction, "Share of reads, 0..1 (default 0)");
  bench->add_option("--rate", a->rate, "Calls per second, 0 = as fast as possible (default 0)");
  bench->add_option("--duration", a->duration, "Seconds (default 10)");
  bench->add_option("--concurrency", a->concurrency, "Worker threads (default 4)");
  bench->add_option("--item-bytes", a->item_bytes, "Payload bytes per item (default 100)");
  bench->add_flag("--adaptive", a->adaptive, "Client-side adaptive rate limiting");
  bench->add_option("--buckets", a->buckets, "Key buckets in the heat map (default 16)");
  bench->add_option("--svg", a->svg, "Heat map file; empty for none (default moe-bench.svg)");
  bench->add_flag("--json", a->json, "Print the report as JSON");
  bench->callback([&g, &exit_code, a] { exit_code = Bench(g, *a); });
}

}  // namespace moe::cli
