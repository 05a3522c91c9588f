// The engine's side of the partition simulator: what each request charges,
// the errors DynamoDB throttles with, and the report.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-diagnosing-workflow.html
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html

#include "local/engine.h"

namespace moe::local {

namespace {

constexpr std::string_view kTableExceeded =
    "The level of configured provisioned throughput for the table was exceeded. Consider "
    "increasing your provisioning level with the UpdateTable API.";
constexpr std::string_view kIndexExceeded =
    "The level of configured provisioned throughput for one or more global secondary indexes of "
    "the table was exceeded. Consider increasing your provisioning level for the "
    "under-provisioned global secondary indexes with the UpdateTable API";
constexpr std::string_view kTableThrottled =
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically "
    "scaling your table or index so please try again shortly. If exceptions persist, check if you "
    "have a hot key: "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";
constexpr std::string_view kIndexThrottled =
    "Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB "
    "is automatically scaling your index so please try again shortly.";

bool IsGsi(const SimCharge& c) { return c.index != nullptr && c.index->global; }

// ResourceType + OperationType + LimitType.
std::string ReasonOf(const SimCharge& c, const SimThrottle& t) {
  std::string reason = IsGsi(c) ? "Index" : "Table";
  reason += c.write ? "Write" : "Read";
  reason += !t.on_demand && t.resource_exhausted ? "ProvisionedThroughputExceeded"
                                                 : "KeyRangeThroughputExceeded";
  return reason;
}

std::string ResourceOf(const SimCharge& c) {
  return IsGsi(c) ? c.table->arn + "/index/" + c.index->name : c.table->arn;
}

uint64_t HashOf(const Item& item, const std::string& attribute) {
  auto it = item.find(attribute);
  return it != item.end() ? HashKeyValue(it->second) : 0;
}

}  // namespace

void EngineImpl::AppendWriteCharges(const Table& table, const Item& key, const CapacityMeter& meter,
                                    const WriteOutcome& outcome, size_t owner,
                                    std::vector<SimCharge>* out) {
  out->push_back({.table = &table,
                  .hash = HashOf(key, table.key.hash.name),
                  .units = meter.table_and_local_units(),
                  .write = true,
                  .owner = owner});
  for (const auto& [name, units] : meter.gsi_units()) {
    const IndexState* index = table.FindIndex(name);
    if (index == nullptr) continue;
    // The partition of the item's index key: the new one, else the old one.
    const std::optional<Item>& where =
        outcome.new_item && outcome.new_item->contains(index->key.hash.name) ? outcome.new_item
                                                                              : outcome.old_item;
    out->push_back({.table = &table,
                    .index = index,
                    .hash = where ? HashOf(*where, index->key.hash.name) : 0,
                    .units = units,
                    .write = true,
                    .owner = owner});
  }
}

std::vector<SimThrottle> EngineImpl::ChargeAll(std::span<const SimCharge> charges) {
  if (sim_ == nullptr || charges.empty()) return {};
  return sim_->Charge(charges, clock_.Now());
}

Error EngineImpl::ThrottleError(std::span<const SimCharge> charges,
                                std::span<const SimThrottle> throttles) const {
  bool on_demand = throttles.front().on_demand;
  bool table = false;
  auto detail = std::make_shared<ErrorDetail>();
  for (const SimThrottle& t : throttles) {
    const SimCharge& c = charges[t.charge];
    table = table || !IsGsi(c);
    ThrottlingReason reason{ReasonOf(c, t), ResourceOf(c)};
    if (std::find(detail->throttling_reasons.begin(), detail->throttling_reasons.end(), reason) ==
        detail->throttling_reasons.end()) {
      detail->throttling_reasons.push_back(std::move(reason));
    }
  }
  Error error = on_demand
                    ? Error(ErrorCode::kThrottling, std::string(table ? kTableThrottled : kIndexThrottled))
                    : Error(ErrorCode::kProvisionedThroughputExceeded,
                            std::string(table ? kTableExceeded : kIndexExceeded));
  error.set_detail(std::move(detail));
  return error;
}

CancellationReason EngineImpl::ThrottleCancellation(const Error& throttle) {
  return {throttle.code() == ErrorCode::kThrottling ? "ThrottlingError"
                                                    : "ProvisionedThroughputExceeded",
          throttle.message(), std::nullopt};
}

Status EngineImpl::SimulateRead(const Table& table, const IndexState* index, uint64_t hash,
                                double units) {
  if (sim_ == nullptr) return Ok();
  SimCharge charge{.table = &table, .index = index, .hash = hash, .units = units};
  std::vector<SimThrottle> throttles = sim_->Charge({&charge, 1}, clock_.Now());
  if (throttles.empty()) return Ok();
  return ThrottleError({&charge, 1}, throttles);
}

Status EngineImpl::SimulateWrite(const Table& table, const Item& key, const CapacityMeter& meter,
                                 const WriteOutcome& outcome) {
  if (sim_ == nullptr) return Ok();
  std::vector<SimCharge> charges;
  AppendWriteCharges(table, key, meter, outcome, 0, &charges);
  std::vector<SimThrottle> throttles = ChargeAll(charges);
  if (throttles.empty()) return Ok();
  return ThrottleError(charges, throttles);
}

SimulatorReport EngineImpl::SimulatorMetrics() {
  if (sim_ == nullptr) return {};
  std::shared_lock catalog(catalog_mu_);
  Clock::TimePoint now = clock_.Now();
  std::vector<std::string> live;
  for (auto& [name, entry] : tables_) {
    if (entry->table.Gone(now)) continue;
    std::lock_guard<std::mutex> lock(entry->mu);
    sim_->Sync(entry->table, now);
    live.push_back(name);
  }
  sim_->Retain(live);
  return sim_->Report(now);
}

}  // namespace moe::local
