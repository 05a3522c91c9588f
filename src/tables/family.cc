// FamilySpec validation, table naming, live and expired periods.
#include <algorithm>
#include <set>

#include "moe/family.h"

namespace moe {
namespace {

// DynamoDB's limits on names and indexes:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
constexpr size_t kMaxTableName = 255;
constexpr size_t kMaxStreamName = 128;  // Kinesis's limit
constexpr size_t kMinIndexName = 3;
constexpr size_t kMaxIndexName = 255;
constexpr size_t kMaxGsis = 20;
constexpr size_t kMaxLsis = 5;
// The longest period suffix: "2026-11-25T13".
constexpr size_t kMaxPeriodText = 13;

bool NameChars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
  });
}

constexpr std::string_view kMirrorModeNames[] = {"SYNC", "TRANSACTIONAL", "WRITE_BEHIND"};

Error Invalid(std::string message) { return Error::InvalidArgument(std::move(message)); }

bool Defined(const FamilySpec& s, const std::string& attr) {
  return std::any_of(s.attribute_definitions.begin(), s.attribute_definitions.end(),
                     [&](const AttributeDefinition& d) { return d.attribute_name == attr; });
}

// HASH, or HASH then RANGE, on distinct defined attributes.
Status CheckKeySchema(const FamilySpec& s, const KeySchema& ks, const std::string& what) {
  if (ks.empty() || ks.size() > 2)
    return Invalid(what + ": key schema must have a HASH key and at most one RANGE key");
  if (ks[0].key_type != KeyType::kHash)
    return Invalid(what + ": the first key schema element must be the HASH key");
  if (ks.size() == 2) {
    if (ks[1].key_type != KeyType::kRange)
      return Invalid(what + ": the second key schema element must be the RANGE key");
    if (ks[0].attribute_name == ks[1].attribute_name)
      return Invalid(what + ": HASH and RANGE keys must be different attributes");
  }
  for (const KeySchemaElement& e : ks) {
    if (e.attribute_name.empty()) return Invalid(what + ": empty key attribute name");
    if (!Defined(s, e.attribute_name))
      return Invalid(what + ": key attribute '" + e.attribute_name +
                     "' is not in AttributeDefinitions");
  }
  return Ok();
}

Status CheckIndexName(const std::string& name, std::set<std::string>* seen) {
  if (name.size() < kMinIndexName || name.size() > kMaxIndexName || !NameChars(name))
    return Invalid("index name '" + name + "' must be 3-255 characters of [a-zA-Z0-9_.-]");
  if (!seen->insert(name).second) return Invalid("duplicate index name '" + name + "'");
  return Ok();
}

Status CheckCapacity(const std::optional<ProvisionedThroughput>& t, const std::string& what) {
  if (t && (t->read_capacity_units < 1 || t->write_capacity_units < 1))
    return Invalid(what + ": provisioned read and write capacity units must be >= 1");
  return Ok();
}

size_t DecimalDigits(int v) {
  size_t n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

// Strict positive decimal without leading zeros, within int.
std::optional<int> ParseCopy(std::string_view s) {
  if (s.empty() || s.size() > 9 || s[0] == '0') return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::string_view MirrorModeName(MirrorMode m) {
  size_t i = static_cast<size_t>(m);
  return i < std::size(kMirrorModeNames) ? kMirrorModeNames[i] : std::string_view("?");
}

std::optional<MirrorMode> MirrorModeFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kMirrorModeNames); ++i) {
    if (kMirrorModeNames[i] == name) return static_cast<MirrorMode>(i);
  }
  return std::nullopt;
}

