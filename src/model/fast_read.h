// Fast readers of the responses that carry many items, and of the plainest
// single-item requests (what the engine parses per PutItem and GetItem),
// over the fast JSON reader (core/json_fast.h). Each returns null whenever the strict reader
// (the Parse<T> specializations) could answer differently: an error, a
// repeated member, a member this reader does not handle. Parse<T> then
// parses the body again the strict way, so results and errors are the same.
// Thread safety: as core/json_fast.h (one parser per thread).
#pragma once

#include <optional>
#include <string_view>

#include "moe/model.h"

namespace moe::internal {

std::optional<QueryResponse> FastQueryResponse(std::string_view json);
std::optional<GetItemResponse> FastGetItemResponse(std::string_view json);
std::optional<BatchGetItemResponse> FastBatchGetItemResponse(std::string_view json);

// Requests: only TableName and Item (PutItem), or TableName, Key and
// ConsistentRead (GetItem), each once and not null. Any other member
// (expressions, ReturnValues, ...) goes to the strict reader.
std::optional<PutItemRequest> FastPutItemRequest(std::string_view json);
std::optional<GetItemRequest> FastGetItemRequest(std::string_view json);

}  // namespace moe::internal
