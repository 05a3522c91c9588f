// Drives the built `moe` binary against dynalite: the CLI is thin, so these
// check argument handling, JSON in and out, exit codes and error lines.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "testing/server_process.h"

namespace moe {
namespace {

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 public:
  void SetUp() override {
    auto server = testing::StartDynalite();
    ASSERT_TRUE(server) << server.error().ToString();
    server_ = std::move(*server);
    dir_ = ::testing::TempDir() + "moe_cli_" + std::to_string(::getpid());
    std::string mk = "mkdir -p " + dir_;
    ASSERT_EQ(std::system(mk.c_str()), 0);
  }

  // Runs `moe --endpoint <dynalite> ARGS`, with fixed test credentials.
  Outcome Moe(const std::string& args, const std::string& stdin_text = "") {
    return MoeWith("--endpoint " + server_->endpoint(), args, stdin_text);
  }

  // The same against another endpoint ("local:" for the embedded engine).
  Outcome MoeAt(const std::string& endpoint, const std::string& args,
                const std::string& stdin_text = "") {
    return MoeWith("--endpoint " + endpoint, args, stdin_text);
  }

  // Runs `moe GLOBALS ARGS` (GLOBALS: --endpoint, --kinesis-endpoint, ...).
  Outcome MoeWith(const std::string& globals, const std::string& args,
                  const std::string& stdin_text = "") {
    std::string in = dir_ + "/stdin", err = dir_ + "/stderr";
    std::ofstream(in) << stdin_text;
    std::string cmd =
        "AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_REGION=us-east-1 "
        "AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null " +
        std::string(MOE_BINARY) + " " + globals + " " + args + " <" + in + " 2>" + err;
    Outcome run{};
    FILE* p = ::popen(cmd.c_str(), "r");
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) run.out.append(buf.data(), n);
    int status = ::pclose(p);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream e(err);
    run.err.assign(std::istreambuf_iterator<char>(e), {});
    return run;
  }

  std::unique_ptr<testing::ServerProcess> server_;
  std::string dir_;
};

TEST_F(CliTest, TablesItemsQueryAndErrors) {
  Outcome create = Moe("tables create users --hash pk:S --range sk:N --rcu 10 --wcu 10");
  ASSERT_EQ(create.exit_code, 0) << create.err;
  EXPECT_NE(create.out.find("\"TableStatus\":\"ACTIVE\""), std::string::npos) << create.out;

  Outcome list = Moe("tables list");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "[\"users\"]\n");

  ASSERT_EQ(Moe(R"(put users '{"pk":"u1","sk":1,"name":"Ada","score":1.50}')").exit_code, 0);
  ASSERT_EQ(Moe(R"(put users '{"pk":"u1","sk":2,"name":"Bob"}')").exit_code, 0);
  Outcome get = Moe(R"(get users '{"pk":"u1","sk":1}' --consistent)");
  ASSERT_EQ(get.exit_code, 0) << get.err;
  // DynamoDB stores numbers normalized: 1.50 comes back as 1.5.
  EXPECT_EQ(get.out, "{\"name\":\"Ada\",\"pk\":\"u1\",\"score\":1.5,\"sk\":1}\n");

  Outcome ddb = Moe(R"(--ddb-json get users '{"pk":{"S":"u1"},"sk":{"N":"2"}}')");
  ASSERT_EQ(ddb.exit_code, 0) << ddb.err;
  EXPECT_EQ(ddb.out, "{\"name\":{\"S\":\"Bob\"},\"pk\":{\"S\":\"u1\"},\"sk\":{\"N\":\"2\"}}\n");

  Outcome update = Moe(
      R"(update users '{"pk":"u1","sk":1}' --update 'SET score = score + :d' --values '{":d":1}' --return ALL_NEW)");
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.out.find("\"score\":2.5"), std::string::npos) << update.out;

  Outcome query =
      Moe(R"(query users --key-condition 'pk = :p AND sk >= :s' --values '{":p":"u1",":s":1}')");
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_EQ(std::count(query.out.begin(), query.out.end(), '\n'), 2);
  EXPECT_LT(query.out.find("\"sk\":1"), query.out.find("\"sk\":2"));

  Outcome count = Moe("scan users --count --segments 2");
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_EQ(count.out, "2\n");

  Outcome conflict =
      Moe(R"(put users '{"pk":"u1","sk":1}' --condition 'attribute_not_exists(pk)')");
  EXPECT_EQ(conflict.exit_code, 1);
  EXPECT_EQ(conflict.err.rfind("moe: ConditionalCheckFailedException", 0), 0u) << conflict.err;
  EXPECT_EQ(std::count(conflict.err.begin(), conflict.err.end(), '\n'), 1);

  Outcome missing = Moe("tables describe nope");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err.rfind("moe: ResourceNotFoundException", 0), 0u) << missing.err;

  Outcome bad_json = Moe(R"(put users '{"pk":')");
  EXPECT_EQ(bad_json.exit_code, 1);
  EXPECT_NE(bad_json.err.find("Invalid JSON"), std::string::npos) << bad_json.err;

  ASSERT_EQ(Moe(R"(delete users '{"pk":"u1","sk":2}')").exit_code, 0);
  EXPECT_EQ(Moe(R"(get users '{"pk":"u1","sk":2}')").out, "null\n");
  Outcome del = Moe("tables delete users");
  ASSERT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(Moe("tables list").out, "[]\n");
}

