// The time-series strategy on dynalite and on the embedded engine: events
// across rotations merged and paginated by time, period pruning, TTL, and
// the write-sharding seam.
#include <gtest/gtest.h>

#include <atomic>

#include "moe/timeseries.h"
#include "tests/persistence_fixture.h"

namespace moe {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNov1 = 1793491200;  // 2026-11-01T00:00:00Z

// Spreads a key's events over `shards` hash keys, round robin.
class RoundRobin final : public ShardSelector {
 public:
  explicit RoundRobin(int shards) : shards_(shards) {}
  std::string WriteKey(std::string_view key) override {
    return std::string(key) + "#" + std::to_string(next_.fetch_add(1) % shards_);
  }
  std::vector<std::string> ReadKeys(std::string_view key) const override {
    std::vector<std::string> keys;
    for (int s = 0; s < shards_; ++s) keys.push_back(std::string(key) + "#" + std::to_string(s));
    return keys;
  }

 private:
  const int shards_;
  std::atomic<int> next_{0};
};

class TimeSeriesTest : public FamilyFixture {
 protected:
  TimeSeriesTest() : FamilyFixture(ManualClock::FromUnixSeconds(kNov1 + 11 * 3600)) {}  // 11:00

  void SetUp() override {
    FamilySpec spec = TimeSeriesStrategy().ExampleSpec("metrics", Period::kDay);
    spec.retention = 5;
    ASSERT_NO_FATAL_FAILURE(Start(spec));
  }

  void NextDay() {
    clock_.Advance(24h);
    Rotate();
    ASSERT_TRUE(family_->Refresh());
  }

  std::unique_ptr<TimeSeries> Open(TimeSeriesOptions options = {}) {
    options.clock = &clock_;
    options.consistent_reads = true;
    auto ts = TimeSeries::Open(*client_, *family_, std::move(options));
    EXPECT_TRUE(ts) << ts.error().ToString();
    return ts ? std::move(*ts) : nullptr;
  }

  std::vector<Event> All(TimeSeries& ts, const std::string& key, Clock::TimePoint from,
                         Clock::TimePoint to, int page_size = 100, bool descending = false) {
    std::vector<Event> out;
    RangeOptions options{.page_size = page_size, .descending = descending};
    do {
      auto page = ts.Range(key, from, to, options);
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page) break;
      out.insert(out.end(), page->events.begin(), page->events.end());
      options.token = page->next_token;
    } while (options.token);
    return out;
  }

  static Clock::TimePoint Day(int d) { return ManualClock::FromUnixSeconds(kNov1) + d * 24h; }

};

