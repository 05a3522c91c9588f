// moe demo: moe's whole story in about a minute on the embedded engine, one
// chapter per capability (demo_*.cc). Exit code 0 only if every claim held.
#include <cstdio>

#include "commands.h"
#include "demo.h"
#include "moe/credentials.h"

namespace moe::cli {

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::unique_ptr<DynamoDbClient> DemoClient(const DemoContext& ctx,
                                           std::shared_ptr<Transport> transport,
                                           moe::Clock* clock) {
  ClientOptions options;
  options.endpoint = ctx.endpoint;
  options.region = "us-east-1";
  options.credentials = NewStaticCredentialsProvider({"AKIDDEMO", "demo-secret", ""});
  options.transport = std::move(transport);
  options.clock = clock;
  options.retry.quota_capacity = 0;  // the demo injects far more faults than a real service
  options.retry.max_attempts = 5;
  // A local engine answers in microseconds; back off in milliseconds, not seconds.
  options.retry.base_delay = std::chrono::milliseconds(2);
  options.retry.throttle_base_delay = std::chrono::milliseconds(10);
  auto client = DynamoDbClient::Create(std::move(options));
  if (!client) {
    std::fprintf(stderr, "moe demo: %s\n", client.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(*client);
}

namespace {

int RunDemo() {
  std::printf("moe demo: DynamoDB at scale, on moe's embedded engine\n\n");
  auto start = std::chrono::steady_clock::now();
  local::EngineOptions engine_options;
  engine_options.table_transition = std::chrono::milliseconds(200);  // tables take time to create
  auto engine = local::Engine::Open(engine_options);
  if (!engine) return Fail(engine.error());
  std::printf(
      "opened moe's embedded DynamoDB engine in-process in %.1f ms\n"
      "(the same engine serves HTTP with `moe serve --port 8000`)\n\n",
      MsSince(start));
  DemoContext ctx{.engine = engine->get(), .loopback = local::NewLoopbackTransport(**engine)};

  struct Chapter {
    const char* name;
    bool (*run)(DemoContext&);
  };
  const Chapter chapters[] = {{"batch writes", BatchChapter},
                              {"table families", FamilyChapter},
                              {"sequences", SequenceChapter},
                              {"hot partitions", PartitionChapter},
                              {"write-behind mirror", MirrorChapter}};
  bool all = true;
  for (const Chapter& c : chapters) {
    bool ok = c.run(ctx);
    std::printf("\n%s: %s\n\n", c.name, ok ? "every claim held" : "A CLAIM FAILED");
    all = all && ok;
  }
  std::printf("moe demo: %s (%.1f s)\n", all ? "done" : "FAILED", MsSince(start) / 1000);
  return all ? 0 : 1;
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, GlobalOptions&, int& exit_code) {
  app.add_subcommand("demo", "Run the end-to-end demo on the embedded engine")
      ->callback([&exit_code] { exit_code = RunDemo(); });
}

}  // namespace moe::cli
