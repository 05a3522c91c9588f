// The time-series strategy: events per key, merged across periods and shards.
#include "moe/timeseries.h"

#include <algorithm>

#include "moe/merged_query.h"
#include "persistence/common.h"

namespace moe {
namespace {

constexpr int kTimeDigits = 16;
constexpr int64_t kMaxMicros = 9'999'999'999'999'999;  // 16 digits: the year 2286

std::string RangeKey(int64_t micros, std::string_view id) {
  return persistence::Padded(micros, kTimeDigits) + "." + std::string(id);
}

}  // namespace

KeyLayout TimeSeriesStrategy::Layout() const {
  return {.hash = "series key (S), or the shard of it a ShardSelector picks",
          .range = "\"<event time, µs since the epoch, 16 digits>.<event id>\" (S)",
          .attributes = {"the caller's attributes",
                         "optional TTL attribute: event time + ttl, epoch seconds (N)"}};
}

std::vector<AccessPattern> TimeSeriesStrategy::AccessPatterns() const {
  return {
      {.name = "append an event (TimeSeries::Append)",
       .request = "PutItem to the write period, every copy",
       .cost = "ceil(event size / 1 KB) WCU per copy"},
      {.name = "append many events (TimeSeries::AppendBatch)",
       .request = "BatchWriteItem, 25 puts per request, every copy",
       .cost = "ceil(event size / 1 KB) WCU per event and copy"},
      {.name = "a key's events in [from, to) (TimeSeries::Range)",
       .request = "Query key = :k AND ts BETWEEN :from AND :to per read period that can hold "
                  "the range and per shard, merged by time",
       .cost = "ceil(bytes read per Query page / 4 KB) x 0.5 RCU, at least 0.5 RCU per "
               "period and shard queried"},
  };
}

Status TimeSeriesStrategy::CheckFamily(const FamilySpec& spec) const {
  MOE_TRY_STATUS(internal::RequireKeys(name(), spec, ScalarAttributeType::kS,
                                       ScalarAttributeType::kS));
  if (spec.period == Period::kNone) {
    return Error::InvalidArgument("timeseries strategy: family '" + spec.name +
                                  "' needs a period (HOUR, DAY, WEEK or MONTH)");
  }
  return Ok();
}

FamilySpec TimeSeriesStrategy::ExampleSpec(std::string family, Period period) const {
  FamilySpec spec;
  spec.name = std::move(family);
  spec.attribute_definitions = {{"key", ScalarAttributeType::kS},
                                {"ts", ScalarAttributeType::kS}};
  spec.key_schema = {{"key", KeyType::kHash}, {"ts", KeyType::kRange}};
  spec.period = period == Period::kNone ? Period::kDay : period;
  return spec;
}

TimeSeries::TimeSeries(DynamoDbClient& client, FamilyClient& family, TimeSeriesOptions options,
                       internal::KeyAttributeNames keys, Clock& clock)
    : client_(client),
      family_(family),
      options_(std::move(options)),
      keys_(std::move(keys)),
      clock_(clock) {
  if (options_.sharding == nullptr) options_.sharding = &no_sharding_;
}

Result<std::unique_ptr<TimeSeries>> TimeSeries::Open(DynamoDbClient& client, FamilyClient& family,
                                                     TimeSeriesOptions options) {
  MOE_TRY(FamilyState state, family.State());
  MOE_TRY_STATUS(TimeSeriesStrategy().CheckFamily(state.spec));
  MOE_TRY(auto keys, internal::RequireKeys("timeseries", state.spec, ScalarAttributeType::kS,
                                           ScalarAttributeType::kS));
  Clock& clock = options.clock != nullptr ? *options.clock : client.clock();
  return std::unique_ptr<TimeSeries>(
      new TimeSeries(client, family, std::move(options), std::move(keys), clock));
}

Result<Item> TimeSeries::ToItem(Event& event) {
  if (auto reserved = persistence::FirstReserved(event.data, keys_)) {
    return Error::InvalidArgument("attribute '" + *reserved +
                                  "' is reserved (a key name, or starts with _moe)");
  }
  if (options_.ttl && event.data.contains(options_.ttl_attribute)) {
    return Error::InvalidArgument("attribute '" + options_.ttl_attribute +
                                  "' is the TTL attribute");
  }
  const int64_t micros = persistence::Micros(event.at);
  if (micros < 0 || micros > kMaxMicros) {
    return Error::InvalidArgument("event time outside 1970..2286");
  }
  if (event.at > clock_.Now() + options_.future_tolerance) {
    return Error::InvalidArgument("event time is further ahead than future_tolerance");
  }
  if (event.id.empty()) event.id = persistence::RandomHex(12);
  Item item = event.data;
  item[keys_.hash] = options_.sharding->WriteKey(event.key);
  item[keys_.range] = RangeKey(micros, event.id);
  if (options_.ttl) {
    auto expires = std::chrono::duration_cast<std::chrono::seconds>(
        event.at.time_since_epoch() + *options_.ttl);
    item[options_.ttl_attribute] = Value(static_cast<int64_t>(expires.count()));
  }
  return item;
}

Result<std::string> TimeSeries::Append(std::string_view key, Clock::TimePoint at, Item data,
                                       std::string id) {
  Event event{.key = std::string(key), .at = at, .id = std::move(id), .data = std::move(data)};
  MOE_TRY(Item item, ToItem(event));
  MOE_TRY_STATUS(family_.Put({.item = std::move(item)}));
  return event.id;
}

Result<std::vector<Event>> TimeSeries::AppendBatch(std::vector<Event> events) {
  std::vector<WriteRequest> writes;
  writes.reserve(events.size());
  for (Event& e : events) {
    MOE_TRY(Item item, ToItem(e));
    writes.push_back({.put_item = std::move(item)});
  }
  MOE_TRY(MirroredBatch batch, family_.BatchWrite(std::move(writes)));
  const std::vector<FailedWrite>& failed = batch.copies.front().failed;
  if (!failed.empty()) {
    const Error& first = failed.front().error;
    return Error(first.code(), std::to_string(failed.size()) + " of " +
                                   std::to_string(events.size()) +
                                   " events not written: " + first.message());
  }
  return events;
}

Result<EventPage> TimeSeries::Range(std::string_view key, Clock::TimePoint from,
                                    Clock::TimePoint to, const RangeOptions& options) {
  if (to < from) return Error::InvalidArgument("range: `to` is before `from`");
  if (options.page_size < 1) return Error::InvalidArgument("range: page_size must be >= 1");
  const int64_t lo = std::clamp<int64_t>(persistence::Micros(from), 0, kMaxMicros);
  const int64_t hi = std::clamp<int64_t>(persistence::Micros(to), 0, kMaxMicros);
  if (lo >= hi) return EventPage{};
  MOE_TRY(FamilyState state, family_.State());

  // Keys "<lo>.<id>" are above "<lo>" and keys "<hi>.<id>" above "<hi>", so
  // BETWEEN "<lo>" AND "<hi>" is exactly lo <= t < hi.
  std::vector<QueryRequest> sources;
  const std::vector<std::string> shards = options_.sharding->ReadKeys(key);
  for (PeriodIndex p : state.ReadPeriods()) {
    // A period's tables hold events written during it, stamped before its
    // end plus the tolerance.
    if (p.period != Period::kNone && p.End() + options_.future_tolerance <= from) continue;
    for (const std::string& shard : shards) {
      sources.push_back(
          {.table_name = state.Tables(p).front(),
           .key_condition_expression = "#h = :k AND #r BETWEEN :lo AND :hi",
           .expression_attribute_names = {{"#h", keys_.hash}, {"#r", keys_.range}},
           .expression_attribute_values = {{":k", shard},
                                           {":lo", persistence::Padded(lo, kTimeDigits)},
                                           {":hi", persistence::Padded(hi, kTimeDigits)}},
           .consistent_read = options_.consistent_reads});
    }
  }
  if (sources.empty()) return EventPage{};
  MOE_TRY(auto merged,
          MergedQuery::Start(client_, std::move(sources),
                             {.sort_key = keys_.range,
                              .key_attributes = {keys_.hash, keys_.range},
                              .scan_index_forward = !options.descending,
                              .page_size = options.page_size},
                             options.token));
  MOE_TRY(MergedPage page, merged->NextPage());
  EventPage out{.next_token = std::move(page.next_token)};
  for (Item& item : page.items) {
    const Value& range = item.at(keys_.range);
    std::string_view text = range.is(Type::kS) ? std::string_view(range.s()) : "";
    auto micros = persistence::ParsePadded(text.substr(0, kTimeDigits), kTimeDigits);
    if (!micros || text.size() <= kTimeDigits + 1 || text[kTimeDigits] != '.') {
      return Error::BadResponse("time series: range key '" + std::string(text) +
                                "' is not the strategy's");
    }
    Event event{.key = std::string(key),
                .at = persistence::FromMicros(*micros),
                .id = std::string(text.substr(kTimeDigits + 1))};
    if (options_.ttl) item.erase(options_.ttl_attribute);
    event.data = persistence::WithoutReserved(std::move(item), keys_);
    out.events.push_back(std::move(event));
  }
  return out;
}

}  // namespace moe
