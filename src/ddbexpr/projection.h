// Projection of an item onto document paths, as DynamoDB returns it for
// ProjectionExpression and for ReturnValues UPDATED_OLD / UPDATED_NEW:
// nested maps keep only the selected keys, lists keep only the selected
// elements, compacted in index order ("a[1]" of [x, y, z] yields [y]), and
// attributes with nothing selected are left out.
//
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "ddbexpr/ast.h"
#include "moe/value.h"

namespace moe::ddbexpr {

Item Project(const Item& item, const ProjectionAst& projection);
Item ProjectPaths(const Item& item, const std::vector<Path>& paths);

}  // namespace moe::ddbexpr
