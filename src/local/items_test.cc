#include "local/test_util.h"

namespace moe::local::testing {
namespace {

class ItemsTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    CreateTable("tbl", /*range=*/true);
  }
};

TEST_F(ItemsTest, PutGetDelete) {
  Put({{"pk", "a"}, {"sk", 1}, {"v", "x"}, {"n", 5}});
  auto got = Get({{"pk", "a"}, {"sk", 1}});
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["v"], Value("x"));
  EXPECT_FALSE(Get({{"pk", "a"}, {"sk", 2}}));

  GetItemRequest projected{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  projected.projection_expression = "#v";
  projected.expression_attribute_names = {{"#v", "v"}};
  EXPECT_EQ(Ok(projected).item, (Item{{"v", "x"}}));

  DeleteItemRequest del{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  del.return_values = ReturnValue::kAllOld;
  auto deleted = Ok(del);
  ASSERT_TRUE(deleted.attributes);
  EXPECT_EQ((*deleted.attributes)["n"], Value(5));
  EXPECT_FALSE(Get({{"pk", "a"}, {"sk", 1}}));
}

TEST_F(ItemsTest, PutReturnsOldItemAndChecksConditions) {
  Put({{"pk", "a"}, {"sk", 1}, {"v", 1}});
  PutItemRequest put{.table_name = "tbl", .item = {{"pk", "a"}, {"sk", 1}, {"v", 2}}};
  put.return_values = ReturnValue::kAllOld;
  EXPECT_EQ(Ok(put).attributes, (Item{{"pk", "a"}, {"sk", 1}, {"v", 1}}));

  put.condition_expression = "attribute_not_exists(pk)";
  put.return_values = ReturnValue::kNone;
  put.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::kAllOld;
  auto failed = Call(put);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kConditionalCheckFailed);
  EXPECT_EQ(failed.error().message(), "The conditional request failed");
  ASSERT_NE(failed.error().detail(), nullptr);
  EXPECT_EQ(failed.error().detail()->item, (Item{{"pk", "a"}, {"sk", 1}, {"v", 2}}));

  put.return_values = ReturnValue::kAllNew;
  EXPECT_EQ(Fail(put), "ReturnValues can only be ALL_OLD or NONE");
}

