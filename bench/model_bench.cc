// Micro-benchmarks of the DynamoDB JSON codec (src/model/): parsing a
// 1000-item Query response and writing a 1000-item BatchWriteItem body.
// Items have 6 attributes: strings, numbers and a small map.

#include <benchmark/benchmark.h>

#include <string>

#include "moe/model.h"

namespace moe {
namespace {

constexpr int kItems = 1000;

Item SmallItem(int i) {
  return Item{
      {"pk", "user#" + std::to_string(i)},
      {"sk", "order#" + std::to_string(100000 + i)},
      {"amount", *Number::Parse(std::to_string(i) + ".25")},
      {"count", i * 7},
      {"status", "SHIPPED"},
      {"address", Map{{"city", "Seattle"}, {"zip", 98101}}},
  };
}

std::string QueryBody() {
  QueryResponse resp;
  for (int i = 0; i < kItems; ++i) resp.items.push_back(SmallItem(i));
  resp.count = resp.scanned_count = kItems;
  resp.last_evaluated_key = Item{{"pk", "user#999"}, {"sk", "order#100999"}};
  resp.consumed_capacity = ConsumedCapacity{.table_name = "orders", .capacity_units = 64.5};
  return ToJson(resp);
}

void BM_ParseQueryResponse(benchmark::State& state) {
  const std::string body = QueryBody();
  for (auto _ : state) {
    Result<QueryResponse> r = Parse<QueryResponse>(body);
    if (!r) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ParseQueryResponse)->Unit(benchmark::kMicrosecond);

void BM_WriteBatchWriteItem(benchmark::State& state) {
  BatchWriteItemRequest req;
  std::vector<WriteRequest>& writes = req.request_items["orders"];
  for (int i = 0; i < kItems; ++i) writes.push_back(WriteRequest{SmallItem(i), std::nullopt});
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = ToJson(req);
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WriteBatchWriteItem)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace moe


