#include "local/wal.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "wal/record.h"
#include "moe/json.h"

namespace moe::local {
namespace {

namespace fs = std::filesystem;

std::string MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "moe-wal-XXXXXX").string();
  char* dir = ::mkdtemp(pattern.data());
  EXPECT_NE(dir, nullptr);
  return pattern;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A comparable rendering of a mutation.
std::string Show(const Mutation& m) {
  std::string s =
      std::to_string(static_cast<int>(m.kind)) + "|" + m.table + "|" + ToDynamoJson(m.item);
  if (m.create_table)
    s += "|" + ToJson(*m.create_table) + "|" + m.table_id + "|" + std::to_string(m.created);
  if (m.update_table) s += "|" + ToJson(*m.update_table);
  if (m.ttl) s += "|" + std::to_string(m.ttl->enabled) + m.ttl->attribute_name;
  return s;
}

Mutation PutOf(std::string table, int i) {
  return Mutation{Mutation::Kind::kPutItem, std::move(table),
                  Item{{"pk", "k" + std::to_string(i)}, {"n", i}}};
}

// Every kind of mutation.
std::vector<std::vector<Mutation>> AllKinds() {
  Mutation create{Mutation::Kind::kCreateTable, "t"};
  create.create_table = CreateTableRequest{};
  create.create_table->table_name = "t";
  create.create_table->attribute_definitions = {{"pk", ScalarAttributeType::kS},
                                                {"g", ScalarAttributeType::kN}};
  create.create_table->key_schema = {{"pk", KeyType::kHash}};
  create.create_table->billing_mode = BillingMode::kPayPerRequest;
  create.create_table->global_secondary_indexes = {
      {"by_g", {{"g", KeyType::kHash}}, Projection{ProjectionType::kKeysOnly, {}}, std::nullopt}};
  create.table_id = "0000abcd-0000-4000-8000-000000000001";
  create.created = 1700000000.25;
  Mutation update{Mutation::Kind::kUpdateTable, "t"};
  update.update_table = UpdateTableRequest{};
  update.update_table->table_name = "t";
  update.update_table->billing_mode = BillingMode::kProvisioned;
  update.update_table->provisioned_throughput = ProvisionedThroughput{5, 7};
  Mutation ttl{Mutation::Kind::kUpdateTimeToLive, "t"};
  ttl.ttl = TimeToLiveSpecification{true, "expires"};
  Mutation put{Mutation::Kind::kPutItem, "t",
               Item{{"pk", "a"},
                    {"g", 3},
                    {"bin", Bytes{std::string("\0\x01\xff", 3)}},
                    {"list", List{Value(1), Value("x"), Value(true), Value(nullptr)}},
                    {"map", Map{{"inner", Value(StringSet{"p", "q"})}}}}};
  Mutation del{Mutation::Kind::kDeleteItem, "t", Item{{"pk", "a"}}};
  Mutation drop{Mutation::Kind::kDeleteTable, "t"};
  return {{create}, {update, ttl}, {put, PutOf("t", 1), del}, {drop}};
}

std::vector<std::string> ReplayAll(Wal& wal) {
  std::vector<std::string> seen;
  Status s = wal.Replay([&](const Mutation& m) -> Status {
    seen.push_back(Show(m));
    return Ok();
  });
  EXPECT_TRUE(s.has_value()) << s.error().ToString();
  return seen;
}

std::unique_ptr<Wal> MustOpen(const std::string& dir,
                              int64_t compaction_bytes = int64_t{64} << 20) {
  auto wal = Wal::Open({dir, compaction_bytes, true});
  EXPECT_TRUE(wal.has_value()) << wal.error().ToString();
  return wal ? std::move(wal).value() : nullptr;
}

class WalTest : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_ = MakeTempDir();
};

