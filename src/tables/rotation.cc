// Rotation: plan from the registry and the account's tables, create and wait,
// compare-and-set the new state, then drop and scale. Every step is
// idempotent, so a rotation that dies half-way is finished by the next one.
#include <algorithm>
#include <set>

#include "moe/registry.h"
#include "tables/registry_internals.h"

namespace moe {
namespace {

PeriodIndex Shift(PeriodIndex p, int64_t periods) {
  if (p.period == Period::kNone) return p;
  return {p.period, p.ordinal + periods};
}

std::string CapacityText(const std::optional<ProvisionedThroughput>& c) {
  if (!c) return "ON_DEMAND";
  return std::to_string(c->read_capacity_units) + "/" + std::to_string(c->write_capacity_units);
}

CreateTableRequest FamilyTable(const FamilySpec& spec, std::string name,
                               const std::optional<ProvisionedThroughput>& capacity) {
  CreateTableRequest create{.table_name = std::move(name)};
  create.attribute_definitions = spec.attribute_definitions;
  create.key_schema = spec.key_schema;
  create.local_secondary_indexes = spec.local_secondary_indexes;
  create.global_secondary_indexes = spec.global_secondary_indexes;
  if (capacity) {
    create.billing_mode = BillingMode::kProvisioned;
    create.provisioned_throughput = capacity;
    for (GlobalSecondaryIndex& gsi : create.global_secondary_indexes) {
      gsi.provisioned_throughput = capacity;
    }
  } else {
    // On-demand tables and their indexes must not carry throughput.
    create.billing_mode = BillingMode::kPayPerRequest;
    for (GlobalSecondaryIndex& gsi : create.global_secondary_indexes) {
      gsi.provisioned_throughput.reset();
    }
  }
  return create;
}

// The UpdateTable that brings `table` to `want`, or nullopt when it is there.
std::optional<UpdateTableRequest> ScaleRequest(const TableDescription& table,
                                               const std::optional<ProvisionedThroughput>& want) {
  bool on_demand = table.billing_mode == BillingMode::kPayPerRequest;
  UpdateTableRequest update{.table_name = table.table_name};
  if (!want) {
    if (on_demand) return std::nullopt;
    update.billing_mode = BillingMode::kPayPerRequest;
    return update;
  }
  const auto& have = table.provisioned_throughput;
  bool same = !on_demand && have && have->read_capacity_units == want->read_capacity_units &&
              have->write_capacity_units == want->write_capacity_units;
  if (same) return std::nullopt;
  if (on_demand) update.billing_mode = BillingMode::kProvisioned;
  update.provisioned_throughput = want;
  for (const IndexDescription& gsi : table.global_secondary_indexes) {
    update.global_secondary_index_updates.push_back(
        {.update_index_name = gsi.index_name, .update_provisioned_throughput = want});
  }
  return update;
}

Result<std::set<std::string>> ListAllTables(DynamoDbClient& client) {
  std::set<std::string> names;
  for (Result<ListTablesResponse> page : client.ListTablesPages()) {
    if (!page) return std::move(page).error();
    names.insert(page->table_names.begin(), page->table_names.end());
  }
  return names;
}

struct Plan {
  PeriodIndex write;
  std::vector<PeriodIndex> live;                  // ascending
  std::vector<std::string> to_create;             // write period first
  std::vector<PeriodIndex> expired;               // past retention and grace
  std::vector<std::string> to_drop;               // their existing tables
  std::vector<PeriodIndex> next_periods;          // the state to write
};

}  // namespace

Result<RotationReport> Registry::Rotate(std::string_view family, const RotateOptions& options) {
  using RI = RegistryInternals;
  RotationReport report;
  DynamoDbClient& client = RI::client(*this);
  const RegistryOptions& ropts = RI::options(*this);
  const auto grace = ropts.skew_bound + ropts.refresh_interval;

  for (int attempt = 0; attempt < RI::kMaxAttempts; ++attempt) {
    report.warnings.clear();
    MOE_TRY(FamilyState state, RI::LoadAndSync(*this, family, &report.warnings));
    const FamilySpec& spec = state.spec;
    const Clock::TimePoint now = RI::clock(*this).Now();
    MOE_TRY(std::set<std::string> existing, ListAllTables(client));

    Plan plan;
    // The write period never moves back, whatever this host's clock says.
    PeriodIndex current = PeriodIndex::Containing(spec.period, now);
    plan.write = state.write_period ? std::max(*state.write_period, current) : current;
    if (options.collect_only && state.write_period) plan.write = *state.write_period;
    for (int64_t i = -(spec.retention - 1); i <= spec.precreate; ++i) {
      PeriodIndex p = Shift(plan.write, i);
      if (plan.live.empty() || plan.live.back() < p) plan.live.push_back(p);
    }
    auto in_state = [&](PeriodIndex p) {
      return std::binary_search(state.periods.begin(), state.periods.end(), p);
    };
    auto complete = [&](PeriodIndex p, const std::set<std::string>& have) {
      for (const std::string& t : state.Tables(p)) {
        if (!have.contains(t)) return false;
      }
      return true;
    };

    // Create: the write period first, then the pre-created ones, then older
    // live periods already in the registry that lack a copy (copies raised).
    std::vector<PeriodIndex> create_order;
    for (PeriodIndex p : plan.live) {
      if (p >= plan.write) create_order.push_back(p);
    }
    for (PeriodIndex p : plan.live) {
      if (p < plan.write && in_state(p)) create_order.push_back(p);
    }
    if (!options.collect_only) {
      for (PeriodIndex p : create_order) {
        for (const std::string& t : state.Tables(p)) {
          if (!existing.contains(t)) plan.to_create.push_back(t);
        }
      }
    }

    // Past retention: registry periods and stray tables (a crashed
    // rotation's, a removed copy's) older than the live window, once their
    // grace has passed.
    std::set<PeriodIndex> old;
    for (PeriodIndex p : state.periods) old.insert(p);
    for (const std::string& t : existing) {
      if (auto parsed = ParseTableName(spec, t)) old.insert(parsed->period);
    }
    for (PeriodIndex p : old) {
      if (p.period == Period::kNone || !(p < plan.live.front())) continue;
      bool past_grace = Shift(p, spec.retention).Start() + grace <= now;
      if (past_grace) plan.expired.push_back(p);
    }
    for (const std::string& t : existing) {
      auto parsed = ParseTableName(spec, t);
      if (parsed && std::binary_search(plan.expired.begin(), plan.expired.end(), parsed->period)) {
        plan.to_drop.push_back(t);
      }
    }

    // Budget: tables beyond it are not created; the write period must fit.
    int room = ropts.table_budget - static_cast<int>(existing.size());
    if (static_cast<int>(plan.to_create.size()) > room) {
      report.warnings.push_back("table budget " + std::to_string(ropts.table_budget) +
                                " leaves room for " + std::to_string(std::max(room, 0)) + " of " +
                                std::to_string(plan.to_create.size()) +
                                " tables to create (moe family gc frees expired ones)");
      plan.to_create.resize(std::max(room, 0));
    }

    std::set<std::string> after = existing;
    after.insert(plan.to_create.begin(), plan.to_create.end());
    for (PeriodIndex p : plan.live) {
      if (complete(p, after) && (p >= plan.write || in_state(p) || p == plan.write)) {
        plan.next_periods.push_back(p);
      }
    }
    for (PeriodIndex p : state.periods) {
      bool kept_by_grace = p < plan.live.front() &&
                           !std::binary_search(plan.expired.begin(), plan.expired.end(), p);
      if (kept_by_grace) plan.next_periods.push_back(p);
    }
    std::sort(plan.next_periods.begin(), plan.next_periods.end());
    bool write_ready =
        std::binary_search(plan.next_periods.begin(), plan.next_periods.end(), plan.write);
    if (!write_ready && !options.collect_only) {
      return Error(ErrorCode::kLimitExceeded,
                   "family '" + spec.name + "': the table budget (" +
                       std::to_string(ropts.table_budget) + ") leaves no room for the tables of " +
                       plan.write.ToString() + "; nothing was flipped");
    }

    FamilyState next = state;
    next.periods = plan.next_periods;
    if (write_ready) {
      next.write_period = plan.write;
      if (state.write_period != plan.write) next.epoch = state.epoch + 1;
    }
    bool changed = next.periods != state.periods || next.write_period != state.write_period;

    if (options.dry_run) {
      if (changed) next.version = state.version + 1;
      report.created = plan.to_create;
      report.dropped = plan.to_drop;
      report.registry_changed = changed;
      report.epoch_flipped = next.epoch != state.epoch;
      report.state = changed ? next : state;
      return report;
    }

    for (const std::string& t : plan.to_create) {
      const PeriodIndex p = ParseTableName(spec, t)->period;
      auto capacity = p >= plan.write ? spec.current_capacity : spec.older_capacity;
      auto created = client.CreateTable(FamilyTable(spec, t, capacity));
      if (created) {
        report.created.push_back(t);
      } else if (created.error().code() != ErrorCode::kResourceInUse) {  // a racer made it
        return std::move(created).error();
      }
    }
    // Every table the new state adds must be ACTIVE before writers see it
    // (including those a racing rotator created and we found in ListTables).
    for (PeriodIndex p : next.periods) {
      if (in_state(p)) continue;
      for (const std::string& t : next.Tables(p)) {
        MOE_TRY_STATUS(client.WaitUntilActive(t, ropts.wait_active, ropts.poll));
      }
    }

    if (changed) {
      Status cas = RI::CompareAndSet(*this, next, state.version, &report.warnings);
      if (!cas) {
        if (cas.error().code() == ErrorCode::kConditionalCheckFailed) continue;  // re-plan
        return std::move(cas).error();
      }
      report.registry_changed = true;
      report.epoch_flipped = next.epoch != state.epoch;
    }
    report.state = next;

    // Drop only what the registry no longer lists.
    for (const std::string& t : plan.to_drop) {
      if (options.archive) {
        report.dropped.push_back(t);
        continue;
      }
      // Already on its way out (an earlier rotation dropped it): not ours.
      auto described = client.DescribeTable({.table_name = t});
      if (!described || described->table.table_status == TableStatus::kDeleting) continue;
      if (described->table.table_status != TableStatus::kActive) {
        // DynamoDB refuses to delete a table being created or updated.
        report.warnings.push_back("not dropping " + t + " yet: it is " +
                                  std::string(ToString(described->table.table_status)) +
                                  " (the next rotation drops it)");
        continue;
      }
      auto deleted = client.DeleteTable({.table_name = t});
      if (deleted || deleted.error().code() == ErrorCode::kResourceNotFound) {
        report.dropped.push_back(t);
      } else {
        report.warnings.push_back("could not delete " + t + ": " + deleted.error().ToString());
      }
    }

    if (!options.skip_scaling && !options.collect_only && next.write_period) {
      for (PeriodIndex p : next.periods) {
        auto want = p >= *next.write_period ? spec.current_capacity : spec.older_capacity;
        for (const std::string& t : next.Tables(p)) {
          MOE_TRY(DescribeTableResponse described, client.DescribeTable({.table_name = t}));
          auto update = ScaleRequest(described.table, want);
          if (!update) continue;
          auto updated = client.UpdateTable(*update);
          if (updated) {
            report.scaled.push_back(t + ": " + CapacityText(want));
          } else {
            report.warnings.push_back("could not scale " + t + " to " + CapacityText(want) + ": " +
                                      updated.error().ToString());
          }
        }
      }
    }
    return report;
  }
  return Error(ErrorCode::kConditionalCheckFailed,
               "rotating family '" + std::string(family) +
                   "' lost the registry race too many times; retry");
}

}  // namespace moe
