// Costs of the partitioning module's always-on parts: one heat-tracker
// observation (hits, misses with eviction, with a Count-Min sketch, two
// threads), the partition observer on one PutItem attempt, a rate-limiter
// admission, and one sharded write key.
#include <benchmark/benchmark.h>

#include <cmath>
#include <mutex>
#include <random>

#include "moe/heat_tracker.h"
#include "moe/partition_observer.h"
#include "moe/rate_limiter.h"
#include "moe/sharding.h"

namespace moe::partitioning {
namespace {

// 64K keys drawn from Zipf(1.1) over 100K key ids, or uniformly.
const std::vector<std::string>& Keys(bool zipf) {
  static std::vector<std::string> uniform, skewed;
  static std::once_flag once;
  std::call_once(once, [] {
    std::mt19937_64 rng(1);
    std::vector<double> cdf;
    double sum = 0;
    for (int i = 1; i <= 100000; ++i) cdf.push_back(sum += 1.0 / std::pow(i, 1.1));
    for (int i = 0; i < 65536; ++i) {
      double u = std::uniform_real_distribution<double>(0, sum)(rng);
      int z = static_cast<int>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
      skewed.push_back("orders/user#" + std::to_string(z));
      uniform.push_back("orders/user#" + std::to_string(rng() % 100000));
    }
  });
  return zipf ? skewed : uniform;
}

// One tracker shared by the benchmark's threads; thread 0 makes and drops it.
HeatTracker* shared = nullptr;

void Observe(benchmark::State& state, bool zipf, HeatOptions options) {
  if (state.thread_index() == 0) shared = new HeatTracker(options);
  const std::vector<std::string>& keys = Keys(zipf);
  size_t i = static_cast<size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    shared->Observe(keys[i++ & 65535], 1.0, false);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    state.counters["memory_bytes"] = static_cast<double>(shared->memory_bound());
    delete shared;
  }
}

void BM_HeatObserveZipf(benchmark::State& state) { Observe(state, true, {.capacity = 256}); }
void BM_HeatObserveUniform(benchmark::State& state) { Observe(state, false, {.capacity = 256}); }
void BM_HeatObserveZipfSketch(benchmark::State& state) {
  Observe(state, true, {.capacity = 256, .sketch_width = 4096, .sketch_depth = 4});
}
BENCHMARK(BM_HeatObserveZipf);
BENCHMARK(BM_HeatObserveUniform);
BENCHMARK(BM_HeatObserveZipfSketch);
BENCHMARK(BM_HeatObserveZipf)->Threads(2)->UseRealTime();

void BM_ObserverPutItemAttempt(benchmark::State& state) {
  auto heat = std::make_shared<HeatTracker>();
  auto limiter = std::make_shared<RateLimiter>();
  auto observer = NewPartitionObserver({.heat = heat, .limiter = limiter, .hash_keys = {{"orders", "pk"}}});
  std::string body =
      R"({"TableName":"orders","Item":{"pk":{"S":"user#17"},"sk":{"N":"42"},"payload":{"S":")" +
      std::string(400, 'x') + R"("}},"ReturnConsumedCapacity":"TOTAL"})";
  std::string response = R"({"ConsumedCapacity":{"TableName":"orders","CapacityUnits":1.0}})";
  AttemptInfo attempt{"PutItem", body, 1};
  for (auto _ : state) {
    benchmark::DoNotOptimize(observer->BeforeAttempt(attempt));
    observer->AfterAttempt(attempt, response, nullptr);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ObserverPutItemAttempt);

void BM_RateLimiterAcquire(benchmark::State& state) {
  RateLimiter limiter;
  BucketId id{"orders", "", Direction::kWrite};
  limiter.SetCapacity(id, 1e12);
  for (auto _ : state) benchmark::DoNotOptimize(limiter.Acquire(id, Lane::kForeground, 1));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RateLimiterAcquire);

void BM_RandomSuffixWriteKey(benchmark::State& state) {
  auto policy = NewRandomSuffixPolicy(ShardHistory(16), 1);
  Item item;
  for (auto _ : state) benchmark::DoNotOptimize(policy->WriteKey("user#17", item));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomSuffixWriteKey);

}  // namespace
}  // namespace moe::partitioning