TEST_F(WalTest, RoundTripsEveryMutationKind) {
  std::vector<std::string> expected;
  {
    auto wal = MustOpen(dir_);
    EXPECT_TRUE(ReplayAll(*wal).empty());
    for (const auto& group : AllKinds()) {
      ASSERT_TRUE(wal->Append(group).has_value());
      for (const Mutation& m : group) expected.push_back(Show(m));
    }
  }
  auto wal = MustOpen(dir_);
  EXPECT_EQ(ReplayAll(*wal), expected);
}

TEST_F(WalTest, TornTailIsTruncatedAtEveryOffset) {
  std::string log;
  int64_t before_last = 0;
  {
    auto wal = MustOpen(dir_);
    ASSERT_TRUE(ReplayAll(*wal).empty());
    ASSERT_TRUE(wal->Append(std::vector{PutOf("t", 1)}).has_value());
    ASSERT_TRUE(wal->Append(std::vector{PutOf("t", 2), PutOf("t", 3)}).has_value());
    before_last = wal->LogBytes();
    ASSERT_TRUE(wal->Append(std::vector{PutOf("t", 4), PutOf("t", 5)}).has_value());
    log = wal->LogPath();
  }
  std::string full = ReadFile(log);
  std::vector<std::string> first_two = {Show(PutOf("t", 1)), Show(PutOf("t", 2)),
                                        Show(PutOf("t", 3))};
  for (size_t cut = static_cast<size_t>(before_last); cut < full.size(); ++cut) {
    for (bool garbage : {false, true}) {
      std::string torn = full.substr(0, cut);
      // A torn write may also leave zeros or junk where the record was.
      if (garbage) torn.append(full.size() - cut, cut % 2 == 0 ? '\0' : '\x5a');
      WriteFile(log, torn);
      auto wal = MustOpen(dir_);
      ASSERT_NE(wal, nullptr);
      EXPECT_EQ(ReplayAll(*wal), first_two) << "cut at " << cut;
      EXPECT_EQ(wal->LogBytes(), before_last);
      // The log accepts appends after the truncated tail.
      ASSERT_TRUE(wal->Append(std::vector{PutOf("t", 9)}).has_value());
      wal.reset();
      wal = MustOpen(dir_);
      EXPECT_EQ(ReplayAll(*wal).size(), 4u) << "cut at " << cut;
    }
  }
}

TEST_F(WalTest, CorruptionBeforeTheTailIsAnError) {
  std::string log;
  {
    auto wal = MustOpen(dir_);
    ASSERT_TRUE(ReplayAll(*wal).empty());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(wal->Append(std::vector{PutOf("t", i)}).has_value());
    log = wal->LogPath();
  }
  std::string full = ReadFile(log);
  // A flipped bit in the first record's payload, then in its length.
  for (size_t at : {wal::kHeaderSize + 3, size_t{0}}) {
    std::string bad = full;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    WriteFile(log, bad);
    auto wal = Wal::Open({dir_});
    ASSERT_FALSE(wal.has_value());
    EXPECT_EQ(wal.error().code(), ErrorCode::kIo);
    EXPECT_NE(wal.error().message().find("at offset 0"), std::string::npos)
        << wal.error().message();
    // Nothing was truncated.
    EXPECT_EQ(ReadFile(log), bad);
  }
}

class VectorState {
 public:
  Status Dump(SnapshotSink& sink) {
    for (const Mutation& m : state) MOE_TRY_STATUS(sink.Add(m));
    return Ok();
  }
  std::vector<Mutation> state;
};

