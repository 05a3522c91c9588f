// The batch engine: BatchWriter and BatchGetter move any number of items
// through BatchWriteItem / BatchGetItem and never drop one silently.
//
//   moe::BatchWriter writer(*client);
//   for (auto& item : items) writer.Put("events", item);      // queued, validated
//   moe::Result<moe::BatchWriteResult> r = writer.Flush();    // sends, waits
//   // r->succeeded == items.size() - r->failed.size(); each failure keeps its
//   // request and the error, so nothing is lost.
//
//   moe::BatchGetter getter(*client);
//   getter.Get("events", {{"pk", "a"}, {"sk", 1}});
//   auto got = getter.Fetch();   // got->outcomes[i] answers the i-th Get
//
// What the engine does: chunks by count (25 writes / 100 keys per request)
// and by bytes (16 MB per request, 400 KB per item); finds duplicate keys up
// front (rejects them, or keeps the last write, per options); keeps several
// requests in flight; re-sends UnprocessedItems / UnprocessedKeys with
// full-jitter exponential backoff under a retry budget that resets whenever a
// round makes progress; splits a request that the service rejects as a whole
// (e.g. one invalid item fails its whole batch) until the bad entries stand
// alone, so valid ones still land; adds up consumed capacity.
//
// Thread safety: a BatchWriter / BatchGetter is not thread-safe (one owner
// queues and flushes); many may share one client.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "moe/client.h"
#include "moe/model.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe {

// The key attribute names of a table (range empty for hash-only tables).
struct KeyNames {
  std::string hash;
  std::string range;
};

// Reads the key schema with DescribeTable. Errors: those of DescribeTable.
Result<KeyNames> DescribeKeyNames(DynamoDbClient& client, const std::string& table);

// The key attributes of `item`, or kValidation when one is missing or is not S, N or B.
Result<Item> ExtractKey(const Item& item, const KeyNames& names);

enum class DuplicatePolicy : uint8_t {
  kReject,    // a second write of a key queued in one flush fails that write
  kKeepLast,  // the later write replaces the earlier one (which counts as succeeded)
};

struct BatchOptions {
  // Requests in flight at once. Default: 4.
  int max_in_flight = 4;
  // Default: kReject.
  DuplicatePolicy duplicates = DuplicatePolicy::kReject;
  // Backoff after a round that left unprocessed entries or was throttled:
  // uniform in [0, min(max_delay, base_delay * 2^(streak-1))]. Defaults: 50 ms, 5 s.
  std::chrono::milliseconds base_delay{50};
  std::chrono::milliseconds max_delay{5000};
  // Rounds in a row without progress before the engine gives up on what is
  // left (reported in `failed` with kRetriesExhausted). Any progress resets
  // the count. Default: 12.
  int retry_budget = 12;
  // Ask for and add up consumed capacity. Default: true.
  bool consumed_capacity = true;
  // Called after every response with (done, total) entries. Default: empty
  // (no progress reports).
  std::function<void(size_t done, size_t total)> progress;
  // Seed for the jitter generator; 0 seeds from std::random_device.
  // Default: 0.
  uint64_t jitter_seed = 0;
  // Known key schemas; tables not listed are described once with
  // DescribeTable. Default: empty.
  std::map<std::string, KeyNames, std::less<>> key_names;
};

// One write that did not happen, with why.
struct FailedWrite {
  size_t index;  // position among the writes queued for this flush
  std::string table;
  WriteRequest request;
  Error error;
};

struct BatchWriteResult {
  size_t succeeded = 0;
  std::vector<FailedWrite> failed;
  // Capacity units consumed, per table.
  std::map<std::string, double, std::less<>> consumed_capacity;
  size_t requests = 0;             // BatchWriteItem calls made
  size_t unprocessed_resends = 0;  // entries re-sent because the service left them unprocessed
};

class BatchWriter {
 public:
  explicit BatchWriter(DynamoDbClient& client, BatchOptions options = {});
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Queue a write. Checks that need no round trip happen at Flush and are
  // reported per entry there (oversized item, missing key, duplicate key).
  void Put(std::string table, Item item);
  void Delete(std::string table, Item key);
  size_t pending() const { return entries_.size(); }

  // Writes everything queued and waits. Entries are reported in the result:
  // each either succeeded or is in `failed` with its request and error. The
  // call itself fails only when a table's key schema cannot be read (then
  // nothing was sent and the queue is kept).
  Result<BatchWriteResult> Flush();

 private:
  struct Entry {
    std::string table;
    WriteRequest request;
  };
  DynamoDbClient& client_;
  BatchOptions options_;
  std::vector<Entry> entries_;
};

// One Get's answer: the item (nullopt when no item has the key), or the error.
struct GetOutcome {
  std::optional<Item> item;
  std::optional<Error> error;
};

struct BatchGetResult {
  std::vector<GetOutcome> outcomes;  // index-aligned with the Get calls
  size_t found = 0;
  size_t missing = 0;
  size_t failed = 0;
  std::map<std::string, double, std::less<>> consumed_capacity;
  size_t requests = 0;
  size_t unprocessed_resends = 0;
};

struct GetTableOptions {
  // Attributes to read; the key attributes are added. Default: every attribute.
  std::optional<std::string> projection_expression;
  // Names for `#placeholders` in projection_expression. Default: empty.
  ExpressionNames expression_attribute_names;
  // Strongly consistent reads (twice the read capacity). Default: false.
  bool consistent_read = false;
};

class BatchGetter {
 public:
  explicit BatchGetter(DynamoDbClient& client, BatchOptions options = {});
  BatchGetter(const BatchGetter&) = delete;
  BatchGetter& operator=(const BatchGetter&) = delete;

  // Read settings for one table (before its first Get).
  void Configure(const std::string& table, GetTableOptions options);
  // Queue one key. The same key may be asked for twice; it is fetched once.
  void Get(std::string table, Item key);
  size_t pending() const { return keys_.size(); }

  // Fetches everything queued and waits. The call fails only when a table's
  // key schema cannot be read.
  Result<BatchGetResult> Fetch();

 private:
  DynamoDbClient& client_;
  BatchOptions options_;
  std::map<std::string, GetTableOptions, std::less<>> tables_;
  std::vector<std::pair<std::string, Item>> keys_;
};

}  // namespace moe
