// The partition simulator's accounting path (src/local/partition_sim.h):
// what one simulated request costs the engine when simulation is on.
//   ResourceAdmitConsume  one token-bucket admission and charge on a table's
//                         partitions (the inner loop of every request)
//   SimulatorCharge       PartitionSimulator::Charge: the mutex, the sync of
//                         the table's configuration, admission and charge
//   EnginePutItem/{0,1}   a whole PutItem through Engine::Handle with the
//                         simulator off (0) and on (1)
// Simulated time advances 1 µs per request, so a second of simulated
// traffic is a million requests.

#include <benchmark/benchmark.h>

#include <random>

#include "local/partition_sim.h"
#include "local/storage.h"
#include "moe/local.h"
#include "moe/model.h"

namespace moe::local {
namespace {

constexpr int64_t kMicro = 1000;

std::vector<uint64_t> Hashes() {
  std::mt19937_64 rng(42);
  std::vector<uint64_t> out(4096);
  for (uint64_t& h : out) h = rng();
  return out;
}

void ResourceAdmitConsume(benchmark::State& state) {
  SimulatorOptions options;
  options.enabled = true;
  ResourceSim r(options);
  r.Configure(false, 30000, 10000, 0);  // 20 partitions
  std::vector<uint64_t> hashes = Hashes();
  int64_t now = int64_t{1700000000} * 1000000000;
  size_t i = 0;
  int64_t admitted = 0;
  for (auto _ : state) {
    int d = static_cast<int>(i & 1);
    Admission a = r.Admit(hashes[i++ & 4095], d, now);
    if (a.ok) {
      r.Consume(a, d, 1, now);
      ++admitted;
    } else {
      r.Throttle(a, d, 1, now);
    }
    now += kMicro;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["admitted"] = benchmark::Counter(static_cast<double>(admitted) /
                                                  static_cast<double>(state.iterations()));
}
BENCHMARK(ResourceAdmitConsume);

void SimulatorCharge(benchmark::State& state) {
  SimulatorOptions options;
  options.enabled = true;
  PartitionSimulator sim(options);
  Table table;
  table.name = "bench";
  table.id = "1";
  table.throughput = {30000, 10000};
  std::vector<uint64_t> hashes = Hashes();
  Clock::TimePoint now = ManualClock::FromUnixSeconds(1700000000);
  size_t i = 0;
  for (auto _ : state) {
    SimCharge charge{.table = &table, .hash = hashes[i & 4095], .units = 1, .write = (i & 1) != 0};
    ++i;
    benchmark::DoNotOptimize(sim.Charge({&charge, 1}, now));
    now += std::chrono::microseconds(1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(SimulatorCharge);

void EnginePutItem(benchmark::State& state) {
  ManualClock clock;
  EngineOptions options;
  options.clock = &clock;
  options.simulate.enabled = state.range(0) != 0;
  auto engine = Engine::Open(options);
  if (!engine) std::abort();
  CreateTableRequest create{.table_name = "bench"};
  create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
  create.key_schema = {{"pk", KeyType::kHash}};
  create.provisioned_throughput = ProvisionedThroughput{30000, 10000};
  if (!(*engine)->Handle("CreateTable", ToJson(create))) std::abort();
  std::vector<std::string> bodies;
  for (int i = 0; i < 1024; ++i) {
    PutItemRequest put{.table_name = "bench",
                       .item = {{"pk", "k" + std::to_string(i)}, {"v", "value"}}};
    bodies.push_back(ToJson(put));
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize((*engine)->Handle("PutItem", bodies[i++ & 1023]));
    clock.Advance(std::chrono::microseconds(100));  // 10,000 puts per simulated second
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(EnginePutItem)->Arg(0)->Arg(1);

}  // namespace
}  // namespace moe::local
