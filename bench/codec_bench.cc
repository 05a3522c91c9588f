// Core codec micro-benchmarks: DynamoDB-JSON item encode/decode and exact
// number parsing.
#include <benchmark/benchmark.h>

#include "moe/json.h"
#include "moe/value.h"

namespace {

moe::Item SampleItem(int i) {
  return moe::Item{{"pk", "owner#" + std::to_string(i % 17)},
                   {"sk", i},
                   {"name", "item number " + std::to_string(i)},
                   {"price", *moe::Number::Parse("12.50")},
                   {"active", true},
                   {"meta", moe::Map{{"a", "x"}, {"b", 7}}}};
}

void BM_ItemToDynamoJson(benchmark::State& state) {
  moe::Item item = SampleItem(7);
  for (auto _ : state) benchmark::DoNotOptimize(moe::ToDynamoJson(item));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ItemToDynamoJson);

void BM_ItemFromDynamoJson(benchmark::State& state) {
  std::string json = moe::ToDynamoJson(SampleItem(7));
  for (auto _ : state) benchmark::DoNotOptimize(moe::ParseDynamoJson(json));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ItemFromDynamoJson);

void BM_NumberParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(moe::Number::Parse("-12345.678901234567890"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NumberParse);

void BM_NumberCompare(benchmark::State& state) {
  moe::Number a = *moe::Number::Parse("12345.5"), b = *moe::Number::Parse("12345.50001");
  for (auto _ : state) benchmark::DoNotOptimize(a.Compare(b));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NumberCompare);

}  // namespace
