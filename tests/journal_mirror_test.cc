// The journal mirror end to end: JournalWriter and TrickleConsumer over the
// embedded DynamoDB engine, with the stream on kinesalite or on the embedded
// journal (MOE_TEST_KINESIS_BACKEND). Time is a ManualClock shared by the
// clients, the consumers and (locally) the journal, so rate caps and lease
// expiry are exact and nothing sleeps.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "moe/family_journal.h"
#include "moe/journal_mirror.h"
#include "moe/local.h"
#include "tests/support/backend.h"
#include "tests/support/kinesis_backend.h"

namespace moe {
namespace {

using mirror::Change;
using mirror::RecordPosition;

class JournalMirror : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = local::Engine::Open({});
    ASSERT_TRUE(engine) << engine.error().ToString();
    engine_ = std::move(*engine);
    ClientOptions options = TestClientOptions("http://loopback.invalid");
    options.transport = local::NewLoopbackTransport(*engine_);
    options.clock = &clock_;
    auto dynamo = DynamoDbClient::Create(std::move(options));
    ASSERT_TRUE(dynamo);
    dynamo_ = std::move(*dynamo);

    auto backend = StartKinesisBackend(&clock_);
    ASSERT_TRUE(backend) << backend.error().ToString();
    backend_ = std::move(*backend);
    ClientOptions kinesis_options;
    kinesis_options.clock = &clock_;
    kinesis_ = backend_->NewClient(std::move(kinesis_options));

    for (const char* table : {"primary", "mirror"}) {
      CreateTableRequest create{.table_name = table};
      create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
      create.key_schema = {{"pk", KeyType::kHash}};
      create.billing_mode = BillingMode::kPayPerRequest;
      ASSERT_TRUE(dynamo_->CreateTable(create));
    }
    ASSERT_TRUE(kinesis_->CreateStream({.stream_name = "journal", .shard_count = 3}));
    // kinesalite's CREATING lasts real milliseconds; poll in real time there.
    for (int i = 0; i < 500; ++i) {
      auto d = kinesis_->DescribeStreamSummary({.stream_name = "journal"});
      ASSERT_TRUE(d) << d.error().ToString();
      if (d->stream_description_summary.stream_status == kinesis::StreamStatus::kActive) break;
      clock_.Advance(std::chrono::milliseconds(10));
      if (backend_->name() == "kinesalite") Clock::Real().SleepFor(std::chrono::milliseconds(10));
    }
    writer_ = std::make_unique<mirror::JournalWriter>(
        *dynamo_, *kinesis_,
        mirror::JournalWriterOptions{.primary_table = "primary",
                                     .mirror_table = "mirror",
                                     .stream_name = "journal",
                                     .key_names = KeyNames{"pk", ""}});
  }

  mirror::TrickleOptions Options(std::string id) {
    return {.stream_name = "journal",
            .mirror_table = "mirror",
            .consumer_id = std::move(id),
            .clock = &clock_};
  }

  std::unique_ptr<mirror::TrickleConsumer> Consumer(mirror::TrickleOptions options) {
    auto consumer = std::make_unique<mirror::TrickleConsumer>(*dynamo_, *kinesis_, options);
    EXPECT_TRUE(consumer->CreateLeaseTable());
    return consumer;
  }

  std::map<std::string, Item> ScanTable(const std::string& table, bool drop_tombstones) {
    std::map<std::string, Item> out;
    for (auto& page : dynamo_->ScanPages({.table_name = table, .consistent_read = true})) {
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page) break;
      for (Item& item : page->items) {
        if (drop_tombstones && mirror::IsTombstone(item)) continue;
        out[item.at("pk").s()] = std::move(item);
      }
    }
    return out;
  }

  // Puts `versions` versions of each of `keys` keys, deleting every 7th key at the end.
  void WriteWorkload(int keys, int versions) {
    for (int v = 0; v < versions; ++v) {
      for (int k = 0; k < keys; ++k) {
        auto put = writer_->Put({{"pk", "k" + std::to_string(k)}, {"n", v}, {"pad", "x"}});
        ASSERT_TRUE(put) << put.error().ToString();
      }
    }
    for (int k = 0; k < keys; k += 7) {
      ASSERT_TRUE(writer_->Delete({{"pk", "k" + std::to_string(k)}}));
    }
  }

  ManualClock clock_;
  std::unique_ptr<local::Engine> engine_;
  std::unique_ptr<DynamoDbClient> dynamo_;
  std::unique_ptr<KinesisBackend> backend_;
  std::unique_ptr<KinesisClient> kinesis_;
  std::unique_ptr<mirror::JournalWriter> writer_;
};