TEST_F(CliTest, LoadReportsEveryLineItCouldNotWrite) {
  ASSERT_EQ(Moe("tables create events --hash pk:S --range sk:N --rcu 50 --wcu 50").exit_code, 0);
  std::string lines;
  for (int i = 0; i < 2000; ++i)
    lines += R"({"pk":"e)" + std::to_string(i % 7) + R"(","sk":)" + std::to_string(i) + "}\n";
  lines += "{not json\n";
  lines += R"({"pk":"e1","sk":1})"
           "\n";  // duplicate of line 2
  lines += R"({"pk":"e1"})"
           "\n";  // no range key
  Outcome load = Moe("load events - --failed " + dir_ + "/failed.jsonl", lines);
  EXPECT_EQ(load.exit_code, 1) << load.err;
  EXPECT_NE(load.out.find("\"written\":2000"), std::string::npos) << load.out;
  EXPECT_NE(load.out.find("\"failed\":3"), std::string::npos) << load.out;
  std::ifstream failed(dir_ + "/failed.jsonl");
  std::string all((std::istreambuf_iterator<char>(failed)), {});
  EXPECT_NE(all.find("\"line\":2001"), std::string::npos) << all;
  EXPECT_NE(all.find("\"line\":2002"), std::string::npos) << all;
  EXPECT_NE(all.find("\"line\":2003"), std::string::npos) << all;
  EXPECT_EQ(Moe("scan events --count").out, "2000\n");
}

TEST_F(CliTest, FamilyDeclareRotateStatusDiffRepair) {
  std::ofstream(dir_ + "/events.json") << R"({"Name":"events","Environment":"cli","Period":"DAY",
    "Copies":2,"Retention":2,"Precreate":1,
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})";
  Outcome declare = Moe("family declare " + dir_ + "/events.json");
  ASSERT_EQ(declare.exit_code, 0) << declare.err;
  EXPECT_NE(declare.out.find("\"Version\":1"), std::string::npos) << declare.out;

  Outcome plan = Moe("family --env cli rotate events --dry-run --now 2026-11-25T00:10:00Z");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(Moe("tables list").out, R"(["cli_moe_registry_1","cli_moe_registry_2"])" "\n");
  for (const char* day : {"2026-11-25", "2026-11-26", "2026-11-27"}) {
    Outcome rotate =
        Moe(std::string("family --env cli rotate events --now ") + day + "T00:10:00Z");
    ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
    EXPECT_NE(rotate.out.find("\"EpochFlipped\":true"), std::string::npos) << rotate.out;
  }
  // Three rotator processes race at the next boundary: one flips the epoch.
  std::string race;
  for (int i = 0; i < 3; ++i) {
    race += "AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_REGION=us-east-1 " +
            std::string(MOE_BINARY) + " --endpoint " + server_->endpoint() +
            " family --env cli rotate events --now 2026-11-28T00:10:00Z >" + dir_ + "/race" +
            std::to_string(i) + " 2>&1 & ";
  }
  ASSERT_EQ(std::system((race + "wait").c_str()), 0);
  int flips = 0;
  for (int i = 0; i < 3; ++i) {
    std::ifstream f(dir_ + "/race" + std::to_string(i));
    std::string out((std::istreambuf_iterator<char>(f)), {});
    EXPECT_NE(out.find("\"Epoch\":4"), std::string::npos) << out;
    flips += out.find("\"EpochFlipped\":true") != std::string::npos;
  }
  EXPECT_EQ(flips, 1);
  // Retention 2 + 1 ahead, two copies; the first days are gone.
  Outcome status = Moe("family --env cli status events");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("\"WritePeriod\":\"2026-11-28\""), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("2026-11-25"), std::string::npos) << status.out;
  ASSERT_EQ(Moe(R"(put cli_events_2026-11-28_1 '{"pk":"only-in-copy-1"}')").exit_code, 0);
  Outcome diff = Moe("family --env cli diff events 2026-11-28");
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.out.find("\"DifferingKeys\":1"), std::string::npos) << diff.out;
  Outcome repair = Moe("family --env cli repair events 2026-11-28");
  ASSERT_EQ(repair.exit_code, 0) << repair.err;
  EXPECT_NE(repair.out.find("\"ItemsWritten\":1"), std::string::npos) << repair.out;
  EXPECT_NE(Moe("family --env cli diff events 2026-11-28").out.find("\"InAgreement\":true"),
            std::string::npos);
  EXPECT_EQ(Moe("family --env cli diff events 2026-11-40").exit_code, 1);
}

