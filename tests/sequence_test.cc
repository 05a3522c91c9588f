// The Sequence strategy on dynalite and on the embedded engine: the seed's
// scenario, many owners, a crash between flushes, cleaning, a rotation
// between write and read, and throttled batches.
#include <gtest/gtest.h>

#include <thread>

#include "moe/faulty_transport.h"
#include "moe/sequence.h"
#include "tests/persistence_fixture.h"

namespace moe {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNov1 = 1793493000;  // 2026-11-01T00:30:00Z

Item Entry(int i) { return {{"i", i}, {"label", "item " + std::to_string(i)}, {"even", i % 2 == 0}}; }

std::vector<Item> Entries(int n) {
  std::vector<Item> items;
  for (int i = 1; i <= n; ++i) items.push_back(Entry(i));
  return items;
}

class SequenceTest : public FamilyFixture {
 protected:
  SequenceTest() : FamilyFixture(ManualClock::FromUnixSeconds(kNov1)) {}

  void SetUp() override {
    FamilySpec spec = SequenceStrategy().ExampleSpec("seqs", Period::kDay);
    spec.copies = 2;
    spec.retention = 3;
    ASSERT_NO_FATAL_FAILURE(Start(spec));
    auto seqs = Sequences::Open(*client_, *family_, {.consistent_reads = true, .clock = &clock_});
    ASSERT_TRUE(seqs) << seqs.error().ToString();
    seqs_ = std::move(*seqs);
  }

  // A client whose requests pass through a fault-injecting transport.
  std::unique_ptr<DynamoDbClient> FaultyClient(FaultOptions faults, int max_attempts = 3) {
    inner_.push_back(backend_->NewTransport());
    faulty_ = std::make_shared<FaultyTransport>(*inner_.back(), std::move(faults));
    ClientOptions options{.clock = &retry_clock_, .transport = faulty_};
    options.retry.max_attempts = max_attempts;
    return backend_->NewClient(std::move(options));
  }

  std::vector<SequenceInfo> ListAll(Sequences& seqs, const std::string& owner,
                                    int page_size = 100) {
    std::vector<SequenceInfo> out;
    std::optional<std::string> token;
    do {
      auto list = seqs.List(owner, token, page_size);
      EXPECT_TRUE(list) << list.error().ToString();
      if (!list) break;
      auto page = list->NextPage();
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page) break;
      out.insert(out.end(), page->sequences.begin(), page->sequences.end());
      token = page->next_token;
    } while (token);
    return out;
  }

  SequenceInfo Write(const std::string& owner, const std::vector<Item>& items,
                     Item payload = {}) {
    Collector c = seqs_->NewSequence(owner);
    for (const Item& item : items) EXPECT_TRUE(c.Add(item));
    auto saved = c.Save(std::move(payload));
    EXPECT_TRUE(saved) << saved.error().ToString();
    clock_.Advance(1ms);  // ids order by creation time
    return saved ? *saved : SequenceInfo{};
  }

  // Items in copy 1 of the write period (metadata included).
  size_t StoredItems() {
    auto state = family_->State();
    size_t n = 0;
    for (auto& page : client_->ScanPages({.table_name = state->WriteTables()[0]})) {
      EXPECT_TRUE(page);
      if (page) n += page->items.size();
    }
    return n;
  }

  std::unique_ptr<Sequences> seqs_;
  std::vector<std::shared_ptr<Transport>> inner_;
  std::shared_ptr<FaultyTransport> faulty_;
};

TEST_F(SequenceTest, TheSeedScenario) {
  Collector c = seqs_->NewSequence("owner-1");
  for (const Item& item : Entries(101)) ASSERT_TRUE(c.Add(item));
  EXPECT_EQ(c.count(), 101);
  auto saved = c.Save({{"title", "seed"}, {"n", 3}});
  ASSERT_TRUE(saved) << saved.error().ToString();

  std::vector<SequenceInfo> listed = ListAll(*seqs_, "owner-1");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], *saved);
  EXPECT_EQ(listed[0].count, 101);
  EXPECT_EQ(listed[0].payload, (Item{{"title", "seed"}, {"n", 3}}));
  auto items = seqs_->ReadAll("owner-1", c.id());
  ASSERT_TRUE(items) << items.error().ToString();
  EXPECT_EQ(items->size(), 101u);
  EXPECT_EQ(*items, Entries(101));  // in order: 2 before 10, typed values intact
  EXPECT_TRUE(ListAll(*seqs_, "owner-2").empty());

  // Mirrored: both copies hold every item.
  auto state = family_->State();
  for (const std::string& table : state->WriteTables()) {
    auto count = client_->Scan({.table_name = table, .select = Select::kCount});
    ASSERT_TRUE(count);
    EXPECT_EQ(count->count, 102) << table;
  }
}

