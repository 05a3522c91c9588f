// moe serve: the embedded engine on HTTP, a drop-in local DynamoDB.
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "moe/credentials.h"
#include "moe/local.h"
#include "moe/server.h"

namespace moe::cli {
namespace {

struct ServeArgs {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string data_dir;
  bool verify_signatures = false;
  std::string access_key;
  std::string secret_key;
  int threads = 1;
  bool no_io_uring = false;
  // Defaults from ServerOptions.
  size_t max_body_bytes = server::ServerOptions{}.max_body_bytes;
  int max_connections = server::ServerOptions{}.max_connections;
  double idle_timeout_s = server::ServerOptions{}.idle_timeout.count() / 1000.0;
  double request_timeout_s = server::ServerOptions{}.request_timeout.count() / 1000.0;
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

// First touches of new heap pages are the largest cost of a table that
// grows. On the 2-core VM this project is measured on, a PutItem of a new key
// cost 33 us of server CPU against 18 us for an overwrite of an existing
// one, and the difference was 11,200 minor page faults per 40,000 puts.
// glibc 2.35 and later back malloc's heap with transparent huge pages when
// the tunable glibc.malloc.hugetlb=1 is set, which the dynamic loader reads
// only at start. So `moe serve` executes itself again, once, with it set
// (same pid, arguments, environment otherwise, and descriptors), when the
// kernel offers transparent huge pages. With it: 21 us per new-key put and
// 727 faults. GLIBC_TUNABLES naming glibc.malloc.hugetlb already (set it to
// 0 to opt out) skips this, as does any failure to read what it needs; a
// failed exec leaves the process running as it was.
void ReexecWithHugePages() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.hugetlb") != nullptr) return;
  std::string mode;
  std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), mode);
  if (mode.empty() || mode.find("[never]") != std::string::npos) return;
  std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\0', at);
    if (end == std::string::npos) end = text.size();
    args.emplace_back(text, at, end - at);
    at = end + 1;
  }
  if (args.empty()) return;
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::string value = "glibc.malloc.hugetlb=1";
  if (tunables != nullptr && *tunables != '\0') value = std::string(tunables) + ":" + value;
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  std::fflush(nullptr);
  execv("/proc/self/exe", argv.data());
}

// The key pair clients must sign with: --access-key and --secret-key, else
// the credentials chain the client uses (environment, then profile). There
// is no default pair: a well-known secret would prove nothing.
Result<Credentials> SigningCredentials(const ServeArgs& a, const GlobalOptions& g) {
  if (!a.access_key.empty() || !a.secret_key.empty()) {
    if (a.access_key.empty() || a.secret_key.empty()) {
      return Error::InvalidArgument("--access-key and --secret-key go together");
    }
    return Credentials{a.access_key, a.secret_key, ""};
  }
  ProfileOptions profile;
  profile.profile = g.profile;
  auto credentials = NewDefaultCredentialsChain(ProcessEnvironment(), profile)->GetCredentials();
  if (!credentials) {
    return Error::InvalidArgument(
        "--verify-signatures needs the key pair clients sign with: give --access-key and "
        "--secret-key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile with "
        "--profile (" +
        credentials.error().message() + ")");
  }
  return credentials;
}

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

