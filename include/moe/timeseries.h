// The time-series strategy: events per key in a table family with a period
// (daily tables, say), so old data leaves by dropping whole tables.
//
//   hash key   the series key (S), or the shard of it a ShardSelector picks
//   range key  "<event time, µs since the epoch, 16 digits>.<event id>" (S):
//              sorts by time (up to the year 2286), then by id
//   ttl        optional: epoch seconds of (event time + ttl), for a table
//              with DynamoDB TTL enabled on that attribute
//
//   MOE_TRY(auto series, moe::TimeSeries::Open(*client, *family));
//   MOE_TRY(std::string id, series->Append("sensor-7", clock.Now(), {{"temp", 21}}));
//   MOE_TRY(moe::EventPage page, series->Range("sensor-7", from, to));   // oldest first
//   // page.next_token resumes: series->Range("sensor-7", from, to, {.token = ...})
//
// An event is written to the family's write period at the time of writing
// (whatever its own timestamp), so Range reads every read period whose
// tables can hold the range: a period ending more than future_tolerance
// before `from` holds no event of the range (Append refuses events stamped
// further ahead than future_tolerance) and is skipped. Periods, and shards
// of a hot key, are merged by time behind one token (merged_query.h); the
// token stays valid until the family rotates.
//
// Thread safety: TimeSeries is safe for concurrent use (its ShardSelector
// must be too).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/family_client.h"
#include "moe/strategy.h"

namespace moe {

class TimeSeriesStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "timeseries"; }
  KeyLayout Layout() const override;
  std::vector<AccessPattern> AccessPatterns() const override;
  // Needs a HASH key of type S, a RANGE key of type S and a period other
  // than NONE.
  Status CheckFamily(const FamilySpec& spec) const override;
  // Hash "key", range "ts", daily unless `period` says otherwise.
  FamilySpec ExampleSpec(std::string family, Period period) const override;
};

// The seam for write sharding of hot keys (implement it over one of the
// partitioning module's policies, moe/sharding.h, or any rule of your own):
// which hash-key value an event of a series is
// written under, and every value a read of the series must merge.
// Implementations must be safe for concurrent use, and ReadKeys must cover
// every key WriteKey ever returned for the series while its data lives.
class ShardSelector {
 public:
  virtual ~ShardSelector() = default;
  // The hash-key value for the next event of `key` (e.g. "key#3").
  virtual std::string WriteKey(std::string_view key) = 0;
  // Every hash-key value events of `key` may be under.
  virtual std::vector<std::string> ReadKeys(std::string_view key) const = 0;
};

// The default: one hash-key value per series, the key itself.
class NoSharding final : public ShardSelector {
 public:
  std::string WriteKey(std::string_view key) override { return std::string(key); }
  std::vector<std::string> ReadKeys(std::string_view key) const override {
    return {std::string(key)};
  }
};

struct TimeSeriesOptions {
  // When set, every event carries ttl_attribute = event time + ttl, in epoch
  // seconds. Enabling TTL on the tables (UpdateTimeToLive) is the table
  // owner's step. Default: no TTL.
  std::optional<std::chrono::seconds> ttl;
  // Default: "expires_at".
  std::string ttl_attribute = "expires_at";
  // How far ahead of the writer's clock an event may be stamped. Default: 5 min.
  std::chrono::milliseconds future_tolerance{300'000};
  // Borrowed; must outlive the TimeSeries. Default: NoSharding.
  ShardSelector* sharding = nullptr;
  // Strongly consistent Range reads. Default: false.
  bool consistent_reads = false;
  // Time for the future check and generated ids. Default: the client's clock. Borrowed.
  Clock* clock = nullptr;
};

struct Event {
  std::string key;  // the series (not its shard)
  Clock::TimePoint at{};
  std::string id;   // unique among the series' events at the same microsecond
  Item data;        // the caller's attributes
  friend bool operator==(const Event&, const Event&) = default;
};

struct RangeOptions {
  // Resume from an EventPage's next_token. Default: from the start.
  std::optional<std::string> token;
  // Events per page. Default: 100.
  int page_size = 100;
  // Newest first. Default: false (oldest first).
  bool descending = false;
};

struct EventPage {
  std::vector<Event> events;
  std::optional<std::string> next_token;  // nullopt: the range is exhausted
};

class TimeSeries {
 public:
  // Checks the family with TimeSeriesStrategy::CheckFamily. `client` and
  // `family` are borrowed. Errors: kInvalidArgument (a family that does not
  // fit), the registry's.
  static Result<std::unique_ptr<TimeSeries>> Open(DynamoDbClient& client, FamilyClient& family,
                                                  TimeSeriesOptions options = {});

  // Writes one event (to every copy; see FamilyClient::Put) and returns its
  // id (`id` when given, else a fresh random one). Writing the same key,
  // time and id again replaces the event. Errors: kInvalidArgument (a
  // reserved attribute: the key names, the TTL attribute, "_moe*"; a time
  // before the epoch or beyond future_tolerance), FamilyClient::Put's.
  Result<std::string> Append(std::string_view key, Clock::TimePoint at, Item data,
                             std::string id = "");
  // Many events through the batch engine (FamilyClient::BatchWrite); ids
  // left empty are generated. Returns the events as written (ids set).
  // Errors: Append's (checked before anything is sent); when copy 1 did not
  // take some events, the batch engine's first failure, its message counting
  // them (re-sending the same events with their ids is idempotent).
  Result<std::vector<Event>> AppendBatch(std::vector<Event> events);

  // `key`'s events with from <= at < to, in time order, one page. Errors:
  // kInvalidArgument (to < from, page_size < 1, a token of another range
  // or from before a rotation), MergedQuery's.
  Result<EventPage> Range(std::string_view key, Clock::TimePoint from, Clock::TimePoint to,
                          const RangeOptions& options = {});

 private:
  TimeSeries(DynamoDbClient& client, FamilyClient& family, TimeSeriesOptions options,
             internal::KeyAttributeNames keys, Clock& clock);
  Result<Item> ToItem(Event& event);

  DynamoDbClient& client_;
  FamilyClient& family_;
  TimeSeriesOptions options_;
  internal::KeyAttributeNames keys_;
  Clock& clock_;
  NoSharding no_sharding_;
};

}  // namespace moe
