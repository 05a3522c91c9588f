// Mirrored writes, split reads, diff and repair of a table family, on dynalite
// and on the embedded engine. Mirror outages are injected into one copy with
// the fault-injecting transport; repair brings the copies back together.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "moe/family_client.h"
#include "moe/faulty_transport.h"
#include "moe/repair.h"
#include "moe/sharding.h"
#include "tests/support/backend.h"

namespace moe {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNov1 = 1793493000;  // 2026-11-01T00:30:00Z

class FamilyClientTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    registry_ = std::make_unique<Registry>(
        *client_, RegistryOptions{.environment = "test", .clock = &clock_, .poll = 10ms});
    ASSERT_TRUE(registry_->EnsureTables());
  }

  void Declare(MirrorMode mode = MirrorMode::kSync, int retention = 7) {
    FamilySpec spec;
    spec.name = "events";
    spec.environment = "test";
    spec.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                                  {"ts", ScalarAttributeType::kN}};
    spec.key_schema = {{"pk", KeyType::kHash}, {"ts", KeyType::kRange}};
    spec.period = Period::kDay;
    spec.copies = 2;
    spec.retention = retention;
    spec.mirror_mode = mode;
    ASSERT_TRUE(registry_->Declare(spec));
    Rotate();
  }

  void Rotate() {
    auto r = registry_->Rotate("events");
    ASSERT_TRUE(r) << r.error().ToString();
  }

  std::unique_ptr<FamilyClient> Open(DynamoDbClient& client, MirrorJournal* journal = nullptr) {
    auto fc = FamilyClient::Open(client, *registry_, "events",
                                 {.clock = &clock_, .journal = journal});
    EXPECT_TRUE(fc) << fc.error().ToString();
    return fc ? std::move(*fc) : nullptr;
  }

  // A client whose writes to `table` fail (an outage of that copy).
  std::unique_ptr<DynamoDbClient> OutageOf(const std::string& table) {
    inner_.push_back(backend_->NewTransport());
    auto faulty = std::make_shared<FaultyTransport>(
        *inner_.back(),
        FaultOptions{.internal_error = 1.0, .body_filter = [table](std::string_view body) {
                       return body.find("\"" + table + "\"") != std::string_view::npos;
                     }});
    ClientOptions options{.clock = &retry_clock_, .transport = faulty};
    options.retry.max_attempts = 2;
    return backend_->NewClient(std::move(options));
  }

  std::optional<Item> Direct(const std::string& table, Item key) {
    auto got = client_->GetItem({.table_name = table, .key = std::move(key),
                                 .consistent_read = true});
    EXPECT_TRUE(got) << got.error().ToString();
    return got ? got->item : std::nullopt;
  }

  static Item Event(std::string pk, int ts, std::string body = "x") {
    return {{"pk", std::move(pk)}, {"ts", ts}, {"body", std::move(body)}};
  }

  ManualClock clock_{ManualClock::FromUnixSeconds(kNov1)};
  ManualClock retry_clock_;  // retries back off instantly
  std::vector<std::shared_ptr<Transport>> inner_;  // under the faulty ones
  std::unique_ptr<Registry> registry_;
};