// The value of "key":<number> summed over the lines of `out`.
int64_t SumOf(const std::string& out, const std::string& key) {
  int64_t sum = 0;
  std::string needle = "\"" + key + "\":";
  for (size_t at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1)) {
    sum += std::strtoll(out.c_str() + at + needle.size(), nullptr, 10);
  }
  return sum;
}

// `moe mirror lag|trickle FAMILY` on a WRITE_BEHIND family: the stream and
// lease table come from the family's declaration. Writes go through `moe ts
// put` (copy 1 plus the journal), each command its own process.
void WriteBehindThroughTheCli(CliTest& t, const std::string& globals, const std::string& dir) {
  std::ofstream(dir + "/metrics.json") << R"({"Name":"metrics","Environment":"wb","Period":"DAY",
    "Copies":3,"Retention":1,"MirrorMode":"WRITE_BEHIND",
    "AttributeDefinitions":[{"AttributeName":"key","AttributeType":"S"},
                            {"AttributeName":"ts","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"key","KeyType":"HASH"},{"AttributeName":"ts","KeyType":"RANGE"}]})";
  Outcome declare = t.MoeWith(globals, "family declare " + dir + "/metrics.json");
  ASSERT_EQ(declare.exit_code, 0) << declare.err;
  Outcome rotate = t.MoeWith(globals, "family --env wb rotate metrics");
  ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
  size_t at = rotate.out.find("\"WritePeriod\":\"");
  ASSERT_NE(at, std::string::npos) << rotate.out;
  std::string period = rotate.out.substr(at + 15, 10);

  constexpr int kEvents = 8;
  for (int i = 0; i < kEvents; ++i) {
    Outcome put = t.MoeWith(globals, "ts --env wb put metrics k" + std::to_string(i % 3) +
                                         " '{\"v\":" + std::to_string(i) + "}'");
    ASSERT_EQ(put.exit_code, 0) << put.err;
  }
  // Two mirror copies: two journal records per write, none applied yet.
  Outcome lag = t.MoeWith(globals, "mirror lag metrics --env wb");
  ASSERT_EQ(lag.exit_code, 0) << lag.err;
  EXPECT_EQ(SumOf(lag.out, "records_behind"), 2 * kEvents) << lag.out;
  Outcome diff = t.MoeWith(globals, "family --env wb diff metrics " + period);
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.out.find("\"DifferingKeys\":" + std::to_string(kEvents)), std::string::npos)
      << diff.out;

  Outcome trickle =
      t.MoeWith(globals, "mirror trickle metrics --env wb --max-wcu 40 --until-caught-up");
  ASSERT_EQ(trickle.exit_code, 0) << trickle.err;
  EXPECT_NE(trickle.out.find("\"stream\":\"wb_metrics_journal\""), std::string::npos)
      << trickle.out;
  EXPECT_EQ(SumOf(trickle.out, "applied"), 2 * kEvents) << trickle.out;
  lag = t.MoeWith(globals, "mirror lag metrics --env wb");
  ASSERT_EQ(lag.exit_code, 0) << lag.err;
  EXPECT_EQ(SumOf(lag.out, "records_behind"), 0) << lag.out;
  EXPECT_NE(lag.out.find("\"checkpoint\":\""), std::string::npos) << lag.out;
  EXPECT_NE(
      t.MoeWith(globals, "family --env wb diff metrics " + period).out.find("\"InAgreement\":true"),
      std::string::npos);
  // The lease table is the family's, next to its tables.
  EXPECT_NE(t.MoeWith(globals, "tables list").out.find("\"wb_metrics_journal_leases\""),
            std::string::npos);

  // A second trickle finds nothing left.
  trickle = t.MoeWith(globals, "mirror trickle metrics --env wb --until-caught-up");
  ASSERT_EQ(trickle.exit_code, 0) << trickle.err;
  EXPECT_EQ(SumOf(trickle.out, "read"), 0) << trickle.out;

  // Only WRITE_BEHIND families have a journal; something must be named.
  std::ofstream(dir + "/sync.json") << R"({"Name":"plain","Environment":"wb","Period":"DAY",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})";
  ASSERT_EQ(t.MoeWith(globals, "family declare " + dir + "/sync.json").exit_code, 0);
  Outcome sync = t.MoeWith(globals, "mirror lag plain --env wb");
  EXPECT_EQ(sync.exit_code, 1);
  EXPECT_NE(sync.err.find("only WRITE_BEHIND families have a journal"), std::string::npos)
      << sync.err;
  Outcome nothing = t.MoeWith(globals, "mirror lag");
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("--stream"), std::string::npos) << nothing.err;
}

