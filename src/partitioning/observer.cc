#include <set>
#include <shared_mutex>

#include "moe/partition_observer.h"
#include "partitioning/wire_scan.h"

namespace moe::partitioning {
namespace {

class PartitionObserver final : public CallObserver {
 public:
  explicit PartitionObserver(ObserverOptions options)
      : options_(std::move(options)), hash_keys_(options_.hash_keys) {}

  Clock::Duration BeforeAttempt(const AttemptInfo& attempt) override {
    if (!options_.limiter) return Clock::Duration::zero();
    internal::RequestView view = Read(attempt);
    std::vector<std::pair<BucketId, double>> taken;
    for (const BucketId& id : Buckets(view)) {
      double units = options_.limiter->EstimatedUnits(id);
      Clock::Duration wait = options_.limiter->Acquire(id, options_.lane, units);
      if (wait > Clock::Duration::zero()) {
        // All or nothing: give back what the other buckets granted.
        for (const auto& [granted, estimate] : taken) {
          options_.limiter->OnConsumed(granted, estimate, 0);
        }
        return wait;
      }
      taken.emplace_back(id, units);
    }
    return Clock::Duration::zero();
  }

  void AfterAttempt(const AttemptInfo& attempt, std::string_view response_body,
                    const Error* error) override {
    if (error == nullptr) Learn(attempt.operation, response_body);
    // Other errors leave the estimate charged (a failed condition check
    // consumes capacity too) and heat alone.
    if (error != nullptr && !error->throttling()) return;
    bool throttled = error != nullptr;
    internal::RequestView view = Read(attempt);
    std::vector<ConsumedCapacity> consumed =
        throttled ? std::vector<ConsumedCapacity>{} : internal::ReadConsumedCapacity(response_body);
    if (options_.limiter) {
      for (const BucketId& id : Buckets(view)) {
        double estimate = options_.limiter->EstimatedUnits(id);
        if (throttled) {
          options_.limiter->OnThrottled(id, estimate);
        } else {
          std::optional<double> units = UnitsFor(consumed, id.table, id.index);
          options_.limiter->OnConsumed(id, estimate, units.value_or(estimate));
        }
      }
    }
    // A batch answer lists what it did not process: throttled keys.
    internal::RequestView unprocessed;
    if (!throttled) {
      unprocessed = internal::ReadUnprocessed(attempt.operation, response_body, Lookup());
      if (options_.limiter) {
        for (const BucketId& id : Buckets(unprocessed)) options_.limiter->OnThrottled(id, 0);
      }
    }
    if (!options_.heat && !options_.load) return;
    std::multiset<std::pair<std::string, std::string>> refused;
    for (const internal::Target& t : unprocessed.targets) refused.emplace(t.table, t.key);
    // A table's units are shared evenly by its processed keys in this attempt.
    std::vector<bool> target_throttled(view.targets.size(), throttled);
    std::map<std::string, int, std::less<>> keys_per_table;
    for (size_t i = 0; i < view.targets.size(); ++i) {
      const internal::Target& t = view.targets[i];
      auto it = refused.find({t.table, t.key});
      if (it != refused.end()) {
        refused.erase(it);
        target_throttled[i] = true;
      } else {
        ++keys_per_table[t.table];
      }
    }
    for (size_t i = 0; i < view.targets.size(); ++i) {
      const internal::Target& t = view.targets[i];
      if (t.key.empty()) continue;
      double units = 0;
      if (!target_throttled[i]) {
        int n = keys_per_table[t.table];
        units = UnitsFor(consumed, t.table, t.index).value_or(options_.default_units * n) / n;
      }
      std::string key = t.table + "/" + t.key;
      if (options_.heat) options_.heat->Observe(key, units, target_throttled[i]);
      if (options_.load) {
        options_.load->Record(key, units, target_throttled[i] ? options_.default_units : 0);
      }
    }
  }

