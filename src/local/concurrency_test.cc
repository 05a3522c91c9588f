#include <thread>
#include <vector>

#include "local/test_util.h"

namespace moe::local::testing {
namespace {

using ConcurrencyTest = EngineTest;

// Optimistic increments: read, then write conditioned on the value read.
// Lost updates would show as a final count below the number of successes.
TEST_F(ConcurrencyTest, ConditionalIncrementsAreExact) {
  CreateTable("tbl");
  Put({{"pk", "c"}, {"n", 0}});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      for (int done = 0; done < kPerThread;) {
        GetItemRequest get{.table_name = "tbl", .key = {{"pk", "c"}}, .consistent_read = true};
        auto got = CallOn(*engine_, get);
        ASSERT_TRUE(got && got->item);
        Value n = got->item->at("n");
        UpdateItemRequest up{.table_name = "tbl", .key = {{"pk", "c"}}};
        up.update_expression = "SET n = n + :one";
        up.condition_expression = "n = :seen";
        up.expression_attribute_values = {{":one", 1}, {":seen", n}};
        auto r = CallOn(*engine_, up);
        if (r) {
          ++done;
        } else {
          ASSERT_EQ(r.error().code(), ErrorCode::kConditionalCheckFailed);
        }
      }
    });
  }
  // Meanwhile, transactions and scans on the same table.
  threads.emplace_back([this] {
    for (int i = 0; i < 100; ++i) {
      TransactWriteItemsRequest tx;
      TransactWriteItem put;
      put.put = TransactPut{.table_name = "tbl", .item = {{"pk", "t" + std::to_string(i)}}};
      tx.transact_items = {put};
      ASSERT_TRUE(CallOn(*engine_, tx));
      ASSERT_TRUE(CallOn(*engine_, ScanRequest{.table_name = "tbl", .limit = 5}));
    }
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(Get({{"pk", "c"}})->at("n"), Value(kThreads * kPerThread));
}

}  // namespace
}  // namespace moe::local::testing
