// PutRecordsAll: many records through PutRecords on the batch engine's retry
// loop (client/batch_driver.h), re-sending the records a response reports
// as failed.

#include "client/batch_driver.h"
#include "moe/kinesis.h"

namespace moe {
namespace {

constexpr size_t kMaxRecordBytes = 1024 * 1024;

size_t EntryBytes(const kinesis::PutRecordsEntry& e) { return e.data.size() + e.partition_key.size(); }

}  // namespace

Result<kinesis::PutAllResult> KinesisClient::PutRecordsAll(
    const std::string& stream, const std::vector<kinesis::PutRecordsEntry>& entries,
    const kinesis::PutAllOptions& options) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].partition_key.empty() || EntryBytes(entries[i]) > kMaxRecordBytes) {
      return Error::InvalidArgument("record " + std::to_string(i) +
                                    " has an empty partition key or is larger than 1 MiB");
    }
  }
  BatchOptions batch;
  batch.max_in_flight = std::max(1, options.max_in_flight);
  batch.base_delay = options.base_delay;
  batch.max_delay = options.max_delay;
  batch.retry_budget = options.retry_budget;
  batch.jitter_seed = options.jitter_seed;

  kinesis::PutAllResult result;
  result.results.resize(entries.size());
  std::mutex mu;  // guards result.results: replies arrive on transport threads

  auto pack = [&](std::deque<size_t>& ready) {
    std::vector<size_t> batch_entries;
    size_t bytes = 0;
    while (!ready.empty() && batch_entries.size() < kinesis::kMaxPutRecordsEntries) {
      size_t next = EntryBytes(entries[ready.front()]);
      if (!batch_entries.empty() && bytes + next > kinesis::kMaxPutRecordsBytes) break;
      bytes += next;
      batch_entries.push_back(ready.front());
      ready.pop_front();
    }
    return batch_entries;
  };
  auto send = [&](const std::vector<size_t>& indices,
                  std::function<void(internal::BatchDriver::Reply)> done) {
    kinesis::PutRecordsRequest request{.stream_name = stream};
    request.records.reserve(indices.size());
    for (size_t i : indices) request.records.push_back(entries[i]);
    CallAsync(request, [&, indices, done = std::move(done)](
                           Result<kinesis::PutRecordsResponse> response) {
      internal::BatchDriver::Reply reply;
      if (!response) {
        reply.error = std::move(response).error();
      } else if (response->records.size() != indices.size()) {
        reply.error = Error::BadResponse("PutRecords answered " +
                                         std::to_string(response->records.size()) +
                                         " records for " + std::to_string(indices.size()));
      } else {
        std::lock_guard lock(mu);
        for (size_t k = 0; k < indices.size(); ++k) {
          result.results[indices[k]] = std::move(response->records[k]);
          if (!result.results[indices[k]].ok()) reply.unprocessed.push_back(indices[k]);
        }
      }
      done(std::move(reply));
    });
  };
  auto on_failed = [&](size_t index, Error error) {
    std::lock_guard lock(mu);
    kinesis::PutRecordsResultEntry& entry = result.results[index];
    if (entry.ok()) {
      entry.error_code = std::string(error.type_name());
      entry.error_message = error.message();
    }
    result.failed.push_back({index, std::move(error)});
  };

  std::vector<size_t> indices(entries.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  internal::BatchDriver driver(batch, clock());
  result.resent = driver.Run(std::move(indices), pack, send, on_failed, entries.size());
  result.succeeded = entries.size() - result.failed.size();
  std::sort(result.failed.begin(), result.failed.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  return result;
}

}  // namespace moe
