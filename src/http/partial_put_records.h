// Partial PutRecords results for FaultyTransport: Kinesis answers a
// PutRecords request record by record, and records it could not take come
// back with an ErrorCode in a 200 answer. SplitPutRecords withholds some
// records; MergePutRecords reports them as throttled in the answer to the
// forwarded ones, at their original positions.
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
// Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace moe::internal {

struct PutRecordsSplit {
  std::string forwarded_body;  // the request with only the forwarded records
  std::vector<bool> withheld;  // per original record
};

// Withholds between 1 and n-1 of the n records, chosen with `rng`; nullopt
// when the body is not a PutRecords request with at least two records.
std::optional<PutRecordsSplit> SplitPutRecords(std::string_view body, std::mt19937_64& rng);

// The answer to the whole request: the forwarded records' results in their
// places and ProvisionedThroughputExceededException for the withheld ones.
// nullopt when `response_body` is not a PutRecords answer for the forwarded records.
std::optional<std::string> MergePutRecords(std::string_view response_body,
                                           const std::vector<bool>& withheld);

}  // namespace moe::internal
