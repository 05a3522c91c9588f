// moe bench TABLE: a load generator that measures how well a key strategy
// spreads load over a table's partitions, and ends with the effectiveness
// report (text or JSON on stdout) and its SVG heat map.
//
// Two ways to run:
//   real time    worker threads paced by --rate against any endpoint (or the
//                embedded engine); the load matrix is what the client saw.
//   --simulate   the embedded engine with its partition simulator on; by
//                default on simulated time (a manual clock, one thread, a
//                discrete-event loop over virtual workers), so an hour of
//                traffic runs in seconds and the same seed gives the same
//                report; --real-time keeps the simulator on the real clock.
//                The load matrix is what the simulator reports per
//                partition (Engine::SimulatorMetrics, CloudWatch-style).
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <queue>
#include <random>
#include <thread>

#include "commands.h"
#include "moe/effectiveness_report.h"
#include "moe/heat_tracker.h"
#include "moe/partition_observer.h"
#include "moe/rate_limiter.h"
#include "moe/sharding.h"
#include "moe/simulator.h"

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
  uint64_t seed = 1;
  // The engine's partition simulator (--endpoint local: only).
  bool simulate = false;
  bool real_time = false;  // with simulate: the real clock instead of a manual one
  double burst_seconds = 300;
  bool no_adaptive_capacity = false;
};

// Where a simulated run's clock starts: 2026-01-01T00:00:00Z, so that a seed
// gives the same report byte for byte.
constexpr int64_t kSimulatedStart = 1767225600;

// Draws key indexes from the chosen distribution.
class KeyPicker {
 public:
  explicit KeyPicker(const BenchArgs& a)
      : kind_(a.distribution), keys_(std::max<int64_t>(1, a.keys)) {
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
  if (a.sharding == "random") return NewRandomSuffixPolicy(ShardHistory(a.shards), a.seed);
  if (a.sharding == "calculated")
    return NewCalculatedSuffixPolicy(ShardHistory(a.shards), "sk", clock);
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

// One call of the workload, drawn from a worker's generator.
struct Call {
  std::string logical;
  int64_t sk = 0;
  bool read = false;
};

Call NextCall(const BenchArgs& a, const KeyPicker& picker, std::mt19937_64& rng) {
  Call c;
  c.logical = "k" + std::to_string(picker.Next(rng));
  c.sk = static_cast<int64_t>(rng() % 1000000);
  c.read = std::uniform_real_distribution<double>(0, 1)(rng) < a.read_fraction;
  return c;
}

// Sends `call` (one GetItem or PutItem, through the policy when sharded).
// Returns the error, if any; adds the consumed units to *units.
std::optional<Error> Send(const BenchArgs& a, DynamoDbClient& client, const ShardingPolicy* policy,
                          const Call& call, const std::string& payload, double* units) {
  if (call.read) {
    GetItemRequest get{.table_name = a.table, .key = {{"pk", call.logical}, {"sk", call.sk}}};
    get.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    auto r = policy ? ShardedGetItem(client, *policy, get, "pk") : client.GetItem(get);
    if (!r) return r.error();
    if (r->consumed_capacity) *units += r->consumed_capacity->capacity_units;
    return std::nullopt;
  }
  PutItemRequest put{.table_name = a.table, .item = {{"sk", call.sk}, {"data", payload}}};
  put.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto physical =
      policy ? policy->WriteKey(call.logical, put.item) : Result<std::string>(call.logical);
  put.item["pk"] = Value(physical ? *physical : call.logical);
  auto r = client.PutItem(put);
  if (!r) return r.error();
  if (r->consumed_capacity) *units += r->consumed_capacity->capacity_units;
  return std::nullopt;
}

// One real-time worker: paced by a shared ticket counter when --rate is set.
void Worker(int index, const BenchArgs& a, DynamoDbClient& client, const ShardingPolicy* policy,
            const KeyPicker& picker, Clock& clock, Clock::Duration start, Clock::Duration end,
            std::atomic<uint64_t>& tickets, Totals& totals) {
  std::mt19937_64 rng(a.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(index));
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
    Call call = NextCall(a, picker, rng);
    double units = 0;
    std::optional<Error> error = Send(a, client, policy, call, payload, &units);
    totals.calls.fetch_add(1);
    if (error) totals.failed.fetch_add(1);
    totals.Add(units);
  }
}

// Progress on stderr: on a terminal one line redrawn at most 4 times a
// second; otherwise (a log, a pipe) a plain line at each tenth of the run.
class BenchProgress {
 public:
  BenchProgress(double duration, bool simulated)
      : tty_(::isatty(2) != 0), duration_(duration), simulated_(simulated) {}