TEST_F(JournalMirror, MirrorConvergesToPrimaryAndKeysApplyInOrder) {
  WriteWorkload(120, 5);
  std::map<std::string, int64_t> last_version;
  bool ordered = true;
  auto options = Options("solo");
  options.hook = [&](const Change& change, const RecordPosition&) {
    int64_t& last = last_version[change.key.at("pk").s()];
    ordered &= change.version > last;
    last = change.version;
    return Ok();
  };
  auto consumer = Consumer(options);
  auto rounds = consumer->RunUntilCaughtUp();
  ASSERT_TRUE(rounds) << rounds.error().ToString();
  EXPECT_TRUE(ordered);
  EXPECT_EQ(consumer->stats().records_read, 120u * 5 + 18);
  EXPECT_EQ(consumer->stats().applied, 120u * 5 + 18);
  EXPECT_EQ(consumer->stats().stale, 0u);

  auto primary = ScanTable("primary", false);
  auto mirrored = ScanTable("mirror", true);
  EXPECT_EQ(primary.size(), 120u - 18);
  EXPECT_EQ(mirrored, primary);
  // Deletes left tombstones carrying their versions.
  auto all = ScanTable("mirror", false);
  EXPECT_EQ(all.size(), 120u);
  EXPECT_TRUE(mirror::IsTombstone(all.at("k0")));
}

// MOE_MIRROR_WRITES sets the size (the 100,000 runs by hand; the
// suite keeps to seconds).
TEST_F(JournalMirror, ManyWritesArriveEqualToThePrimary) {
  const char* env = std::getenv("MOE_MIRROR_WRITES");
  int writes = env != nullptr ? std::atoi(env) : (backend_->name() == "local" ? 5000 : 500);
  int keys = std::max(1, writes / 4);
  for (int i = 0; i < writes; ++i) {
    auto put = writer_->Put({{"pk", "m" + std::to_string(i % keys)}, {"i", i}});
    ASSERT_TRUE(put) << put.error().ToString();
  }
  auto consumer = Consumer(Options("bulk"));
  ASSERT_TRUE(consumer->RunUntilCaughtUp());
  EXPECT_EQ(consumer->stats().applied, static_cast<uint64_t>(writes));
  EXPECT_EQ(ScanTable("mirror", true), ScanTable("primary", false));
}

TEST_F(JournalMirror, WriteRateStaysUnderTheCap) {
  for (int k = 0; k < 50; ++k) ASSERT_TRUE(writer_->Put({{"pk", "r" + std::to_string(k)}}));
  std::vector<Clock::Duration> times;
  auto options = Options("capped");
  options.max_wcu = 10;
  options.burst_wcu = 1;
  options.hook = [&](const Change&, const RecordPosition&) {
    times.push_back(clock_.Monotonic());
    return Ok();
  };
  auto consumer = Consumer(options);
  Clock::Duration start = clock_.Monotonic();
  ASSERT_TRUE(consumer->RunUntilCaughtUp());
  ASSERT_EQ(times.size(), 50u);
  // One item costs 1 WCU: at 10 WCU/s with a one-token bucket, every
  // second of the clock holds exactly 10 writes.
  std::map<int64_t, int> per_second;
  for (Clock::Duration t : times) {
    ++per_second[std::chrono::duration_cast<std::chrono::seconds>(t - start).count()];
  }
  EXPECT_EQ(per_second, (std::map<int64_t, int>{{0, 10}, {1, 10}, {2, 10}, {3, 10}, {4, 10}}));
  EXPECT_DOUBLE_EQ(consumer->stats().wcu_spent, 50);
  EXPECT_NEAR(std::chrono::duration<double>(consumer->stats().rate_wait).count(), 4.9, 1e-6);
}

