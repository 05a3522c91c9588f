// TrickleConsumer: leases shards, reads them, applies changes to the mirror
// at a capped write rate, and checkpoints (docs/journal-mirror.md).

#include <cmath>
#include <map>
#include <random>

#include "mirror/lease.h"
#include "mirror/token_bucket.h"
#include "moe/journal_mirror.h"

namespace moe::mirror {

namespace {

std::string RandomId() {
  std::random_device rd;
  char buf[32];
  std::snprintf(buf, sizeof buf, "consumer-%08x%08x", rd(), rd());
  return buf;
}

int64_t Millis(Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace

class TrickleConsumer::Impl {
 public:
  Impl(DynamoDbClient& dynamo, KinesisClient& kinesis, TrickleOptions options)
      : dynamo_(dynamo),
        kinesis_(kinesis),
        options_(std::move(options)),
        clock_(options_.clock != nullptr ? *options_.clock : dynamo.clock()),
        leases_(dynamo, options_.lease_table, options_.stream_name),
        bucket_(clock_, options_.max_wcu, options_.burst_wcu) {
    if (options_.consumer_id.empty()) options_.consumer_id = RandomId();
  }

  struct Owned {
    internal::Lease lease;
    std::optional<std::string> iterator;  // none: start again from the checkpoint
    bool closed = false;                  // a closed shard read to its end
    int64_t millis_behind = 1;            // from the last GetRecords; unknown at first
  };

  Result<RoundStats> RunOnce() {
    MOE_TRY(std::vector<kinesis::Shard> shards, kinesis_.ListAllShards(options_.stream_name));
    RoundStats round;
    std::optional<Error> first_error;
    auto note = [&](Error e) {
      if (!first_error) first_error = std::move(e);
    };
    int64_t now = Millis(clock_);
    for (const kinesis::Shard& shard : shards) {
      auto it = owned_.find(shard.shard_id);
      if (it == owned_.end()) {
        auto taken = leases_.Take(shard.shard_id, options_.consumer_id, now, Duration());
        if (!taken) {
          note(std::move(taken).error());
        } else if (*taken) {
          owned_[shard.shard_id] = Owned{.lease = std::move(**taken)};
          ++stats_.leases_taken;
        }
      } else if (it->second.lease.expires_ms - now < Duration() / 2) {
        auto renewed = leases_.Renew(it->second.lease, "", now, Duration());
        if (!renewed) note(std::move(renewed).error());
        if (renewed && !*renewed) Lose(it);
      }
    }
    for (auto it = owned_.begin(); it != owned_.end();) {
      auto next = std::next(it);
      if (Status s = Process(it, round); !s) note(std::move(s).error());
      it = next;
    }
    round.shards_owned = owned_.size();
    if (first_error) return *first_error;
    return round;
  }

  Result<int> RunUntilCaughtUp(int max_rounds) {
    for (int rounds = 1;; ++rounds) {
      MOE_TRY(RoundStats round, RunOnce());
      bool behind = false;
      for (const auto& [id, owned] : owned_) behind |= !owned.closed && owned.millis_behind > 0;
      if ((round.records_read == 0 && !behind) || rounds >= max_rounds) return rounds;
    }
  }

  Status ReleaseLeases() {
    std::optional<Error> first_error;
    for (const auto& [id, owned] : owned_) {
      auto released = leases_.Release(owned.lease);
      if (!released && !first_error) first_error = std::move(released).error();
    }
    owned_.clear();
    if (first_error) return *first_error;
    return Ok();
  }

  Status CreateLeaseTable() { return leases_.Create(); }
  const std::string& consumer_id() const { return options_.consumer_id; }
  ConsumerStats stats() const { return stats_; }

 private:
  using OwnedMap = std::map<std::string, Owned>;

  int64_t Duration() const { return options_.lease_duration.count(); }

  void Lose(OwnedMap::iterator it) {
    ++stats_.leases_lost;
    owned_.erase(it);
  }

  Result<std::string> NewIterator(const Owned& owned) {
    kinesis::GetShardIteratorRequest request{.stream_name = options_.stream_name,
                                             .shard_id = owned.lease.shard_id};
    if (!owned.lease.checkpoint.empty()) {
      request.shard_iterator_type = kinesis::ShardIteratorType::kAfterSequenceNumber;
      request.starting_sequence_number = owned.lease.checkpoint;
    }
    MOE_TRY(auto response, kinesis_.GetShardIterator(request));
    return std::move(response.shard_iterator);
  }

  Result<kinesis::GetRecordsResponse> Fetch(Owned& owned) {
    for (int attempt = 0;; ++attempt) {
      if (!owned.iterator) {
        MOE_TRY(owned.iterator, NewIterator(owned));
      }
      auto page = kinesis_.GetRecords({.shard_iterator = *owned.iterator,
                                       .limit = options_.batch_limit});
      if (page || page.error().code() != ErrorCode::kExpiredIterator || attempt > 0) return page;
      owned.iterator.reset();  // idle too long: start again from the checkpoint
    }
  }

  // Applies one batch of the shard and checkpoints it.
  Status Process(OwnedMap::iterator it, RoundStats& round) {
    Owned& owned = it->second;
    if (owned.closed) return Ok();
    MOE_TRY(kinesis::GetRecordsResponse page, Fetch(owned));
    std::string last;
    for (const kinesis::Record& record : page.records) {
      ++round.records_read;
      ++stats_.records_read;
      auto change = DecodeChange(record.data);
      if (change && Mine(*change)) {
        Status applied = ApplyAndHook(*change, record, owned.lease.shard_id, round);
        if (!applied) {
          // As after a crash: nothing of this batch is checkpointed, and
          // reading starts again from the checkpoint.
          owned.iterator.reset();
          return applied;
        }
      }
      last = record.sequence_number;
    }
    owned.millis_behind = page.millis_behind_latest;
    owned.iterator = std::move(page.next_shard_iterator);
    if (!owned.iterator) owned.closed = true;
    int64_t now = Millis(clock_);
    if (last.empty() && owned.lease.expires_ms - now >= Duration() / 2) return Ok();
    MOE_TRY(bool ours, leases_.Renew(owned.lease, last, now, Duration()));
    if (!ours) {
      Lose(it);
      return Ok();
    }
    if (!last.empty()) ++stats_.checkpoints;
    return Ok();
  }

  Status ApplyAndHook(const Change& change, const kinesis::Record& record,
                      const std::string& shard_id, RoundStats& round) {
    MOE_TRY(bool applied, Apply(change));
    ++(applied ? round.applied : round.stale);
    ++(applied ? stats_.applied : stats_.stale);
    if (!options_.hook) return Ok();
    return options_.hook(change, RecordPosition{shard_id, record.sequence_number,
                                                record.approximate_arrival_timestamp});
  }

  // Whether the change is for the mirror table this consumer applies to.
  bool Mine(const Change& change) const {
    if (options_.mirror_table.empty()) return !change.mirror_table.empty();
    return change.mirror_table.empty() || change.mirror_table == options_.mirror_table;
  }

  // Writes the change unless the mirror holds this version or a newer one.
  // True when written, false when rejected as stale.
  Result<bool> Apply(const Change& change) {
    const std::string& attr = options_.version_attribute;
    const std::string& table =
        options_.mirror_table.empty() ? change.mirror_table : options_.mirror_table;
    Item item = change.deleted ? change.key : change.image;
    item[attr] = Value(change.version);
    if (change.deleted) item[std::string(kTombstoneAttribute)] = Value(true);
    double cost = change.deleted ? 1.0 : std::max(1.0, std::ceil(ItemSize(item) / 1024.0));
    stats_.rate_wait += bucket_.Take(cost);
    stats_.wcu_spent += cost;
    auto put = dynamo_.PutItem({.table_name = table,
                                .item = std::move(item),
                                .condition_expression = "attribute_not_exists(#v) OR #v < :v",
                                .expression_attribute_names = {{"#v", attr}},
                                .expression_attribute_values = {{":v", Value(change.version)}}});
    if (put) return true;
    if (put.error().code() == ErrorCode::kConditionalCheckFailed) return false;
    return std::move(put).error();
  }

  DynamoDbClient& dynamo_;
  KinesisClient& kinesis_;
  TrickleOptions options_;
  Clock& clock_;
  internal::LeaseTable leases_;
  internal::TokenBucket bucket_;
  OwnedMap owned_;
  ConsumerStats stats_;
};

TrickleConsumer::TrickleConsumer(DynamoDbClient& dynamo, KinesisClient& kinesis,
                                 TrickleOptions options)
    : impl_(std::make_unique<Impl>(dynamo, kinesis, std::move(options))) {}
TrickleConsumer::~TrickleConsumer() = default;

Status TrickleConsumer::CreateLeaseTable() { return impl_->CreateLeaseTable(); }
Result<RoundStats> TrickleConsumer::RunOnce() { return impl_->RunOnce(); }
Result<int> TrickleConsumer::RunUntilCaughtUp(int max_rounds) {
  return impl_->RunUntilCaughtUp(max_rounds);
}
Status TrickleConsumer::ReleaseLeases() { return impl_->ReleaseLeases(); }
const std::string& TrickleConsumer::consumer_id() const { return impl_->consumer_id(); }
ConsumerStats TrickleConsumer::stats() const { return impl_->stats(); }

}  // namespace moe::mirror
