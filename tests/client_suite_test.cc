// The client integration suite: every operation through the real HTTP path
// against a DynamoDB implementation that no one here wrote (dynalite). The
// same cases will run against the embedded engine and `moe serve`.
#include <gtest/gtest.h>

#include <set>

#include "moe/batch.h"
#include "moe/client.h"
#include "moe/expression.h"
#include "moe/faulty_transport.h"
#include "tests/support/backend.h"

namespace moe {
namespace {

using expr::Attr;
using expr::Key;

class ClientSuite : public BackendTest {
 protected:
  // A table with hash `pk` (S) and range `sk` (N), created and ACTIVE.
  std::string MakeTable(std::string name, bool with_range = true) {
    CreateTableRequest create{.table_name = name};
    create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
    create.key_schema = {{"pk", KeyType::kHash}};
    if (with_range) {
      create.attribute_definitions.push_back({"sk", ScalarAttributeType::kN});
      create.key_schema.push_back({"sk", KeyType::kRange});
    }
    create.provisioned_throughput = ProvisionedThroughput{100, 100};
    auto created = client_->CreateTable(create);
    EXPECT_TRUE(created) << created.error().ToString();
    auto active =
        client_->WaitUntilActive(name, std::chrono::seconds(30), std::chrono::milliseconds(20));
    EXPECT_TRUE(active) << active.error().ToString();
    return name;
  }

};

TEST_F(ClientSuite, TableLifecycleWithIndexes) {
  CreateTableRequest create{.table_name = "lifecycle"};
  create.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                                  {"sk", ScalarAttributeType::kN},
                                  {"gk", ScalarAttributeType::kS},
                                  {"lk", ScalarAttributeType::kB}};
  create.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  create.provisioned_throughput = ProvisionedThroughput{5, 7};
  create.global_secondary_indexes = {{.index_name = "by_gk",
                                      .key_schema = {{"gk", KeyType::kHash}},
                                      .projection = {ProjectionType::kKeysOnly, {}},
                                      .provisioned_throughput = ProvisionedThroughput{3, 4}}};
  create.local_secondary_indexes = {
      {.index_name = "by_lk",
       .key_schema = {{"pk", KeyType::kHash}, {"lk", KeyType::kRange}},
       .projection = {ProjectionType::kInclude, {"extra"}}}};
  auto created = client_->CreateTable(create);
  ASSERT_TRUE(created) << created.error().ToString();
  EXPECT_EQ(created->table_description.table_name, "lifecycle");
  EXPECT_EQ(created->table_description.table_status, TableStatus::kCreating);

  // dynalite keeps new tables CREATING for a while: the waiter must poll.
  auto active = client_->WaitUntilActive("lifecycle", std::chrono::seconds(30),
                                         std::chrono::milliseconds(10));
  ASSERT_TRUE(active) << active.error().ToString();
  EXPECT_EQ(active->table_status, TableStatus::kActive);
  EXPECT_EQ(active->key_schema, create.key_schema);
  ASSERT_TRUE(active->provisioned_throughput);
  EXPECT_EQ(active->provisioned_throughput->read_capacity_units, 5);
  EXPECT_EQ(active->provisioned_throughput->write_capacity_units, 7);
  ASSERT_EQ(active->global_secondary_indexes.size(), 1u);
  EXPECT_EQ(active->global_secondary_indexes[0].index_name, "by_gk");
  ASSERT_EQ(active->local_secondary_indexes.size(), 1u);
  EXPECT_EQ(active->local_secondary_indexes[0].projection.non_key_attributes,
            std::vector<std::string>{"extra"});

  auto again = client_->CreateTable(create);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kResourceInUse);

  UpdateTableRequest update{.table_name = "lifecycle"};
  update.provisioned_throughput = ProvisionedThroughput{10, 20};
  auto updated = client_->UpdateTable(update);
  ASSERT_TRUE(updated) << updated.error().ToString();
  auto after = client_->WaitUntilActive("lifecycle", std::chrono::seconds(30),
                                        std::chrono::milliseconds(10));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->provisioned_throughput->write_capacity_units, 20);

  auto ttl = client_->DescribeTimeToLive({.table_name = "lifecycle"});
  ASSERT_TRUE(ttl) << ttl.error().ToString();
  EXPECT_EQ(ttl->time_to_live_status, TimeToLiveStatus::kDisabled);

  ASSERT_TRUE(client_->DeleteTable({.table_name = "lifecycle"}));
  ASSERT_TRUE(client_->WaitUntilDeleted("lifecycle", std::chrono::seconds(30),
                                        std::chrono::milliseconds(10)));
  auto gone = client_->DescribeTable({.table_name = "lifecycle"});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code(), ErrorCode::kResourceNotFound);
  EXPECT_FALSE(gone.error().request_id().empty());
}