TEST_F(SequenceTest, ReservedAttributesAreRefused) {
  Collector c = seqs_->NewSequence("o");
  EXPECT_EQ(c.Add({{"sk", "x"}}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.Add({{"_moe_ts", 1}}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.count(), 0);
  EXPECT_EQ(seqs_->Resume("o", "not-an-id").error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SequenceTest, ListsNewestFirstAcrossPages) {
  std::vector<std::string> ids;
  for (int s = 0; s < 23; ++s) ids.push_back(Write("pager", Entries(s % 3)).id);
  std::reverse(ids.begin(), ids.end());
  for (int page_size : {1, 5, 23, 100}) {
    std::vector<SequenceInfo> listed = ListAll(*seqs_, "pager", page_size);
    ASSERT_EQ(listed.size(), ids.size()) << page_size;
    for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(listed[i].id, ids[i]);
  }
  // An empty sequence is a sequence: listed, zero items.
  EXPECT_EQ(seqs_->ReadAll("pager", ids.back())->size(), 0u);
}

// Many owners with many sequences each, written from two threads, read back
// equal. The full size (1,000 owners x 20 x 100 = 2M items) takes minutes and
// is bench/sequence_bench.cc's engine_full; here 50 x 20 x 20 (20,000 items)
// on the engine and 10 x 4 x 25 on dynalite.
TEST_F(SequenceTest, ManyOwnersReadBackEqual) {
  const bool engine = backend_->name() != "dynalite";
  const int owners = engine ? 50 : 10, per_owner = engine ? 20 : 4, items = engine ? 20 : 25;
  std::vector<std::vector<std::string>> ids(owners);
  auto write = [&](int from, int to) {
    for (int o = from; o < to; ++o) {
      for (int s = 0; s < per_owner; ++s) {
        Collector c = seqs_->NewSequence("owner-" + std::to_string(o));
        for (int i = 1; i <= items; ++i) {
          ASSERT_TRUE(c.Add({{"i", i}, {"o", o}, {"s", s}}));
        }
        ASSERT_TRUE(c.Save({{"s", s}}));
        ids[o].push_back(c.id());
      }
    }
  };
  std::thread other(write, 0, owners / 2);
  write(owners / 2, owners);
  other.join();

  size_t read = 0;
  for (int o = 0; o < owners; ++o) {
    std::vector<SequenceInfo> listed = ListAll(*seqs_, "owner-" + std::to_string(o));
    ASSERT_EQ(listed.size(), static_cast<size_t>(per_owner));
    for (const SequenceInfo& info : listed) {
      auto reader = seqs_->Read(info);
      ASSERT_TRUE(reader);
      int i = 0;
      while (!reader->done()) {
        auto chunk = reader->Next();
        ASSERT_TRUE(chunk) << chunk.error().ToString();
        for (const Item& item : *chunk) {
          ++i;
          ASSERT_EQ(item, (Item{{"i", i}, {"o", o}, {"s", info.payload.at("s")}}));
        }
      }
      EXPECT_EQ(i, items);
      read += i;
    }
  }
  EXPECT_EQ(read, static_cast<size_t>(owners) * per_owner * items);
}

// The process dies between two flushes: what it wrote is invisible; running
// it again with the same id completes the sequence, once.
TEST_F(SequenceTest, ACrashBetweenFlushesLeavesNothingVisibleAndTheRetryCompletesOnce) {
  auto client = FaultyClient(
      {.internal_error = 1.0,
       .filter = [](std::string_view target) { return target.ends_with(".BatchWriteItem"); }},
      /*max_attempts=*/1);
  faulty_->set_enabled(false);
  auto family = OpenFamily(*client, /*retry_budget=*/1);
  auto seqs = Sequences::Open(*client, *family,
                              {.batch_limit = 10, .consistent_reads = true, .clock = &clock_});
  ASSERT_TRUE(seqs);
  std::string id;
  {
    Collector c = (*seqs)->NewSequence("crash");
    id = c.id();
    for (int i = 1; i <= 20; ++i) ASSERT_TRUE(c.Add(Entry(i)));  // two flushes land
    faulty_->set_enabled(true);
    for (int i = 21; i < 30; ++i) ASSERT_TRUE(c.Add(Entry(i)));
    Status failed = c.Add(Entry(30));  // the third flush fails
    ASSERT_FALSE(failed);
    EXPECT_EQ(c.unflushed(), 10u);
  }  // ... and the process dies here.
  faulty_->set_enabled(false);
  EXPECT_EQ(StoredItems(), 20u);
  EXPECT_TRUE(ListAll(**seqs, "crash").empty());
  EXPECT_FALSE(*seqs_->Find("crash", id));
  EXPECT_EQ(seqs_->ReadAll("crash", id).error().code(), ErrorCode::kResourceNotFound);
  auto found = seqs_->Clean("crash", {.dry_run = true});
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->abandoned.empty());  // younger than abandon_after: in progress

  // The retry: the same id, the same items.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto again = seqs_->Resume("crash", id);
    ASSERT_TRUE(again);
    for (const Item& item : Entries(45)) ASSERT_TRUE(again->Add(item));
    auto saved = again->Save({{"attempt", attempt}});
    ASSERT_TRUE(saved) << saved.error().ToString();
    EXPECT_EQ(saved->count, 45);
    EXPECT_EQ(saved->payload, (Item{{"attempt", 0}}));  // the second run changes nothing
    clock_.Advance(1s);
  }
  std::vector<SequenceInfo> listed = ListAll(*seqs_, "crash");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].count, 45);
  EXPECT_EQ(*seqs_->ReadAll("crash", id), Entries(45));
  EXPECT_EQ(StoredItems(), 46u);

  // Other items under the same id are not the same sequence.
  auto other = seqs_->Resume("crash", id);
  ASSERT_TRUE(other->Add(Entry(99)));
  EXPECT_EQ(other->Save().error().code(), ErrorCode::kConditionalCheckFailed);
}