  void Update(double elapsed, uint64_t calls, uint64_t throttled, double units) {
    if (tty_) {
      Clock::Duration wall = Clock::Real().Monotonic();
      if (drawn_ && wall - last_draw_ < std::chrono::milliseconds(250)) return;
      last_draw_ = wall;
      drawn_ = true;
      std::fprintf(stderr, "\r%s   ", Line(elapsed, calls, throttled, units).c_str());
    } else {
      int tenth = duration_ > 0 ? static_cast<int>(10 * elapsed / duration_) : 10;
      if (tenth <= last_tenth_ || tenth < 1) return;
      last_tenth_ = tenth;
      std::fprintf(stderr, "%s\n", Line(elapsed, calls, throttled, units).c_str());
    }
    std::fflush(stderr);
  }
  void Finish() {
    if (tty_ && drawn_) std::fprintf(stderr, "\n");
  }

 private:
  std::string Line(double elapsed, uint64_t calls, uint64_t throttled, double units) const {
    char buf[200];
    std::snprintf(
        buf, sizeof buf, "[%7.1f/%.0f s%s] %llu calls, %llu throttled (%.1f%%), %.1f units/s",
        elapsed, duration_, simulated_ ? " simulated" : "", static_cast<unsigned long long>(calls),
        static_cast<unsigned long long>(throttled),
        calls > 0 ? 100.0 * static_cast<double>(throttled) / static_cast<double>(calls) : 0.0,
        elapsed > 0 ? units / elapsed : 0.0);
    return buf;
  }

  const bool tty_;
  const double duration_;
  const bool simulated_;
  bool drawn_ = false;
  Clock::Duration last_draw_{};
  int last_tenth_ = 0;
};

// What the simulator reports for the bench table, per partition and
// second, gathered while the run goes (its window keeps only the last
// metrics_window_seconds).
class ServerLoad {
 public:
  ServerLoad(std::string table, int64_t start_second, bool reads, bool writes)
      : table_(std::move(table)),
        start_(start_second),
        next_(start_second),
        reads_(reads),
        writes_(writes) {}

  // Takes the complete seconds (before the report's current one) not taken yet.
  void Collect(const local::SimulatorReport& report) {
    int64_t now_second =
        std::chrono::duration_cast<std::chrono::seconds>(report.now.time_since_epoch()).count();
    for (const local::SimResourceReport& r : report.resources) {
      if (r.table != table_ || !r.index.empty()) continue;
      for (const local::SimPartitionReport& p : r.partitions) {
        Row& row = rows_[p.hash_begin];
        for (const local::SimSecond& s : p.seconds) {
          if (s.unix_second < next_ || s.unix_second >= now_second) continue;
          size_t at = static_cast<size_t>(s.unix_second - start_);
          if (row.consumed.size() <= at) {
            row.consumed.resize(at + 1);
            row.throttled.resize(at + 1);
          }
          row.consumed[at] +=
              (reads_ ? s.consumed_read_units : 0) + (writes_ ? s.consumed_write_units : 0);
          row.throttled[at] +=
              (reads_ ? s.throttled_read_units : 0) + (writes_ ? s.throttled_write_units : 0);
        }
      }
    }
    next_ = std::max(next_, now_second);
  }

