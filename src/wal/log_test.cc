#include "wal/log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "wal/record.h"

namespace moe::wal {
namespace {

namespace fs = std::filesystem;

// Entries here are length-prefixed strings.
std::string Group(std::initializer_list<std::string_view> entries) {
  std::string out;
  for (std::string_view e : entries) PutString(e, out);
  return out;
}

std::vector<std::string> ReplayAll(Log& log) {
  std::vector<std::string> seen;
  Status s = log.Replay([&](std::string_view& in) -> Status {
    std::string_view e;
    if (!GetString(in, &e)) return Error(ErrorCode::kIo, "bad entry");
    seen.emplace_back(e);
    return Ok();
  });
  EXPECT_TRUE(s.has_value()) << s.error().ToString();
  return seen;
}

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<Log> MustOpen(int64_t compaction_bytes = int64_t{64} << 20) {
    auto log = Log::Open({dir_, compaction_bytes, true});
    EXPECT_TRUE(log.has_value()) << log.error().ToString();
    return log ? std::move(log).value() : nullptr;
  }
  std::string dir_ = [] {
    std::string pattern = (fs::temp_directory_path() / "moe-log-XXXXXX").string();
    EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
    return pattern;
  }();
};

TEST_F(LogTest, OpaqueEntriesSurviveReopenInOrder) {
  {
    auto log = MustOpen();
    ASSERT_TRUE(log->Append(Group({"a", "b"})).has_value());
    ASSERT_TRUE(log->Append(Group({})).has_value());  // empty: nothing written
    ASSERT_TRUE(log->Append(Group({std::string(3000, 'c')})).has_value());
    EXPECT_EQ(log->records_written(), 2);
    // The directory is locked while open.
    auto second = Log::Open({dir_});
    ASSERT_FALSE(second.has_value());
    EXPECT_NE(second.error().message().find("in use"), std::string::npos);
  }
  auto log = MustOpen();
  EXPECT_EQ(ReplayAll(*log), (std::vector<std::string>{"a", "b", std::string(3000, 'c')}));
}

TEST_F(LogTest, TornTailIsCutAndDamageBeforeItRefused) {
  std::string path;
  {
    auto log = MustOpen();
    ASSERT_TRUE(log->Append(Group({"one"})).has_value());
    ASSERT_TRUE(log->Append(Group({"two"})).has_value());
    path = log->LogPath();
  }
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // A half-written third record: the torn tail of an unacknowledged Append.
  std::string third;
  AppendRecord(std::string(1, static_cast<char>(RecordType::kGroup)) + Group({"three"}), third);
  std::ofstream(path, std::ios::binary | std::ios::app) << third.substr(0, third.size() - 2);
  {
    auto log = MustOpen();
    EXPECT_EQ(ReplayAll(*log), (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(static_cast<size_t>(log->LogBytes()), bytes.size());
  }
  // A flipped byte in the first record, with a valid one after it: damage.
  bytes[kHeaderSize + 2] ^= 0x55;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  auto damaged = Log::Open({dir_});
  ASSERT_FALSE(damaged.has_value());
  EXPECT_EQ(damaged.error().code(), ErrorCode::kIo);
}

TEST_F(LogTest, CompactionKeepsTheStateTheWriterGives) {
  {
    auto log = MustOpen(/*compaction_bytes=*/64);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(log->Append(Group({std::to_string(i)})).has_value());
    ASSERT_TRUE(log->WantsCompaction());
    Status s = log->Compact([](SnapshotWriter& w) -> Status {
      std::string e;
      PutString("snap", e);
      return w.Add(e);
    });
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    EXPECT_EQ(log->LogBytes(), 0);
    ASSERT_TRUE(log->Append(Group({"after"})).has_value());
  }
  auto log = MustOpen();
  EXPECT_EQ(ReplayAll(*log), (std::vector<std::string>{"snap", "after"}));
}

}  // namespace
}  // namespace moe::wal
