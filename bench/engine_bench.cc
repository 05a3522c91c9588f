// The embedded engine in-process (include/moe/local.h), in memory, on the
// path the loopback transport takes: the request struct is written with the
// model codec (ToJson), Engine::Handle runs it, and the answer is parsed back
// (Parse<Response>), as DynamoDbClient does over NewLoopbackTransport. The
// "HandleOnly" variants start from an already-serialized body and skip the
// response parse, to show what the codec costs.
//
// Items are ~100 bytes as DynamoDB counts them: pk, sk and a 72-character
// string, the same shape bench/load.cc sends to servers.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "moe/local.h"
#include "moe/model.h"

namespace moe {
namespace {

constexpr std::string_view kTable = "bench";
constexpr int kPreloaded = 100000;
constexpr int kQueryItems = 1000;

Item BenchItem(std::string pk, std::string sk) {
  return Item{
      {"pk", std::move(pk)},
      {"sk", std::move(sk)},
      {"data", "the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopq"},
  };
}

std::unique_ptr<local::Engine> OpenWithTable() {
  auto engine = local::Engine::Open({});
  if (!engine) std::abort();
  CreateTableRequest create{.table_name = std::string(kTable)};
  create.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  create.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  create.billing_mode = BillingMode::kPayPerRequest;
  if (!(*engine)->Handle("CreateTable", ToJson(create))) std::abort();
  return std::move(engine).value();
}

bool Put(local::Engine& engine, Item item) {
  PutItemRequest req{.table_name = std::string(kTable), .item = std::move(item)};
  Result<std::string> out = engine.Handle(PutItemRequest::kOperation, ToJson(req));
  return out && Parse<PutItemResponse>(*out).has_value();
}

bool Get(local::Engine& engine, std::string pk) {
  GetItemRequest req{.table_name = std::string(kTable), .key = {{"pk", std::move(pk)}, {"sk", "0"}}};
  Result<std::string> out = engine.Handle(GetItemRequest::kOperation, ToJson(req));
  if (!out) return false;
  Result<GetItemResponse> resp = Parse<GetItemResponse>(*out);
  return resp && resp->item.has_value();
}

// The engine of the running benchmark, shared by its threads: thread 0 opens
// it before the loop, and Google Benchmark's start barrier keeps the other
// threads out of the loop until then. Benchmark state, not program state.
std::unique_ptr<local::Engine>& SharedEngine() {
  static std::unique_ptr<local::Engine> engine;
  return engine;
}

// base + n, appended (g++ 12 -O3 warns falsely, -Wrestrict, on "k" + to_string(n)).
std::string Key(std::string_view base, int64_t n) {
  std::string s(base);
  s += std::to_string(n);
  return s;
}

void Preload(local::Engine& engine) {
  for (int i = 0; i < kPreloaded; ++i) {
    if (!Put(engine, BenchItem(Key("k", i), "0"))) std::abort();
  }
}

void BM_PutItem(benchmark::State& state) {
  if (state.thread_index() == 0) SharedEngine() = OpenWithTable();
  // Distinct keys per thread; the barrier of the first iteration orders the setup.
  int64_t n = 0;
  const std::string prefix = Key("p", state.thread_index()) + "-";
  for (auto _ : state) {
    if (!Put(*SharedEngine(), BenchItem(prefix + std::to_string(n++), "0"))) {
      state.SkipWithError("PutItem failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) state.counters["table_items"] = static_cast<double>(n);
}
BENCHMARK(BM_PutItem)->Threads(1)->Threads(2)->UseRealTime();

// Google Benchmark calls a benchmark function several times (to size the run);
// the preloaded engine is built once.
local::Engine& PreloadedEngine() {
  static std::unique_ptr<local::Engine> engine = [] {
    auto e = OpenWithTable();
    Preload(*e);
    return e;
  }();
  return *engine;
}

void BM_GetItem(benchmark::State& state) {
  if (state.thread_index() == 0) PreloadedEngine();
  uint64_t x = 88172645463325252ull + static_cast<uint64_t>(state.thread_index());
  for (auto _ : state) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift: cheap, spread keys
    if (!Get(PreloadedEngine(), Key("k", x % kPreloaded))) {
      state.SkipWithError("GetItem missed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetItem)->Threads(1)->Threads(2)->UseRealTime();

// The target: Put+Get per second per core. One iteration is a PutItem
// of a new key followed by a GetItem of it; items/s counts both operations.
void BM_PutGetPair(benchmark::State& state) {
  if (state.thread_index() == 0) SharedEngine() = OpenWithTable();
  int64_t n = 0;
  const std::string prefix = Key("pg", state.thread_index()) + "-";
  for (auto _ : state) {
    std::string pk = prefix + std::to_string(n++);
    if (!Put(*SharedEngine(), BenchItem(pk, "0")) || !Get(*SharedEngine(), pk)) {
      state.SkipWithError("Put+Get failed");
      break;
    }
  }
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_PutGetPair)->Threads(1)->Threads(2)->UseRealTime();

void BM_PutItemHandleOnly(benchmark::State& state) {
  auto engine = OpenWithTable();
  int64_t n = 0;
  std::string body;
  for (auto _ : state) {
    state.PauseTiming();
    body = ToJson(PutItemRequest{.table_name = std::string(kTable),
                                 .item = BenchItem(Key("h", n++), "0")});
    state.ResumeTiming();
    if (!engine->Handle("PutItem", body)) {
      state.SkipWithError("PutItem failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PutItemHandleOnly);

void BM_GetItemHandleOnly(benchmark::State& state) {
  local::Engine* engine = &PreloadedEngine();
  std::vector<std::string> bodies;
  for (int i = 0; i < 4096; ++i) {
    bodies.push_back(ToJson(GetItemRequest{
        .table_name = std::string(kTable),
        .key = {{"pk", Key("k", (i * 7919) % kPreloaded)}, {"sk", "0"}}}));
  }
  size_t i = 0;
  for (auto _ : state) {
    Result<std::string> out = engine->Handle("GetItem", bodies[i++ & 4095]);
    if (!out) {
      state.SkipWithError("GetItem failed");
      break;
    }
    benchmark::DoNotOptimize(out->data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetItemHandleOnly);

// Query returning one 1000-item partition in one page, parsed by the client
// codec. Items/s counts items returned.
void BM_Query1000(benchmark::State& state) {
  auto engine = OpenWithTable();
  for (int i = 0; i < kQueryItems; ++i) {
    char sk[16];
    std::snprintf(sk, sizeof sk, "%06d", i);
    if (!Put(*engine, BenchItem("q", sk))) std::abort();
  }
  QueryRequest req{.table_name = std::string(kTable)};
  req.key_condition_expression = "pk = :p";
  req.expression_attribute_values = {{":p", "q"}};
  const bool parse = state.range(0) != 0;
  for (auto _ : state) {
    Result<std::string> out = engine->Handle(QueryRequest::kOperation, ToJson(req));
    if (!out) {
      state.SkipWithError("Query failed");
      break;
    }
    if (parse) {
      Result<QueryResponse> resp = Parse<QueryResponse>(*out);
      if (!resp || resp->count != kQueryItems) {
        state.SkipWithError("Query returned the wrong count");
        break;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * kQueryItems);
}
BENCHMARK(BM_Query1000)->ArgName("parse")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace moe
