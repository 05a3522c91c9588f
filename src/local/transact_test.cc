#include "local/test_util.h"

namespace moe::local::testing {
namespace {

class TransactTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    CreateTable("accounts");
    CreateTable("audit");
  }

  static TransactWriteItem PutOf(std::string table, Item item, std::optional<std::string> cond = {}) {
    TransactWriteItem t;
    t.put = TransactPut{.table_name = std::move(table), .item = std::move(item)};
    t.put->condition_expression = std::move(cond);
    return t;
  }
};

TEST_F(TransactTest, AllOrNothing) {
  Put({{"pk", "alice"}, {"balance", 100}}, "accounts");
  Put({{"pk", "bob"}, {"balance", 0}}, "accounts");

  TransactWriteItemsRequest tx;
  TransactWriteItem debit;
  debit.update = TransactUpdate{.table_name = "accounts", .key = {{"pk", "alice"}}};
  debit.update->update_expression = "SET balance = balance - :amt";
  debit.update->condition_expression = "balance >= :amt";
  debit.update->expression_attribute_values = {{":amt", 30}};
  TransactWriteItem credit;
  credit.update = TransactUpdate{.table_name = "accounts", .key = {{"pk", "bob"}}};
  credit.update->update_expression = "SET balance = balance + :amt";
  credit.update->expression_attribute_values = {{":amt", 30}};
  tx.transact_items = {debit, credit, PutOf("audit", {{"pk", "tx1"}})};
  Ok(tx);
  EXPECT_EQ(Get({{"pk", "alice"}}, "accounts")->at("balance"), Value(70));
  EXPECT_EQ(Get({{"pk", "bob"}}, "accounts")->at("balance"), Value(30));

  // Too large a debit: nothing is applied, reasons in order.
  tx.transact_items[0].update->expression_attribute_values[":amt"] = 1000;
  tx.transact_items[0].update->return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::kAllOld;
  tx.transact_items[1].update->expression_attribute_values[":amt"] = 1000;
  tx.transact_items[2] = PutOf("audit", {{"pk", "tx2"}});
  auto failed = Call(tx);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kTransactionCanceled);
  EXPECT_EQ(failed.error().message(),
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[ConditionalCheckFailed, None, None]");
  ASSERT_NE(failed.error().detail(), nullptr);
  const auto& reasons = failed.error().detail()->cancellation_reasons;
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0].code, "ConditionalCheckFailed");
  EXPECT_EQ(reasons[0].item, (Item{{"pk", "alice"}, {"balance", 70}}));
  EXPECT_EQ(reasons[1].code, "None");
  EXPECT_EQ(Get({{"pk", "bob"}}, "accounts")->at("balance"), Value(30));
  EXPECT_FALSE(Get({{"pk", "tx2"}}, "audit"));
}

TEST_F(TransactTest, ConditionCheckAndDelete) {
  Put({{"pk", "x"}, {"v", 1}}, "accounts");
  TransactWriteItemsRequest tx;
  TransactWriteItem check;
  check.condition_check = ConditionCheck{.table_name = "accounts", .key = {{"pk", "x"}},
                                         .condition_expression = "v = :one"};
  check.condition_check->expression_attribute_values = {{":one", 1}};
  TransactWriteItem del;
  del.del = TransactDelete{.table_name = "audit", .key = {{"pk", "gone"}}};
  tx.transact_items = {check, del, PutOf("audit", {{"pk", "new"}}, "attribute_not_exists(pk)")};
  Ok(tx);
  EXPECT_TRUE(Get({{"pk", "new"}}, "audit"));
}

TEST_F(TransactTest, OneItemOnceAndLimits) {
  TransactWriteItemsRequest tx;
  tx.transact_items = {PutOf("accounts", {{"pk", "a"}}), PutOf("accounts", {{"pk", "a"}, {"v", 1}})};
  EXPECT_EQ(Fail(tx), "Transaction request cannot include multiple operations on one item");
  tx.transact_items.clear();
  for (int i = 0; i < 101; ++i) tx.transact_items.push_back(PutOf("accounts", {{"pk", std::to_string(i)}}));
  EXPECT_NE(Fail(tx).find("Member must have length less than or equal to 100"), std::string::npos);
  tx.transact_items.resize(100);
  Ok(tx);
  tx.transact_items = {PutOf("missing", {{"pk", "a"}})};
  Fail(tx, ErrorCode::kResourceNotFound);
}

TEST_F(TransactTest, ClientRequestTokenIsIdempotent) {
  TransactWriteItemsRequest tx;
  TransactWriteItem inc;
  inc.update = TransactUpdate{.table_name = "accounts", .key = {{"pk", "counter"}}};
  inc.update->update_expression = "ADD n :one";
  inc.update->expression_attribute_values = {{":one", 1}};
  tx.transact_items = {inc};
  tx.client_request_token = "token-1";
  Ok(tx);
  Ok(tx);  // replayed: not applied again
  EXPECT_EQ(Get({{"pk", "counter"}}, "accounts")->at("n"), Value(1));

  TransactWriteItemsRequest other = tx;
  other.transact_items[0].update->expression_attribute_values[":one"] = 2;
  Fail(other, ErrorCode::kIdempotentParameterMismatch);

  clock_.Advance(std::chrono::minutes(11));  // the token expired
  Ok(tx);
  EXPECT_EQ(Get({{"pk", "counter"}}, "accounts")->at("n"), Value(2));
}

TEST_F(TransactTest, TransactGet) {
  Put({{"pk", "a"}, {"v", 1}, {"w", 2}}, "accounts");
  TransactGetItemsRequest tx;
  tx.transact_items = {{.table_name = "accounts", .key = {{"pk", "a"}}, .projection_expression = "v"},
                       {.table_name = "audit", .key = {{"pk", "none"}}}};
  tx.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto resp = Ok(tx);
  ASSERT_EQ(resp.responses.size(), 2u);
  EXPECT_EQ(resp.responses[0], (Item{{"v", 1}}));
  EXPECT_FALSE(resp.responses[1]);
  ASSERT_EQ(resp.consumed_capacity.size(), 2u);
  EXPECT_EQ(resp.consumed_capacity[0].capacity_units, 2.0);  // transactional: double
}

}  // namespace
}  // namespace moe::local::testing