TEST_F(FamilyClientTest, SyncMirrorWritesEveryCopyAndReadsNewestFirst) {
  Declare();
  auto fc = Open(*client_);
  ASSERT_TRUE(fc);
  FamilyState day1 = *fc->State();
  auto put = fc->Put({.item = Event("a", 1, "old")});
  ASSERT_TRUE(put) << put.error().ToString();
  EXPECT_TRUE(put->all_written());
  ASSERT_TRUE(fc->Put({.item = Event("b", 1)}));
  for (const std::string& t : day1.WriteTables()) {
    auto item = Direct(t, {{"pk", "a"}, {"ts", 1}});
    ASSERT_TRUE(item) << t;
    EXPECT_EQ(item->at("body"), Value("old"));
    EXPECT_TRUE(item->contains("_moe_ts"));
  }

  clock_.Advance(24h);
  Rotate();
  ASSERT_TRUE(fc->Refresh());
  FamilyState day2 = *fc->State();
  EXPECT_EQ(day2.epoch, day1.epoch + 1);
  ASSERT_TRUE(fc->Put({.item = Event("a", 1, "new")}));
  auto got = fc->Get({.key = {{"pk", "a"}, {"ts", 1}}});
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->item->at("body"), Value("new"));
  EXPECT_EQ(got->table, day2.WriteTables()[0]);
  got = fc->Get({.key = {{"pk", "b"}, {"ts", 1}}});
  ASSERT_TRUE(got && got->item);
  EXPECT_EQ(got->table, day1.WriteTables()[0]);
  EXPECT_FALSE(fc->Get({.key = {{"pk", "zz"}, {"ts", 1}}})->item);

  auto updated = fc->Update({.key = {{"pk", "a"}, {"ts", 1}},
                             .update_expression = "SET #b = :b",
                             .expression_attribute_names = {{"#b", "body"}},
                             .expression_attribute_values = {{":b", "updated"}}});
  ASSERT_TRUE(updated) << updated.error().ToString();
  for (const std::string& t : day2.WriteTables()) {
    EXPECT_EQ(Direct(t, {{"pk", "a"}, {"ts", 1}})->at("body"), Value("updated"));
  }
  // A delete hides every period's version.
  ASSERT_TRUE(fc->Delete({.key = {{"pk", "a"}, {"ts", 1}}}));
  EXPECT_FALSE(fc->Get({.key = {{"pk", "a"}, {"ts", 1}}})->item);
  EXPECT_FALSE(Direct(day1.WriteTables()[1], {{"pk", "a"}, {"ts", 1}}));
}

TEST_F(FamilyClientTest, AConditionFailingOnCopyOneWritesNothing) {
  Declare();
  auto fc = Open(*client_);
  ASSERT_TRUE(fc->Put({.item = Event("a", 1)}));
  auto again = fc->Put({.item = Event("a", 1, "twice"),
                        .condition_expression = "attribute_not_exists(pk)"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConditionalCheckFailed);
  for (const std::string& t : fc->State()->WriteTables()) {
    EXPECT_EQ(Direct(t, {{"pk", "a"}, {"ts", 1}})->at("body"), Value("x"));
  }
}

TEST_F(FamilyClientTest, AMirrorOutageIsRecordedAndRepaired) {
  Declare();
  auto fc = Open(*client_);
  FamilyState state = *fc->State();
  const std::string copy2 = state.WriteTables()[1];
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(fc->Put({.item = Event("k", i)}));

  auto broken = OutageOf(copy2);
  auto during = Open(*broken);
  for (int i = 5; i < 25; ++i) {
    auto w = during->Put({.item = Event("k", i)});
    ASSERT_TRUE(w) << w.error().ToString();
    EXPECT_TRUE(w->primary_written());
    ASSERT_EQ(w->copies.size(), 2u);
    EXPECT_TRUE(w->copies[1].error);
    EXPECT_TRUE(w->repair_recorded);
  }
  auto deleted = during->Delete({.key = {{"pk", "k"}, {"ts", 0}}});
  ASSERT_TRUE(deleted);
  EXPECT_FALSE(deleted->all_written());

  auto pending = registry_->PendingRepairs("events", state.write_period);
  ASSERT_TRUE(pending) << pending.error().ToString();
  EXPECT_EQ(pending->size(), 21u);
  auto diff = DiffPeriod(*client_, state, *state.write_period);
  ASSERT_TRUE(diff) << diff.error().ToString();
  EXPECT_EQ(diff->differing_keys, 21u);  // 20 missing from copy 2, 1 not deleted there
  EXPECT_EQ(diff->item_counts, (std::vector<uint64_t>{24, 5}));

  auto repaired = RepairPeriod(*client_, *registry_, state, *state.write_period);
  ASSERT_TRUE(repaired) << repaired.error().ToString();
  EXPECT_TRUE(repaired->complete()) << repaired->errors.front();
  EXPECT_EQ(repaired->records_replayed, 21u);
  EXPECT_EQ(repaired->items_written, 20u);
  EXPECT_EQ(repaired->items_deleted, 1u);
  EXPECT_TRUE(DiffPeriod(*client_, state, *state.write_period)->in_agreement());
  EXPECT_TRUE(registry_->PendingRepairs("events")->empty());
  EXPECT_FALSE(Direct(copy2, {{"pk", "k"}, {"ts", 0}}));
}

TEST_F(FamilyClientTest, RepairWithoutRecordsNewestWins) {
  Declare();
  auto fc = Open(*client_);
  FamilyState state = *fc->State();
  ASSERT_TRUE(fc->Put({.item = Event("a", 1, "v1")}));
  clock_.Advance(1s);
  ASSERT_TRUE(fc->Put({.item = Event("a", 1, "v2")}));
  // Copy 1 rolls back behind the family's back (an older version).
  Item stale = *Direct(state.WriteTables()[1], {{"pk", "a"}, {"ts", 1}});
  stale["body"] = "v1";
  stale["_moe_ts"] = Value(1);
  ASSERT_TRUE(client_->PutItem({.table_name = state.WriteTables()[0], .item = stale}));
  auto got = fc->Get({.key = {{"pk", "a"}, {"ts", 1}}}, {.read_all_copies = true});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->disagreeing, std::vector<std::string>{state.WriteTables()[1]});

  auto repaired = RepairPeriod(*client_, *registry_, state, *state.write_period);
  ASSERT_TRUE(repaired);
  EXPECT_EQ(repaired->keys_mended, 1u);
  EXPECT_EQ(Direct(state.WriteTables()[0], {{"pk", "a"}, {"ts", 1}})->at("body"), Value("v2"));
}

