// ddbexpr: DynamoDB's expression language for the embedded engine. One
// include for everything the engine calls.
//
// Life of one UpdateItem request in the engine:
//
//   ddbexpr::PlaceholderTracker tracker(&req.names, &req.values);
//   MOE_TRY(auto update, ddbexpr::ParseUpdate(req.update_expression, tracker));
//   std::optional<ddbexpr::ConditionAst> cond;
//   if (!req.condition_expression.empty()) {
//     MOE_TRY(cond, ddbexpr::ParseCondition(req.condition_expression,
//                                            ddbexpr::ExpressionKind::kCondition, tracker));
//   }
//   MOE_TRY_STATUS(tracker.CheckAllUsed());          // unused #names / :values
//   for (const auto& name : ddbexpr::UpdatedTopLevelNames(update)) ...  // key attributes?
//   if (cond) { MOE_TRY(bool ok, ddbexpr::EvaluateCondition(*cond, old_item)); ... }
//   MOE_TRY(moe::Item new_item, ddbexpr::ApplyUpdate(update, old_item));
//   ddbexpr::ProjectUpdated(old_item, update);       // ReturnValues UPDATED_OLD
//
// Query: ParseCondition(kKeyCondition) + ExtractKeyCondition, ParseCondition
// (kFilter) + EvaluateCondition per item, ParseProjection + Project.
//
// Every error is kValidation (ValidationException) with DynamoDB's message;
// none is retryable. Parsed trees are self-contained values (placeholders
// resolved), so they may outlive the request maps.
//
// Thread safety: free functions and value types; a PlaceholderTracker
// belongs to one request.
#pragma once

#include "ddbexpr/ast.h"            // IWYU pragma: export
#include "ddbexpr/evaluator.h"      // IWYU pragma: export
#include "ddbexpr/key_condition.h"  // IWYU pragma: export
#include "ddbexpr/parser.h"         // IWYU pragma: export
#include "ddbexpr/placeholders.h"   // IWYU pragma: export
#include "ddbexpr/projection.h"     // IWYU pragma: export
#include "ddbexpr/update.h"         // IWYU pragma: export
