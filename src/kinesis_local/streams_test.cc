// What only the embedded journal can show on a ManualClock: iterator expiry,
// the per-shard write rate and PutRecordsAll re-sending what it refused, and
// the hash-key arithmetic. The behaviour shared with kinesalite is in
// tests/kinesis_suite_test.cc.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <tuple>

#include "kinesis_local/hash_key.h"
#include "moe/credentials.h"
#include "moe/kinesis.h"
#include "moe/kinesis_local.h"

namespace moe::kinesis {
namespace {

class LocalStreamsTest : public ::testing::Test {
 protected:
  // max_attempts 1: a throttled call comes back as is, instead of being
  // retried after a backoff that moves the manual clock into the next window.
  void Open(LocalStreamsOptions options, int max_attempts = 3) {
    options.clock = &clock_;
    auto streams = LocalStreams::Open(std::move(options));
    ASSERT_TRUE(streams) << streams.error().ToString();
    streams_ = std::move(*streams);
    ClientOptions client;
    client.endpoint = "http://loopback.invalid";
    client.region = "us-east-1";
    client.credentials = NewStaticCredentialsProvider({"AKIDTEST", "secret", ""});
    client.getenv = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
    client.transport = NewLoopbackTransport(*streams_);
    client.clock = &clock_;
    client.retry.max_attempts = max_attempts;
    client_ = std::move(*KinesisClient::Create(std::move(client)));
  }

  ManualClock clock_;
  std::unique_ptr<LocalStreams> streams_;
  std::unique_ptr<KinesisClient> client_;
};

TEST_F(LocalStreamsTest, IteratorsExpireAfterFiveMinutes) {
  Open({});
  ASSERT_TRUE(client_->CreateStream({.stream_name = "s", .shard_count = 1}));
  auto it = client_->GetShardIterator({.stream_name = "s", .shard_id = "shardId-000000000000"});
  ASSERT_TRUE(it);
  clock_.Advance(std::chrono::minutes(5) + std::chrono::milliseconds(1));
  auto page = client_->GetRecords({.shard_iterator = it->shard_iterator});
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kExpiredIterator);
  EXPECT_EQ(page.error().type_name(), "ExpiredIteratorException");
  EXPECT_FALSE(page.error().retryable());
}

TEST_F(LocalStreamsTest, PerShardRateRefusesRecordsAndPutRecordsAllResendsThem) {
  Open({.records_per_second_per_shard = 100}, /*max_attempts=*/1);
  ASSERT_TRUE(client_->CreateStream({.stream_name = "s", .shard_count = 1}));
  std::vector<PutRecordsEntry> entries;
  for (int i = 0; i < 450; ++i) entries.push_back({"k" + std::to_string(i), std::to_string(i)});

  auto once = client_->PutRecords({.stream_name = "s", .records = entries});
  ASSERT_TRUE(once);
  EXPECT_EQ(once->failed_record_count, 350);
  EXPECT_EQ(once->records[100].error_code, "ProvisionedThroughputExceededException");
  EXPECT_TRUE(once->records[99].ok());

  auto single = client_->PutRecord({.stream_name = "s", .partition_key = "k", .data = "x"});
  ASSERT_FALSE(single);
  EXPECT_EQ(single.error().code(), ErrorCode::kProvisionedThroughputExceeded);

  clock_.Advance(std::chrono::seconds(1));
  auto all = client_->PutRecordsAll("s", entries, {.max_in_flight = 1, .jitter_seed = 9});
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(all->succeeded, entries.size());
  EXPECT_TRUE(all->failed.empty());
  EXPECT_GE(all->resent, 350u);
  // Backoff slept on the clock long enough for 5 windows of 100.
  EXPECT_GE(clock_.total_slept(), std::chrono::seconds(3));
}

TEST_F(LocalStreamsTest, RetryBudgetReturnsWhatCouldNotLand) {
  Open({.records_per_second_per_shard = 1});
  ASSERT_TRUE(client_->CreateStream({.stream_name = "s", .shard_count = 1}));
  std::vector<PutRecordsEntry> entries(3, PutRecordsEntry{"k", "x"});
  // The clock does not move between rounds when the backoff is zero.
  auto all = client_->PutRecordsAll(
      "s", entries, {.base_delay = std::chrono::milliseconds(0), .retry_budget = 2});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->succeeded, 1u);
  ASSERT_EQ(all->failed.size(), 2u);
  EXPECT_EQ(all->failed[0].error.code(), ErrorCode::kRetriesExhausted);
  EXPECT_EQ(all->results[all->failed[0].index].error_code,
            "ProvisionedThroughputExceededException");
}

