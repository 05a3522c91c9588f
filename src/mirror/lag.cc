// MeasureLag: records after each shard's checkpoint, counted by reading them.

#include "mirror/lease.h"
#include "moe/journal_mirror.h"

namespace moe::mirror {

namespace {

// Empty pages in a row (with MillisBehindLatest > 0) read before giving up on a shard.
constexpr int kMaxEmptyPages = 5;

double Seconds(Clock& clock) {
  return std::chrono::duration<double>(clock.Now().time_since_epoch()).count();
}

}  // namespace

Result<std::vector<ShardLag>> MeasureLag(DynamoDbClient& dynamo, KinesisClient& kinesis,
                                         const std::string& stream,
                                         const std::string& lease_table, size_t max_records,
                                         Clock* clock) {
  Clock& c = clock != nullptr ? *clock : dynamo.clock();
  internal::LeaseTable leases(dynamo, lease_table, stream);
  MOE_TRY(std::vector<kinesis::Shard> shards, kinesis.ListAllShards(stream));
  std::vector<ShardLag> out;
  for (const kinesis::Shard& shard : shards) {
    ShardLag lag{.shard_id = shard.shard_id};
    // No lease table yet: no consumer has run, so the whole shard is behind.
    auto got = leases.Get(shard.shard_id);
    if (!got && got.error().code() != ErrorCode::kResourceNotFound) return got.error();
    std::optional<internal::Lease> lease = got ? std::move(*got) : std::nullopt;
    kinesis::GetShardIteratorRequest request{.stream_name = stream, .shard_id = shard.shard_id};
    if (lease) {
      lag.owner = lease->owner;
      lag.checkpoint = lease->checkpoint;
      if (!lease->checkpoint.empty()) {
        request.shard_iterator_type = kinesis::ShardIteratorType::kAfterSequenceNumber;
        request.starting_sequence_number = lease->checkpoint;
      }
    }
    MOE_TRY(auto iterator, kinesis.GetShardIterator(request));
    std::optional<std::string> next = std::move(iterator.shard_iterator);
    double oldest = 0;
    for (int empty = 0; next && empty < kMaxEmptyPages;) {
      MOE_TRY(auto page, kinesis.GetRecords({.shard_iterator = *next}));
      if (!page.records.empty() && oldest == 0) {
        oldest = page.records.front().approximate_arrival_timestamp;
      }
      lag.records_behind += page.records.size();
      if (lag.records_behind >= max_records) {
        lag.capped = true;
        break;
      }
      if (page.records.empty() && page.millis_behind_latest == 0) break;
      empty = page.records.empty() ? empty + 1 : 0;
      next = std::move(page.next_shard_iterator);
    }
    if (oldest > 0) lag.seconds_behind = std::max(0.0, Seconds(c) - oldest);
    out.push_back(std::move(lag));
  }
  return out;
}

}  // namespace moe::mirror