TEST_F(SequenceTest, ARerunSaveReturnsTheMetadataTheFirstSaveReturned) {
  clock_.Advance(std::chrono::nanoseconds(123'456));  // not a whole microsecond
  Collector first = seqs_->NewSequence("rerun");
  for (const Item& item : Entries(3)) ASSERT_TRUE(first.Add(item));
  auto saved = first.Save({{"k", "v"}});
  ASSERT_TRUE(saved) << saved.error().ToString();
  clock_.Advance(1s);
  auto again = seqs_->Resume("rerun", first.id());
  ASSERT_TRUE(again);
  for (const Item& item : Entries(3)) ASSERT_TRUE(again->Add(item));
  auto resaved = again->Save({{"k", "v"}});
  ASSERT_TRUE(resaved) << resaved.error().ToString();
  EXPECT_EQ(*resaved, *saved);
  EXPECT_EQ(*seqs_->Find("rerun", first.id()), *saved);
}

TEST_F(SequenceTest, AFailedMetadataWritePublishesNothingAndSaveCanBeRetried) {
  auto client = FaultyClient(
      {.internal_error = 1.0,
       .filter = [](std::string_view target) { return target.ends_with(".PutItem"); }},
      /*max_attempts=*/1);
  auto family = OpenFamily(*client);
  auto seqs = Sequences::Open(*client, *family, {.consistent_reads = true, .clock = &clock_});
  ASSERT_TRUE(seqs);
  Collector c = (*seqs)->NewSequence("meta");
  for (const Item& item : Entries(30)) ASSERT_TRUE(c.Add(item));
  ASSERT_FALSE(c.Save());
  EXPECT_TRUE(ListAll(*seqs_, "meta").empty());
  faulty_->set_enabled(false);
  auto saved = c.Save();
  ASSERT_TRUE(saved) << saved.error().ToString();
  EXPECT_EQ(*seqs_->ReadAll("meta", c.id()), Entries(30));
}

// Several writers: items 1..30 by one, 31..40 and the Save by another.
TEST_F(SequenceTest, ItemsWrittenElsewhereAreCheckedWhenSaved) {
  Collector first = seqs_->NewSequence("multi");
  for (const Item& item : Entries(30)) ASSERT_TRUE(first.Add(item));
  ASSERT_TRUE(first.Flush());
  auto second = seqs_->Resume("multi", first.id(), 30);
  ASSERT_TRUE(second);
  std::vector<Item> all = Entries(40);
  for (int i = 30; i < 40; ++i) ASSERT_TRUE(second->Add(all[i]));
  auto saved = second->Save();
  ASSERT_TRUE(saved) << saved.error().ToString();
  EXPECT_EQ(saved->count, 40);
  EXPECT_EQ(*seqs_->ReadAll("multi", first.id()), all);
  // One collector with the same 40 items is the same sequence: idempotent.
  auto whole = seqs_->Resume("multi", first.id());
  for (const Item& item : all) ASSERT_TRUE(whole->Add(item));
  EXPECT_EQ(whole->Save()->digest, saved->digest);

  auto short_of_items = seqs_->Resume("multi", seqs_->NewSequence("multi").id(), 5);
  EXPECT_EQ(short_of_items->Save().error().code(), ErrorCode::kResourceNotFound);
}

TEST_F(SequenceTest, CleaningRemovesAbandonedItemsAndBlocksALateSave) {
  SequenceInfo kept = Write("cl", Entries(12));
  Collector abandoned = seqs_->NewSequence("cl");
  for (const Item& item : Entries(40)) ASSERT_TRUE(abandoned.Add(item));
  ASSERT_TRUE(abandoned.Flush());
  // A re-run that saved fewer items than an earlier crashed run wrote.
  Collector longer = seqs_->NewSequence("cl");
  for (const Item& item : Entries(8)) ASSERT_TRUE(longer.Add(item));
  ASSERT_TRUE(longer.Flush());
  auto shorter = seqs_->Resume("cl", longer.id());
  for (const Item& item : Entries(5)) ASSERT_TRUE(shorter->Add(item));
  ASSERT_TRUE(shorter->Save());
  EXPECT_EQ(StoredItems(), 13u + 40u + 9u);

  clock_.Advance(2h);
  auto dry = seqs_->Clean("cl", {.dry_run = true});
  ASSERT_TRUE(dry) << dry.error().ToString();
  EXPECT_EQ(dry->abandoned, std::vector<std::string>{abandoned.id()});
  EXPECT_EQ(dry->orphan_items, 43u);
  EXPECT_EQ(dry->items_deleted, 0u);
  auto cleaned = seqs_->Clean("cl");
  ASSERT_TRUE(cleaned) << cleaned.error().ToString();
  EXPECT_EQ(cleaned->items_deleted, 43u);
  EXPECT_EQ(StoredItems(), 13u + 1u + 6u);  // the tombstone stays
  EXPECT_EQ(seqs_->Clean("cl")->orphan_items, 0u);

  EXPECT_EQ(abandoned.Save().error().code(), ErrorCode::kConditionalCheckFailed);
  std::vector<SequenceInfo> listed = ListAll(*seqs_, "cl");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(*seqs_->ReadAll("cl", kept.id), Entries(12));
  EXPECT_EQ(*seqs_->ReadAll("cl", longer.id()), Entries(5));
}

// Written before a rotation, listed and read after it; one sequence
// straddles the rotation.
TEST_F(SequenceTest, ReadsSpanARotation) {
  SequenceInfo before = Write("rot", Entries(60), {{"day", 1}});
  Collector straddling = seqs_->NewSequence("rot");
  for (int i = 1; i <= 50; ++i) ASSERT_TRUE(straddling.Add(Entry(i)));
  ASSERT_TRUE(straddling.Flush());

  FamilyState day1 = *family_->State();
  clock_.Advance(24h);
  Rotate();
  ASSERT_TRUE(family_->Refresh());
  ASSERT_NE(family_->State()->write_period, day1.write_period);

  for (int i = 51; i <= 101; ++i) ASSERT_TRUE(straddling.Add(Entry(i)));
  ASSERT_TRUE(straddling.Save({{"day", 2}}));
  SequenceInfo after = Write("rot", Entries(7), {{"day", 2}});

  std::vector<SequenceInfo> listed = ListAll(*seqs_, "rot", 2);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].id, after.id);
  EXPECT_EQ(listed[1].id, straddling.id());
  EXPECT_EQ(listed[2].id, before.id);
  EXPECT_EQ(*seqs_->ReadAll("rot", before.id), Entries(60));
  EXPECT_EQ(*seqs_->ReadAll("rot", straddling.id()), Entries(101));
  EXPECT_EQ(*seqs_->ReadAll("rot", after.id), Entries(7));
  auto clean = seqs_->Clean("rot", {.dry_run = true});
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->orphan_items, 0u);  // the straddler's day-1 items are covered
}