TEST_F(LocalStreamsTest, AtTimestampStartsAtTheFirstLaterArrival) {
  Open({});
  ASSERT_TRUE(client_->CreateStream({.stream_name = "s", .shard_count = 1}));
  ASSERT_TRUE(client_->PutRecord({.stream_name = "s", .partition_key = "k", .data = "old"}));
  clock_.Advance(std::chrono::seconds(10));
  double mark = std::chrono::duration<double>(clock_.Now().time_since_epoch()).count();
  ASSERT_TRUE(client_->PutRecord({.stream_name = "s", .partition_key = "k", .data = "new"}));
  auto it = client_->GetShardIterator({.stream_name = "s",
                                       .shard_id = "shardId-000000000000",
                                       .shard_iterator_type = ShardIteratorType::kAtTimestamp,
                                       .timestamp = mark});
  ASSERT_TRUE(it);
  auto page = client_->GetRecords({.shard_iterator = it->shard_iterator});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].data, "new");
}

// Every record of `stream` as (shard, sequence, partition key, data, arrival),
// shard by shard from TRIM_HORIZON.
using Stored = std::tuple<std::string, std::string, std::string, std::string, double>;
std::vector<Stored> ReadAll(KinesisClient& client, const std::string& stream) {
  std::vector<Stored> out;
  auto shards = client.ListAllShards(stream);
  EXPECT_TRUE(shards) << shards.error().ToString();
  if (!shards) return out;
  for (const Shard& shard : *shards) {
    auto it = client.GetShardIterator({.stream_name = stream, .shard_id = shard.shard_id});
    EXPECT_TRUE(it);
    if (!it) return out;
    std::string iterator = it->shard_iterator;
    for (;;) {
      auto page = client.GetRecords({.shard_iterator = iterator, .limit = 97});
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page || page->records.empty()) break;
      for (const Record& r : page->records) {
        out.emplace_back(shard.shard_id, r.sequence_number, r.partition_key, r.data,
                         r.approximate_arrival_timestamp);
      }
      iterator = *page->next_shard_iterator;
    }
  }
  return out;
}