TEST_F(ClientSuite, OnDemandTableAndListTablesPagination) {
  for (int i = 0; i < 5; ++i) {
    CreateTableRequest create{.table_name = "list_" + std::to_string(i)};
    create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
    create.key_schema = {{"pk", KeyType::kHash}};
    create.billing_mode = BillingMode::kPayPerRequest;
    ASSERT_TRUE(client_->CreateTable(create));
  }
  std::vector<std::string> names;
  int pages = 0;
  for (auto& page : client_->ListTablesPages({.limit = 2})) {
    ASSERT_TRUE(page) << page.error().ToString();
    ++pages;
    names.insert(names.end(), page->table_names.begin(), page->table_names.end());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"list_0", "list_1", "list_2", "list_3", "list_4"}));
  EXPECT_GE(pages, 3);
  auto d =
      client_->WaitUntilActive("list_0", std::chrono::seconds(30), std::chrono::milliseconds(10));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->billing_mode, BillingMode::kPayPerRequest);
}

TEST_F(ClientSuite, ItemOperationsWithExpressionsAndReturnValues) {
  std::string table = MakeTable("items");
  Item item{{"pk", "u#1"},
            {"sk", 1},
            {"name", "Ada"},
            {"n", 5},
            {"tags", StringSet{"a", "b"}},
            {"blob", Bytes{std::string("\0\x01\xff", 3)}},
            {"doc", Map{{"x", List{1, "two", nullptr}}}}};

  PutItemRequest put{.table_name = table, .item = item};
  put.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto put_result = client_->PutItem(put);
  ASSERT_TRUE(put_result) << put_result.error().ToString();
  ASSERT_TRUE(put_result->consumed_capacity);
  EXPECT_GT(put_result->consumed_capacity->capacity_units, 0);

  auto got = client_->GetItem(
      {.table_name = table, .key = {{"pk", "u#1"}, {"sk", 1}}, .consistent_read = true});
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_TRUE(got->item);
  EXPECT_EQ(*got->item, item);

  // A conditional put that must fail, with the error mapped.
  {
    PutItemRequest again{.table_name = table, .item = item};
    expr::Expressions ex;
    auto cond = ex.Render(Attr("pk").NotExists());
    ASSERT_TRUE(cond);
    again.condition_expression = *cond;
    ex.MoveInto(&again);
    auto failed = client_->PutItem(again);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code(), ErrorCode::kConditionalCheckFailed);
    EXPECT_FALSE(failed.error().retryable());
  }

  // Update with SET arithmetic, ADD to a set, REMOVE; values a user typed stay values.
  {
    UpdateItemRequest update{.table_name = table, .key = {{"pk", "u#1"}, {"sk", 1}}};
    expr::Expressions ex;
    auto u = ex.Render(expr::Update()
                           .Set(Attr("n"), expr::Plus(Attr("n"), 10))
                           .Set(Attr("name"), "x) OR attribute_exists(#y")
                           .Add(Attr("tags"), StringSet{"c"})
                           .Remove(Attr("blob")));
    ASSERT_TRUE(u) << u.error().ToString();
    update.update_expression = *u;
    auto c = ex.Render(Attr("n") == 5);
    ASSERT_TRUE(c);
    update.condition_expression = *c;
    ex.MoveInto(&update);
    update.return_values = ReturnValue::kAllNew;
    auto updated = client_->UpdateItem(update);
    ASSERT_TRUE(updated) << updated.error().ToString();
    ASSERT_TRUE(updated->attributes);
    EXPECT_EQ(updated->attributes->at("n"), Value(15));
    EXPECT_EQ(updated->attributes->at("name"), Value("x) OR attribute_exists(#y"));
    EXPECT_EQ(updated->attributes->at("tags"), Value(StringSet{"a", "b", "c"}));
    EXPECT_FALSE(updated->attributes->count("blob"));
  }
  {
    UpdateItemRequest update{.table_name = table, .key = {{"pk", "u#1"}, {"sk", 1}}};
    expr::Expressions ex;
    update.update_expression = *ex.Render(expr::Update().Set(Attr("n"), 100));
    ex.MoveInto(&update);
    update.return_values = ReturnValue::kUpdatedOld;
    auto updated = client_->UpdateItem(update);
    ASSERT_TRUE(updated) << updated.error().ToString();
    EXPECT_EQ(*updated->attributes, (Item{{"n", 15}}));
  }

  // Projection.
  {
    GetItemRequest get{.table_name = table, .key = {{"pk", "u#1"}, {"sk", 1}}};
    expr::Expressions ex;
    get.projection_expression =
        *ex.Render(expr::Projection{Attr("name"), Attr("doc").Field("x")[1]});
    ex.MoveInto(&get);
    auto projected = client_->GetItem(get);
    ASSERT_TRUE(projected) << projected.error().ToString();
    EXPECT_EQ(*projected->item,
              (Item{{"name", "x) OR attribute_exists(#y"}, {"doc", Map{{"x", List{"two"}}}}}));
  }

  auto deleted = client_->DeleteItem({.table_name = table,
                                      .key = {{"pk", "u#1"}, {"sk", 1}},
                                      .return_values = ReturnValue::kAllOld});
  ASSERT_TRUE(deleted) << deleted.error().ToString();
  ASSERT_TRUE(deleted->attributes);
  EXPECT_EQ(deleted->attributes->at("n"), Value(100));
  auto none = client_->GetItem({.table_name = table, .key = {{"pk", "u#1"}, {"sk", 1}}});
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->item);
}

