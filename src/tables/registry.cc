// The registry: loading, declaring and compare-and-set writes of the family
// record across the mirrored manager tables. Rotation is in rotation.cc.
#include "moe/registry.h"

#include <algorithm>
#include <random>

#include "tables/registry_internals.h"

namespace moe {

namespace {

constexpr std::string_view kStateEntry = "state";

Item StateKey(std::string_view family) {
  return Item{{"family", std::string(family)}, {"entry", std::string(kStateEntry)}};
}

// The declaration members a family's existing tables already carry.
bool SameShape(const FamilySpec& a, const FamilySpec& b) {
  return a.name == b.name && a.environment == b.environment &&
         a.attribute_definitions == b.attribute_definitions && a.key_schema == b.key_schema &&
         a.global_secondary_indexes == b.global_secondary_indexes &&
         a.local_secondary_indexes == b.local_secondary_indexes && a.period == b.period;
}

}  // namespace

Registry::Registry(DynamoDbClient& client, RegistryOptions options)
    : client_(client),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &client.clock()),
      repair_salt_(std::random_device{}()) {}

std::string Registry::TableName(int copy) const {
  std::string name = options_.environment.empty() ? "" : options_.environment + "_";
  return name + "moe_registry_" + std::to_string(copy);
}

Status Registry::EnsureTables() {
  for (int copy = 1; copy <= options_.copies; ++copy) {
    CreateTableRequest create{.table_name = TableName(copy)};
    create.attribute_definitions = {{"family", ScalarAttributeType::kS},
                                    {"entry", ScalarAttributeType::kS}};
    create.key_schema = {{"family", KeyType::kHash}, {"entry", KeyType::kRange}};
    create.billing_mode = BillingMode::kPayPerRequest;
    auto created = client_.CreateTable(create);
    if (!created && created.error().code() != ErrorCode::kResourceInUse) {
      return std::move(created).error();
    }
  }
  for (int copy = 1; copy <= options_.copies; ++copy) {
    MOE_TRY_STATUS(client_.WaitUntilActive(TableName(copy), options_.wait_active, options_.poll));
  }
  return Ok();
}

Error NotDeclared(std::string_view family) {
  return Error::ResourceNotFound("family '" + std::string(family) +
                                 "' is not declared (moe family declare FILE)");
}

Result<std::optional<FamilyState>> RegistryInternals::LoadCopy(Registry& r, int copy,
                                                               std::string_view family) {
  GetItemRequest get{.table_name = r.TableName(copy), .key = StateKey(family),
                     .consistent_read = true};
  MOE_TRY(GetItemResponse got, r.client_.GetItem(get));
  if (!got.item) return std::optional<FamilyState>();
  MOE_TRY(FamilyState state, DecodeFamilyState(*got.item));
  return std::optional<FamilyState>(std::move(state));
}

Result<FamilyState> Registry::Load(std::string_view family) {
  std::optional<Error> first;
  for (int copy = 1; copy <= options_.copies; ++copy) {
    auto state = RegistryInternals::LoadCopy(*this, copy, family);
    if (state) {
      // Copy 1 saying "not declared" is the answer: the others only follow.
      if (!*state) return NotDeclared(family);
      return std::move(**state);
    }
    if (!first) first = std::move(state).error();
  }
  return std::move(*first);
}

Result<FamilyState> RegistryInternals::LoadAndSync(Registry& r, std::string_view family,
                                                   std::vector<std::string>* warnings) {
  MOE_TRY(std::optional<FamilyState> loaded, LoadCopy(r, 1, family));
  if (!loaded) return NotDeclared(family);
  FamilyState state = std::move(*loaded);
  for (int copy = 2; copy <= r.options_.copies; ++copy) {
    auto other = LoadCopy(r, copy, family);
    if (other && *other && (**other).version >= state.version) continue;
    Status synced = PutCopy(r, copy, state);
    if (!synced) {
      warnings->push_back("registry copy " + r.TableName(copy) +
                          " is behind and could not be brought forward: " +
                          synced.error().ToString());
    }
  }
  return state;
}

Status RegistryInternals::PutCopy(Registry& r, int copy, const FamilyState& state) {
  PutItemRequest put{.table_name = r.TableName(copy), .item = EncodeFamilyState(state)};
  put.condition_expression = "attribute_not_exists(#v) OR #v < :v";
  put.expression_attribute_names = {{"#v", "version"}};
  put.expression_attribute_values = {{":v", state.version}};
  auto done = r.client_.PutItem(put);
  // Already at this version or newer: nothing to bring forward.
  if (!done && done.error().code() != ErrorCode::kConditionalCheckFailed) {
    return std::move(done).error();
  }
  return Ok();
}