int Serve(const ServeArgs& a, const GlobalOptions& g) {
  ReexecWithHugePages();
  // CLI::Range lets NaN through (every comparison with it is false).
  for (double seconds : {a.idle_timeout_s, a.request_timeout_s}) {
    if (!std::isfinite(seconds) || seconds < 0.001) {
      return Fail(
          Error::InvalidArgument("--idle-timeout and --request-timeout take seconds, "
                                 "at least 0.001"));
    }
  }
  std::optional<Credentials> credentials;
  if (a.verify_signatures) {
    auto found = SigningCredentials(a, g);
    if (!found) return Fail(found.error());
    credentials = std::move(found).value();
  }
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
  options.io_uring = !a.no_io_uring;
  options.cors_origins = a.cors;
  options.max_body_bytes = a.max_body_bytes;
  options.max_connections = a.max_connections;
  options.idle_timeout = Millis(a.idle_timeout_s);
  options.request_timeout = Millis(a.request_timeout_s);
  options.verify_signatures = credentials.has_value();
  if (credentials) {
    options.secrets = [key = credentials->access_key_id, secret = credentials->secret_access_key](
                          std::string_view id) -> std::optional<std::string> {
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
  std::printf("moe serve: listening on http://%s:%d (%s%s%s%s%s)\n", a.host.c_str(),
              (*server)->port(),
              a.data_dir.empty() ? "in memory" : ("data in " + a.data_dir).c_str(),
              credentials ? ", SigV4 verified for access key " : "",
              credentials ? credentials->access_key_id.c_str() : "",
              a.simulate ? ", partitions simulated, metrics at /metrics" : "",
              (*server)->stats().io_uring_loops > 0 ? ", io_uring" : "");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  (*server)->Stop();
  std::printf("moe serve: stopped by signal %d\n", sig);
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* serve =
      app.add_subcommand("serve", "Serve the embedded engine over HTTP (DynamoDB JSON 1.0)");
  serve->add_option("--host", a->host, "Address to bind (default 127.0.0.1)");
  serve->add_option("--port", a->port, "Port (default 8000; 0 picks a free one)");
  serve->add_option("--data", a->data_dir,
                    "Keep tables on disk in this directory (default: in memory)");
  CLI::Option* verify = serve->add_flag(
      "--verify-signatures", a->verify_signatures,
      "Check SigV4 signatures against --access-key/--secret-key, else the credentials of the "
      "environment or profile (AWS_ACCESS_KEY_ID, ..., --profile); refuses to start without");
  serve->add_option("--access-key", a->access_key, "Access key accepted with --verify-signatures")
      ->needs(verify);
  serve
      ->add_option("--secret-key", a->secret_key,
                   "Its secret key (visible to local users in the process list; prefer "
                   "AWS_SECRET_ACCESS_KEY or a profile)")
      ->needs(verify);
  serve->add_option("--threads", a->threads, "Event-loop threads (default 1)")
      ->check(CLI::Range(1, 256));
  serve->add_flag("--no-io-uring", a->no_io_uring,
                  "Read and write sockets one system call each instead of batching them with "
                  "io_uring (which is used only where the kernel allows it)");
  serve->add_option("--cors", a->cors,
                    "Allow browser calls from this origin, or * for any (repeatable; default: "
                    "CORS off)");
  serve
      ->add_option("--max-body-bytes", a->max_body_bytes,
                   "Largest request body; larger ones get 413 (default 16777216)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
  serve
      ->add_option("--max-connections", a->max_connections,
                   "Open connections beyond this are closed at once (default 1024)")
      ->check(CLI::Range(1, 1 << 20));
  serve
      ->add_option("--idle-timeout", a->idle_timeout_s,
                   "Seconds a connection may stay open without a request (default 60)")
      ->check(CLI::Range(0.001, 86400.0));
  serve
      ->add_option("--request-timeout", a->request_timeout_s,
                   "Seconds from a request's first byte to its last, then 408 (default 10)")
      ->check(CLI::Range(0.001, 86400.0));
  serve->add_flag("--simulate-partitions", a->simulate,
                  "Simulate DynamoDB partitions and throttling (docs/simulator.md); metrics at "
                  "GET /metrics");
  serve->add_flag("--no-adaptive-capacity", a->no_adaptive,
                  "With --simulate-partitions: hot partitions do not borrow unused capacity");
  serve->add_option("--burst-seconds", a->burst_seconds,
                    "With --simulate-partitions: seconds of unused capacity kept as burst "
                    "(default 300)");
  serve->callback([&exit_code, &g, a] { exit_code = Serve(*a, g); });
}

}  // namespace moe::cli