TEST_F(ClientSuite, ErrorsAreMappedNotThrown) {
  std::string table = MakeTable("errors");
  auto missing = client_->GetItem({.table_name = "no_such_table", .key = {{"pk", "a"}, {"sk", 1}}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kResourceNotFound);
  EXPECT_EQ(missing.error().type_name(), "ResourceNotFoundException");

  auto bad_key = client_->GetItem({.table_name = table, .key = {{"pk", "a"}}});
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().code(), ErrorCode::kValidation);
  EXPECT_FALSE(bad_key.error().message().empty());

  auto bad_expr = client_->PutItem({.table_name = table,
                                    .item = {{"pk", "a"}, {"sk", 1}},
                                    .condition_expression = "attribute_not_exists("});
  ASSERT_FALSE(bad_expr);
  EXPECT_EQ(bad_expr.error().code(), ErrorCode::kValidation);
}

TEST_F(ClientSuite, QueryPaginatesPastOneMegabyteInOrder) {
  std::string table = MakeTable("query");
  const std::string filler(4000, 'x');
  BatchWriter writer(*client_);
  for (int i = 0; i < 400; ++i) writer.Put(table, {{"pk", "p"}, {"sk", i}, {"fill", filler}});
  for (int i = 0; i < 10; ++i) writer.Put(table, {{"pk", "other"}, {"sk", i}});
  auto written = writer.Flush();
  ASSERT_TRUE(written) << written.error().ToString();
  ASSERT_TRUE(written->failed.empty()) << written->failed[0].error.ToString();

  QueryRequest query{.table_name = table};
  expr::Expressions ex;
  query.key_condition_expression = *ex.Render(Key("pk") == "p" && Key("sk") >= 0);
  ex.MoveInto(&query);
  int pages = 0;
  std::vector<int64_t> seen;
  for (auto& page : client_->QueryPages(query)) {
    ASSERT_TRUE(page) << page.error().ToString();
    ++pages;
    for (const Item& item : page->items) seen.push_back(*item.at("sk").n().ToInt64());
  }
  EXPECT_GE(pages, 2);  // 400 x 4 KB is over the 1 MB page limit
  ASSERT_EQ(seen.size(), 400u);
  for (int i = 0; i < 400; ++i) EXPECT_EQ(seen[i], i);

  query.scan_index_forward = false;
  query.limit = 3;
  auto last3 = client_->Query(query);
  ASSERT_TRUE(last3);
  ASSERT_EQ(last3->items.size(), 3u);
  EXPECT_EQ(last3->items[0].at("sk"), Value(399));
  EXPECT_TRUE(last3->last_evaluated_key);

  query.limit.reset();
  query.scan_index_forward = true;
  query.select = Select::kCount;
  int64_t counted = 0;
  for (auto& page : client_->QueryPages(query)) {
    ASSERT_TRUE(page);
    counted += page->count;
    EXPECT_TRUE(page->items.empty());
  }
  EXPECT_EQ(counted, 400);
}

