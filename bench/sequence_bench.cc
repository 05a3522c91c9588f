// The Sequence strategy end to end: items/s written (Collector, through a
// one-copy table family and the batch engine) and read back (Collection +
// SequenceReader), on the embedded engine in-process and on dynalite.
//
//   build/bin/moe_sequence_bench --benchmark_filter='engine/|dynalite/'
//       # engine 100 owners x 20 sequences x 100 items, dynalite 10 x 20 x 100
//   build/bin/moe_sequence_bench --benchmark_filter=engine_full
//       # the full size: 1,000 owners x 20 x 100 = 2M items (minutes)
//
// Each benchmark runs once (it writes a fresh family) and reports rates per
// wall second and per process CPU second (the engine's CPU is in this
// process; dynalite's is not).
#include <benchmark/benchmark.h>
#include <time.h>

#include <atomic>
#include <thread>

#include "moe/credentials.h"
#include "moe/local.h"
#include "moe/registry.h"
#include "moe/sequence.h"
#include "testing/server_process.h"

namespace moe {
namespace {

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Target {
  std::unique_ptr<local::Engine> engine;
  std::unique_ptr<testing::ServerProcess> dynalite;
  std::unique_ptr<DynamoDbClient> client;
};

Target Connect(bool engine) {
  Target t;
  ClientOptions options;
  options.region = "us-east-1";
  options.credentials = NewStaticCredentialsProvider({"AKIDBENCH", "bench-secret", ""});
  options.getenv = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  if (engine) {
    t.engine = std::move(*local::Engine::Open({}));
    options.endpoint = "http://loopback.invalid";
    options.transport = local::NewLoopbackTransport(*t.engine);
  } else {
    auto server = testing::StartDynalite();
    if (!server) {
      std::fprintf(stderr, "dynalite: %s\n", server.error().ToString().c_str());
      std::abort();
    }
    t.dynalite = std::move(*server);
    options.endpoint = t.dynalite->endpoint();
  }
  t.client = std::move(*DynamoDbClient::Create(std::move(options)));
  return t;
}

// Runs `work(owner)` for owners 0..n-1 on two threads.
template <typename Work>
void ForOwners(int owners, Work work) {
  std::atomic<int> next{0};
  auto run = [&] {
    for (int o = next++; o < owners; o = next++) work(o);
  };
  std::thread other(run);
  run();
  other.join();
}

void BM_Sequence(benchmark::State& state, bool engine) {
  const int owners = static_cast<int>(state.range(0));
  const int per_owner = static_cast<int>(state.range(1));
  const int items = static_cast<int>(state.range(2));
  const double total = static_cast<double>(owners) * per_owner * items;
  for (auto _ : state) {
    Target t = Connect(engine);
    Registry registry(*t.client, {.poll = std::chrono::milliseconds(10)});
    if (!registry.EnsureTables() ||
        !registry.Declare(SequenceStrategy().ExampleSpec("bench", Period::kNone)) ||
        !registry.Rotate("bench")) {
      state.SkipWithError("family setup failed");
      return;
    }
    auto family = FamilyClient::Open(*t.client, registry, "bench");
    auto seqs = Sequences::Open(*t.client, **family);
    std::atomic<bool> failed{false};

    double wall = WallSeconds(), cpu = ProcessCpuSeconds();
    ForOwners(owners, [&](int o) {
      for (int s = 0; s < per_owner; ++s) {
        Collector c = (*seqs)->NewSequence("owner-" + std::to_string(o));
        for (int i = 1; i <= items; ++i) {
          if (!c.Add({{"i", i}, {"value", "payload-" + std::to_string(i)}})) failed = true;
        }
        if (!c.Save({{"s", s}})) failed = true;
      }
    });
    state.counters["write_items/s"] = total / (WallSeconds() - wall);
    state.counters["write_items/cpu_s"] = total / (ProcessCpuSeconds() - cpu);

    std::atomic<int64_t> read{0};
    wall = WallSeconds(), cpu = ProcessCpuSeconds();
    ForOwners(owners, [&](int o) {
      auto list = (*seqs)->List("owner-" + std::to_string(o));
      while (list && !list->done()) {
        auto page = list->NextPage();
        if (!page) {
          failed = true;
          return;
        }
        for (const SequenceInfo& info : page->sequences) {
          auto reader = (*seqs)->Read(info);
          while (reader && !reader->done()) {
            auto chunk = reader->Next();
            if (!chunk) {
              failed = true;
              break;
            }
            read += static_cast<int64_t>(chunk->size());
          }
        }
      }
    });
    state.counters["read_items/s"] = total / (WallSeconds() - wall);
    state.counters["read_items/cpu_s"] = total / (ProcessCpuSeconds() - cpu);
    if (failed || read != static_cast<int64_t>(total)) {
      state.SkipWithError("items lost or a call failed");
    }
  }
  state.counters["items"] = total;
}

BENCHMARK_CAPTURE(BM_Sequence, engine, true)
    ->Args({100, 20, 100})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Sequence, dynalite, false)
    ->Args({10, 20, 100})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Sequence, engine_full, true)
    ->Args({1000, 20, 100})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace moe

BENCHMARK_MAIN();
