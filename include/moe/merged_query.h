// A merged query: several Query requests (the tables of several periods, the
// shards of a sharded key, or both) read as one, in sort-key order, behind one
// opaque pagination token that resumes every underlying cursor.
//
//   moe::MergedQueryOptions options;
//   options.sort_key = "ts";
//   options.key_attributes = {"pk", "ts"};            // what resumes a source
//   options.page_size = 100;
//   MOE_TRY(auto merged, moe::MergedQuery::Start(client, {q_today, q_yesterday}, options));
//   while (!merged->done()) {
//     MOE_TRY(moe::MergedPage page, merged->NextPage());
//     Show(page.items);
//     // page.next_token can be handed to a later Start() (another process,
//     // another request) to continue exactly after the last item shown.
//   }
//
// Order: by the sort-key attribute (ascending, or descending when
// scan_index_forward is false), ties by source position (earlier sources
// first: put the newest period first). Every item of every source is returned
// exactly once across pages, whatever the page size, also when the query is
// resumed from a token; items written while a query is paused are seen or not
// as DynamoDB's own pagination would see them.
//
// Each source is fetched lazily, page by page, only when its buffered items
// run out, and the sources that need a page are fetched concurrently.
//
// Thread safety: a MergedQuery is not thread-safe (one reader at a time); the
// client it uses is shared safely.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/client.h"
#include "moe/model.h"
#include "moe/result.h"

namespace moe {

struct MergedQueryOptions {
  // The attribute the sources are merged by: the range key of the table or
  // index the sources query. Every returned item must carry it (S, N or B).
  // Required.
  std::string sort_key;
  // The attributes that resume one source (its ExclusiveStartKey): the
  // table's hash and range key, plus the index's keys when the sources query
  // an index. Every returned item must carry them (so a projection must
  // include them). Required.
  std::vector<std::string> key_attributes;
  // Direction for every source (overrides the sources' own). Default: true.
  bool scan_index_forward = true;
  // Items per merged page (the merged Limit). Default: 100.
  int page_size = 100;
  // When true, an item whose key_attributes equal those of an item already
  // returned from an earlier source (e.g. the same key written in two
  // periods) is skipped: the earliest source wins. Default: false.
  bool distinct_keys = false;
};

struct MergedPage {
  std::vector<Item> items;
  // Resumes after the last item of this page; nullopt when every source is
  // exhausted (this was the last page).
  std::optional<std::string> next_token;
  // Sum of the capacity units the underlying Query calls reported (zero
  // unless the sources ask for ReturnConsumedCapacity).
  double consumed_capacity_units = 0;
};

class MergedQuery {
 public:
  // Starts a merged read of `sources`, or resumes one from `token` (a
  // MergedPage::next_token from the same sources and options). Sources must
  // not set exclusive_start_key or Select COUNT; a source's `limit`, when
  // set, is the size of the pages fetched from it (default: page_size).
  // Errors (not retryable): kInvalidArgument for no sources, missing
  // sort_key or key_attributes, page_size < 1, a source that sets
  // exclusive_start_key or COUNT, and a token that is malformed or was made
  // for other sources or options.
  static Result<std::unique_ptr<MergedQuery>> Start(DynamoDbClient& client,
                                                    std::vector<QueryRequest> sources,
                                                    MergedQueryOptions options,
                                                    std::optional<std::string_view> token = {});

  MergedQuery(const MergedQuery&) = delete;
  MergedQuery& operator=(const MergedQuery&) = delete;
  ~MergedQuery();

  // The next up to page_size items. Errors: the client's, from the
  // underlying Query calls (after its retries; retryable ones can be retried
  // by calling NextPage again, or by resuming from the last token);
  // kInvalidArgument when an item lacks the sort key or a key attribute.
  // After the last page, returns an empty page without a token.
  Result<MergedPage> NextPage();

  // True once every source is exhausted and every item returned.
  bool done() const;

 private:
  struct Impl;
  explicit MergedQuery(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Orders two key values as DynamoDB orders sort keys: numbers by value,
// strings and binary by unsigned bytes. Values of different types order by
// their type tag (S < N < B), which DynamoDB never needs.
int CompareKeyValues(const Value& a, const Value& b);

}  // namespace moe
