// moe serve: the embedded engine on HTTP, a drop-in local DynamoDB.
#include <malloc.h>
#include <signal.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "commands.h"
#include "moe/local.h"
#include "moe/server.h"

namespace moe::cli {
namespace {

struct ServeArgs {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string data_dir;
  bool verify_signatures = false;
  std::string access_key = "AKIDLOCAL";
  std::string secret_key = "local-secret";
  int threads = 1;
  std::vector<std::string> cors;
  bool simulate = false;
  bool no_adaptive = false;
  double burst_seconds = 300;
};

// Saves the server a system call every few requests. With glibc's defaults
// the event-loop thread gets its own malloc arena, which grows one page at a
// time (an mprotect per page: about one per 8 new items) and gives freed
// memory back at once (a madvise after every large answer, such as a Query
// page). One arena (brk-based, grown 16 MB at a time) that keeps up to
// 256 MB of freed memory, and no mmap for blocks under 32 MB, avoid both.
// The arena lock costs little: most allocations hit the per-thread cache.
void TuneAllocator() {
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

int Serve(const ServeArgs& a) {
  TuneAllocator();
  local::EngineOptions engine_options;
  engine_options.data_dir = a.data_dir;
  engine_options.simulate.enabled = a.simulate;
  engine_options.simulate.adaptive_capacity = !a.no_adaptive;
  engine_options.simulate.burst_seconds = a.burst_seconds;
  auto engine = local::Engine::Open(engine_options);
  if (!engine) return Fail(engine.error());

  server::ServerOptions options;
  options.host = a.host;
  options.port = a.port;
  options.threads = a.threads;
  options.cors_origins = a.cors;
  options.verify_signatures = a.verify_signatures;
  if (a.verify_signatures) {
    options.secrets = [key = a.access_key,
                       secret = a.secret_key](std::string_view id) -> std::optional<std::string> {
      if (id == key) return secret;
      return std::nullopt;
    };
  }
  local::Engine& e = **engine;
  options.metrics = [&e] { return local::PrometheusText(e.SimulatorMetrics()); };
  // Block the stop signals before any thread starts, so sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto server = server::Server::Start(
      options, [&e](std::string_view op, std::string_view body) { return e.Handle(op, body); });
  if (!server) return Fail(server.error());
  std::printf("moe serve: listening on http://%s:%d (%s%s%s)\n", a.host.c_str(),
              (*server)->port(),
              a.data_dir.empty() ? "in memory" : ("data in " + a.data_dir).c_str(),
              a.verify_signatures ? ", SigV4 verified" : "",
              a.simulate ? ", partitions simulated, metrics at /metrics" : "");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  (*server)->Stop();
  std::printf("moe serve: stopped by signal %d\n", sig);
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, GlobalOptions&, int& exit_code) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* serve =
      app.add_subcommand("serve", "Serve the embedded engine over HTTP (DynamoDB JSON 1.0)");
  serve->add_option("--host", a->host, "Address to bind (default 127.0.0.1)");
  serve->add_option("--port", a->port, "Port (default 8000; 0 picks a free one)");
  serve->add_option("--data", a->data_dir,
                    "Keep tables on disk in this directory (default: in memory)");
  serve->add_flag("--verify-signatures", a->verify_signatures, "Check SigV4 signatures");
  serve->add_option("--access-key", a->access_key, "Access key accepted with --verify-signatures");
  serve->add_option("--secret-key", a->secret_key, "Its secret key");
  serve->add_option("--threads", a->threads, "Event-loop threads (default 1)");
  serve->add_option("--cors", a->cors, "Allow browser calls from this origin (repeatable)");
  serve->add_flag("--simulate-partitions", a->simulate,
                  "Simulate DynamoDB partitions and throttling (docs/simulator.md); metrics at "
                  "GET /metrics");
  serve->add_flag("--no-adaptive-capacity", a->no_adaptive,
                  "With --simulate-partitions: hot partitions do not borrow unused capacity");
  serve->add_option("--burst-seconds", a->burst_seconds,
                    "With --simulate-partitions: seconds of unused capacity kept as burst "
                    "(default 300)");
  serve->callback([&exit_code, a] { exit_code = Serve(*a); });
}

}  // namespace moe::cli
