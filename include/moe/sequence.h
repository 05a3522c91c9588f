// The Sequence strategy: an owner has many sequences, each an ordered list
// of items plus a metadata item, all in one table family with no index.
//
//   hash key   owner id (S)
//   range key  (S) "m.<sequence id>"           the metadata (count, payload, ...)
//                  "i.<sequence id>.<n>"       item n, 1..count, n zero-padded to
//                                              10 digits, so a sequence's items are
//                                              contiguous and sort numerically
//   id         "<creation time, µs since the epoch, 16 digits>-<8 hex>", so an
//              owner's metadata items sort oldest to newest.
//
// Listing is one Query over the "m." prefix; reading is one Query over
// "i.<id>.", paid by the 4 KB of items read rather than per item (the
// seed's "<n>.<id>" keys scattered a sequence's items, so it read them with
// BatchGetItem at 0.5 RCU per item however small; docs/strategies.md).
//
//   MOE_TRY(auto seqs, moe::Sequences::Open(*client, *family));
//   moe::Collector c = seqs->NewSequence("user#42");
//   for (auto& item : items) MOE_TRY_STATUS(c.Add(item));   // flushed every batch_limit
//   MOE_TRY(moe::SequenceInfo saved, c.Save({{"title", "run 7"}}));   // metadata last
//
//   MOE_TRY(moe::Collection list, seqs->List("user#42"));    // newest first, paginated
//   MOE_TRY(moe::SequencePage page, list.NextPage());
//   MOE_TRY(moe::SequenceReader r, seqs->Read(page.sequences[0]));   // in order
//   while (!r.done()) { MOE_TRY(std::vector<moe::Item> chunk, r.Next()); ... }
//
// Visibility: a sequence is visible (listed, readable) exactly when its
// metadata item exists, and Save writes it only after every item has landed
// on copy 1 of the family, with a condition, so a reader never sees a
// partial sequence. A crash before Save leaves orphan items that no reader
// lists; re-running the same Collector (Resume with the same id, the same
// items) completes the sequence exactly once; Clean finds and deletes
// orphans older than abandon_after and leaves a tombstone that makes a late
// Save of the cleaned sequence fail instead of publishing it half-deleted.
//
// Limits: no limit on a sequence's length beyond 9,999,999,999 items (the
// ten digits) and DynamoDB's item-collection rules: without a local
// secondary index an owner's items have no size limit (DynamoDB splits a
// partition key's items across partitions), but one owner's writes share the
// throughput of the partitions holding it; with an LSI an owner's items and
// their index entries are capped at 10 GB, past which writes fail with
// ItemCollectionSizeLimitExceeded (not retryable) and the Collector's Save
// refuses to publish. docs/strategies.md has the cost of each access.
//
// Thread safety: Sequences is safe for concurrent use; a Collector,
// Collection or SequenceReader has one owner at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "moe/batch.h"
#include "moe/family_client.h"
#include "moe/merged_query.h"
#include "moe/strategy.h"

namespace moe {

class SequenceStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "sequence"; }
  KeyLayout Layout() const override;
  std::vector<AccessPattern> AccessPatterns() const override;
  // Needs a HASH key of type S and a RANGE key of type S; any period, any
  // number of copies; indexes are allowed (an LSI brings the 10 GB limit).
  Status CheckFamily(const FamilySpec& spec) const override;
  // Hash "owner", range "sk".
  FamilySpec ExampleSpec(std::string family, Period period) const override;
};

struct SequenceOptions {
  // Items a Collector buffers before it flushes them. Default: 100 (four
  // BatchWriteItem requests, sent concurrently).
  int batch_limit = 100;
  // Items per SequenceReader::Next (the Query page size). Default: 1000.
  int read_chunk = 1000;
  // An unsaved sequence younger than this is in progress, not abandoned;
  // Clean leaves it alone. A Collector must Save within this time. Default: 1 h.
  std::chrono::milliseconds abandon_after{3'600'000};
  // Strongly consistent listing and reading. Default: false (eventually
  // consistent, half the read cost; a sequence saved a moment ago may not be
  // listed yet).
  bool consistent_reads = false;
  // Batch engine settings for Clean's deletes. Item writes use the family
  // client's. Default: its defaults.
  BatchOptions batch;
  // Time for sequence ids, saved_at and abandonment. Default: the client's
  // clock. Borrowed.
  Clock* clock = nullptr;
};

