// The expected-state oracle of the crash tests (src/local/crash_test.cc, the
// engine in a child process; tests/serve_crash_test.cc, `moe serve`): what
// the writers were told is durable, and the check of a data directory
// against it after a kill -9. Test-only; header-only, with GoogleTest.
//
// The writers' workload: puts of `pk` into table ttt, transactions writing
// `pk-a` into ttt and `pk-b` into uuu, and ADDs of 1 to `n` of `ctr-<writer>`
// in ttt.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "moe/local.h"
#include "moe/model.h"

namespace moe::local::testing {

struct CrashOracle {
  std::set<std::string> puts;       // acknowledged puts (pk in ttt)
  std::set<std::string> txs;        // acknowledged transactions (pk-a in ttt, pk-b in uuu)
  std::map<int, int64_t> counters;  // writer -> last acknowledged value of ctr-<writer>
  // Per writer: ADDs that may have been applied without an acknowledgement
  // since its last acknowledged one: one per cycle (the one in flight at the
  // kill), accumulating over cycles in which the writer acknowledged no ADD.
  std::map<int, int64_t> in_doubt;
};

// Every item of `table` by its pk, through Scan pages.
inline std::map<std::string, Item> ScanAll(Engine& engine, const std::string& table) {
  std::map<std::string, Item> items;
  ScanRequest scan;
  scan.table_name = table;
  for (;;) {
    auto body = engine.Handle("Scan", ToJson(scan));
    EXPECT_TRUE(body.has_value()) << body.error().ToString();
    if (!body) return items;
    auto resp = Parse<ScanResponse>(*body);
    EXPECT_TRUE(resp.has_value());
    if (!resp) return items;
    for (Item& item : resp->items) items[item.at("pk").s()] = std::move(item);
    if (!resp->last_evaluated_key) return items;
    scan.exclusive_start_key = resp->last_evaluated_key;
  }
}

// Reopens `dir` and checks it against the oracle: every acknowledged write
// is there, transactions are whole, and each counter holds every
// acknowledged ADD plus at most those in doubt. Failures are gtest
// failures naming `cycle`.
inline void VerifyCrashOracle(const std::string& dir, const CrashOracle& oracle, int cycle) {
  EngineOptions options;
  options.data_dir = dir;
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.has_value()) << "cycle " << cycle << ": " << engine.error().ToString();
  std::map<std::string, Item> t = ScanAll(**engine, "ttt");
  std::map<std::string, Item> u = ScanAll(**engine, "uuu");
  for (const std::string& pk : oracle.puts) {
    EXPECT_TRUE(t.contains(pk)) << "cycle " << cycle << ": acknowledged put " << pk << " lost";
  }
  for (const std::string& pk : oracle.txs) {
    EXPECT_TRUE(t.contains(pk + "-a") && u.contains(pk + "-b"))
        << "cycle " << cycle << ": acknowledged transaction " << pk << " lost";
  }
  // Atomicity: a transaction is on disk entirely or not at all.
  for (const auto& [pk, item] : t) {
    if (pk.ends_with("-a")) {
      EXPECT_TRUE(u.contains(pk.substr(0, pk.size() - 2) + "-b")) << "half a transaction: " << pk;
    }
  }
  for (const auto& [pk, item] : u) {
    EXPECT_TRUE(t.contains(pk.substr(0, pk.size() - 2) + "-a")) << "half a transaction: " << pk;
  }
  for (const auto& [writer, acked] : oracle.counters) {
    auto it = t.find("ctr-" + std::to_string(writer));
    EXPECT_NE(it, t.end()) << "cycle " << cycle << ": counter " << writer << " lost";
    if (it == t.end()) continue;
    int64_t n = it->second.at("n").n().ToInt64().value_or(-1);
    EXPECT_GE(n, acked) << "cycle " << cycle << ": counter " << writer << " went backwards";
    auto doubt = oracle.in_doubt.find(writer);
    EXPECT_LE(n, acked + (doubt != oracle.in_doubt.end() ? doubt->second : 0))
        << "cycle " << cycle << ": counter " << writer << " has unknown ADDs";
  }
}

}  // namespace moe::local::testing