// The embedded default on disk: the engine and the durable journal in one
// directory, shared by successive commands.
TEST_F(CliTest, MirrorTrickleAndLagOfAFamilyOnTheEmbeddedDefault) {
  WriteBehindThroughTheCli(*this, "--endpoint local:" + dir_ + "/data", dir_);
  std::filesystem::remove_all(dir_ + "/data");
}

// DynamoDB on dynalite, the journal on kinesalite.
TEST_F(CliTest, MirrorTrickleAndLagOfAFamilyOnKinesalite) {
  auto kinesalite = testing::StartKinesalite();
  ASSERT_TRUE(kinesalite) << kinesalite.error().ToString();
  WriteBehindThroughTheCli(
      *this,
      "--endpoint " + server_->endpoint() + " --kinesis-endpoint " + (*kinesalite)->endpoint(),
      dir_);
}

TEST_F(CliTest, BenchEndsWithTheReportAndAHeatMap) {
  std::string svg = dir_ + "/heat.svg";
  Outcome bench = Moe("bench hotbench --create --wcu 100 --distribution hot --sharding random "
                      "--shards 4 --rate 100 --duration 0.5 --concurrency 2 --json --svg " + svg);
  ASSERT_EQ(bench.exit_code, 0) << bench.err;
  EXPECT_NE(bench.out.find("\"table\":\"hotbench\""), std::string::npos) << bench.out;
  EXPECT_NE(bench.out.find("\"partitions_by_formula\":1"), std::string::npos) << bench.out;
  EXPECT_NE(bench.out.find("hotbench/k0#"), std::string::npos) << bench.out;  // a shard of the hot key
  std::ifstream in(svg);
  std::string heat_map((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(heat_map.rfind("<?xml", 0), 0u);
  EXPECT_NE(heat_map.find("</svg>"), std::string::npos);
  EXPECT_NE(Moe("bench hotbench --distribution nope --duration 0.1").exit_code, 0);
}

// A number from the report's JSON ("key":number); NaN when absent.
double JsonNumber(const std::string& json, const std::string& key) {
  size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return std::nan("");
  return std::strtod(json.c_str() + at + key.size() + 3, nullptr);
}

// `moe bench --simulate`: the embedded engine's partition simulator on
// simulated time. Half a minute of one hot key at 2,000 writes/s on a
// 1,000 RCU / 4,000 WCU table (5 partitions of 800 WCU, 1,000 with adaptive
// capacity) gets about one partition's worth through; the same load over 8
// random-suffix shards gets nearly all of it.
// The report's partition rows and server figures are the simulator's.
TEST_F(CliTest, BenchOnSimulatedTimeTellsAHotKeyFromAShardedOne) {
  std::string svg = dir_ + "/sim.svg";
  std::string common =
      "bench sim --simulate --wcu 4000 --distribution hot --rate 2000 "
      "--duration 30 --json --svg " +
      svg;
  Outcome hot = MoeAt("local:", common);
  ASSERT_EQ(hot.exit_code, 0) << hot.err;
  EXPECT_NE(hot.out.find("\"partitions_reported\":5"), std::string::npos) << hot.out;
  EXPECT_NE(hot.out.find("\"skew_basis\":\"server partitions\""), std::string::npos) << hot.out;
  EXPECT_NE(hot.out.find("\"from_server\":true"), std::string::npos) << hot.out;
  EXPECT_NEAR(JsonNumber(hot.out, "achieved_per_second"), 1000, 50) << hot.out;
  EXPECT_NEAR(JsonNumber(hot.out, "server_per_second"), JsonNumber(hot.out, "achieved_per_second"),
              1)
      << hot.out;
  EXPECT_NEAR(JsonNumber(hot.out, "throttle_ratio"), 0.5, 0.03) << hot.out;
  EXPECT_GT(JsonNumber(hot.out, "skew"), 0.9) << hot.out;
  EXPECT_NE(hot.out.find("\"key\":\"sim/k0\""), std::string::npos) << hot.out;
  EXPECT_NE(hot.out.find("\"throttled\":true"), std::string::npos) << hot.out;
  EXPECT_EQ(JsonNumber(hot.out, "partitions_by_throttling"), 4) << hot.out;
  // Not a terminal: progress is a plain line per tenth of the run.
  EXPECT_NE(hot.err.find("[   30.0/30 s simulated] 60000 calls"), std::string::npos) << hot.err;
  std::ifstream in(svg);
  std::string heat_map((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(heat_map.find("partition 3"), std::string::npos);

  Outcome sharded = MoeAt("local:", common + " --sharding random --shards 8");
  ASSERT_EQ(sharded.exit_code, 0) << sharded.err;
  EXPECT_GT(JsonNumber(sharded.out, "achieved_per_second"), 1950) << sharded.out;
  EXPECT_LT(JsonNumber(sharded.out, "throttle_ratio"), 0.02) << sharded.out;
  EXPECT_LT(JsonNumber(sharded.out, "skew"), 0.5) << sharded.out;  // 8 shards over 5 partitions
  EXPECT_NE(sharded.out.find("\"key\":\"sim/k0#"), std::string::npos) << sharded.out;

  // Deterministic for a seed.
  EXPECT_EQ(MoeAt("local:", common).out, hot.out);
  // Simulation needs the embedded engine and a rate.
  EXPECT_EQ(Moe("bench sim --simulate --rate 10 --duration 1").exit_code, 1);
  EXPECT_EQ(MoeAt("local:", "bench sim --simulate --duration 1").exit_code, 1);
}

TEST_F(CliTest, SequencesAndTimeSeries) {
  Outcome add = Moe(R"(seq --env cli --create add runs u1 '{"i":1}' '{"i":2}')");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  size_t at = add.out.find("\"id\":\"");
  ASSERT_NE(at, std::string::npos) << add.out;
  std::string id = add.out.substr(at + 6, 25);
  EXPECT_NE(add.out.find("\"count\":2"), std::string::npos) << add.out;
  std::string more;
  for (int i = 3; i <= 10; ++i) more += "{\"i\":" + std::to_string(i) + "}\n";
  Outcome added = Moe("seq --env cli add runs u1 --id " + id + " --after 2", more);
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("\"count\":10"), std::string::npos) << added.out;
  EXPECT_EQ(Moe("seq --env cli list runs u1").out, "");  // not saved: invisible
  Outcome saved = Moe("seq --env cli save runs u1 " + id + R"( --count 10 --payload '{"t":"x"}')");
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_NE(saved.out.find("\"payload\":{\"t\":\"x\"}"), std::string::npos) << saved.out;
  Outcome list = Moe("seq --env cli list runs u1");
  EXPECT_NE(list.out.find(id), std::string::npos) << list.out;
  Outcome read = Moe("seq --env cli read runs u1 " + id);
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(read.out.substr(0, 8), "{\"i\":1}\n");
  EXPECT_EQ(std::count(read.out.begin(), read.out.end(), '\n'), 10);
  EXPECT_EQ(Moe("seq --env cli save runs u1 " + id + " --count 12").exit_code, 1);

  ASSERT_EQ(Moe(R"(ts --env cli --create put metrics cpu '{"v":2}' --at 2026-11-25T10:00:01Z)")
                .exit_code,
            0);
  ASSERT_EQ(Moe(R"(ts --env cli put metrics cpu '{"v":1}' --at 1795600800 --id a)").exit_code, 0);
  Outcome range = Moe("ts --env cli range metrics cpu --from 2026-11-25T00:00:00Z");
  ASSERT_EQ(range.exit_code, 0) << range.err;
  size_t first_end = range.out.find('\n');
  ASSERT_NE(first_end, std::string::npos) << range.out;
  EXPECT_EQ(range.out.substr(0, first_end),
            R"({"at":"2026-11-25T10:00:00.000000Z","data":{"v":1},"id":"a","key":"cpu"})");
  EXPECT_EQ(range.out.substr(first_end + 1, 51),
            R"({"at":"2026-11-25T10:00:01.000000Z","data":{"v":2},)");
}

TEST_F(CliTest, HelpAndVersion) {
  Outcome help = Moe("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* word : {"tables", "put", "get", "query", "scan", "load", "demo", "--endpoint"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
  Outcome version = Moe("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("moe 0.", 0), 0u) << version.out;
  Outcome unknown = Moe("frobnicate");
  EXPECT_NE(unknown.exit_code, 0);
}

}  // namespace
}  // namespace moe
