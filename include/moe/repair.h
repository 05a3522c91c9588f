// Diff and repair of a family's copies (mirrors) for one period.
//
//   MOE_TRY(moe::FamilyState state, registry.Load("events"));
//   MOE_TRY(moe::DiffReport diff, moe::DiffPeriod(*client, state, period));
//   for (const moe::DiffEntry& e : diff.entries) Show(e);
//   MOE_TRY(moe::RepairReport fixed, moe::RepairPeriod(*client, registry, state, period));
//
// Diff scans every copy (parallel scan) and reports keys missing from a copy
// or holding different values. Repair first replays the period's repair
// records (writes a copy missed, recorded by FamilyClient), then mends what a
// diff still finds: for each key the newest copy wins, by the version
// attribute FamilyClient writes (a copy without one is oldest), and is
// written to the others with a condition that never replaces a newer item.
// A recorded delete removes every copy not newer than the delete. What repair
// cannot know: an item deleted from some copies with no record (a process
// that died before recording) is restored from the copies that kept it.
//
// Thread safety: free functions; safe to call concurrently on different
// periods (on the same period they would do the same work twice).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "moe/client.h"
#include "moe/registry.h"

namespace moe {

struct DiffOptions {
  // Scan segments per copy. Default: 4.
  int segments = 4;
  // Called as items are scanned: (scanned so far, estimated total from
  // DescribeTable's item counts, which may lag). Default: none.
  std::function<void(uint64_t scanned, uint64_t estimated_total)> progress;
  // Stop listing entries after this many (the counts stay exact).
  // Default: 100,000.
  size_t max_entries = 100'000;
};

struct DiffEntry {
  Item key;
  std::vector<std::string> missing_from;  // copies without the key
  bool values_differ = false;             // present copies hold different items
};

struct DiffReport {
  std::vector<std::string> tables;    // the period's copies, copy 1 first
  std::vector<uint64_t> item_counts;  // items scanned per copy
  uint64_t differing_keys = 0;        // all of them, even past max_entries
  std::vector<DiffEntry> entries;     // sorted by key
  bool in_agreement() const { return differing_keys == 0; }
};

// Compares the copies of `period`. Errors: the client's (a copy that
// cannot be scanned), kInvalidArgument for a period the state does not list.
Result<DiffReport> DiffPeriod(DynamoDbClient& client, const FamilyState& state, PeriodIndex period,
                              const DiffOptions& options = {});

struct RepairOptions {
  // How the copies are compared first. Default: DiffOptions's defaults.
  DiffOptions diff;
  // The attribute FamilyClient versions items with. Default: "_moe_ts".
  std::string version_attribute = "_moe_ts";
  // Called per key mended: (done, total). Default: none.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct RepairReport {
  uint64_t records_replayed = 0;  // repair records mended and resolved
  uint64_t keys_mended = 0;       // keys a diff found and repair fixed
  uint64_t items_written = 0;     // copies overwritten with the newest item
  uint64_t items_deleted = 0;     // copies deleted after a recorded delete
  std::vector<std::string> errors;  // keys that could not be mended (retry)
  bool complete() const { return errors.empty(); }
};

// Brings the copies of `period` into agreement (see the top of this file).
// Errors: the client's when a copy cannot be scanned or records cannot be
// read; per-key failures are listed in RepairReport::errors instead.
Result<RepairReport> RepairPeriod(DynamoDbClient& client, Registry& registry,
                                  const FamilyState& state, PeriodIndex period,
                                  const RepairOptions& options = {});

}  // namespace moe