  // One series per partition (in hash order), seconds [start, end).
  LoadMatrix Matrix(int64_t end_second) const {
    LoadMatrix m{
        .kind = LoadMatrix::Kind::kPartitions, .from_server = true, .start_unix_seconds = start_};
    size_t n = static_cast<size_t>(std::max<int64_t>(0, end_second - start_));
    int i = 0;
    for (const auto& [begin, row] : rows_) {
      LoadSeries s{.name = "partition " + std::to_string(i++),
                   .consumed = row.consumed,
                   .throttled = row.throttled};
      s.consumed.resize(n);
      s.throttled.resize(n);
      m.series.push_back(std::move(s));
    }
    return m;
  }

 private:
  struct Row {
    std::vector<double> consumed, throttled;
  };
  const std::string table_;
  const int64_t start_;
  int64_t next_;
  const bool reads_, writes_;
  std::map<uint64_t, Row> rows_;  // by the partition's first hash
};

// The simulated-time run: virtual workers in a discrete-event loop on the
// manual clock. A worker takes the next ticket (due at start + ticket/rate),
// waits for it, asks the adaptive limiter when there is one (waiting as
// told), then sends its call, which takes no simulated time. Events run in
// (time, worker) order on one thread, so a seed gives one outcome.
void SimulatedRun(const BenchArgs& a, DynamoDbClient& client, local::Engine& engine,
                  const ShardingPolicy* policy, const KeyPicker& picker, ManualClock& clock,
                  RateLimiter* limiter, ServerLoad& server, Totals& totals,
                  BenchProgress& progress) {
  using Duration = Clock::Duration;
  const Duration start = clock.Now().time_since_epoch();
  const Duration end =
      start + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(a.duration));
  struct Virtual {
    std::mt19937_64 rng;
    std::optional<Call> call;
  };
  std::vector<Virtual> workers;
  for (int i = 0; i < std::max(1, a.concurrency); ++i) {
    workers.push_back(
        {std::mt19937_64(a.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(i)), std::nullopt});
  }
  using Event = std::pair<Duration, size_t>;  // (when, worker)
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  for (size_t i = 0; i < workers.size(); ++i) events.push({start, i});
  std::string payload(static_cast<size_t>(std::max(0, a.item_bytes)), 'x');
  uint64_t tickets = 0;
  Duration next_collect = start + std::chrono::seconds(30);
  Duration next_second = start + std::chrono::seconds(1);
  uint64_t throttled_calls = 0;

  while (!events.empty()) {
    auto [when, w] = events.top();
    events.pop();
    if (when >= next_second) {  // once per simulated second: progress, metrics
      clock.Set(Clock::TimePoint(next_second));
      double elapsed = std::chrono::duration<double>(next_second - start).count();
      progress.Update(elapsed, totals.calls.load(), throttled_calls, totals.Consumed());
      if (next_second >= next_collect) {
        server.Collect(engine.SimulatorMetrics());
        next_collect += std::chrono::seconds(30);
      }
      next_second += std::chrono::seconds(1);
      events.push({when, w});
      continue;
    }
    clock.Set(Clock::TimePoint(when));
    Virtual& v = workers[w];
    if (!v.call) {
      Duration due = start + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(
                                 static_cast<double>(tickets++) / a.rate));
      if (due >= end) continue;  // this worker is done
      v.call = NextCall(a, picker, v.rng);
      if (due > when) {
        events.push({due, w});
        continue;
      }
    }
    BucketId bucket{.table = a.table,
                    .direction = v.call->read ? Direction::kRead : Direction::kWrite};
    double estimate = 0;
    if (limiter != nullptr) {
      estimate = limiter->EstimatedUnits(bucket);
      Duration wait = limiter->Acquire(bucket, Lane::kForeground, estimate);
      if (wait > Duration::zero()) {
        events.push({when + wait, w});
        continue;
      }
    }
    double units = 0;
    std::optional<Error> error = Send(a, client, policy, *v.call, payload, &units);
    v.call.reset();
    totals.calls.fetch_add(1);
    if (error) {
      totals.failed.fetch_add(1);
      if (error->throttling()) ++throttled_calls;
    }
    totals.Add(units);
    if (limiter != nullptr) {
      if (error && error->throttling()) {
        limiter->OnThrottled(bucket, estimate);
      } else {
        limiter->OnConsumed(bucket, estimate, units);
      }
    }
    events.push({when, w});
  }
  // Close the last second so the metrics hold the whole run.
  Duration closed = std::max(clock.Now().time_since_epoch(), end);
  closed = std::chrono::ceil<std::chrono::seconds>(closed);
  clock.Set(Clock::TimePoint(closed));
  progress.Update(a.duration, totals.calls.load(), throttled_calls, totals.Consumed());
  server.Collect(engine.SimulatorMetrics());
}