Status FamilySpec::Validate() const {
  if (name.empty()) return Invalid("family name must not be empty");
  if (!NameChars(name))
    return Invalid("family name '" + name + "' may contain only [a-zA-Z0-9_.-]");
  if (!NameChars(environment))
    return Invalid("environment '" + environment + "' may contain only [a-zA-Z0-9_.-]");
  if (copies < 1) return Invalid("copies must be >= 1");
  // Each copy is a table per live period; a bound keeps a corrupt registry
  // record from asking for millions of table names.
  if (copies > kMaxCopies) return Invalid("copies must be <= " + std::to_string(kMaxCopies));
  if (retention < 1) return Invalid("retention must be >= 1 period");
  if (precreate < 0) return Invalid("precreate must be >= 0 periods");
  size_t longest = TableNamePrefix(*this).size() + DecimalDigits(copies) +
                   (period == Period::kNone ? 0 : kMaxPeriodText + 1);
  if (longest > kMaxTableName)
    return Invalid("family '" + name + "': generated table names would be up to " +
                   std::to_string(longest) + " characters, more than 255");

  if (mirror_mode == MirrorMode::kWriteBehind && JournalStreamName(*this).size() > kMaxStreamName)
    return Invalid("family '" + name + "': its journal stream '" + JournalStreamName(*this) +
                   "' would be longer than 128 characters");

  std::set<std::string> defined;
  for (const AttributeDefinition& d : attribute_definitions) {
    if (d.attribute_name.empty()) return Invalid("empty attribute name in AttributeDefinitions");
    if (!defined.insert(d.attribute_name).second)
      return Invalid("attribute '" + d.attribute_name + "' is defined twice");
  }
  MOE_TRY_STATUS(CheckKeySchema(*this, key_schema, "table"));
  std::set<std::string> used;
  for (const KeySchemaElement& e : key_schema) used.insert(e.attribute_name);

  if (global_secondary_indexes.size() > kMaxGsis)
    return Invalid("at most 20 global secondary indexes");
  if (local_secondary_indexes.size() > kMaxLsis)
    return Invalid("at most 5 local secondary indexes");
  std::set<std::string> index_names;
  for (const GlobalSecondaryIndex& g : global_secondary_indexes) {
    MOE_TRY_STATUS(CheckIndexName(g.index_name, &index_names));
    MOE_TRY_STATUS(CheckKeySchema(*this, g.key_schema, "index '" + g.index_name + "'"));
    MOE_TRY_STATUS(CheckCapacity(g.provisioned_throughput, "index '" + g.index_name + "'"));
    for (const KeySchemaElement& e : g.key_schema) used.insert(e.attribute_name);
  }
  for (const LocalSecondaryIndex& l : local_secondary_indexes) {
    MOE_TRY_STATUS(CheckIndexName(l.index_name, &index_names));
    std::string what = "index '" + l.index_name + "'";
    MOE_TRY_STATUS(CheckKeySchema(*this, l.key_schema, what));
    if (key_schema.size() != 2)
      return Invalid(what + ": a local secondary index needs a table with a RANGE key");
    if (l.key_schema.size() != 2 || l.key_schema[0].attribute_name != key_schema[0].attribute_name)
      return Invalid(what + ": a local secondary index has the table's HASH key and a RANGE key");
    for (const KeySchemaElement& e : l.key_schema) used.insert(e.attribute_name);
  }
  for (const std::string& d : defined) {
    if (!used.contains(d))
      return Invalid("attribute '" + d + "' is defined but used by no key schema");
  }
  MOE_TRY_STATUS(CheckCapacity(current_capacity, "current capacity"));
  MOE_TRY_STATUS(CheckCapacity(older_capacity, "older capacity"));
  return Ok();
}

std::string TableNamePrefix(const FamilySpec& spec) {
  std::string out;
  if (!spec.environment.empty()) {
    out = spec.environment;
    out.push_back('_');
  }
  out += spec.name;
  out.push_back('_');
  return out;
}

std::string JournalStreamName(const FamilySpec& spec) { return TableNamePrefix(spec) + "journal"; }

std::string JournalLeaseTableName(const FamilySpec& spec) {
  return TableNamePrefix(spec) + "journal_leases";
}

std::string TableName(const FamilySpec& spec, PeriodIndex p, int copy) {
  std::string out = TableNamePrefix(spec);
  if (spec.period != Period::kNone) {
    out += p.ToString();
    out.push_back('_');
  }
  out += std::to_string(copy);
  return out;
}

std::optional<ParsedTableName> ParseTableName(const FamilySpec& spec, std::string_view table) {
  std::string prefix = TableNamePrefix(spec);
  if (!table.starts_with(prefix)) return std::nullopt;
  std::string_view rest = table.substr(prefix.size());
  std::string_view period_text;
  if (spec.period != Period::kNone) {
    size_t sep = rest.rfind('_');
    if (sep == std::string_view::npos) return std::nullopt;
    period_text = rest.substr(0, sep);
    rest.remove_prefix(sep + 1);
  }
  std::optional<int> copy = ParseCopy(rest);
  if (!copy) return std::nullopt;
  std::optional<PeriodIndex> p = PeriodIndex::Parse(spec.period, period_text);
  if (!p) return std::nullopt;
  return ParsedTableName{*p, *copy};
}

std::vector<PeriodIndex> LivePeriods(const FamilySpec& spec, Clock::TimePoint now) {
  PeriodIndex current = PeriodIndex::Containing(spec.period, now);
  if (spec.period == Period::kNone) return {current};
  std::vector<PeriodIndex> out;
  for (int64_t i = -(static_cast<int64_t>(spec.retention) - 1); i <= spec.precreate; ++i)
    out.push_back(PeriodIndex{spec.period, current.ordinal + i});
  return out;
}

std::vector<PeriodIndex> ExpiredPeriods(const FamilySpec& spec, Clock::TimePoint now,
                                        const std::vector<std::string>& existing) {
  if (spec.period == Period::kNone) return {};
  PeriodIndex current = PeriodIndex::Containing(spec.period, now);
  int64_t oldest_live = current.ordinal - (static_cast<int64_t>(spec.retention) - 1);
  std::set<PeriodIndex> expired;
  for (const std::string& name : existing) {
    std::optional<ParsedTableName> parsed = ParseTableName(spec, name);
    if (parsed && parsed->period.ordinal < oldest_live) expired.insert(parsed->period);
  }
  return {expired.begin(), expired.end()};
}

}  // namespace moe