// A saved sequence, from its metadata item.
struct SequenceInfo {
  std::string owner;
  std::string id;
  int64_t count = 0;
  Clock::TimePoint created_at{};  // from the id
  Clock::TimePoint saved_at{};
  Item payload;
  std::string digest;  // of the items, in order; makes a re-run Save idempotent
  friend bool operator==(const SequenceInfo&, const SequenceInfo&) = default;
};

class Sequences;

// Builds one sequence: Add items, then Save. Items are numbered 1, 2, ... in
// the order added and written in batches of batch_limit through the family
// (FamilyClient::BatchWrite, so every copy gets them). Not thread-safe.
class Collector {
 public:
  Collector(Collector&&) = default;

  const std::string& owner() const { return owner_; }
  const std::string& id() const { return id_; }
  // The number of the last item (items added, plus already_written).
  int64_t count() const { return count_; }
  // Items added but not yet written to copy 1.
  size_t unflushed() const { return pending_.size(); }

  // Appends `item` (any attributes except the family's key names and names
  // starting with "_moe", which moe keeps for itself). The item is always kept; when it fills a batch the
  // batch is flushed, and an error reports items that did not land: they
  // stay queued and the next Flush or Save re-sends them. Errors:
  // kInvalidArgument (a reserved attribute; the item is not added), the
  // batch engine's (kRetriesExhausted, kProvisionedThroughputExceeded, ...,
  // retryable: call Flush), kItemCollectionSizeLimitExceeded (not
  // retryable), the registry's.
  Status Add(Item item);
  // Writes every queued item. Errors as Add's.
  Status Flush();
  // Flushes, then writes the metadata item (count, payload, saved_at,
  // digest) if none exists: the sequence becomes visible. A collector
  // resumed after items written elsewhere first reads those back (they must
  // all exist) to include them in the digest. Saving again the same items (a
  // re-run after a crash, or a retried call) returns the stored metadata and
  // writes nothing new. Errors: Flush's (nothing published);
  // kResourceNotFound (an item written elsewhere is missing);
  // kConditionalCheckFailed when the id is already saved with other items or
  // was cleaned as abandoned (not retryable); the client's.
  Result<SequenceInfo> Save(Item payload = {});

 private:
  friend class Sequences;

  Collector(Sequences& store, std::string owner, std::string id, int64_t already_written);

  Sequences* store_;
  std::string owner_;
  std::string id_;
  int64_t already_written_ = 0;  // items 1..already_written_ written by others
  int64_t count_ = 0;
  uint64_t digest_ = 0;        // of this collector's items (see ItemDigest)
  std::vector<Item> pending_;  // full items (keys set), not yet on copy 1
};

struct SequencePage {
  std::vector<SequenceInfo> sequences;  // newest first
  // Resumes after this page (Sequences::List(owner, token)); nullopt on the last page.
  std::optional<std::string> next_token;
};

// An owner's saved sequences, newest first, across the family's read
// periods, paginated behind one token. Not thread-safe.
class Collection {
 public:
  Collection(Collection&&) = default;
  // The next page (up to page_size sequences; possibly fewer). Errors:
  // MergedQuery::NextPage's; kBadResponse for a metadata item that does not
  // decode.
  Result<SequencePage> NextPage();
  bool done() const { return query_->done(); }

 private:
  friend class Sequences;
  Collection(internal::KeyAttributeNames keys, std::unique_ptr<MergedQuery> query)
      : keys_(std::move(keys)), query_(std::move(query)) {}
  internal::KeyAttributeNames keys_;
  std::unique_ptr<MergedQuery> query_;
};