TEST_F(JournalMirror, KilledConsumerIsTakenOverWithoutLossOrRollback) {
  WriteWorkload(40, 6);
  size_t seen = 0;
  auto a_options = Options("a");
  a_options.batch_limit = 30;
  a_options.hook = [&](const Change&, const RecordPosition&) {
    return ++seen > 100 ? Status(Error(ErrorCode::kInternalServerError, "killed")) : Ok();
  };
  auto a = Consumer(a_options);
  Status died = Ok();
  for (int i = 0; i < 100 && died; ++i) {
    auto round = a->RunOnce();
    if (!round) died = round.error();
  }
  ASSERT_FALSE(died);
  EXPECT_EQ(died.error().message(), "killed");
  EXPECT_EQ(a->stats().leases_taken, 3u);

  // A still holds its leases: B gets nothing until they expire.
  auto b_options = Options("b");
  auto b = Consumer(b_options);
  auto early = b->RunOnce();
  ASSERT_TRUE(early) << early.error().ToString();
  EXPECT_EQ(early->shards_owned, 0u);
  clock_.Advance(b_options.lease_duration + std::chrono::milliseconds(1));
  ASSERT_TRUE(b->RunUntilCaughtUp());
  EXPECT_EQ(b->stats().leases_taken, 3u);
  // What A applied after its last checkpoint came again and was refused.
  EXPECT_GT(b->stats().stale, 0u);

  // The zombie A wakes up: it re-reads from the old checkpoint, its writes
  // are refused as older, and it loses its leases at the next checkpoint.
  seen = 0;
  (void)a->RunOnce();
  EXPECT_GT(a->stats().leases_lost, 0u);

  auto primary = ScanTable("primary", false);
  EXPECT_EQ(ScanTable("mirror", true), primary);
  EXPECT_EQ(primary.size(), 40u - 6);
}

TEST_F(JournalMirror, ReplayOfAnOlderVersionIsRejected) {
  auto first = writer_->Put({{"pk", "x"}, {"n", 1}});
  ASSERT_TRUE(first);
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(writer_->Put({{"pk", "x"}, {"n", 2}}));
  auto consumer = Consumer(Options("replay"));
  ASSERT_TRUE(consumer->RunUntilCaughtUp());
  // The first change again, as a duplicate delivery would bring it.
  Change old{.table = "primary", .key = {{"pk", "x"}}, .version = first->version};
  old.image = {{"pk", "x"}, {"n", 1}, {"_moe_version", first->version}};
  ASSERT_TRUE(kinesis_->PutRecord({.stream_name = "journal",
                                   .partition_key = mirror::PartitionKeyFor(old.key),
                                   .data = mirror::EncodeChange(old)}));
  ASSERT_TRUE(consumer->RunUntilCaughtUp());
  EXPECT_EQ(consumer->stats().stale, 1u);
  auto mirrored = ScanTable("mirror", true);
  EXPECT_EQ(mirrored.at("x").at("n"), Value(2));
}

TEST_F(JournalMirror, LagIsReportedAndGoesToZeroAfterAnOutage) {
  auto consumer = Consumer(Options("lagging"));
  ASSERT_TRUE(consumer->RunUntilCaughtUp());  // takes the leases, nothing to read
  for (int k = 0; k < 60; ++k) ASSERT_TRUE(writer_->Put({{"pk", "l" + std::to_string(k)}}));
  clock_.Advance(std::chrono::seconds(30));  // the consumer is down
  bool local = backend_->name() == "local";
  auto lag = mirror::MeasureLag(*dynamo_, *kinesis_, "journal", "moe_mirror_leases", 1000000,
                                local ? nullptr : &Clock::Real());
  ASSERT_TRUE(lag) << lag.error().ToString();
  ASSERT_EQ(lag->size(), 3u);
  size_t behind = 0;
  for (const auto& shard : *lag) {
    behind += shard.records_behind;
    EXPECT_EQ(shard.owner, "lagging");
    if (local && shard.records_behind > 0) {
      EXPECT_GE(shard.seconds_behind, 30.0);
    }
  }
  EXPECT_EQ(behind, 60u);

  ASSERT_TRUE(consumer->RunUntilCaughtUp());
  lag = mirror::MeasureLag(*dynamo_, *kinesis_, "journal");
  ASSERT_TRUE(lag) << lag.error().ToString();
  for (const auto& shard : *lag) {
    EXPECT_EQ(shard.records_behind, 0u);
    EXPECT_EQ(shard.seconds_behind, 0.0);
    EXPECT_FALSE(shard.checkpoint.empty());
  }
  EXPECT_EQ(ScanTable("mirror", true), ScanTable("primary", false));
}