TEST_F(FamilyClientTest, BatchWritesMirrorAndNothingIsLost) {
  Declare();
  auto fc = Open(*client_);
  FamilyState state = *fc->State();
  auto broken = OutageOf(state.WriteTables()[1]);
  auto during = FamilyClient::Open(*broken, *registry_, "events",
                                   {.clock = &clock_, .batch = {.retry_budget = 2}});
  ASSERT_TRUE(during);
  std::vector<WriteRequest> writes;
  for (int i = 0; i < 60; ++i) writes.push_back({.put_item = Event("b", i)});
  auto batch = (*during)->BatchWrite(writes);
  ASSERT_TRUE(batch) << batch.error().ToString();
  ASSERT_EQ(batch->copies.size(), 2u);
  EXPECT_EQ(batch->copies[0].succeeded, 60u);
  EXPECT_EQ(batch->copies[1].failed.size(), 60u);
  EXPECT_EQ(batch->repairs_recorded, 60u);
  auto repaired = RepairPeriod(*client_, *registry_, state, *state.write_period);
  ASSERT_TRUE(repaired);
  EXPECT_EQ(repaired->items_written, 60u);
  EXPECT_TRUE(DiffPeriod(*client_, state, *state.write_period)->in_agreement());
}

TEST_F(FamilyClientTest, QueriesMergeThreePeriodsAtEveryPageSize) {
  Declare();
  auto fc = Open(*client_);
  // Day d holds ts = d, d+3, d+6, ...; "dup" (ts 100) is written on each day.
  for (int day = 0; day < 3; ++day) {
    if (day > 0) {
      clock_.Advance(24h);
      Rotate();
      ASSERT_TRUE(fc->Refresh());
    }
    for (int ts = day; ts < 30; ts += 3) ASSERT_TRUE(fc->Put({.item = Event("u", ts)}));
    ASSERT_TRUE(fc->Put({.item = Event("u", 100, "day" + std::to_string(day))}));
  }
  QueryRequest q{.key_condition_expression = "pk = :u",
                 .expression_attribute_values = {{":u", "u"}}};
  for (bool forward : {true, false}) {
    q.scan_index_forward = forward;
    for (int page_size : {1, 2, 3, 7, 31, 100}) {
      std::vector<Item> got;
      std::optional<std::string> token;
      do {
        auto merged = fc->Query(q, token, MergedQueryOptions{.page_size = page_size,
                                                              .distinct_keys = true});
        ASSERT_TRUE(merged) << merged.error().ToString();
        auto page = (*merged)->NextPage();
        ASSERT_TRUE(page) << page.error().ToString();
        got.insert(got.end(), page->items.begin(), page->items.end());
        token = page->next_token;
      } while (token);
      ASSERT_EQ(got.size(), 31u) << page_size;
      for (size_t i = 0; i < 30; ++i) {
        size_t at = forward ? i : i + 1;
        int want = forward ? static_cast<int>(i) : 29 - static_cast<int>(i);
        EXPECT_EQ(got[at].at("ts"), Value(want));
      }
      const Item& dup = forward ? got.back() : got.front();
      EXPECT_EQ(dup.at("body"), Value("day2"));  // the newest period wins
    }
  }
}

