// The family registry and rotation, on dynalite and on the embedded engine:
// a month of rotations on a manual clock, idempotence, racing rotators,
// the table budget, scaling, clock skew, and the mirrored manager table.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "moe/registry.h"
#include "tests/support/backend.h"

namespace moe {
namespace {

using namespace std::chrono_literals;

// 2026-11-01T00:30:00Z: rotations run half an hour after each boundary.
constexpr int64_t kNov1 = 1793493000;

FamilySpec EventsSpec(std::string name = "events") {
  FamilySpec spec;
  spec.name = std::move(name);
  spec.environment = "test";
  spec.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"ts", ScalarAttributeType::kN}};
  spec.key_schema = {{"pk", KeyType::kHash}, {"ts", KeyType::kRange}};
  spec.period = Period::kDay;
  spec.copies = 2;
  spec.retention = 7;
  spec.precreate = 1;
  spec.current_capacity = ProvisionedThroughput{10, 10};
  spec.older_capacity = ProvisionedThroughput{1, 1};
  return spec;
}

class RegistryTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    registry_ = std::make_unique<Registry>(*client_, Options());
    ASSERT_TRUE(registry_->EnsureTables());
  }

  RegistryOptions Options() {
    return {.environment = "test",
            .clock = &clock_,
            .skew_bound = 1min,
            .refresh_interval = 1min,
            .poll = 10ms};
  }

  // The family's tables, once the ones being deleted are gone.
  std::set<std::string> FamilyTables(const FamilySpec& spec) {
    std::set<std::string> out;
    std::optional<FamilyState> state;
    if (auto loaded = registry_->Load(spec.name)) state = *loaded;
    for (auto page : client_->ListTablesPages()) {
      EXPECT_TRUE(page);
      if (!page) break;
      for (const std::string& t : page->table_names) {
        auto parsed = ParseTableName(spec, t);
        if (!parsed) continue;
        bool live = state && std::binary_search(state->periods.begin(), state->periods.end(),
                                                parsed->period);
        auto status = client_->DescribeTable({.table_name = t});
        if (!live && !status) continue;  // deleted since it was listed
        if (!live && status->table.table_status == TableStatus::kDeleting) {
          EXPECT_TRUE(client_->WaitUntilDeleted(t, 30s, 10ms));
          continue;
        }
        out.insert(t);
      }
    }
    return out;
  }

  ManualClock clock_{ManualClock::FromUnixSeconds(kNov1)};
  std::unique_ptr<Registry> registry_;
};

TEST_F(RegistryTest, DeclareIsIdempotentAndGuardsTheTableShape) {
  FamilySpec spec = EventsSpec();
  auto first = registry_->Declare(spec);
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->version, 1);
  EXPECT_FALSE(first->write_period);
  EXPECT_EQ(registry_->Declare(spec)->version, 1);  // unchanged

  spec.retention = 3;  // mutable
  auto changed = registry_->Declare(spec);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->version, 2);
  EXPECT_EQ(registry_->Load("events")->spec.retention, 3);

  FamilySpec other_key = spec;
  other_key.key_schema = {{"pk", KeyType::kHash}};
  other_key.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
  EXPECT_EQ(registry_->Declare(other_key).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(registry_->Load("nope").error().code(), ErrorCode::kResourceNotFound);
  EXPECT_EQ(*registry_->ListFamilies(), std::vector<std::string>{"events"});
}

