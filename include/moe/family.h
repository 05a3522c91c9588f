// Table families: the pure foundation (no I/O). A family is declared once
// (docs/families.md) and owns one DynamoDB table per period and copy, named
//
//   <environment>_<name>_<period>_<copy>     e.g. moe_prod_events_2026-11-25_1
//   <environment>_<name>_<copy>              when the period is kNone
//
// (without "<environment>_" when the environment is empty). Copies count from
// 1. Periods are UTC, with no time zones: hour "2026-11-25T13", day
// "2026-11-25", ISO week "2026-W48" (weeks start on Monday; the week-year is
// the year of the week's Thursday), month "2026-11".
//
//   MOE_TRY(moe::FamilySpec spec, moe::ParseFamilySpec(file_text));
//   moe::PeriodIndex p = moe::PeriodIndex::Containing(spec.period, clock.Now());
//   std::string table = moe::TableName(spec, p, 1);
//   for (moe::PeriodIndex live : moe::LivePeriods(spec, clock.Now())) ...
//
// The registry, rotation and mirrored writes are built on top of this layer.
// Thread safety: plain values and pure functions; safe for concurrent use.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/clock.h"
#include "moe/model.h"
#include "moe/result.h"

namespace moe {

enum class Period : uint8_t { kNone, kHour, kDay, kWeek, kMonth };

// "NONE", "HOUR", "DAY", "WEEK", "MONTH" (the names used in family JSON).
std::string_view PeriodName(Period p);
std::optional<Period> PeriodFromName(std::string_view name);

// One period of a given kind, as an ordinal counted from the Unix epoch:
// hours since 1970-01-01T00, days since 1970-01-01, ISO weeks since the week
// of Monday 1969-12-29, months since 1970-01. kNone has the single ordinal 0.
// Ordered by (period, ordinal); Next/Prev move by one period.
struct PeriodIndex {
  Period period = Period::kNone;
  int64_t ordinal = 0;

  // The period of kind `p` that contains `t` (start <= t < end).
  static PeriodIndex Containing(Period p, Clock::TimePoint t);
  // Parses the text ToString() writes for kind `p`; nullopt for anything else
  // (including out-of-range fields such as 2026-02-29 or 2026-W54 and
  // non-canonical spellings, years outside 1700..2200). For kNone only ""
  // parses.
  static std::optional<PeriodIndex> Parse(Period p, std::string_view text);

  // First instant of the period; TimePoint::min() for kNone.
  Clock::TimePoint Start() const;
  // First instant after the period (exclusive); TimePoint::max() for kNone.
  Clock::TimePoint End() const;
  bool Contains(Clock::TimePoint t) const { return Start() <= t && t < End(); }
  // The following / preceding period; kNone returns itself.
  PeriodIndex Next() const;
  PeriodIndex Prev() const;
  // Table-name suffix: "2026-11-25T13", "2026-11-25", "2026-W48", "2026-11";
  // "" for kNone. Years are written with at least four digits.
  std::string ToString() const;

  friend auto operator<=>(const PeriodIndex&, const PeriodIndex&) = default;
};

// How a write reaches the copies of a family (docs/families.md):
//  kSync           every copy written concurrently; the outcome names each
//                  copy, and a failed copy is recorded for repair;
//  kTransactional  one TransactWriteItems across the copies, all or nothing;
//  kWriteBehind    copy 1 written, the change appended to a journal that
//                  trickles into the other copies (the mirror module).
enum class MirrorMode : uint8_t { kSync, kTransactional, kWriteBehind };

// "SYNC", "TRANSACTIONAL", "WRITE_BEHIND".
std::string_view MirrorModeName(MirrorMode m);
std::optional<MirrorMode> MirrorModeFromName(std::string_view name);

// Most copies a family may have (each is one table per live period).
inline constexpr int kMaxCopies = 100;

// A family declaration. See docs/families.md for the JSON form.
struct FamilySpec {
  std::string name;         // [a-zA-Z0-9_.-]+
  std::string environment;  // prefix such as "moe_prod"; may be empty
  std::vector<AttributeDefinition> attribute_definitions;
  KeySchema key_schema;
  std::vector<GlobalSecondaryIndex> global_secondary_indexes;
  std::vector<LocalSecondaryIndex> local_secondary_indexes;
  // One table per period (kNone: a single table). Default: kDay.
  Period period = Period::kDay;
  // Mirrors, 1..kMaxCopies. Default: 1.
  int copies = 1;
  // Periods kept, the current one included, >= 1. Default: 1.
  int retention = 1;
  // Periods created ahead of the current one, >= 0. Default: 0.
  int precreate = 0;
  // Capacity of the current (and pre-created) period's tables and of older
  // ones. nullopt: on-demand (PAY_PER_REQUEST). Default: on-demand.
  std::optional<ProvisionedThroughput> current_capacity;
  std::optional<ProvisionedThroughput> older_capacity;
  // How writes reach copies 2..n (see MirrorMode). Default: kSync.
  MirrorMode mirror_mode = MirrorMode::kSync;