Status CheckArgs(const GlobalOptions& g, const BenchArgs& a) {
  if (a.distribution != "uniform" && a.distribution != "zipf" && a.distribution != "hot") {
    return Error::InvalidArgument("--distribution must be uniform, zipf or hot");
  }
  if (a.real_time && !a.simulate) {
    return Error::InvalidArgument("--real-time goes with --simulate");
  }
  if (a.simulate && !IsLocalEndpoint(g)) {
    return Error::InvalidArgument(
        "--simulate runs the embedded engine's partition simulator: use --endpoint local:");
  }
  if (a.simulate && !a.real_time && !(a.rate > 0)) {
    return Error::InvalidArgument("--simulate needs --rate (calls per simulated second)");
  }
  if (!(a.duration > 0) || a.duration > 7 * 86400) {
    return Error::InvalidArgument("--duration must be more than 0 and at most a week");
  }
  return Ok();
}

int Bench(const GlobalOptions& g, const BenchArgs& a) {
  if (Status s = CheckArgs(g, a); !s) return Fail(s.error());
  const bool simulated_time = a.simulate && !a.real_time;
  ManualClock manual(ManualClock::FromUnixSeconds(kSimulatedStart));
  Clock& clock = simulated_time ? static_cast<Clock&>(manual) : Clock::Real();
  auto heat = std::make_shared<HeatTracker>(HeatOptions{.capacity = 256});
  auto load = a.simulate ? nullptr
                         : std::make_shared<LoadRecorder>(
                               static_cast<size_t>(std::max(1, a.buckets)), clock);
  auto limiter =
      a.adaptive ? std::make_shared<RateLimiter>(RateLimiterOptions{.clock = &clock}) : nullptr;
  // On simulated time the run loop asks the limiter itself (a client
  // waiting on its timer would move the manual clock from another thread).
  ObserverOptions observe{.heat = heat,
                          .limiter = simulated_time ? nullptr : limiter,
                          .load = load,
                          .hash_keys = {{a.table, "pk"}}};
  local::Engine* engine = nullptr;
  Result<std::unique_ptr<DynamoDbClient>> client = Error::InvalidArgument("no client");
  if (a.simulate) {
    local::EngineOptions engine_options;
    engine_options.clock = &clock;
    engine_options.simulate.enabled = true;
    engine_options.simulate.burst_seconds = a.burst_seconds;
    engine_options.simulate.adaptive_capacity = !a.no_adaptive_capacity;
    ClientOptions options;
    options.observer = NewPartitionObserver(std::move(observe));
    options.clock = &clock;
    // One attempt per call: a throttled call is counted, not retried, so the
    // offered rate stays --rate and no backoff sleeps on the clock.
    if (simulated_time) options.retry.max_attempts = 1;
    client = MakeEngineClient(g, std::move(engine_options), std::move(options), &engine);
  } else {
    client = MakeClient(g, NewPartitionObserver(std::move(observe)));
  }
  if (!client) return Fail(client.error());
  // A simulated engine starts empty (unless local:DIR holds the table).
  if (a.create || a.simulate) {
    if (Status s = CreateBenchTable(**client, a); !s) return Fail(s.error());
  }
  auto described = (*client)->DescribeTable({.table_name = a.table});
  if (!described) return Fail(described.error());
  if (limiter) {
    if (Status s = LoadCapacity(**client, *limiter, a.table); !s) return Fail(s.error());
  }
  auto policy = MakePolicy(a, clock);
  if (!policy) return Fail(policy.error());
  KeyPicker picker(a);
  heat->Reset();  // only the measured traffic

  Totals totals;
  BenchProgress progress(a.duration, simulated_time);
  const int64_t start_second =
      std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count() +
      (simulated_time ? 0 : 1);  // real time: the first whole second
  ServerLoad server(a.table, start_second, a.read_fraction > 0, a.read_fraction < 1);
  double elapsed = 0;
  if (simulated_time) {
    SimulatedRun(a, **client, *engine, policy->get(), picker, manual, limiter.get(), server, totals,
                 progress);
    elapsed = a.duration;
  } else {
    std::atomic<uint64_t> tickets{0};
    Clock::Duration start = clock.Monotonic();
    Clock::Duration end = start + std::chrono::duration_cast<Clock::Duration>(
                                      std::chrono::duration<double>(a.duration));
    std::vector<std::thread> workers;
    for (int i = 0; i < std::max(1, a.concurrency); ++i) {
      workers.emplace_back([&, i] {
        Worker(i, a, **client, policy->get(), picker, clock, start, end, tickets, totals);
      });
    }
    while (clock.Monotonic() < end) {
      clock.SleepFor(std::min<Clock::Duration>(std::chrono::seconds(1), end - clock.Monotonic()));
      double now = std::chrono::duration<double>(clock.Monotonic() - start).count();
      progress.Update(now, totals.calls.load(), (*client)->stats().throttles, totals.Consumed());
      if (engine != nullptr) server.Collect(engine->SimulatorMetrics());
    }
    for (auto& w : workers) w.join();
    elapsed = std::chrono::duration<double>(clock.Monotonic() - start).count();
    if (engine != nullptr) server.Collect(engine->SimulatorMetrics());
  }
  progress.Finish();

  ReportInput in;
  in.table = a.table;
  in.reads = a.read_fraction > 0;
  in.writes = a.read_fraction < 1;
  const TableDescription& d = described->table;
  if (d.provisioned_throughput && d.billing_mode != BillingMode::kPayPerRequest) {
    in.provisioned.read_units = static_cast<double>(d.provisioned_throughput->read_capacity_units);
    in.provisioned.write_units =
        static_cast<double>(d.provisioned_throughput->write_capacity_units);
  }
  in.provisioned.table_size_bytes = d.table_size_bytes;
  ClientStats stats = (*client)->stats();
  in.client = {.duration_seconds = elapsed,
               .consumed_units = totals.Consumed(),
               .attempts = stats.attempts,
               .throttled_attempts = stats.throttles,
               .failed_calls = totals.failed.load()};
  if (a.simulate) {
    // Whole seconds of the run: [start, start + duration) on simulated
    // time; on real time the complete seconds the workers ran in.
    int64_t end_second =
        simulated_time
            ? start_second + static_cast<int64_t>(std::ceil(a.duration))
            : std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch())
                  .count();
    in.load = server.Matrix(end_second);
  } else {
    in.load = load->Snapshot();
  }
  in.hottest = heat->Top(10);
  in.heat_total = heat->total_weight();
  in.strategy =
      a.distribution + " keys, " +
      (a.sharding == "none" ? std::string("no sharding")
                            : a.sharding + " suffix x" + std::to_string(a.shards)) +
      (a.simulate ? (simulated_time ? ", simulated partitions and time" : ", simulated partitions")
                  : "");
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
  CLI::App* bench =
      app.add_subcommand("bench", "Generate load and report how evenly it spreads over partitions");
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
  bench->add_option("--seed", a->seed, "Seeds key draws and the random suffix (default 1)");
  bench->add_flag("--simulate", a->simulate,
                  "With --endpoint local:: the engine's partition simulator, on simulated time "
                  "(--duration is simulated seconds; --rate required); implies --create");
  bench->add_flag("--real-time", a->real_time, "With --simulate: the real clock instead");
  bench->add_option(
      "--burst-seconds", a->burst_seconds,
      "With --simulate: burst credit kept, in seconds of unused capacity (default 300)");
  bench->add_flag("--no-adaptive-capacity", a->no_adaptive_capacity,
                  "With --simulate: partitions do not borrow the table's unused capacity");
  bench->callback([&g, &exit_code, a] { exit_code = Bench(g, *a); });
}

}  // namespace moe::cli