// Writes go through BatchWriteItem, reads through Query: 10% of each throttled.
TEST_F(SequenceTest, TenPercentOfBatchRequestsThrottledLosesNothing) {
  auto client = FaultyClient(
      {.seed = 5,
       .throttle = 0.1,
       .filter = [](std::string_view target) {
         return target.ends_with(".BatchWriteItem") || target.ends_with(".Query");
       }});
  auto family = OpenFamily(*client);
  auto seqs = Sequences::Open(*client, *family,
                              {.read_chunk = 40, .consistent_reads = true, .clock = &clock_});
  ASSERT_TRUE(seqs);
  std::vector<std::string> ids;
  for (int s = 0; s < 12; ++s) {
    Collector c = (*seqs)->NewSequence("hot");
    for (int i = 1; i <= 120; ++i) {
      Status added = c.Add(Entry(i));
      ASSERT_TRUE(added) << added.error().ToString();
    }
    auto saved = c.Save();
    ASSERT_TRUE(saved) << saved.error().ToString();
    ids.push_back(c.id());
    clock_.Advance(1ms);
  }
  for (const std::string& id : ids) {
    auto items = (*seqs)->ReadAll("hot", id);
    ASSERT_TRUE(items) << items.error().ToString();
    EXPECT_EQ(*items, Entries(120));
  }
  EXPECT_GT(faulty_->count(FaultKind::kThrottle), 10u);
  EXPECT_EQ(ListAll(*seqs_, "hot").size(), 12u);
}

}  // namespace
}  // namespace moe