TEST_F(FamilyClientTest, TransactionalMirrorsAllOrNothing) {
  if (backend_->name() == "dynalite") GTEST_SKIP() << "dynalite has no TransactWriteItems";
  Declare(MirrorMode::kTransactional);
  auto fc = Open(*client_);
  ASSERT_TRUE(fc->Put({.item = Event("t", 1)}));
  auto conflict = fc->Put({.item = Event("t", 1, "again"),
                           .condition_expression = "attribute_not_exists(pk)"});
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code(), ErrorCode::kTransactionCanceled);
  for (const std::string& t : fc->State()->WriteTables()) {
    EXPECT_EQ(Direct(t, {{"pk", "t"}, {"ts", 1}})->at("body"), Value("x"));
  }
}

// The write-behind seam: copy 1 is written, the change goes to the journal.
class RecordingJournal : public MirrorJournal {
 public:
  Status Append(const MirroredChange& change) override {
    changes.push_back(change);
    return Ok();
  }
  std::vector<MirroredChange> changes;
};

TEST_F(FamilyClientTest, WriteBehindWritesCopyOneAndJournalsTheChange) {
  Declare(MirrorMode::kWriteBehind);
  auto without = FamilyClient::Open(*client_, *registry_, "events", {.clock = &clock_});
  ASSERT_TRUE(without);
  EXPECT_EQ((*without)->Put({.item = Event("w", 1)}).error().code(),
            ErrorCode::kInvalidArgument);
  RecordingJournal journal;
  auto fc = Open(*client_, &journal);
  FamilyState state = *fc->State();
  ASSERT_TRUE(fc->Put({.item = Event("w", 1)}));
  ASSERT_TRUE(fc->Update({.key = {{"pk", "w"}, {"ts", 1}}, .update_expression = "SET n = :n",
                          .expression_attribute_values = {{":n", 5}}}));
  ASSERT_EQ(journal.changes.size(), 2u);
  EXPECT_EQ(journal.changes[1].primary_table, state.WriteTables()[0]);
  EXPECT_EQ(journal.changes[1].mirror_tables, std::vector<std::string>{state.WriteTables()[1]});
  ASSERT_TRUE(journal.changes[1].new_image);
  EXPECT_EQ(journal.changes[1].new_image->at("n"), Value(5));
  EXPECT_FALSE(Direct(state.WriteTables()[1], {{"pk", "w"}, {"ts", 1}}));
}
// A write-sharded family: its shard count lives in the registry, is raised
// from 4 to 8 by another process, and everything written under 4 is still
// read back, through point reads and one query merged over periods x shards.
TEST_F(FamilyClientTest, ShardedWritesSurviveRaisingTheRecordedShardCount) {
  Declare();
  ASSERT_TRUE(registry_->RaiseShards("events", 4));
  auto fc = Open(*client_);
  ASSERT_TRUE(fc);
  auto history = fc->Shards();
  ASSERT_TRUE(history) << history.error().ToString();
  EXPECT_EQ(history->ToString(), "4@0");
  auto policy = partitioning::NewRandomSuffixPolicy(*history, /*seed=*/11);
  std::set<std::string> physical;
  auto write = [&](int ts) {
    ASSERT_TRUE(fc->SyncShards(*policy));
    Item item = Event("device#1", ts);
    auto key = policy->WriteKey("device#1", item);
    ASSERT_TRUE(key);
    item["pk"] = *key;
    physical.insert(*key);
    auto put = fc->Put({.item = item});
    ASSERT_TRUE(put) << put.error().ToString();
  };
  for (int ts = 0; ts < 40; ++ts) write(ts);
  EXPECT_EQ(physical,
            (std::set<std::string>{"device#1#0", "device#1#1", "device#1#2", "device#1#3"}));

  // Another process raises the count; this one sees it at its next refresh,
  // and the new generation starts after every writer has (90 s here).
  auto other_client = backend_->NewClient();
  Registry other(*other_client, RegistryOptions{.environment = "test", .clock = &clock_});
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  auto raised = other.RaiseShards("events", 8);
  ASSERT_TRUE(raised) << raised.error().ToString();
  EXPECT_EQ(raised->shards->ToString(), "4@0,8@" + std::to_string(now + 90));
  clock_.Advance(91s);
  physical.clear();
  for (int ts = 40; ts < 80; ++ts) write(ts);
  EXPECT_EQ(policy->history(), *raised->shards);
  EXPECT_GT(physical.size(), 4u);
  EXPECT_TRUE(std::any_of(physical.begin(), physical.end(),
                          [](const std::string& k) { return k.back() >= '4'; }));

  // The next day's period: the query covers two periods x eight shards.
  clock_.Advance(24h);
  Rotate();
  ASSERT_TRUE(fc->Refresh());
  for (int ts = 80; ts < 90; ++ts) write(ts);
  QueryRequest q{.key_condition_expression = "pk = :pk",
                 .expression_attribute_values = {{":pk", "device#1"}}};
  for (int page_size : {7, 100}) {
    std::vector<Item> got;
    std::optional<std::string> token;
    do {
      auto merged = fc->ShardedQuery(q, *policy, token, MergedQueryOptions{.page_size = page_size});
      ASSERT_TRUE(merged) << merged.error().ToString();
      auto page = (*merged)->NextPage();
      ASSERT_TRUE(page) << page.error().ToString();
      got.insert(got.end(), page->items.begin(), page->items.end());
      token = page->next_token;
    } while (token);
    ASSERT_EQ(got.size(), 90u) << page_size;
    for (int i = 0; i < 90; ++i) EXPECT_EQ(got[i].at("ts"), Value(i));
  }
  // A policy built afresh from the registry finds an item written under 4.
  auto fresh = partitioning::NewRandomSuffixPolicy(partitioning::ShardHistory(4), 5);
  auto got = fc->ShardedGet({.key = {{"pk", "device#1"}, {"ts", 3}}}, *fresh);
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_TRUE(got->item);
  EXPECT_EQ(fresh->history().current(), 8);  // synced from the registry
  EXPECT_EQ(got->item->at("pk").s().substr(0, 9), "device#1#");
  EXPECT_FALSE(fc->ShardedGet({.key = {{"pk", "device#1"}, {"ts", 999}}}, *fresh)->item);
  EXPECT_FALSE(fc->ShardedQuery({.index_name = "x"}, *policy));
}


