// Two mirrored tables written together with TransactWriteItems: every write
// goes to "accounts" and "accounts_mirror" atomically, guarded by a version
// condition, so the two never disagree. This is the plain-DynamoDB way to
// get the mirrored half; family_rotation.cc shows moe's table families, with
// rotation and mirrored writes (MirrorMode::kTransactional does this) built in.
//
//   mirror_transact local:    # or an endpoint URL
#include <cstdio>
#include <string>

#include "connect.h"
#include "moe/client.h"
#include "moe/json.h"

namespace {

// Writes `item` to both tables if the primary still holds `expected_version`
// (0: the item must not exist yet).
moe::Status MirroredPut(moe::DynamoDbClient& client, moe::Item item, int expected_version) {
  moe::TransactPut primary{.table_name = "accounts", .item = item};
  if (expected_version == 0) {
    primary.condition_expression = "attribute_not_exists(pk)";
  } else {
    primary.condition_expression = "version = :v";
    primary.expression_attribute_values = {{":v", expected_version}};
  }
  moe::TransactWriteItemsRequest request;
  request.transact_items.push_back({.put = primary});
  request.transact_items.push_back({.put = moe::TransactPut{.table_name = "accounts_mirror",
                                                            .item = std::move(item)}});
  MOE_TRY_STATUS(client.TransactWriteItems(request));
  return moe::Ok();
}

moe::Status Run(moe::DynamoDbClient& client) {
  MOE_TRY_STATUS(examples::CreateTable(client, "accounts"));
  MOE_TRY_STATUS(examples::CreateTable(client, "accounts_mirror"));

  MOE_TRY_STATUS(MirroredPut(client, {{"pk", "acct#1"}, {"balance", 100}, {"version", 1}}, 0));
  MOE_TRY_STATUS(MirroredPut(client, {{"pk", "acct#1"}, {"balance", 70}, {"version", 2}}, 1));

  // A stale writer (expects version 1) is refused, and neither table changes.
  auto stale = MirroredPut(client, {{"pk", "acct#1"}, {"balance", 0}, {"version", 2}}, 1);
  std::printf("stale write: %s\n", stale ? "applied (unexpected)" : stale.error().ToString().c_str());

  for (const char* table : {"accounts", "accounts_mirror"}) {
    MOE_TRY(auto got, client.GetItem({.table_name = table,
                                      .key = {{"pk", "acct#1"}},
                                      .consistent_read = true}));
    std::printf("%s: %s\n", table, got.item ? moe::ItemToPlainJson(*got.item).c_str() : "(none)");
  }
  return moe::Ok();
}

}  // namespace

int main(int argc, char** argv) { return examples::Main(argc, argv, Run); }