 private:
  internal::HashKeyLookup Lookup() {
    return [this](const std::string& name) { return HashKey(name); };
  }
  internal::RequestView Read(const AttemptInfo& attempt) {
    return internal::ReadRequest(attempt.operation, attempt.request_body, Lookup());
  }

  static std::vector<BucketId> Buckets(const internal::RequestView& view) {
    std::set<BucketId> ids;
    for (const internal::Target& t : view.targets) {
      if (!t.table.empty()) ids.insert(BucketId{t.table, t.index, view.direction});
    }
    return {ids.begin(), ids.end()};
  }

  // Units the answer charged to `table` (to `index`, when the answer breaks
  // them down by index).
  static std::optional<double> UnitsFor(const std::vector<ConsumedCapacity>& consumed,
                                        const std::string& table, const std::string& index) {
    for (const ConsumedCapacity& c : consumed) {
      if (c.table_name != table) continue;
      if (!index.empty()) {
        auto gsi = c.global_secondary_indexes.find(index);
        if (gsi != c.global_secondary_indexes.end()) return gsi->second.capacity_units;
        auto lsi = c.local_secondary_indexes.find(index);
        if (lsi != c.local_secondary_indexes.end()) return lsi->second.capacity_units;
      }
      return c.capacity_units;
    }
    return std::nullopt;
  }

  std::string HashKey(const std::string& table_or_index) {
    std::shared_lock lock(mu_);
    auto it = hash_keys_.find(table_or_index);
    return it == hash_keys_.end() ? std::string() : it->second;
  }

  // Key schemas from DescribeTable and CreateTable answers.
  void Learn(std::string_view operation, std::string_view body) {
    if (operation != "DescribeTable" && operation != "CreateTable") return;
    std::optional<TableDescription> d;
    if (operation == "DescribeTable") {
      if (auto r = Parse<DescribeTableResponse>(body)) d = std::move(r->table);
    } else if (auto r = Parse<CreateTableResponse>(body)) {
      d = std::move(r->table_description);
    }
    if (!d) return;
    std::unique_lock lock(mu_);
    auto learn = [&](const std::string& name, const KeySchema& schema) {
      for (const KeySchemaElement& e : schema) {
        if (e.key_type == KeyType::kHash) hash_keys_.try_emplace(name, e.attribute_name);
      }
    };
    learn(d->table_name, d->key_schema);
    for (const auto& i : d->global_secondary_indexes) learn(d->table_name + "/" + i.index_name, i.key_schema);
    for (const auto& i : d->local_secondary_indexes) learn(d->table_name + "/" + i.index_name, i.key_schema);
  }

  const ObserverOptions options_;
  std::shared_mutex mu_;
  std::map<std::string, std::string> hash_keys_;
};

}  // namespace

std::shared_ptr<CallObserver> NewPartitionObserver(ObserverOptions options) {
  return std::make_shared<PartitionObserver>(std::move(options));
}

Status LoadCapacity(DynamoDbClient& client, RateLimiter& limiter, const std::string& table) {
  MOE_TRY(DescribeTableResponse described, client.DescribeTable({.table_name = table}));
  const TableDescription& d = described.table;
  auto declare = [&](const std::string& index,
                     const std::optional<ProvisionedThroughputDescription>& p) {
    if (!p || (p->read_capacity_units == 0 && p->write_capacity_units == 0)) return;
    limiter.SetCapacity({table, index, Direction::kRead}, static_cast<double>(p->read_capacity_units));
    limiter.SetCapacity({table, index, Direction::kWrite},
                        static_cast<double>(p->write_capacity_units));
  };
  if (d.billing_mode == BillingMode::kPayPerRequest) return Ok();
  declare("", d.provisioned_throughput);
  for (const IndexDescription& i : d.global_secondary_indexes) {
    declare(i.index_name, i.provisioned_throughput);
  }
  return Ok();
}

}  // namespace moe::partitioning