TEST_F(WalTest, CompactionKeepsTheStateAndStartsAFreshLog) {
  VectorState s;
  for (int i = 0; i < 3000; ++i) s.state.push_back(PutOf("t", i));  // several snapshot chunks
  s.state.back().item["pad"] = std::string(1 << 20, 'x');
  std::vector<std::string> expected;
  for (const Mutation& m : s.state) expected.push_back(Show(m));
  {
    auto wal = MustOpen(dir_, 10);
    ASSERT_TRUE(ReplayAll(*wal).empty());
    EXPECT_FALSE(wal->WantsCompaction());
    ASSERT_TRUE(wal->Append(std::vector{PutOf("t", 0)}).has_value());
    EXPECT_TRUE(wal->WantsCompaction());
    std::string old_log = wal->LogPath();
    ASSERT_TRUE(wal->Compact([&](SnapshotSink& sink) { return s.Dump(sink); }).has_value());
    EXPECT_FALSE(wal->WantsCompaction());
    EXPECT_EQ(wal->LogBytes(), 0);
    EXPECT_NE(wal->LogPath(), old_log);
    EXPECT_FALSE(fs::exists(old_log));
    ASSERT_TRUE(wal->Append(std::vector{PutOf("t", -1)}).has_value());
    expected.push_back(Show(PutOf("t", -1)));
  }
  // Leftovers of a later compaction that crashed before its rename.
  WriteFile(dir_ + "/snapshot.tmp", "partial");
  WriteFile(dir_ + "/wal-000000000002.log", "");
  auto wal = MustOpen(dir_);
  EXPECT_EQ(ReplayAll(*wal), expected);
  EXPECT_FALSE(fs::exists(dir_ + "/snapshot.tmp"));
  EXPECT_FALSE(fs::exists(dir_ + "/wal-000000000002.log"));
}

TEST_F(WalTest, DamagedSnapshotIsAnError) {
  {
    auto wal = MustOpen(dir_);
    ASSERT_TRUE(ReplayAll(*wal).empty());
    VectorState s;
    s.state = {PutOf("t", 1), PutOf("t", 2)};
    ASSERT_TRUE(wal->Compact([&](SnapshotSink& sink) { return s.Dump(sink); }).has_value());
  }
  std::string snap = ReadFile(dir_ + "/snapshot");
  // Truncated at a record boundary (the end record missing) or anywhere.
  for (size_t cut : {snap.size() - 21, snap.size() - 1}) {
    WriteFile(dir_ + "/snapshot", snap.substr(0, cut));
    auto wal = MustOpen(dir_);
    ASSERT_NE(wal, nullptr);
    Status s = wal->Replay([](const Mutation&) { return Ok(); });
    ASSERT_FALSE(s.has_value()) << cut;
    EXPECT_EQ(s.error().code(), ErrorCode::kIo);
  }
}

TEST_F(WalTest, LockFileRefusesASecondOpen) {
  auto first = MustOpen(dir_);
  auto second = Wal::Open({dir_});
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), ErrorCode::kIo);
  EXPECT_NE(second.error().message().find("data directory is in use"), std::string::npos);
  first.reset();
  EXPECT_NE(MustOpen(dir_), nullptr);
}

TEST_F(WalTest, ConcurrentAppendsAreAllDurable) {
  constexpr int kThreads = 4, kPerThread = 100;
  int64_t records = 0;
  {
    auto wal = MustOpen(dir_);
    ASSERT_TRUE(ReplayAll(*wal).empty());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&wal, t] {
        for (int i = 0; i < kPerThread; ++i) {
          EXPECT_TRUE(wal->Append(std::vector{PutOf("t" + std::to_string(t), i)}).has_value());
        }
      });
    }
    for (auto& th : threads) th.join();
    records = wal->records_written();
  }
  auto wal = MustOpen(dir_);
  std::vector<std::string> seen = ReplayAll(*wal);
  ASSERT_EQ(seen.size(), size_t{kThreads * kPerThread});
  // Each thread's appends replay in its order.
  for (int t = 0; t < kThreads; ++t) {
    int next = 0;
    for (const std::string& s : seen) {
      if (s.starts_with("0|t" + std::to_string(t) + "|")) {
        EXPECT_EQ(s, Show(PutOf("t" + std::to_string(t), next++)));
      }
    }
    EXPECT_EQ(next, kPerThread);
  }
  std::printf("%d appends in %lld records\n", kThreads * kPerThread,
              static_cast<long long>(records));
}

}  // namespace
}  // namespace moe::local
