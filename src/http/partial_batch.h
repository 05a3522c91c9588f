// Partial batch results for FaultyTransport: splitting a BatchWriteItem or
// BatchGetItem request into forwarded and withheld entries, and reporting
// the withheld ones as UnprocessedItems/UnprocessedKeys of the answer.
// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
// and .../API_BatchGetItem.html.
// Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "core/json_reader.h"

namespace moe::internal {

// Compact JSON text of a rapidjson value (shared by the partial-answer helpers).
std::string Serialize(const JsonValue& value);

struct BatchSplit {
  // The request body with only the forwarded entries in RequestItems.
  std::string forwarded_body;
  // A RequestItems-shaped JSON object holding the withheld entries; for
  // BatchGetItem each table keeps its ProjectionExpression,
  // ExpressionAttributeNames, ConsistentRead and AttributesToGet.
  std::string withheld;
  int forwarded_count = 0;
  int withheld_count = 0;
};

// Withholds between 1 and n-1 of the request's n entries (write requests for
// BatchWriteItem, keys for BatchGetItem), chosen with `rng`. nullopt when the
// body is not a well-formed batch request or has fewer than two entries.
std::optional<BatchSplit> SplitBatch(std::string_view body, bool is_get, std::mt19937_64& rng);

// Adds `withheld` (from SplitBatch) to the UnprocessedItems (is_get=false) or
// UnprocessedKeys of a successful batch response. nullopt when the response
// body is not a JSON object.
std::optional<std::string> MergeUnprocessed(std::string_view response_body,
                                            std::string_view withheld, bool is_get);

}  // namespace moe::internal
