// Small value helpers shared by the evaluator, the update applier and the
// parsers' static checks.
//
// Thread safety: pure functions.
#pragma once

#include <optional>

#include "ddbexpr/ast.h"
#include "moe/value.h"

namespace moe::ddbexpr {

// Order of two values of the same orderable type: S by UTF-8 bytes, N
// numerically, B bytewise. -1/0/1, or nullopt when the types differ or are
// not orderable.
std::optional<int> CompareScalars(const Value& a, const Value& b);

// The value at `path` inside `item`, or null when any step is missing or
// crosses a value of the wrong type.
const Value* Lookup(const Item& item, const Path& path);

// Whether `tag` is one of "S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS".
std::optional<Type> TypeFromTag(std::string_view tag);

}  // namespace moe::ddbexpr