// What the issue asks of the embedded default: nothing acknowledged is lost
// when the process goes away. The journal is closed and reopened from its
// directory (as `moe` does between commands on local:/dir).
TEST_F(LocalStreamsTest, DurableJournalKeepsEveryAcknowledgedRecordAcrossARestart) {
  namespace fs = std::filesystem;
  std::string dir = (fs::temp_directory_path() / "moe-streams-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  Open({.data_dir = dir});
  ASSERT_TRUE(client_->CreateStream({.stream_name = "s", .shard_count = 4}));
  ASSERT_TRUE(client_->CreateStream({.stream_name = "other", .shard_count = 1}));
  // Acknowledgements, keyed by (shard, sequence number).
  std::map<std::pair<std::string, std::string>, std::string> acked;
  for (int i = 0; i < 60; ++i) {
    clock_.Advance(std::chrono::milliseconds(250));
    auto put = client_->PutRecord({.stream_name = "s",
                                   .partition_key = "k" + std::to_string(i % 13),
                                   .data = "one" + std::to_string(i)});
    ASSERT_TRUE(put) << put.error().ToString();
    acked[{put->shard_id, put->sequence_number}] = "one" + std::to_string(i);
  }
  std::vector<PutRecordsEntry> entries;
  for (int i = 0; i < 300; ++i) {
    entries.push_back({"b" + std::to_string(i), "batch" + std::to_string(i)});
  }
  auto batch = client_->PutRecords({.stream_name = "s", .records = entries});
  ASSERT_TRUE(batch) << batch.error().ToString();
  ASSERT_EQ(batch->failed_record_count, 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    acked[{batch->records[i].shard_id, batch->records[i].sequence_number}] = entries[i].data;
  }
  ASSERT_TRUE(client_->PutRecord({.stream_name = "other", .partition_key = "o", .data = "x"}));
  std::vector<Stored> before = ReadAll(*client_, "s");
  ASSERT_EQ(before.size(), acked.size());
  for (const auto& [shard, sequence, key, data, arrival] : before) {
    EXPECT_EQ(acked.at({shard, sequence}), data);
  }

  // The directory is locked while the journal is open.
  auto second = LocalStreams::Open({.data_dir = dir});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kIo);

  client_.reset();
  streams_.reset();
  clock_.Advance(std::chrono::minutes(1));
  Open({.data_dir = dir});
  // Every record is back in its shard, with its sequence number, key, data
  // and arrival time.
  EXPECT_EQ(ReadAll(*client_, "s"), before);
  ASSERT_EQ(ReadAll(*client_, "other").size(), 1u);
  auto summary = client_->DescribeStreamSummary({.stream_name = "s"});
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->stream_description_summary.stream_status, StreamStatus::kActive);
  EXPECT_EQ(summary->stream_description_summary.open_shard_count, 4);
  // The sequence continues after the last record written before the restart.
  std::string last;
  for (const Stored& r : before) last = std::max(last, std::get<1>(r));
  auto after = client_->PutRecord({.stream_name = "s", .partition_key = "k0", .data = "after"});
  ASSERT_TRUE(after);
  EXPECT_GT(after->sequence_number, last);
  // A consumer's checkpoint taken before the restart (the last sequence
  // number it applied in that shard) resumes exactly after it.
  std::string checkpoint;
  for (const Stored& r : before) {
    if (std::get<0>(r) == after->shard_id) checkpoint = std::get<1>(r);
  }
  ASSERT_FALSE(checkpoint.empty());
  auto it =
      client_->GetShardIterator({.stream_name = "s",
                                 .shard_id = after->shard_id,
                                 .shard_iterator_type = ShardIteratorType::kAfterSequenceNumber,
                                 .starting_sequence_number = checkpoint});
  ASSERT_TRUE(it);
  auto resumed = client_->GetRecords({.shard_iterator = it->shard_iterator});
  ASSERT_TRUE(resumed);
  ASSERT_EQ(resumed->records.size(), 1u);
  EXPECT_EQ(resumed->records[0].data, "after");
  client_.reset();
  streams_.reset();
  fs::remove_all(dir);
}

TEST(HashKey, DecimalRoundTripAndEvenRanges) {
  using internal::HashKeyFromString;
  using internal::HashKeyToString;
  const std::string max = "340282366920938463463374607431768211455";
  EXPECT_EQ(HashKeyToString(*HashKeyFromString(max)), max);
  EXPECT_FALSE(HashKeyFromString("340282366920938463463374607431768211456"));
  EXPECT_FALSE(HashKeyFromString("12a"));
  EXPECT_EQ(HashKeyToString(internal::ShardStart(1, 2)), "170141183460469231731687303715884105728");
  EXPECT_EQ(HashKeyToString(internal::ShardEnd(0, 2)), "170141183460469231731687303715884105727");
  // MD5("") = d41d8cd98f00b204e9800998ecf8427e.
  EXPECT_EQ(HashKeyToString(internal::HashOfPartitionKey("")),
            "281949768489412648962353822266799178366");
}

}  // namespace
}  // namespace moe::kinesis