// The table-family seam: FamilyClient's write-behind mode hands changes to a
// MirrorJournal; one consumer without a table applies each to its copy.
TEST_F(JournalMirror, FamilyJournalFeedsEveryMirrorCopy) {
  CreateTableRequest create{.table_name = "copy3"};
  create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
  create.key_schema = {{"pk", KeyType::kHash}};
  create.billing_mode = BillingMode::kPayPerRequest;
  ASSERT_TRUE(dynamo_->CreateTable(create));
  mirror::KinesisFamilyJournal journal(*kinesis_, "journal");
  MirroredChange put{.family = "events",
                     .primary_table = "primary",
                     .mirror_tables = {"mirror", "copy3"},
                     .key = {{"pk", "e1"}}};
  put.new_image = Item{{"pk", "e1"}, {"n", 2}, {"_moe_ts", 2000}};
  MirroredChange older = put;
  older.new_image = Item{{"pk", "e1"}, {"n", 1}, {"_moe_ts", 1000}};
  MirroredChange gone = put;
  gone.key = {{"pk", "e2"}};
  gone.new_image.reset();
  ASSERT_TRUE(journal.Append(put));
  ASSERT_TRUE(journal.Append(older));  // arrives late: must not win
  ASSERT_TRUE(journal.Append(gone));
  auto options = Options("family");
  options.mirror_table = "";
  options.version_attribute = "_moe_ts";
  auto consumer = Consumer(options);
  ASSERT_TRUE(consumer->RunUntilCaughtUp());
  for (const char* table : {"mirror", "copy3"}) {
    auto items = ScanTable(table, false);
    ASSERT_EQ(items.size(), 2u) << table;
    EXPECT_EQ(items.at("e1").at("n"), Value(2));
    EXPECT_TRUE(mirror::IsTombstone(items.at("e2")));
  }
  EXPECT_EQ(consumer->stats().stale, 2u);
}