TEST_F(RegistryTest, AMonthOfDailyRotationsKeepsRetentionTimesCopies) {
  FamilySpec spec = EventsSpec();
  // A GSI: created with the table's capacity and scaled along with it.
  spec.attribute_definitions.push_back({"kind", ScalarAttributeType::kS});
  spec.global_secondary_indexes = {{.index_name = "by_kind",
                                    .key_schema = {{"kind", KeyType::kHash}},
                                    .projection = {ProjectionType::kKeysOnly, {}}}};
  ASSERT_TRUE(registry_->Declare(spec));
  int64_t last_epoch = 0;
  for (int day = 0; day < 30; ++day) {
    auto r = registry_->Rotate("events");
    ASSERT_TRUE(r) << "day " << day << ": " << r.error().ToString();
    EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();
    EXPECT_TRUE(r->epoch_flipped);
    EXPECT_EQ(r->state.epoch, last_epoch + 1);
    last_epoch = r->state.epoch;
    PeriodIndex today = PeriodIndex::Containing(Period::kDay, clock_.Now());
    EXPECT_EQ(r->state.write_period, today);
    // Pre-created: tomorrow's tables already exist.
    EXPECT_EQ(r->state.periods.back(), today.Next());
    clock_.Advance(24h);
  }
  FamilyState state = *registry_->Load("events");
  EXPECT_EQ(state.ReadPeriods().size(), 7u);
  EXPECT_EQ(state.periods.size(), 8u);  // 7 kept + 1 ahead
  std::set<std::string> tables = FamilyTables(spec);
  EXPECT_EQ(tables.size(), 8u * 2);
  for (PeriodIndex p : state.periods) {
    for (const std::string& t : state.Tables(p)) EXPECT_TRUE(tables.contains(t)) << t;
  }
  // Older periods were scaled down, the current one kept its capacity.
  auto old = client_->DescribeTable({.table_name = state.Tables(state.periods.front())[1]});
  ASSERT_TRUE(old);
  EXPECT_EQ(old->table.provisioned_throughput->write_capacity_units, 1);
  ASSERT_EQ(old->table.global_secondary_indexes.size(), 1u);
  EXPECT_EQ(old->table.global_secondary_indexes[0].provisioned_throughput->write_capacity_units, 1);
  auto cur = client_->DescribeTable({.table_name = state.WriteTables()[0]});
  EXPECT_EQ(cur->table.provisioned_throughput->write_capacity_units, 10);
}

TEST_F(RegistryTest, AFamilyWithoutPeriodsIsJustMirroredTables) {
  FamilySpec spec = EventsSpec();
  spec.period = Period::kNone;
  ASSERT_TRUE(registry_->Declare(spec));
  auto first = registry_->Rotate("events");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->state.WriteTables(),
            (std::vector<std::string>{"test_events_1", "test_events_2"}));
  clock_.Advance(24h * 400);
  auto later = registry_->Rotate("events");
  ASSERT_TRUE(later) << later.error().ToString();
  EXPECT_FALSE(later->registry_changed);
  EXPECT_TRUE(later->dropped.empty());
  EXPECT_EQ(FamilyTables(spec).size(), 2u);
}

TEST_F(RegistryTest, RotateTwiceChangesNothingTheSecondTime) {
  ASSERT_TRUE(registry_->Declare(EventsSpec()));
  auto first = registry_->Rotate("events");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->created.size(), 4u);  // today and tomorrow, two copies
  auto second = registry_->Rotate("events");
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->created.empty());
  EXPECT_TRUE(second->dropped.empty());
  EXPECT_TRUE(second->scaled.empty());
  EXPECT_FALSE(second->registry_changed);
  EXPECT_EQ(second->state.version, first->state.version);
}

TEST_F(RegistryTest, DryRunPlansWithoutChanging) {
  ASSERT_TRUE(registry_->Declare(EventsSpec()));
  auto plan = registry_->Rotate("events", {.dry_run = true});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->created.size(), 4u);
  EXPECT_TRUE(plan->epoch_flipped);
  EXPECT_TRUE(FamilyTables(EventsSpec()).empty());
  EXPECT_EQ(registry_->Load("events")->version, 1);
}

TEST_F(RegistryTest, RacingRotatorsAgreeOnOneEpochAndOneSetOfTables) {
  ASSERT_TRUE(registry_->Declare(EventsSpec()));
  ASSERT_TRUE(registry_->Rotate("events"));
  clock_.Advance(24h);  // a boundary: everyone wants to flip
  constexpr int kRotators = 4;
  std::vector<Result<RotationReport>> reports(kRotators, Error::InvalidArgument("not run"));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRotators; ++i) {
    threads.emplace_back([&, i] {
      auto client = backend_->NewClient();  // each "process" has its own client
      Registry registry(*client, Options());
      ready.fetch_add(1);
      while (ready.load() < kRotators) std::this_thread::yield();
      reports[i] = registry.Rotate("events");
    });
  }
  for (auto& t : threads) t.join();
  int flips = 0;
  std::multiset<std::string> created;
  for (auto& r : reports) {
    ASSERT_TRUE(r) << r.error().ToString();
    flips += r->epoch_flipped;
    created.insert(r->created.begin(), r->created.end());
  }
  EXPECT_EQ(flips, 1);
  EXPECT_EQ(created.size(), 2u);  // the day after tomorrow, two copies, made once
  EXPECT_EQ(std::set<std::string>(created.begin(), created.end()).size(), created.size());
  FamilyState state = *registry_->Load("events");
  EXPECT_EQ(state.epoch, 2);
  for (auto& r : reports) EXPECT_EQ(r->state.write_period, state.write_period);
}

