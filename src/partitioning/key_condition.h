// Finding the partition key's value placeholder in a key condition
// expression ("#pk = :pk AND begins_with(#sk, :p)" -> ":pk"), for sharded
// queries and for the heat tracker's view of Query requests.
// Thread safety: free functions without shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "moe/model.h"

namespace moe::partitioning::internal {

// The `:value` placeholder compared with `=` to `hash_key` (directly or
// through an `#name` in `names`) in `expression`; nullopt when there is none.
std::optional<std::string> HashKeyPlaceholder(std::string_view expression,
                                              const ExpressionNames& names,
                                              std::string_view hash_key);

}  // namespace moe::partitioning::internal