TEST_F(ClientSuite, ScanAndParallelScanSeeEveryItemOnce) {
  std::string table = MakeTable("scan", /*with_range=*/false);
  BatchWriter writer(*client_);
  for (int i = 0; i < 1000; ++i) writer.Put(table, {{"pk", "k" + std::to_string(i)}, {"v", i}});
  auto written = writer.Flush();
  ASSERT_TRUE(written);
  ASSERT_EQ(written->succeeded, 1000u);

  std::multiset<std::string> serial;
  ScanRequest scan{.table_name = table, .limit = 150};
  for (auto& page : client_->ScanPages(scan)) {
    ASSERT_TRUE(page) << page.error().ToString();
    for (const Item& item : page->items) serial.insert(item.at("pk").s());
  }
  EXPECT_EQ(serial.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(serial.begin(), serial.end()).size(), 1000u);

  std::multiset<std::string> parallel;
  std::set<int> segments_with_items;
  Status s = client_->ParallelScan(scan, 4, [&](int segment, ScanResponse& page) -> Status {
    for (const Item& item : page.items) parallel.insert(item.at("pk").s());
    if (!page.items.empty()) segments_with_items.insert(segment);
    return Ok();
  });
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(parallel, serial);
  EXPECT_GE(segments_with_items.size(), 2u);

  // A filter that the client builds from user values.
  ScanRequest filtered{.table_name = table};
  expr::Expressions ex;
  filtered.filter_expression = *ex.Render(Attr("v") < 10 || Attr("v").Between(990, 999));
  ex.MoveInto(&filtered);
  int matched = 0;
  for (auto& page : client_->ScanPages(filtered)) {
    ASSERT_TRUE(page);
    matched += static_cast<int>(page->items.size());
  }
  EXPECT_EQ(matched, 20);
}

TEST_F(ClientSuite, TenThousandItemsThroughTheBatchEngine) {
  std::string table = MakeTable("batch");
  std::vector<Item> items;
  for (int i = 0; i < 10000; ++i) {
    items.push_back({{"pk", "owner" + std::to_string(i % 37)},
                     {"sk", i},
                     {"payload", std::string(100, 'a' + i % 26)},
                     {"n", *Number::Parse(std::to_string(i) + ".25")}});
  }
  BatchOptions options;
  options.max_in_flight = 8;
  BatchWriter writer(*client_, options);
  for (const Item& item : items) writer.Put(table, item);
  auto written = writer.Flush();
  ASSERT_TRUE(written) << written.error().ToString();
  EXPECT_EQ(written->succeeded, 10000u);
  EXPECT_TRUE(written->failed.empty());
  EXPECT_GE(written->requests, 400u);  // 25 per request
  EXPECT_GT(written->consumed_capacity[table], 0);

  BatchGetter getter(*client_, options);
  for (const Item& item : items) getter.Get(table, {{"pk", item.at("pk")}, {"sk", item.at("sk")}});
  getter.Get(table, {{"pk", "nobody"}, {"sk", 1}});
  auto fetched = getter.Fetch();
  ASSERT_TRUE(fetched) << fetched.error().ToString();
  EXPECT_EQ(fetched->found, 10000u);
  EXPECT_EQ(fetched->missing, 1u);
  EXPECT_EQ(fetched->failed, 0u);
  for (size_t i = 0; i < items.size(); ++i) {
    ASSERT_TRUE(fetched->outcomes[i].item) << i;
    ASSERT_EQ(*fetched->outcomes[i].item, items[i]) << i;
  }
}