  // Ok, or kInvalidArgument naming the first problem: characters outside
  // [a-zA-Z0-9_.-] or a generated table name longer than 255; key schema not
  // HASH [RANGE], key attributes not defined, definitions no key uses,
  // duplicate or malformed indexes; copies < 1 or > kMaxCopies, retention < 1, precreate < 0;
  // provisioned capacity units < 1; in kWriteBehind mode, a journal stream
  // name longer than Kinesis's 128 characters. Not retryable.
  Status Validate() const;

  friend bool operator==(const FamilySpec&, const FamilySpec&) = default;
};

// Parses a family declaration (docs/families.md) and validates it.
// Errors: kSerialization for malformed JSON or a member of the wrong JSON
// type, kValidation for an unknown enum name (as the model codec does),
// kInvalidArgument for a missing member or a failed Validate().
Result<FamilySpec> ParseFamilySpec(std::string_view json);
// The declaration as JSON; ParseFamilySpec(ToJson(s)) == s for a valid s.
std::string ToJson(const FamilySpec& spec);

// "<environment>_<name>_" (or "<name>_" when the environment is empty): every
// table of the family starts with it.
std::string TableNamePrefix(const FamilySpec& spec);
// The table of period `p` (of kind spec.period) and copy `copy` (1-based).
std::string TableName(const FamilySpec& spec, PeriodIndex p, int copy);

// The write-behind journal of a family (MirrorMode::kWriteBehind), named
// after the family so that every writer, consumer and `moe mirror` command
// finds it from the declaration alone (docs/journal-mirror.md):
//   JournalStreamName      "<environment>_<name>_journal"         the Kinesis stream
//   JournalLeaseTableName  "<environment>_<name>_journal_leases"  its consumers' leases
// (without "<environment>_" when the environment is empty). One stream
// serves every period: each record names the table it is meant for. Neither
// name parses as a table of the family (ParseTableName).
std::string JournalStreamName(const FamilySpec& spec);
std::string JournalLeaseTableName(const FamilySpec& spec);

struct ParsedTableName {
  PeriodIndex period;
  int copy = 1;
  friend auto operator<=>(const ParsedTableName&, const ParsedTableName&) = default;
};
// The period and copy of `table` if it is exactly a name TableName(spec, ...)
// produces for some period and some copy >= 1 (a copy above spec.copies is
// accepted: the table of a mirror since removed); nullopt for foreign names.
std::optional<ParsedTableName> ParseTableName(const FamilySpec& spec, std::string_view table);

// The periods whose tables should exist at `now`, ascending: the current one,
// spec.retention - 1 before it and spec.precreate after it
// (retention + precreate periods). For kNone: the single period.
std::vector<PeriodIndex> LivePeriods(const FamilySpec& spec, Clock::TimePoint now);
// The distinct periods, ascending, of the family's tables among `existing`
// (e.g. ListTables output) that are older than every live period at `now`
// and so past retention. Foreign names and future periods are ignored.
std::vector<PeriodIndex> ExpiredPeriods(const FamilySpec& spec, Clock::TimePoint now,
                                        const std::vector<std::string>& existing);

}  // namespace moe