TEST_F(ItemsTest, UpdateReturnValues) {
  UpdateItemRequest up{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  up.update_expression = "SET c = if_not_exists(c, :zero) + :one, tag = :t";
  up.expression_attribute_values = {{":zero", 0}, {":one", 1}, {":t", "first"}};
  up.return_values = ReturnValue::kAllNew;
  EXPECT_EQ(Ok(up).attributes, (Item{{"pk", "a"}, {"sk", 1}, {"c", 1}, {"tag", "first"}}));

  up.expression_attribute_values[":t"] = "second";
  up.return_values = ReturnValue::kUpdatedOld;
  EXPECT_EQ(Ok(up).attributes, (Item{{"c", 1}, {"tag", "first"}}));
  up.return_values = ReturnValue::kUpdatedNew;
  EXPECT_EQ(Ok(up).attributes, (Item{{"c", 3}, {"tag", "second"}}));
  up.return_values = ReturnValue::kAllOld;
  EXPECT_EQ(Ok(up).attributes, (Item{{"pk", "a"}, {"sk", 1}, {"c", 3}, {"tag", "second"}}));

  UpdateItemRequest cond{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  cond.update_expression = "REMOVE tag";
  cond.condition_expression = "c > :limit";
  cond.expression_attribute_values = {{":limit", 100}};
  EXPECT_EQ(Fail(cond, ErrorCode::kConditionalCheckFailed), "The conditional request failed");
}

TEST_F(ItemsTest, KeyValidation) {
  GetItemRequest get{.table_name = "tbl", .key = {{"pk", "a"}}};
  EXPECT_EQ(Fail(get), "The provided key element does not match the schema");
  get.key = {{"pk", "a"}, {"sk", "not a number"}};
  EXPECT_EQ(Fail(get), "The provided key element does not match the schema");
  get.key = {{"pk", ""}, {"sk", 1}};
  EXPECT_EQ(Fail(get),
            "One or more parameter values were invalid: The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: pk");

  PutItemRequest put{.table_name = "tbl", .item = {{"sk", 1}}};
  EXPECT_EQ(Fail(put), "One or more parameter values were invalid: Missing the key pk in the item");
  put.item = {{"pk", 1}, {"sk", 1}};
  EXPECT_EQ(Fail(put),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S "
            "actual: N");
  put.item = {{"pk", std::string(2049, 'x')}, {"sk", 1}};
  EXPECT_EQ(Fail(put),
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
            "size limit of2048 bytes");
  put.item = {{"pk", ""}, {"sk", 1}};
  EXPECT_EQ(Fail(put),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: pk");
  put.item = {{"pk", "a"}, {"sk", 1}, {"big", std::string(400 * 1024, 'x')}};
  EXPECT_EQ(Fail(put), "Item size has exceeded the maximum allowed size");

  PutItemRequest no_table{.item = {{"pk", "a"}}};
  EXPECT_EQ(Fail(no_table),
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
            "Member must not be null");
  PutItemRequest no_item{.table_name = "tbl"};
  EXPECT_EQ(Fail(no_item),
            "1 validation error detected: Value null at 'item' failed to satisfy constraint: "
            "Member must not be null");
  PutItemRequest missing{.table_name = "missing", .item = {{"pk", "a"}}};
  EXPECT_EQ(Fail(missing, ErrorCode::kResourceNotFound), "Requested resource not found");
}

TEST_F(ItemsTest, RangeKeySizeLimit) {
  CreateTable("str", false);
  Ok(CreateTableRequest(TableSpec("rng", true, ScalarAttributeType::kS)));
  PutItemRequest put{.table_name = "rng", .item = {{"pk", "a"}, {"sk", std::string(1025, 'x')}}};
  EXPECT_EQ(Fail(put),
            "One or more parameter values were invalid: Aggregated size of all range keys has "
            "exceeded the size limit of 1024 bytes");
  put.item["sk"] = std::string(1024, 'x');
  Ok(put);
}

TEST_F(ItemsTest, UpdateOfKeyAttributeIsRejected) {
  UpdateItemRequest up{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  up.update_expression = "SET pk = :v";
  up.expression_attribute_values = {{":v", "b"}};
  EXPECT_EQ(Fail(up),
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute "
            "is part of the key");
}

TEST_F(ItemsTest, ExpressionErrorsAndPlaceholders) {
  UpdateItemRequest up{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  up.update_expression = "SET a = :v";
  up.expression_attribute_values = {{":v", 1}, {":unused", 2}};
  EXPECT_EQ(Fail(up),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
  GetItemRequest get{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", 1}}};
  get.expression_attribute_names = {{"#a", "a"}};
  EXPECT_EQ(Fail(get), "ExpressionAttributeNames can only be specified when using expressions");
  PutItemRequest put{.table_name = "tbl", .item = {{"pk", "a"}, {"sk", 1}}};
  put.condition_expression = "a = ";
  EXPECT_NE(Fail(put).find("Invalid ConditionExpression"), std::string::npos);
}

TEST_F(ItemsTest, UpdateCreatesMissingItem) {
  UpdateItemRequest up{.table_name = "tbl", .key = {{"pk", "new"}, {"sk", 9}}};
  Ok(up);
  EXPECT_EQ(Get({{"pk", "new"}, {"sk", 9}}), (Item{{"pk", "new"}, {"sk", 9}}));
}

// Keys are found through a hash index: numerically equal sort keys written
// differently ("1.50", "1.5", "15E-1") must hash alike and name one item.
TEST_F(ItemsTest, EqualNumberKeysNameOneItem) {
  Put({{"pk", "a"}, {"sk", *Number::Parse("1.50")}, {"v", "first"}});
  Put({{"pk", "a"}, {"sk", *Number::Parse("15E-1")}, {"v", "second"}});
  auto got = Get({{"pk", "a"}, {"sk", *Number::Parse("1.5")}});
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["v"], Value("second"));
  DescribeTableRequest describe{.table_name = "tbl"};
  EXPECT_EQ(Ok(describe).table.item_count, 1);
  DeleteItemRequest del{.table_name = "tbl", .key = {{"pk", "a"}, {"sk", *Number::Parse("1.500")}}};
  Ok(del);
  EXPECT_FALSE(Get({{"pk", "a"}, {"sk", *Number::Parse("1.5")}}));
  EXPECT_EQ(Ok(describe).table.item_count, 0);
}

// Many items: Get, overwrite and Delete stay consistent with Query's order.
TEST_F(ItemsTest, ManyItemsStayConsistent) {
  for (int i = 0; i < 500; ++i) Put({{"pk", "p" + std::to_string(i % 7)}, {"sk", i}, {"v", i}});
  for (int i = 0; i < 500; i += 3) Put({{"pk", "p" + std::to_string(i % 7)}, {"sk", i}, {"v", -i}});
  for (int i = 0; i < 500; i += 5) {
    DeleteItemRequest del{.table_name = "tbl",
                          .key = {{"pk", "p" + std::to_string(i % 7)}, {"sk", i}}};
    Ok(del);
  }
  for (int i = 0; i < 500; ++i) {
    auto got = Get({{"pk", "p" + std::to_string(i % 7)}, {"sk", i}});
    ASSERT_EQ(got.has_value(), i % 5 != 0) << i;
    if (got) {
      EXPECT_EQ((*got)["v"], Value(i % 3 == 0 ? -i : i)) << i;
    }
  }
  QueryRequest q{.table_name = "tbl"};
  q.key_condition_expression = "pk = :p";
  q.expression_attribute_values = {{":p", "p3"}};
  QueryResponse page = Ok(q);
  int64_t last = -1;
  for (const Item& item : page.items) {
    int64_t sk = *item.at("sk").n().ToInt64();
    EXPECT_GT(sk, last);
    EXPECT_EQ(sk % 7, 3);
    EXPECT_NE(sk % 5, 0);
    last = sk;
  }
  EXPECT_EQ(page.count, 57);  // sk = 3, 10, ..., 493 (71 values) minus the 14 multiples of 5
}

}  // namespace
}  // namespace moe::local::testing
