// The Kinesis client against kinesalite (a Kinesis that no one here wrote)
// and against the embedded journal: the same cases on both, so the journal
// is held to kinesalite's behaviour (MOE_TEST_KINESIS_BACKEND).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "kinesis_local/hash_key.h"
#include "moe/faulty_transport.h"
#include "moe/kinesis.h"
#include "tests/support/kinesis_backend.h"

namespace moe {
namespace {

using kinesis::ShardIteratorType;

class KinesisSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    auto backend = StartKinesisBackend();
    ASSERT_TRUE(backend) << backend.error().ToString();
    backend_ = std::move(*backend);
    client_ = backend_->NewClient();
  }

  void MakeStream(const std::string& name, int shards) {
    auto created = client_->CreateStream({.stream_name = name, .shard_count = shards});
    ASSERT_TRUE(created) << created.error().ToString();
    auto active =
        client_->WaitUntilActive(name, std::chrono::seconds(30), std::chrono::milliseconds(10));
    ASSERT_TRUE(active) << active.error().ToString();
  }

  // Every record of `shard` from TRIM_HORIZON, following NextShardIterator
  // until a page comes back empty.
  std::vector<kinesis::Record> ReadShard(const std::string& stream, const std::string& shard,
                                         int limit = 10000) {
    auto it = client_->GetShardIterator({.stream_name = stream, .shard_id = shard});
    EXPECT_TRUE(it) << it.error().ToString();
    std::vector<kinesis::Record> out;
    std::string iterator = it->shard_iterator;
    for (;;) {
      auto page = client_->GetRecords({.shard_iterator = iterator, .limit = limit});
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page || page->records.empty() || !page->next_shard_iterator) break;
      for (auto& r : page->records) out.push_back(std::move(r));
      iterator = *page->next_shard_iterator;
    }
    return out;
  }

  std::unique_ptr<KinesisBackend> backend_;
  std::unique_ptr<KinesisClient> client_;
};

TEST_F(KinesisSuite, StreamLifecycleAndShardRanges) {
  auto created = client_->CreateStream({.stream_name = "life", .shard_count = 3});
  ASSERT_TRUE(created) << created.error().ToString();
  auto summary = client_->DescribeStreamSummary({.stream_name = "life"});
  ASSERT_TRUE(summary) << summary.error().ToString();
  const kinesis::StreamStatus status = summary->stream_description_summary.stream_status;
  if (backend_->name() == "kinesalite") {
    // kinesalite turns ACTIVE after createStreamMs of real time, which a
    // loaded machine can spend between the two calls.
    EXPECT_TRUE(status == kinesis::StreamStatus::kCreating ||
                status == kinesis::StreamStatus::kActive);
  } else {
    EXPECT_EQ(status, kinesis::StreamStatus::kCreating);
  }
  auto active =
      client_->WaitUntilActive("life", std::chrono::seconds(30), std::chrono::milliseconds(10));
  ASSERT_TRUE(active) << active.error().ToString();
  EXPECT_EQ(active->stream_name, "life");
  EXPECT_EQ(active->open_shard_count, 3);
  EXPECT_NE(active->stream_arn.find(":stream/life"), std::string::npos);

  auto shards = client_->ListAllShards("life");
  ASSERT_TRUE(shards) << shards.error().ToString();
  ASSERT_EQ(shards->size(), 3u);
  // The ranges tile [0, 2^128 - 1] in order.
  using kinesis::internal::HashKeyFromString;
  EXPECT_EQ((*shards)[0].hash_key_range.starting_hash_key, "0");
  EXPECT_EQ((*shards)[2].hash_key_range.ending_hash_key, "340282366920938463463374607431768211455");
  for (size_t i = 0; i + 1 < shards->size(); ++i) {
    auto end = HashKeyFromString((*shards)[i].hash_key_range.ending_hash_key);
    auto next = HashKeyFromString((*shards)[i + 1].hash_key_range.starting_hash_key);
    ASSERT_TRUE(end && next);
    EXPECT_EQ(*end + 1, *next);
  }
  auto page = client_->ListShards({.stream_name = "life", .max_results = 2});
  ASSERT_TRUE(page) << page.error().ToString();
  // kinesalite ignores MaxResults; where it is honoured, a token continues the list.
  if (page->shards.size() < 3) {
    ASSERT_TRUE(page->next_token);
    auto rest = client_->ListShards({.next_token = page->next_token});
    ASSERT_TRUE(rest) << rest.error().ToString();
    EXPECT_EQ(page->shards.size() + rest->shards.size(), 3u);
  }

  auto again = client_->CreateStream({.stream_name = "life", .shard_count = 1});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kResourceInUse);
  auto missing = client_->DescribeStreamSummary({.stream_name = "nope"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kResourceNotFound);
  EXPECT_FALSE(missing.error().request_id().empty());
}