// A saved sequence's items 1..count in order, read by a Query over the
// sequence's key range (items past count, left by an earlier crashed run,
// are outside it) in pages of read_chunk items, across the family's read
// periods merged by item number, so a sequence written before a rotation
// (or straddling one) reads the same after it. Not thread-safe.
class SequenceReader {
 public:
  SequenceReader(SequenceReader&&) = default;
  const SequenceInfo& info() const { return info_; }
  bool done() const { return next_ > info_.count; }
  // The next up to read_chunk items, as they were added (without the key
  // and "_moe*" attributes); empty once done. Errors: the client's, from
  // Query (retryable ones after its retries: call Next again);
  // kResourceNotFound when an item of a saved sequence is in no read period
  // (its period expired, it was deleted behind the strategy's back, or an
  // eventually consistent read ran just after the Save).
  Result<std::vector<Item>> Next();

 private:
  friend class Sequences;
  SequenceReader(internal::KeyAttributeNames keys, SequenceInfo info,
                 std::unique_ptr<MergedQuery> query)
      : keys_(std::move(keys)), info_(std::move(info)), query_(std::move(query)) {}
  internal::KeyAttributeNames keys_;
  SequenceInfo info_;
  std::unique_ptr<MergedQuery> query_;
  int64_t next_ = 1;
};

struct CleanOptions {
  // Report only; delete nothing. Default: false.
  bool dry_run = false;
};

struct CleanReport {
  // Unsaved sequences older than abandon_after (tombstoned and deleted).
  std::vector<std::string> abandoned;
  // Items found under them, and items past a saved sequence's count (left by
  // a run that added more before it crashed than the run that saved).
  size_t orphan_items = 0;
  size_t items_deleted = 0;
};

class Sequences {
 public:
  // Checks the family with SequenceStrategy::CheckFamily. `client` and
  // `family` are borrowed and must outlive the store (and its collectors).
  // Errors: kInvalidArgument (a family that does not fit), the registry's.
  static Result<std::unique_ptr<Sequences>> Open(DynamoDbClient& client, FamilyClient& family,
                                                 SequenceOptions options = {});

  // A new sequence of `owner`, with a fresh id (creation time from the
  // SequenceOptions::clock, and randomness).
  Collector NewSequence(std::string owner);
  // The collector of sequence `id` again: re-add the same items and Save to
  // finish a run that crashed. With `already_written` = k, items 1..k were
  // written by someone else (another process, `moe seq add`): numbering
  // continues at k + 1 and Save checks them. Errors: kInvalidArgument (not
  // an id, k < 0).
  Result<Collector> Resume(std::string owner, std::string id, int64_t already_written = 0);

  // The metadata of one sequence; nullopt when not saved (or cleaned).
  // Errors: the client's; kBadResponse (a metadata item that does not decode).
  Result<std::optional<SequenceInfo>> Find(const std::string& owner, const std::string& id);
  // `owner`'s sequences, newest first; `token` from a SequencePage resumes.
  // Errors: FamilyClient::Query's (kInvalidArgument for a foreign token).
  Result<Collection> List(const std::string& owner, std::optional<std::string_view> token = {},
                          int page_size = 100);
  // A reader of a listed sequence. Errors: FamilyClient::Query's.
  Result<SequenceReader> Read(SequenceInfo info);
  // Every item of a saved sequence, in order. Errors: kResourceNotFound
  // (not saved), SequenceReader::Next's.
  Result<std::vector<Item>> ReadAll(const std::string& owner, const std::string& id);

  // Finds `owner`'s abandoned items (see CleanReport) in every read period
  // and, unless dry_run, tombstones the abandoned sequences and deletes the
  // items from every copy. Errors: the client's, the batch engine's.
  Result<CleanReport> Clean(const std::string& owner, CleanOptions options = {});

  const SequenceOptions& options() const { return options_; }
  const internal::KeyAttributeNames& keys() const { return keys_; }

 private:
  friend class Collector;
  Sequences(DynamoDbClient& client, FamilyClient& family, SequenceOptions options,
            internal::KeyAttributeNames keys, Clock& clock);

  DynamoDbClient& client_;
  FamilyClient& family_;
  SequenceOptions options_;
  internal::KeyAttributeNames keys_;
  Clock& clock_;
};

// The range key of item `n` of sequence `id`: "i.<id>.0000000007" for n >= 1,
// and the metadata's "m.<id>" for n = 0.
std::string SequenceRangeKey(int64_t n, std::string_view id);

}  // namespace moe