// The embedded default on disk (`local:/dir`): the engine and the journal
// share a directory, and a process that dies after acknowledging writes
// loses none of them. Everything is closed without a goodbye (no lease
// released) and reopened from the directory, as the next `moe` command
// would; a new consumer resumes from the dead one's checkpoints.
TEST(JournalMirrorOnDisk, NothingAcknowledgedIsLostAcrossARestart) {
  const char* backend = std::getenv("MOE_TEST_KINESIS_BACKEND");
  if (backend == nullptr || std::string(backend) != "local") {
    GTEST_SKIP() << "the embedded journal's durability; kinesalite keeps its own";
  }
  namespace fs = std::filesystem;
  std::string dir = (fs::temp_directory_path() / "moe-journal-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  ManualClock clock;
  struct Process {
    std::unique_ptr<local::Engine> engine;
    std::unique_ptr<kinesis::LocalStreams> streams;
    std::unique_ptr<DynamoDbClient> dynamo;
    std::unique_ptr<KinesisClient> kinesis;
  };
  auto start = [&]() {
    Process p;
    auto engine = local::Engine::Open({.clock = &clock, .data_dir = dir});
    EXPECT_TRUE(engine) << engine.error().ToString();
    p.engine = std::move(*engine);
    auto streams = kinesis::LocalStreams::Open({.clock = &clock, .data_dir = dir + "/kinesis"});
    EXPECT_TRUE(streams) << streams.error().ToString();
    p.streams = std::move(*streams);
    ClientOptions options = TestClientOptions("http://loopback.invalid");
    options.transport = local::NewLoopbackTransport(*p.engine);
    options.clock = &clock;
    p.dynamo = std::move(*DynamoDbClient::Create(std::move(options)));
    ClientOptions k = TestClientOptions("http://loopback.invalid");
    k.transport = kinesis::NewLoopbackTransport(*p.streams);
    k.clock = &clock;
    p.kinesis = std::move(*KinesisClient::Create(std::move(k)));
    return p;
  };
  auto scan = [](DynamoDbClient& dynamo, const std::string& table) {
    std::map<std::string, Item> out;
    for (auto& page : dynamo.ScanPages({.table_name = table, .consistent_read = true})) {
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page) break;
      for (Item& item : page->items) {
        if (!mirror::IsTombstone(item)) out[item.at("pk").s()] = std::move(item);
      }
    }
    return out;
  };
  mirror::TrickleOptions options{
      .stream_name = "journal", .mirror_table = "mirror", .batch_limit = 20, .clock = &clock};
  constexpr int kKeys = 90, kVersions = 3;
  uint64_t first_read = 0;
  {
    Process p = start();
    for (const char* table : {"primary", "mirror"}) {
      CreateTableRequest create{.table_name = table};
      create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
      create.key_schema = {{"pk", KeyType::kHash}};
      create.billing_mode = BillingMode::kPayPerRequest;
      ASSERT_TRUE(p.dynamo->CreateTable(create));
    }
    ASSERT_TRUE(p.kinesis->CreateStream({.stream_name = "journal", .shard_count = 3}));
    mirror::JournalWriter writer(*p.dynamo, *p.kinesis,
                                 {.primary_table = "primary",
                                  .mirror_table = "mirror",
                                  .stream_name = "journal",
                                  .key_names = KeyNames{"pk", ""}});
    for (int v = 0; v < kVersions; ++v) {
      for (int k = 0; k < kKeys; ++k) {
        ASSERT_TRUE(writer.Put({{"pk", "k" + std::to_string(k)}, {"v", v}}));
      }
    }
    for (int k = 0; k < kKeys; k += 9)
      ASSERT_TRUE(writer.Delete({{"pk", "k" + std::to_string(k)}}));
    options.consumer_id = "dies";
    mirror::TrickleConsumer consumer(*p.dynamo, *p.kinesis, options);
    ASSERT_TRUE(consumer.CreateLeaseTable());
    for (int round = 0; round < 2; ++round) ASSERT_TRUE(consumer.RunOnce());
    first_read = consumer.stats().records_read;
    ASSERT_EQ(first_read, 2u * 3 * 20);  // two checkpointed batches per shard
  }  // the process is gone: nothing released, nothing flushed on the way out

  clock.Advance(options.lease_duration + std::chrono::seconds(1));
  Process p = start();
  options.consumer_id = "takes-over";
  mirror::TrickleConsumer consumer(*p.dynamo, *p.kinesis, options);
  ASSERT_TRUE(consumer.RunUntilCaughtUp());
  // It read exactly what the dead consumer had not checkpointed: nothing
  // acknowledged was lost, nothing applied was read again.
  const uint64_t total = kKeys * kVersions + kKeys / 9;
  EXPECT_EQ(consumer.stats().records_read, total - first_read);
  EXPECT_EQ(consumer.stats().stale, 0u);
  EXPECT_EQ(consumer.stats().leases_taken, 3u);
  auto primary = scan(*p.dynamo, "primary");
  EXPECT_EQ(primary.size(), static_cast<size_t>(kKeys - kKeys / 9));
  EXPECT_EQ(scan(*p.dynamo, "mirror"), primary);
  auto lag = mirror::MeasureLag(*p.dynamo, *p.kinesis, "journal");
  ASSERT_TRUE(lag) << lag.error().ToString();
  for (const mirror::ShardLag& shard : *lag) EXPECT_EQ(shard.records_behind, 0u);
  p.kinesis.reset();
  p.dynamo.reset();
  p.streams.reset();
  p.engine.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace moe
