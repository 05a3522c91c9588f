// kill -9 of a writing `moe serve --data DIR`, over and over: every write
// the server answered 200 before the kill is on disk after it, transactions
// are whole, counters hold every acknowledged ADD, and the directory always
// reopens (an expected-state oracle, as RocksDB's crash test keeps). The
// writers are HTTP clients in this process, so an acknowledgement is exactly
// what a DynamoDB client sees. src/local/crash_test.cc does the same to the
// engine in-process, with compaction forced often.
//
// MOE_CRASH_CYCLES sets the number of cycles (default 12) and
// MOE_CRASH_SEED the seed of the kill delays:
//   MOE_CRASH_CYCLES=500 build/bin/serve_crash_test
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "local/crash_oracle.h"
#include "moe/local.h"
#include "moe/model.h"
#include "server/test_client.h"
#include "testing/server_process.h"

namespace moe {
namespace {

namespace fs = std::filesystem;
using server::testing::PostRequest;
using server::testing::TestConnection;

constexpr int kWriters = 2;

int EnvInt(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : fallback;
}

// What the server acknowledged (answered 200), and what else it answered.
struct Oracle : local::testing::CrashOracle {
  std::vector<std::string> anomalies;  // answers other than 200 or a cut connection
  std::set<int> added_this_cycle;
};

// Writes through one keep-alive connection until the server goes away; each
// acknowledged write goes into `acked` (under `mu`).
void Writer(int port, int cycle, int writer, std::mutex& mu, Oracle& acked,
            std::atomic<int>& acks) {
  TestConnection c(port);
  const std::string pad(200, 'x');
  for (int i = 0;; ++i) {
    std::string pk =
        "c" + std::to_string(cycle) + "-w" + std::to_string(writer) + "-" + std::to_string(i);
    std::string op, body;
    switch (i % 3) {
      case 0:
        op = "PutItem";
        body = R"({"TableName":"ttt","Item":{"pk":{"S":")" + pk + R"("},"pad":{"S":")" + pad +
               R"("}}})";
        break;
      case 1:
        op = "UpdateItem";
        body = R"({"TableName":"ttt","Key":{"pk":{"S":"ctr-)" + std::to_string(writer) +
               R"("}},"UpdateExpression":"ADD n :one",)"
               R"("ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"})";
        break;
      default:
        op = "TransactWriteItems";
        body = R"({"TransactItems":[{"Put":{"TableName":"ttt","Item":{"pk":{"S":")" + pk +
               R"(-a"}}}},{"Put":{"TableName":"uuu","Item":{"pk":{"S":")" + pk + R"(-b"}}}}]})";
        break;
    }
    if (!c.Send(PostRequest(op, body))) return;
    auto r = c.Read(std::chrono::seconds(30));
    if (!r) return;  // killed: this write is in doubt, not acknowledged
    std::lock_guard lock(mu);
    if (r->status != 200) {
      acked.anomalies.push_back(op + " answered " + std::to_string(r->status) + ": " + r->body);
      return;
    }
    if (i % 3 == 0) {
      acked.puts.insert(pk);
    } else if (i % 3 == 2) {
      acked.txs.insert(pk);
    } else {
      size_t at = r->body.find(R"("N":")");
      if (at == std::string::npos) {
        acked.anomalies.push_back("no counter in " + r->body);
        return;
      }
      int64_t n = std::atoll(r->body.c_str() + at + 5);
      int64_t& last = acked.counters[writer];
      if (n <= last) acked.anomalies.push_back("counter went backwards: " + r->body);
      last = n;
      acked.added_this_cycle.insert(writer);
    }
    acks.fetch_add(1);
  }
}

TEST(ServeCrashTest, AcknowledgedWritesSurviveKill9OfMoeServe) {
  std::string pattern = (fs::temp_directory_path() / "moe-serve-crash-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::string dir = pattern;
  const int cycles = EnvInt("MOE_CRASH_CYCLES", 12);
  std::mt19937 rng(static_cast<unsigned>(EnvInt("MOE_CRASH_SEED", 20261202)));
  std::uniform_int_distribution<int> delay_ms(1, 150);
  Oracle oracle;
  std::mutex mu;
  int survived = 0;
  size_t total_acks = 0;
  for (int cycle = 0; cycle < cycles && !::testing::Test::HasFailure(); ++cycle) {
    auto port = testing::FreePort();
    ASSERT_TRUE(port) << port.error().ToString();
    auto server = testing::ServerProcess::Start(
        {MOE_BINARY, "serve", "--port", std::to_string(*port), "--data", dir}, *port,
        std::chrono::seconds(60));
    ASSERT_TRUE(server) << "cycle " << cycle << ": " << server.error().ToString();
    if (cycle == 0) {
      for (const char* table : {"ttt", "uuu"}) {
        TestConnection c(*port);
        ASSERT_TRUE(c.Send(PostRequest(
            "CreateTable",
            R"({"TableName":")" + std::string(table) +
                R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})")));
        auto r = c.Read();
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 200) << r->body;
      }
    }
    std::atomic<int> acks{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back(Writer, *port, cycle, w, std::ref(mu), std::ref(oracle), std::ref(acks));
    }
    // Kill at a random moment once writes flow (a wait bounded for a busy
    // machine; the random delay is the test's purpose).
    auto flowing = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (acks.load() == 0 && std::chrono::steady_clock::now() < flowing) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_GT(acks.load(), 0) << "cycle " << cycle << ": no write was acknowledged";
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    (*server)->Stop(SIGKILL);
    for (std::thread& t : writers) t.join();
    total_acks += static_cast<size_t>(acks.load());
    {
      std::lock_guard lock(mu);
      for (const std::string& a : oracle.anomalies) ADD_FAILURE() << "cycle " << cycle << ": " << a;
      oracle.anomalies.clear();
      for (int w = 0; w < kWriters; ++w) {
        oracle.in_doubt[w] = oracle.added_this_cycle.contains(w) ? 1 : oracle.in_doubt[w] + 1;
      }
      oracle.added_this_cycle.clear();
    }
    bool before = ::testing::Test::HasFailure();
    local::testing::VerifyCrashOracle(dir, oracle, cycle);
    if (!before && !::testing::Test::HasFailure()) ++survived;
  }
  std::printf(
      "serve crash loop: %d/%d kill -9 cycles of moe serve survived, %zu acknowledged writes "
      "(%zu puts, %zu transactions) all present\n",
      survived, cycles, total_acks, oracle.puts.size(), oracle.txs.size());
  ::testing::Test::RecordProperty("survived", survived);
  EXPECT_EQ(survived, cycles);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace moe