TEST_F(RegistryTest, ASlowClockNeverMovesTheWritePeriodBack) {
  ASSERT_TRUE(registry_->Declare(EventsSpec()));
  ASSERT_TRUE(registry_->Rotate("events"));
  clock_.Advance(24h);
  ASSERT_TRUE(registry_->Rotate("events"));
  FamilyState flipped = *registry_->Load("events");

  ManualClock behind(clock_.Now() - 45min);  // still yesterday on this host
  RegistryOptions options = Options();
  options.clock = &behind;
  Registry lagging(*client_, options);
  auto r = lagging.Rotate("events");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(r->registry_changed);
  EXPECT_EQ(r->state.write_period, flipped.write_period);
  EXPECT_EQ(r->state.epoch, flipped.epoch);
}

TEST_F(RegistryTest, TheTableBudgetIsNeverExceeded) {
  ASSERT_TRUE(registry_->Declare(EventsSpec()));
  RegistryOptions options = Options();
  // The manager tables (2) and today's copies (2) fit; tomorrow's do not.
  options.table_budget = 4;
  Registry tight(*client_, options);
  auto r = tight.Rotate("events");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->created.size(), 2u);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("budget"), std::string::npos);

  options.table_budget = 3;  // not even the write period: refuse, flip nothing
  clock_.Advance(24h);
  Registry tighter(*client_, options);
  auto refused = tighter.Rotate("events");
  EXPECT_EQ(refused.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(registry_->Load("events")->epoch, 1);
}

TEST_F(RegistryTest, ArchiveReleasesTablesWithoutDeletingThem) {
  FamilySpec spec = EventsSpec();
  // On demand, with a GSI that must then carry no throughput.
  spec.current_capacity.reset();
  spec.older_capacity.reset();
  spec.attribute_definitions.push_back({"kind", ScalarAttributeType::kS});
  spec.global_secondary_indexes = {{.index_name = "by_kind",
                                    .key_schema = {{"kind", KeyType::kHash}},
                                    .projection = {ProjectionType::kAll, {}}}};
  spec.retention = 1;
  spec.precreate = 0;
  spec.copies = 1;
  ASSERT_TRUE(registry_->Declare(spec));
  ASSERT_TRUE(registry_->Rotate("events"));
  std::string first_table = registry_->Load("events")->WriteTables()[0];
  clock_.Advance(24h);
  auto r = registry_->Rotate("events", {.archive = true});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->dropped, std::vector<std::string>{first_table});
  EXPECT_TRUE(FamilyTables(spec).contains(first_table));
  EXPECT_EQ(r->state.periods.size(), 1u);
}

TEST_F(RegistryTest, WithinTheGraceAnExpiredPeriodStaysReadable) {
  FamilySpec spec = EventsSpec();
  spec.retention = 1;
  spec.precreate = 0;
  spec.copies = 1;
  ASSERT_TRUE(registry_->Declare(spec));
  clock_.Set(ManualClock::FromUnixSeconds(kNov1 - 30 * 60 + 24 * 3600 - 10));  // 23:59:50
  ASSERT_TRUE(registry_->Rotate("events"));
  clock_.Advance(20s);  // just past midnight: writers on the old epoch may still write
  auto r = registry_->Rotate("events");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->epoch_flipped);
  EXPECT_TRUE(r->dropped.empty());
  EXPECT_EQ(r->state.ReadPeriods().size(), 2u);
  // The rotation scaled yesterday's table down: it is UPDATING for a moment,
  // and a table being updated cannot be deleted.
  for (PeriodIndex p : r->state.periods) {
    ASSERT_TRUE(client_->WaitUntilActive(r->state.Tables(p)[0], 30s, 10ms));
  }
  clock_.Advance(3min);  // skew bound + refresh interval later
  auto gc = registry_->Rotate("events", {.collect_only = true});
  ASSERT_TRUE(gc);
  EXPECT_EQ(gc->dropped.size(), 1u);
  EXPECT_EQ(gc->state.ReadPeriods().size(), 1u);
  std::set<std::string> left = FamilyTables(spec);
  EXPECT_EQ(left.size(), 1u) << *left.begin() << " " << *left.rbegin();
}