TEST_F(KinesisSuite, PartitionKeyPicksTheShardByMd5) {
  MakeStream("md5", 4);
  auto shards = client_->ListAllShards("md5");
  ASSERT_TRUE(shards);
  std::map<std::string, kinesis::Shard> by_id;
  for (auto& s : *shards) by_id[s.shard_id] = s;
  for (int i = 0; i < 40; ++i) {
    std::string key = "user#" + std::to_string(i);
    auto put = client_->PutRecord({.stream_name = "md5", .partition_key = key, .data = "x"});
    ASSERT_TRUE(put) << put.error().ToString();
    const kinesis::Shard& shard = by_id.at(put->shard_id);
    auto hash = kinesis::internal::HashOfPartitionKey(key);
    EXPECT_LE(*kinesis::internal::HashKeyFromString(shard.hash_key_range.starting_hash_key), hash);
    EXPECT_GE(*kinesis::internal::HashKeyFromString(shard.hash_key_range.ending_hash_key), hash);
  }
  // An explicit hash key overrides the partition key.
  auto last = client_->PutRecord({.stream_name = "md5",
                                  .partition_key = "anything",
                                  .data = "x",
                                  .explicit_hash_key = "340282366920938463463374607431768211455"});
  ASSERT_TRUE(last) << last.error().ToString();
  EXPECT_EQ(last->shard_id, shards->back().shard_id);
}

TEST_F(KinesisSuite, BinaryRecordsReadBackInOrderWithEveryIteratorType) {
  MakeStream("order", 1);
  std::vector<std::string> sequences;
  for (int i = 0; i < 5; ++i) {
    std::string data("\x00\xff\x7f", 3);
    data += std::to_string(i);
    auto put = client_->PutRecord({.stream_name = "order", .partition_key = "k", .data = data});
    ASSERT_TRUE(put) << put.error().ToString();
    if (!sequences.empty()) {
      // Same length here, so text order is number order.
      EXPECT_EQ(put->sequence_number.size(), sequences.back().size());
      EXPECT_GT(put->sequence_number, sequences.back());
    }
    sequences.push_back(put->sequence_number);
  }
  std::string shard = "shardId-000000000000";
  auto all = ReadShard("order", shard, 2);
  ASSERT_EQ(all.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(all[i].data, std::string("\x00\xff\x7f", 3) + std::to_string(i));
    EXPECT_EQ(all[i].sequence_number, sequences[i]);
    EXPECT_EQ(all[i].partition_key, "k");
    EXPECT_GT(all[i].approximate_arrival_timestamp, 1.6e9);
  }

  auto at = client_->GetShardIterator({.stream_name = "order",
                                       .shard_id = shard,
                                       .shard_iterator_type = ShardIteratorType::kAtSequenceNumber,
                                       .starting_sequence_number = sequences[2]});
  ASSERT_TRUE(at) << at.error().ToString();
  auto from_at = client_->GetRecords({.shard_iterator = at->shard_iterator});
  ASSERT_TRUE(from_at);
  ASSERT_EQ(from_at->records.size(), 3u);
  EXPECT_EQ(from_at->records[0].sequence_number, sequences[2]);

  auto after = client_->GetShardIterator(
      {.stream_name = "order",
       .shard_id = shard,
       .shard_iterator_type = ShardIteratorType::kAfterSequenceNumber,
       .starting_sequence_number = sequences[2]});
  ASSERT_TRUE(after);
  auto from_after = client_->GetRecords({.shard_iterator = after->shard_iterator});
  ASSERT_TRUE(from_after);
  ASSERT_EQ(from_after->records.size(), 2u);
  EXPECT_EQ(from_after->records[0].sequence_number, sequences[3]);

  auto latest = client_->GetShardIterator(
      {.stream_name = "order", .shard_id = shard, .shard_iterator_type = ShardIteratorType::kLatest});
  ASSERT_TRUE(latest);
  auto empty = client_->GetRecords({.shard_iterator = latest->shard_iterator});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->records.empty());
  EXPECT_EQ(empty->millis_behind_latest, 0);
  ASSERT_TRUE(client_->PutRecord({.stream_name = "order", .partition_key = "k", .data = "new"}));
  auto fresh = client_->GetRecords({.shard_iterator = *empty->next_shard_iterator});
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->records.size(), 1u);
  EXPECT_EQ(fresh->records[0].data, "new");
}

