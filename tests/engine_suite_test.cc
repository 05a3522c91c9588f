// Client cases that dynalite cannot check (it implements neither
// transactions nor UpdateTimeToLive nor ReturnValuesOnConditionCheckFailure):
// run against the embedded engine in-process and over HTTP.
#include <gtest/gtest.h>

#include "moe/batch.h"
#include "moe/client.h"
#include "moe/expression.h"
#include "tests/support/backend.h"

namespace moe {
namespace {

using expr::Attr;

class EngineSuite : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* name : {"accounts", "audit"}) {
      CreateTableRequest create{.table_name = name};
      create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
      create.key_schema = {{"pk", KeyType::kHash}};
      create.billing_mode = BillingMode::kPayPerRequest;
      ASSERT_TRUE(client_->CreateTable(create));
      ASSERT_TRUE(
          client_->WaitUntilActive(name, std::chrono::seconds(10), std::chrono::milliseconds(10)));
    }
  }
  Item Get(const std::string& table, const std::string& pk) {
    auto got =
        client_->GetItem({.table_name = table, .key = {{"pk", pk}}, .consistent_read = true});
    EXPECT_TRUE(got) << got.error().ToString();
    return got && got->item ? *got->item : Item{};
  }

};

TEST_F(EngineSuite, TransactWriteIsAllOrNothingWithReasons) {
  ASSERT_TRUE(
      client_->PutItem({.table_name = "accounts", .item = {{"pk", "alice"}, {"balance", 100}}}));
  ASSERT_TRUE(
      client_->PutItem({.table_name = "accounts", .item = {{"pk", "bob"}, {"balance", 5}}}));

  auto transfer = [&](int amount) {
    TransactWriteItemsRequest t;
    TransactUpdate debit{.table_name = "accounts", .key = {{"pk", "alice"}}};
    expr::Expressions ex;
    debit.update_expression =
        *ex.Render(expr::Update().Set(Attr("balance"), expr::Minus(Attr("balance"), amount)));
    debit.condition_expression = *ex.Render(Attr("balance") >= amount);
    ex.MoveInto(&debit);
    debit.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::kAllOld;
    TransactUpdate credit{.table_name = "accounts", .key = {{"pk", "bob"}}};
    expr::Expressions ex2;
    credit.update_expression = *ex2.Render(expr::Update().Add(Attr("balance"), amount));
    ex2.MoveInto(&credit);
    t.transact_items.push_back({.update = debit});
    t.transact_items.push_back({.update = credit});
    t.transact_items.push_back(
        {.put =
             TransactPut{.table_name = "audit", .item = {{"pk", "t" + std::to_string(amount)}}}});
    return client_->TransactWriteItems(t);
  };

  ASSERT_TRUE(transfer(60));
  EXPECT_EQ(Get("accounts", "alice").at("balance"), Value(40));
  EXPECT_EQ(Get("accounts", "bob").at("balance"), Value(65));

  auto refused = transfer(50);  // alice has 40
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kTransactionCanceled);
  ASSERT_NE(refused.error().detail(), nullptr);
  const auto& reasons = refused.error().detail()->cancellation_reasons;
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0].code, "ConditionalCheckFailed");
  ASSERT_TRUE(reasons[0].item);
  EXPECT_EQ(reasons[0].item->at("balance"), Value(40));
  EXPECT_EQ(reasons[1].code, "None");
  EXPECT_EQ(reasons[2].code, "None");
  // Nothing of the refused transaction was applied.
  EXPECT_EQ(Get("accounts", "bob").at("balance"), Value(65));
  EXPECT_TRUE(Get("audit", "t50").empty());

  TransactGetItemsRequest get;
  get.transact_items = {{.table_name = "accounts", .key = {{"pk", "alice"}}},
                        {.table_name = "accounts", .key = {{"pk", "nobody"}}},
                        {.table_name = "audit", .key = {{"pk", "t60"}}}};
  auto got = client_->TransactGetItems(get);
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_EQ(got->responses.size(), 3u);
  EXPECT_EQ(got->responses[0]->at("balance"), Value(40));
  EXPECT_FALSE(got->responses[1]);
  EXPECT_TRUE(got->responses[2]);
}

TEST_F(EngineSuite, IdempotentTransactionsByClientRequestToken) {
  TransactWriteItemsRequest t;
  t.client_request_token = "token-1";
  TransactUpdate bump{
      .table_name = "accounts", .key = {{"pk", "carol"}}, .update_expression = "ADD n :one"};
  bump.expression_attribute_values = {{":one", 1}};
  t.transact_items.push_back({.update = bump});
  ASSERT_TRUE(client_->TransactWriteItems(t));
  ASSERT_TRUE(client_->TransactWriteItems(t));  // a retry of the same request: applied once
  EXPECT_EQ(Get("accounts", "carol").at("n"), Value(1));
  t.transact_items[0].update->expression_attribute_values = {{":one", 2}};
  auto mismatch = client_->TransactWriteItems(t);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code(), ErrorCode::kIdempotentParameterMismatch);
}

TEST_F(EngineSuite, ConditionalCheckFailureCarriesTheItem) {
  ASSERT_TRUE(
      client_->PutItem({.table_name = "accounts", .item = {{"pk", "dave"}, {"version", 3}}}));
  PutItemRequest put{.table_name = "accounts", .item = {{"pk", "dave"}, {"version", 4}}};
  expr::Expressions ex;
  put.condition_expression = *ex.Render(Attr("version") == 2);
  ex.MoveInto(&put);
  put.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::kAllOld;
  auto failed = client_->PutItem(put);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kConditionalCheckFailed);
  ASSERT_NE(failed.error().detail(), nullptr);
  ASSERT_TRUE(failed.error().detail()->item);
  EXPECT_EQ(*failed.error().detail()->item, (Item{{"pk", "dave"}, {"version", 3}}));
}

TEST_F(EngineSuite, TimeToLiveSettings) {
  auto updated = client_->UpdateTimeToLive(
      {.table_name = "audit",
       .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
  ASSERT_TRUE(updated) << updated.error().ToString();
  EXPECT_TRUE(updated->time_to_live_specification.enabled);
  auto described = client_->DescribeTimeToLive({.table_name = "audit"});
  ASSERT_TRUE(described);
  EXPECT_EQ(described->time_to_live_status, TimeToLiveStatus::kEnabled);
  EXPECT_EQ(described->attribute_name, "expires");
}

// In-process transports complete a call before Send returns; a parallel scan
// of many small pages must not turn that into recursion.
TEST_F(EngineSuite, ParallelScanOfTwentyThousandPages) {
  BatchWriter writer(*client_);
  for (int i = 0; i < 20000; ++i) writer.Put("audit", {{"pk", "k" + std::to_string(i)}});
  auto written = writer.Flush();
  ASSERT_TRUE(written);
  ASSERT_EQ(written->succeeded, 20000u);
  int64_t items = 0, pages = 0;
  Status s = client_->ParallelScan({.table_name = "audit", .limit = 1}, 2,
                                   [&](int, ScanResponse& page) -> Status {
                                     items += page.count;
                                     ++pages;
                                     return Ok();
                                   });
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(items, 20000);
  EXPECT_GE(pages, 20000);
}

}  // namespace
}  // namespace moe