Status RegistryInternals::CompareAndSet(Registry& r, FamilyState& next,
                                        std::optional<int64_t> expected_version,
                                        std::vector<std::string>* warnings) {
  next.version = expected_version.value_or(0) + 1;
  next.updated_at = r.clock_->Now();
  PutItemRequest put{.table_name = r.TableName(1), .item = EncodeFamilyState(next)};
  put.expression_attribute_names = {{"#v", "version"}};
  if (expected_version) {
    put.condition_expression = "#v = :v";
    put.expression_attribute_values = {{":v", *expected_version}};
  } else {
    put.condition_expression = "attribute_not_exists(#v)";
  }
  MOE_TRY_STATUS(r.client_.PutItem(put));
  for (int copy = 2; copy <= r.options_.copies; ++copy) {
    Status mirrored = PutCopy(r, copy, next);
    if (!mirrored) {
      warnings->push_back("registry copy " + r.TableName(copy) +
                          " not updated (the next load brings it forward): " +
                          mirrored.error().ToString());
    }
  }
  return Ok();
}

Result<FamilyState> Registry::Declare(const FamilySpec& spec) {
  MOE_TRY_STATUS(spec.Validate());
  std::vector<std::string> warnings;
  for (int attempt = 0; attempt < RegistryInternals::kMaxAttempts; ++attempt) {
    MOE_TRY(std::optional<FamilyState> existing, RegistryInternals::LoadCopy(*this, 1, spec.name));
    std::optional<int64_t> expected;
    FamilyState next;
    if (existing) {
      if (existing->spec == spec) return std::move(*existing);
      if (!SameShape(existing->spec, spec)) {
        return Error::InvalidArgument(
            "family '" + spec.name +
            "' is declared with another key schema, indexes, environment or period; its tables "
            "carry them, so they cannot change (declare a new family)");
      }
      next = *existing;
      expected = existing->version;
    }
    next.spec = spec;
    Status written = RegistryInternals::CompareAndSet(*this, next, expected, &warnings);
    if (written) return next;
    if (written.error().code() != ErrorCode::kConditionalCheckFailed) {
      return std::move(written).error();
    }
  }
  return Error(ErrorCode::kConditionalCheckFailed,
               "declaring family '" + spec.name + "' lost the race too many times; retry");
}

Result<FamilyState> Registry::RaiseShards(std::string_view family, int shard_count) {
  if (shard_count < 1 || shard_count > 10000) {
    return Error::InvalidArgument("shard count must be 1..10000, not " +
                                  std::to_string(shard_count));
  }
  std::vector<std::string> warnings;  // a lagging mirror copy; the next load mends it
  for (int attempt = 0; attempt < RegistryInternals::kMaxAttempts; ++attempt) {
    MOE_TRY(std::optional<FamilyState> loaded, RegistryInternals::LoadCopy(*this, 1, family));
    if (!loaded) return NotDeclared(family);
    FamilyState next = *loaded;
    if (!next.shards) {
      next.shards.emplace(shard_count);
    } else if (shard_count <= next.shards->current()) {
      return std::move(*loaded);  // already there (another raiser, or a repeat)
    } else {
      // Writers pick up the new count within a refresh (plus clock skew).
      auto since = std::chrono::ceil<std::chrono::seconds>(
          (clock_->Now() + options_.skew_bound + options_.refresh_interval).time_since_epoch());
      int64_t start =
          std::max<int64_t>(since.count(), next.shards->generations().back().since_unix_seconds);
      MOE_TRY_STATUS(next.shards->Raise(shard_count, start));
    }
    Status written = RegistryInternals::CompareAndSet(*this, next, loaded->version, &warnings);
    if (written) return next;
    if (written.error().code() != ErrorCode::kConditionalCheckFailed) {
      return std::move(written).error();
    }
  }
  return Error(ErrorCode::kConditionalCheckFailed, "raising the shards of family '" +
                                                       std::string(family) +
                                                       "' lost the race too many times; retry");
}

Result<std::vector<std::string>> Registry::ListFamilies() {
  std::vector<std::string> names;
  ScanRequest scan{.table_name = TableName(1)};
  scan.filter_expression = "#e = :state";
  scan.projection_expression = "#f";
  scan.expression_attribute_names = {{"#e", "entry"}, {"#f", "family"}};
  scan.expression_attribute_values = {{":state", std::string(kStateEntry)}};
  for (Result<ScanResponse> page : client_.ScanPages(scan)) {
    if (!page) return std::move(page).error();
    for (const Item& item : page->items) {
      auto it = item.find("family");
      if (it != item.end() && it->second.is(Type::kS)) names.push_back(it->second.s());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace moe