TEST_F(KinesisSuite, PutRecordsAllLandsEveryRecordInOrderPerKey) {
  MakeStream("bulk", 3);
  std::vector<kinesis::PutRecordsEntry> entries;
  for (int i = 0; i < 1200; ++i) {
    entries.push_back({.partition_key = "key" + std::to_string(i % 17),
                       .data = std::to_string(i)});
  }
  auto put = client_->PutRecordsAll("bulk", entries, {.max_in_flight = 1});
  ASSERT_TRUE(put) << put.error().ToString();
  EXPECT_EQ(put->succeeded, entries.size());
  EXPECT_TRUE(put->failed.empty());
  for (const auto& r : put->results) EXPECT_TRUE(r.ok());

  std::map<std::string, std::vector<int>> per_key;
  size_t total = 0;
  auto shards = client_->ListAllShards("bulk");
  ASSERT_TRUE(shards);
  for (const auto& shard : *shards) {
    for (const auto& r : ReadShard("bulk", shard.shard_id)) {
      per_key[r.partition_key].push_back(std::stoi(r.data));
      ++total;
    }
  }
  EXPECT_EQ(total, entries.size());
  for (const auto& [key, values] : per_key) EXPECT_TRUE(std::is_sorted(values.begin(), values.end()));
}

TEST_F(KinesisSuite, PutRecordsAllThroughFaultsLosesNothing) {
  MakeStream("faults", 2);
  std::shared_ptr<Transport> inner = backend_->NewTransport();
  auto faulty = std::make_shared<FaultyTransport>(
      *inner, FaultOptions{.seed = 11,
                                             .throttle = 0.1,
                                             .internal_error = 0.05,
                                             .timeout_after_send = 0.05,
                                             .partial_batch = 0.5});
  ManualClock clock;  // backoff passes at once
  ClientOptions options;
  options.transport = faulty;
  options.clock = &clock;
  options.retry.jitter_seed = 3;
  auto client = backend_->NewClient(std::move(options));
  std::vector<kinesis::PutRecordsEntry> entries;
  for (int i = 0; i < 700; ++i) {
    entries.push_back({.partition_key = "p" + std::to_string(i % 31), .data = std::to_string(i)});
  }
  auto put = client->PutRecordsAll("faults", entries,
                                   {.max_in_flight = 2, .retry_budget = 50, .jitter_seed = 5});
  ASSERT_TRUE(put) << put.error().ToString();
  EXPECT_EQ(put->succeeded, entries.size());
  EXPECT_TRUE(put->failed.empty());
  EXPECT_GT(put->resent, 0u);
  EXPECT_GT(faulty->count(FaultKind::kPartialBatch), 0u);
  for (const auto& r : put->results) EXPECT_TRUE(r.ok()) << r.error_code;

  // Every record is in the stream; a timeout after sending may add a
  // duplicate (Kinesis producers deliver at least once), never a loss.
  std::set<int> seen;
  size_t read = 0;
  auto shards = client_->ListAllShards("faults");
  ASSERT_TRUE(shards);
  for (const auto& shard : *shards) {
    for (const auto& r : ReadShard("faults", shard.shard_id)) {
      seen.insert(std::stoi(r.data));
      ++read;
    }
  }
  EXPECT_EQ(seen.size(), entries.size());
  EXPECT_GE(read, entries.size());
}

TEST_F(KinesisSuite, ErrorsAreMapped) {
  MakeStream("errors", 1);
  auto no_stream = client_->PutRecord({.stream_name = "absent", .partition_key = "k", .data = "x"});
  ASSERT_FALSE(no_stream);
  EXPECT_EQ(no_stream.error().code(), ErrorCode::kResourceNotFound);
  auto no_shard =
      client_->GetShardIterator({.stream_name = "errors", .shard_id = "shardId-000000000009"});
  ASSERT_FALSE(no_shard);
  EXPECT_EQ(no_shard.error().code(), ErrorCode::kResourceNotFound);
  auto bad_iterator = client_->GetRecords({.shard_iterator = "bm90IGFuIGl0ZXJhdG9y"});
  ASSERT_FALSE(bad_iterator);
  EXPECT_EQ(bad_iterator.error().code(), ErrorCode::kValidation);
  EXPECT_FALSE(bad_iterator.error().retryable());
  auto empty_key = client_->PutRecord({.stream_name = "errors", .partition_key = "", .data = "x"});
  ASSERT_FALSE(empty_key);
  EXPECT_EQ(empty_key.error().code(), ErrorCode::kValidation);
}

}  // namespace
}  // namespace moe
