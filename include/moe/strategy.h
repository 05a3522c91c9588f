// Persistence strategies: a storage design for one shape of data, written
// through a table family (family_client.h) so that it gets rotation,
// mirrors and split reads for free. Unlike an ORM, a strategy fixes its key
// layout to make its few access patterns cheap; pick the one whose patterns
// match the workload, or add one (docs/strategies.md walks through it).
//
// A Strategy describes itself: its key layout, its access patterns with
// their request and cost, and the family settings it needs, which it checks
// before any I/O. The two shipped strategies are the examples:
//
//   moe::SequenceStrategy seq;                       // sequence.h
//   MOE_TRY_STATUS(seq.CheckFamily(state.spec));     // key schema, types
//   for (const moe::AccessPattern& p : seq.AccessPatterns()) Print(p.name, p.cost);
//   moe::FamilySpec spec = seq.ExampleSpec("sequences", moe::Period::kNone);
//
//   moe::TimeSeriesStrategy ts;                      // timeseries.h
//   ts.CheckFamily(spec);   // kInvalidArgument: a time series needs a range key
//
// The data API of each strategy (Collector, Collection, TimeSeries, ...)
// lives in its own header and calls CheckFamily when it opens a family.
//
// Thread safety: strategies are immutable descriptions; safe for concurrent use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "moe/family.h"
#include "moe/result.h"

namespace moe {

// What the key attributes hold, in words a reader of the table understands.
struct KeyLayout {
  std::string hash;   // e.g. "owner id"
  std::string range;  // e.g. "\"i.<sequence id>.<n, 10 digits>\" = item n"
  // Other attributes the strategy writes (besides the caller's).
  std::vector<std::string> attributes;
};

// One way the strategy reads or writes, and what it costs.
struct AccessPattern {
  std::string name;     // "list an owner's sequences"
  std::string request;  // "Query owner = :o AND begins_with(sk, \"m.\"), descending"
  // Capacity in DynamoDB's units for the typical case, as a formula:
  // "ceil(sum of metadata sizes / 4 KB) x 0.5 RCU per page".
  std::string cost;
};

class Strategy {
 public:
  virtual ~Strategy() = default;

  // A short lower-case name ("sequence", "timeseries").
  virtual std::string_view name() const = 0;
  virtual KeyLayout Layout() const = 0;
  virtual std::vector<AccessPattern> AccessPatterns() const = 0;

  // Ok when `spec` has what the strategy needs (key schema and attribute
  // types, period, indexes); otherwise kInvalidArgument naming the first
  // missing setting. Not retryable: declare a family that fits
  // (ExampleSpec shows one).
  virtual Status CheckFamily(const FamilySpec& spec) const = 0;

  // A declaration the strategy accepts, with family name `family` and
  // period `period` (one copy, on-demand, retention 1); adjust copies,
  // retention and capacity before declaring it.
  virtual FamilySpec ExampleSpec(std::string family, Period period) const = 0;
};

namespace internal {
// Shared by the strategies' CheckFamily: the hash and range key names of
// `spec` when it has a HASH key of type `hash_type` and a RANGE key of type
// `range_type`; kInvalidArgument (prefixed with `strategy`) otherwise.
struct KeyAttributeNames {
  std::string hash;
  std::string range;
};
Result<KeyAttributeNames> RequireKeys(std::string_view strategy, const FamilySpec& spec,
                                      ScalarAttributeType hash_type,
                                      ScalarAttributeType range_type);
}  // namespace internal

}  // namespace moe
