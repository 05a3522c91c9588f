// DynamoDB's reserved words: bare attribute names in an expression must not
// be one of them (case-insensitively); "#placeholders" escape them.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
//
// Thread safety: pure functions over constant data.
#pragma once

#include <cstddef>
#include <string_view>

namespace moe::ddbexpr {

// Whether `word` is reserved, ignoring case ("size", "Size", "SIZE").
bool IsReservedWord(std::string_view word);

// For tests: the table's size, and that it is strictly sorted.
size_t ReservedWordCount();
bool ReservedWordsSorted();

}  // namespace moe::ddbexpr
