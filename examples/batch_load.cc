// Batch load: queue many items with moe::BatchWriter, flush, watch progress,
// and deal with what did not land. BatchWriter chunks, re-sends unprocessed
// items and isolates bad ones; every item either succeeds or comes back in
// `failed` with its request and the error, so leftovers can be retried,
// logged or written elsewhere.
//
//   batch_load local:    # or an endpoint URL
#include <cstdio>
#include <string>

#include "connect.h"
#include "moe/batch.h"
#include "moe/json.h"

namespace {

moe::Status Run(moe::DynamoDbClient& client) {
  MOE_TRY_STATUS(examples::CreateTable(client, "events"));

  moe::BatchOptions options;
  options.progress = [printed = size_t{0}](size_t done, size_t total) mutable {
    if (done != total && done < printed + 250) return;  // every 250 items, and the end
    std::printf("progress: %zu/%zu\n", done, total);
    printed = done;
  };
  moe::BatchWriter writer(client, std::move(options));
  for (int i = 0; i < 1000; ++i) {
    writer.Put("events", {{"pk", "event#" + std::to_string(i)}, {"seq", i}});
  }
  // Two bad entries, to show the leftovers: no key, and an empty string key.
  writer.Put("events", {{"seq", -1}});
  writer.Put("events", {{"pk", ""}, {"seq", -2}});

  MOE_TRY(moe::BatchWriteResult result, writer.Flush());
  std::printf("succeeded: %zu, failed: %zu, requests: %zu\n", result.succeeded,
              result.failed.size(), result.requests);
  for (const moe::FailedWrite& failure : result.failed) {
    const moe::Item& item = failure.request.put_item ? *failure.request.put_item
                                                     : *failure.request.delete_key;
    std::printf("failed #%zu %s: %s\n", failure.index, moe::ItemToPlainJson(item).c_str(),
                failure.error.ToString().c_str());
  }
  return moe::Ok();
}

}  // namespace

int main(int argc, char** argv) { return examples::Main(argc, argv, Run); }