TEST_F(TimeSeriesTest, RangesMergeThreePeriodsInTimeOrderAtEveryPageSize) {
  auto ts = Open();
  // Day d holds hourly events 1..10; a late event for day 0 arrives on day 2.
  for (int d = 0; d < 3; ++d) {
    if (d > 0) NextDay();
    for (int h = 1; h <= 10; ++h) {
      ASSERT_TRUE(ts->Append("cpu", Day(d) + h * 1h, {{"v", d * 100 + h}}));
      ASSERT_TRUE(ts->Append("mem", Day(d) + h * 1h, {{"v", -h}}));
    }
  }
  ASSERT_TRUE(ts->Append("cpu", Day(0) + 90min, {{"v", 15}}, "late"));

  for (bool descending : {false, true}) {
    for (int page_size : {1, 4, 31, 100}) {
      std::vector<Event> got = All(*ts, "cpu", Day(0), Day(3), page_size, descending);
      ASSERT_EQ(got.size(), 31u) << page_size;
      for (size_t i = 1; i < got.size(); ++i) {
        EXPECT_TRUE(descending ? got[i - 1].at > got[i].at : got[i - 1].at < got[i].at);
      }
      const Event& late = got[descending ? 29 : 1];
      EXPECT_EQ(late.id, "late");
      EXPECT_EQ(late.data, (Item{{"v", 15}}));
      EXPECT_EQ(late.key, "cpu");
    }
  }
  // [from, to): an event exactly at `to` is left out, one at `from` kept.
  std::vector<Event> day1 = All(*ts, "cpu", Day(1) + 1h, Day(1) + 10h);
  ASSERT_EQ(day1.size(), 9u);
  EXPECT_EQ(day1.front().data.at("v"), Value(101));
  EXPECT_TRUE(All(*ts, "cpu", Day(1), Day(1)).empty());
  EXPECT_EQ(All(*ts, "mem", Day(0), Day(3)).size(), 30u);
  EXPECT_EQ(ts->Range("cpu", Day(2), Day(1)).error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(TimeSeriesTest, PeriodsThatCannotHoldTheRangeAreNotQueried) {
  auto ts = Open();
  for (int d = 0; d < 3; ++d) {
    if (d > 0) NextDay();
    ASSERT_TRUE(ts->Append("k", Day(d) + 2h, {{"d", d}}));
  }
  auto queries = [&](Clock::TimePoint from, size_t events) {
    uint64_t before = client_->stats().calls;
    EXPECT_EQ(All(*ts, "k", from, Day(3)).size(), events);
    return client_->stats().calls - before;
  };
  uint64_t all = queries(Day(0), 3);
  // Day 1's table may hold events stamped up to 5 min into day 2.
  EXPECT_EQ(all - queries(Day(2), 1), 1u);             // day 0 skipped
  EXPECT_EQ(all - queries(Day(2) + 10min, 1), 2u);     // days 0 and 1 skipped
}

TEST_F(TimeSeriesTest, TtlAttributeIsWrittenAndHidden) {
  auto ts = Open({.ttl = std::chrono::seconds(7 * 86400)});
  Clock::TimePoint at = Day(0) + 1h;
  auto id = ts->Append("t", at, {{"x", 1}});
  ASSERT_TRUE(id);
  auto stored = family_->Get(
      {.key = {{"key", "t"}, {"ts", "1793494800000000." + *id}}, .consistent_read = true});
  ASSERT_TRUE(stored && stored->item);
  EXPECT_EQ(stored->item->at("expires_at"), Value(kNov1 + 3600 + 7 * 86400));
  std::vector<Event> got = All(*ts, "t", Day(0), Day(1));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, (Item{{"x", 1}}));
  EXPECT_EQ(ts->Append("t", at, {{"expires_at", 5}}).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(TimeSeriesTest, AShardedKeyIsWrittenSpreadAndReadMerged) {
  RoundRobin shards(3);
  auto ts = Open({.sharding = &shards});
  std::vector<Event> batch;
  for (int i = 0; i < 30; ++i) {
    batch.push_back({.key = "hot", .at = Day(0) + i * 1min, .data = {{"i", i}}});
  }
  auto written = ts->AppendBatch(batch);
  ASSERT_TRUE(written) << written.error().ToString();
  ASSERT_TRUE(ts->AppendBatch(*written));  // re-sent with their ids: the same events
  for (const std::string& shard : shards.ReadKeys("hot")) {
    auto q = client_->Query({.table_name = family_->State()->WriteTables()[0],
                             .key_condition_expression = "#k = :k",
                             .expression_attribute_names = {{"#k", "key"}},
                             .expression_attribute_values = {{":k", shard}},
                             .select = Select::kCount});
    ASSERT_TRUE(q);
    EXPECT_EQ(q->count, 10) << shard;
  }
  std::vector<Event> got = All(*ts, "hot", Day(0), Day(1), 7);
  ASSERT_EQ(got.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(got[i].data.at("i"), Value(i));
}

TEST_F(TimeSeriesTest, RefusesWhatItCannotStore) {
  auto ts = Open();
  EXPECT_EQ(ts->Append("k", clock_.Now() + 1h, {}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ts->Append("k", clock_.Now() + 1min, {}));
  EXPECT_EQ(ts->Append("k", clock_.Now(), {{"ts", 1}}).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ts->Append("k", ManualClock::FromUnixSeconds(-5), {}).error().code(),
            ErrorCode::kInvalidArgument);

  FamilySpec flat = TimeSeriesStrategy().ExampleSpec("flat", Period::kDay);
  flat.environment = "test";
  flat.period = Period::kNone;
  ASSERT_TRUE(registry_->Declare(flat));
  ASSERT_TRUE(registry_->Rotate("flat"));
  auto fc = FamilyClient::Open(*client_, *registry_, "flat", {.clock = &clock_});
  ASSERT_TRUE(fc);
  EXPECT_EQ(TimeSeries::Open(*client_, **fc).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace moe
