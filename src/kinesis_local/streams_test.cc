// What only the embedded journal can show on a ManualClock: iterator expiry,
// the per-shard write rate and PutRecordsAll re-sending what it refused, and
// the hash-key arithmetic. The behaviour shared with kinesalite is in
// tests/kinesis_suite_test.cc.
#include <gtest/gtest.h>

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
    streams_ = LocalStreams::Create(std::move(options));
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