TEST_F(RegistryTest, TheManagerTableIsMirroredAndReadFromTheNextCopy) {
  ASSERT_TRUE(registry_->Declare(EventsSpec()));
  ASSERT_TRUE(registry_->Rotate("events"));
  // Copy 2 falls behind (its record is lost); a rotation brings it forward.
  ASSERT_TRUE(client_->DeleteItem(
      {.table_name = registry_->TableName(2), .key = {{"family", "events"}, {"entry", "state"}}}));
  ASSERT_TRUE(registry_->Rotate("events"));
  auto copy2 = client_->GetItem({.table_name = registry_->TableName(2),
                                 .key = {{"family", "events"}, {"entry", "state"}},
                                 .consistent_read = true});
  ASSERT_TRUE(copy2 && copy2->item);
  EXPECT_EQ(DecodeFamilyState(*copy2->item)->version, registry_->Load("events")->version);
  // Copy 1 gone: readers fall back to copy 2.
  ASSERT_TRUE(client_->DeleteTable({.table_name = registry_->TableName(1)}));
  ASSERT_TRUE(client_->WaitUntilDeleted(registry_->TableName(1), 30s, 10ms));
  auto loaded = registry_->Load("events");
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  EXPECT_EQ(loaded->WriteTables().size(), 2u);
}

TEST_F(RegistryTest, TheShardHistoryIsRaisedByCompareAndSetAndRacingRaisersAgree) {
  ASSERT_TRUE(registry_->Declare(EventsSpec()));
  auto declared = registry_->Load("events");
  ASSERT_TRUE(declared);
  EXPECT_FALSE(declared->shards);
  auto first = registry_->RaiseShards("events", 4);
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->shards->ToString(), "4@0");  // the first record: since the epoch
  EXPECT_EQ(first->version, declared->version + 1);
  // A repeat, or a smaller count, changes nothing.
  EXPECT_EQ(registry_->RaiseShards("events", 4)->version, first->version);
  EXPECT_EQ(registry_->RaiseShards("events", 2)->version, first->version);
  EXPECT_EQ(registry_->RaiseShards("events", 0).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(registry_->RaiseShards("events", 10001).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(registry_->RaiseShards("nope", 8).error().code(), ErrorCode::kResourceNotFound);

  // Four processes raise to 8 at once: one generation is added, once.
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  constexpr int kRaisers = 4;
  std::vector<Result<FamilyState>> results(kRaisers, Error::InvalidArgument("not run"));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRaisers; ++i) {
    threads.emplace_back([&, i] {
      auto client = backend_->NewClient();
      Registry registry(*client, Options());
      ready.fetch_add(1);
      while (ready.load() < kRaisers) std::this_thread::yield();
      results[i] = registry.RaiseShards("events", 8);
    });
  }
  for (auto& t : threads) t.join();
  FamilyState state = *registry_->Load("events");
  // Skew bound and refresh interval (a minute each here) after the raise.
  EXPECT_EQ(state.shards->ToString(), "4@0,8@" + std::to_string(now + 120));
  EXPECT_EQ(state.version, first->version + 1);
  for (auto& r : results) {
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->shards, state.shards);
  }
  // The mirror copy of the manager table holds it too.
  auto copy2 = client_->GetItem({.table_name = registry_->TableName(2),
                                 .key = {{"family", "events"}, {"entry", "state"}},
                                 .consistent_read = true});
  ASSERT_TRUE(copy2 && copy2->item);
  EXPECT_EQ(DecodeFamilyState(*copy2->item)->shards, state.shards);

  // Rotation and a changed declaration keep it.
  ASSERT_TRUE(registry_->Rotate("events"));
  clock_.Advance(24h);
  ASSERT_TRUE(registry_->Rotate("events"));
  FamilySpec changed = EventsSpec();
  changed.retention = 5;
  ASSERT_TRUE(registry_->Declare(changed));
  EXPECT_EQ(registry_->Load("events")->shards, state.shards);
}

}  // namespace
}  // namespace moe
