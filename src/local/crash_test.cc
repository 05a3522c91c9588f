// kill -9 at random moments: every write the engine acknowledged survives,
// transactions stay atomic, counters never go backwards, and the data
// directory always reopens. The writer is the moe_crash_writer binary
// (crash_writer.cc); the random kill delay is the test's purpose.
//
// MOE_CRASH_CYCLES sets the number of kill/restart cycles (default 30, about
// 15 s) and MOE_CRASH_SEED the seed of the kill delays, for long runs:
//   MOE_CRASH_CYCLES=1000 MOE_CRASH_SEED=7 build/bin/local_crash_test

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "local/crash_oracle.h"
#include "moe/local.h"
#include "moe/model.h"

namespace moe::local {
namespace {

namespace fs = std::filesystem;

constexpr int kThreads = 2;

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of its stdout
};

Child Spawn(const std::vector<std::string>& args) {
  int fds[2];
  EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

// Reads the child's output until `deadline` (or EOF when deadline is null).
void ReadUntil(int fd, std::string& out,
               std::optional<std::chrono::steady_clock::time_point> deadline) {
  char buf[4096];
  for (;;) {
    int timeout = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return;
      timeout = static_cast<int>(left.count());
    }
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    ssize_t got = ::read(fd, buf, sizeof(buf));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return;  // EOF
    out.append(buf, static_cast<size_t>(got));
  }
}

using Oracle = testing::CrashOracle;

// Checks the directory against the oracle; returns the number of problems.
int Verify(const std::string& dir, const Oracle& oracle, int cycle) {
  bool failed_before = ::testing::Test::HasFailure();
  testing::VerifyCrashOracle(dir, oracle, cycle);
  return (failed_before ? 1 : 0) + (::testing::Test::HasFailure() ? 1 : 0);
}

int EnvInt(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : fallback;
}

TEST(CrashTest, AcknowledgedWritesSurviveKill9) {
  std::string pattern = (fs::temp_directory_path() / "moe-crash-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::string dir = pattern;
  const int cycles = EnvInt("MOE_CRASH_CYCLES", 30);
  std::mt19937 rng(static_cast<unsigned>(EnvInt("MOE_CRASH_SEED", 20240611)));
  std::uniform_int_distribution<int> delay_ms(5, 200);
  Oracle oracle;
  int survived = 0, killed_writing = 0, expect_writing = 0;
  size_t acks = 0;
  for (int cycle = 0; cycle < cycles && !::testing::Test::HasFailure(); ++cycle) {
    // 16 KiB: the writer compacts about every 50 writes, so kills also land
    // inside compactions.
    Child child =
        Spawn({MOE_CRASH_WRITER, dir, std::to_string(cycle), std::to_string(kThreads), "16384"});
    std::string out;
    // One cycle in five is killed at a random moment of its start (opening
    // the directory, replaying the log, creating the tables). The others
    // wait for the writer's first acknowledgement before the random delay,
    // so a slow start on a busy machine cannot turn them into kills before
    // any write.
    const bool kill_while_starting = cycle % 5 == 4;
    if (kill_while_starting) {
      ReadUntil(child.out, out,
                std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms(rng) / 4));
    } else {
      ++expect_writing;
      auto start_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      auto acknowledged = [&out] {
        size_t ready = out.find("R\n");
        return ready != std::string::npos && out.find('\n', ready + 2) != std::string::npos;
      };
      while (!acknowledged() && std::chrono::steady_clock::now() < start_deadline) {
        ReadUntil(child.out, out,
                  std::min(start_deadline,
                           std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
      }
      ReadUntil(child.out, out,
                std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms(rng)));
    }
    ::kill(child.pid, SIGKILL);
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    ReadUntil(child.out, out, std::nullopt);
    ::close(child.out);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "cycle " << cycle << ": the writer stopped by itself:\n"
        << out;

    std::istringstream lines(out);
    std::string line;
    size_t cycle_acks = 0;
    std::set<int> added;  // threads with an acknowledged ADD this cycle
    while (std::getline(lines, line)) {
      if (lines.eof()) break;  // no newline: not a whole line
      std::istringstream words(line);
      std::string kind, a;
      words >> kind >> a;
      if (kind == "R") continue;  // ready, not an acknowledgement
      ++cycle_acks;
      if (kind == "P") {
        oracle.puts.insert(a);
      } else if (kind == "T") {
        oracle.txs.insert(a);
      } else if (kind == "C") {
        int64_t n = 0;
        words >> n;
        int64_t& acked = oracle.counters[std::stoi(a)];
        EXPECT_GT(n, acked) << "counter acknowledged out of order";
        acked = n;
        added.insert(std::stoi(a));
      } else {
        ADD_FAILURE() << "cycle " << cycle << ": " << line;
      }
    }
    for (int t = 0; t < kThreads; ++t) {
      oracle.in_doubt[t] = added.contains(t) ? 1 : oracle.in_doubt[t] + 1;
    }
    acks += cycle_acks;
    if (cycle_acks > 0) ++killed_writing;
    if (Verify(dir, oracle, cycle) == 0) ++survived;
  }
  std::printf(
      "crash loop: %d/%d kill -9 cycles survived (%d killed while writing), %zu acknowledged "
      "writes all present\n",
      survived, cycles, killed_writing, acks);
  ::testing::Test::RecordProperty("survived", survived);
  EXPECT_EQ(survived, cycles);
  EXPECT_GE(killed_writing, expect_writing);
  EXPECT_TRUE(fs::exists(dir + "/snapshot")) << "no compaction happened";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace moe::local