TEST_F(FamilyClientTest, WriteBehindBatchWritesCopyOneAndJournalsEachEntry) {
  Declare(MirrorMode::kWriteBehind);
  RecordingJournal journal;
  auto fc = Open(*client_, &journal);
  FamilyState state = *fc->State();
  std::vector<WriteRequest> writes;
  for (int i = 0; i < 30; ++i) writes.push_back({.put_item = Event("b", i)});
  writes.push_back({.delete_key = Item{{"pk", "b"}, {"ts", 100}}});
  auto batch = fc->BatchWrite(writes);
  ASSERT_TRUE(batch) << batch.error().ToString();
  ASSERT_EQ(batch->copies.size(), 1u);
  EXPECT_TRUE(batch->copies[0].failed.empty());
  EXPECT_EQ(batch->journaled, 31u);
  ASSERT_EQ(journal.changes.size(), 31u);
  EXPECT_EQ(journal.changes[0].mirror_tables, std::vector<std::string>{state.WriteTables()[1]});
  ASSERT_TRUE(journal.changes[7].new_image);
  EXPECT_EQ(journal.changes[7].key, (Item{{"pk", "b"}, {"ts", 7}}));
  EXPECT_TRUE(journal.changes[7].new_image->contains("_moe_ts"));
  EXPECT_FALSE(journal.changes[30].new_image);  // the delete
  EXPECT_TRUE(Direct(state.WriteTables()[0], {{"pk", "b"}, {"ts", 7}}));
  EXPECT_FALSE(Direct(state.WriteTables()[1], {{"pk", "b"}, {"ts", 7}}));
}

}  // namespace
}  // namespace moe
