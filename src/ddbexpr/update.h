// Applying a parsed update expression to an item, with DynamoDB's semantics.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
//
//   MOE_TRY(UpdateAst update, ParseUpdate(req.update_expression, tracker));
//   for (const std::string& name : UpdatedTopLevelNames(update))
//     if (is_key(name)) return key-update error;          // the engine's check
//   MOE_TRY(Item updated, ApplyUpdate(update, old_item));
//   Item updated_old = ProjectUpdated(old_item, update);   // ReturnValues UPDATED_OLD
//   Item updated_new = ProjectUpdated(updated, update);    // ReturnValues UPDATED_NEW
//
// Every operand is read from the item as it was before the update; then SET
// actions apply in order, REMOVE (list elements by their original indexes,
// the rest of the list shifting down), ADD, DELETE.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "ddbexpr/ast.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::ddbexpr {

// The item after `ast`. Errors (kValidation, not retryable), with DynamoDB's
// messages:
//  - "The provided expression refers to an attribute that does not exist in
//    the item" (a SET operand path that is missing);
//  - "An operand in the update expression has an incorrect data type" (+/-
//    on non-numbers, list_append on non-lists, ADD/DELETE on a mismatched
//    attribute);
//  - "The document path provided in the update expression is invalid for
//    update" (a nested path whose parent is missing or not a map/list);
//  - number overflow or precision errors from moe::Number arithmetic.
Result<Item> ApplyUpdate(const UpdateAst& ast, Item item);

// The top-level attribute names the update touches, sorted, unique.
std::vector<std::string> UpdatedTopLevelNames(const UpdateAst& ast);

// The document paths the update touches, in action order.
std::vector<Path> UpdatedPaths(const UpdateAst& ast);

// `item` projected onto the updated paths: pass the old item for
// UPDATED_OLD, the new one for UPDATED_NEW.
Item ProjectUpdated(const Item& item, const UpdateAst& ast);

}  // namespace moe::ddbexpr