TEST_F(ClientSuite, BatchEngineReportsBadEntriesAndWritesTheRest) {
  std::string table = MakeTable("batch_bad");
  BatchWriter writer(*client_);
  for (int i = 0; i < 30; ++i) writer.Put(table, {{"pk", "a"}, {"sk", i}});
  writer.Put(table, {{"pk", "a"}});             // 30: no range key
  writer.Put(table, {{"pk", "a"}, {"sk", 3}});  // 31: duplicate of 3
  writer.Put(table,
             {{"pk", "a"}, {"sk", 40}, {"big", std::string(410 * 1024, 'x')}});  // 32: too big
  writer.Put(table,
             {{"pk", "a"}, {"sk", "not a number"}});  // 33: wrong key type, only the service knows
  auto r = writer.Flush();
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->failed.size(), 4u);
  EXPECT_EQ(r->failed[0].index, 30u);
  EXPECT_EQ(r->failed[1].index, 31u);
  EXPECT_EQ(r->failed[2].index, 32u);
  EXPECT_EQ(r->failed[3].index, 33u);
  for (const FailedWrite& f : r->failed)
    EXPECT_EQ(f.error.code(), ErrorCode::kValidation) << f.error.ToString();
  EXPECT_EQ(r->succeeded, 30u);
  // The 30 valid writes landed even though one of their batch-mates was invalid.
  auto scan = client_->Scan({.table_name = table, .select = Select::kCount});
  ASSERT_TRUE(scan);
  EXPECT_EQ(scan->count, 30);
}

TEST_F(ClientSuite, NothingIsLostWhenTenPercentOfRequestsFail) {
  std::string table = MakeTable("faults");
  FaultOptions faults;
  faults.seed = 7;
  faults.throttle = 0.03;
  faults.internal_error = 0.01;
  faults.service_unavailable = 0.01;
  faults.timeout_before_send = 0.01;
  faults.timeout_after_send = 0.01;
  faults.reset_before_send = 0.01;
  faults.reset_after_send = 0.02;  // 10% of requests fail outright
  faults.partial_batch = 0.10;     // and 10% of batches come back partial
  std::shared_ptr<Transport> inner = backend_->NewTransport();  // outlives the faulty wrapper
  auto faulty = std::make_shared<FaultyTransport>(*inner, faults);
  ManualClock clock;  // backoff passes instantly, and is still counted
  ClientOptions options;
  options.transport = faulty;
  options.clock = &clock;
  options.retry.jitter_seed = 11;
  auto client = backend_->NewClient(std::move(options));

  std::vector<Item> items;
  for (int i = 0; i < 10000; ++i)
    items.push_back({{"pk", "p" + std::to_string(i % 101)}, {"sk", i}, {"v", i * 3}});
  BatchOptions batch;
  batch.jitter_seed = 5;
  batch.max_in_flight = 8;
  batch.key_names[table] = KeyNames{"pk", "sk"};
  BatchWriter writer(*client, batch);
  for (const Item& item : items) writer.Put(table, item);
  auto written = writer.Flush();
  ASSERT_TRUE(written) << written.error().ToString();
  EXPECT_TRUE(written->failed.empty())
      << written->failed.size() << " failed, first: " << written->failed[0].error.ToString();
  EXPECT_EQ(written->succeeded, 10000u);
  EXPECT_GT(written->unprocessed_resends, 0u);  // partial batches happened and were re-sent

  BatchGetter getter(*client, batch);
  for (const Item& item : items) getter.Get(table, {{"pk", item.at("pk")}, {"sk", item.at("sk")}});
  auto fetched = getter.Fetch();
  ASSERT_TRUE(fetched) << fetched.error().ToString();
  EXPECT_EQ(fetched->found, 10000u);
  EXPECT_EQ(fetched->failed, 0u);
  for (size_t i = 0; i < items.size(); ++i) ASSERT_EQ(fetched->outcomes[i].item, items[i]) << i;

  // Faults really happened, and the work stayed bounded: 400 writes + 100
  // gets at minimum; retries and re-sends add well under double that.
  EXPECT_GT(faulty->total_faults(), 50u);
  ClientStats stats = client->stats();
  EXPECT_GT(stats.retries, 0u);
  EXPECT_LT(stats.attempts, 1000u) << "calls " << stats.calls << ", retries " << stats.retries;
  EXPECT_GT(clock.total_slept(), Clock::Duration::zero());

  // An independent client (no faults) sees exactly 10,000 items.
  int64_t total = 0;
  for (auto& page : client_->ScanPages({.table_name = table, .select = Select::kCount})) {
    ASSERT_TRUE(page);
    total += page->count;
  }
  EXPECT_EQ(total, 10000);
}

}  // namespace
}  // namespace moe
