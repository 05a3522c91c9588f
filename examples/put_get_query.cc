// put/get/query: create a table, write three items, read one back by key and
// query a partition in sort-key order.
//
//   put_get_query local:                    # the embedded engine, in memory
//   put_get_query http://127.0.0.1:8000     # moe serve, DynamoDB Local, ...
#include <cstdio>
#include <string>

#include "connect.h"
#include "moe/client.h"
#include "moe/json.h"

namespace {

moe::Status Run(moe::DynamoDbClient& client) {
  MOE_TRY_STATUS(examples::CreateTable(client, "orders", "n"));

  for (int n = 1; n <= 3; ++n) {
    moe::PutItemRequest put{.table_name = "orders",
                            .item = {{"pk", "customer#7"}, {"n", n}, {"total", 10 * n}}};
    MOE_TRY_STATUS(client.PutItem(put));
  }

  MOE_TRY(auto got, client.GetItem({.table_name = "orders",
                                    .key = {{"pk", "customer#7"}, {"n", 2}},
                                    .consistent_read = true}));
  std::printf("get: %s\n", got.item ? moe::ItemToPlainJson(*got.item).c_str() : "(no item)");

  // Newest first, over every page (one page here).
  moe::QueryRequest query{.table_name = "orders",
                          .key_condition_expression = "pk = :pk AND n >= :from",
                          .expression_attribute_values = {{":pk", "customer#7"}, {":from", 2}},
                          .scan_index_forward = false};
  for (auto& page : client.QueryPages(query)) {
    if (!page) return page.error();
    for (const moe::Item& item : page->items) {
      std::printf("query: %s\n", moe::ItemToPlainJson(item).c_str());
    }
  }
  return moe::Ok();
}

}  // namespace

int main(int argc, char** argv) { return examples::Main(argc, argv, Run); }
