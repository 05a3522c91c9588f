// The engine on a data directory: close, reopen, same data.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "local/test_util.h"

namespace moe::local::testing {
namespace {

namespace fs = std::filesystem;

class DurabilityTest : public EngineTest {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "moe-durable-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }

  void Reopen(int64_t compaction_bytes = int64_t{64} << 20) {
    engine_.reset();
    EngineOptions options;
    options.data_dir = dir_;
    options.log_compaction_bytes = compaction_bytes;
    engine_ = Open(std::move(options));
    ASSERT_NE(engine_, nullptr);
  }

  // Everything a client can observe of the tables, as one string.
  std::string Observe() {
    std::string out;
    for (const std::string& name : Ok(ListTablesRequest{}).table_names) {
      DescribeTableRequest describe;
      describe.table_name = name;
      out += ToJson(Ok(describe)) + "\n";
      DescribeTimeToLiveRequest ttl;
      ttl.table_name = name;
      out += ToJson(Ok(ttl)) + "\n";
      ScanRequest scan;
      scan.table_name = name;
      out += ToJson(Ok(scan)) + "\n";
      for (const char* index : {"by_g", "late"}) {
        scan.index_name = index;
        auto r = Call(scan);
        if (r) out += std::string(index) + ": " + ToJson(*r) + "\n";
      }
    }
    return out;
  }

  // Writes of every kind to two tables, one with a GSI and TTL.
  void Populate() {
    CreateTable("plain", /*range=*/true);
    CreateTableRequest gsi = TableSpec("indexed");
    gsi.attribute_definitions.push_back({"g", ScalarAttributeType::kS});
    gsi.global_secondary_indexes = {{"by_g", {{"g", KeyType::kHash}}, Projection{}, std::nullopt}};
    Ok(gsi);
    CreateTable("dropped");
    Put({{"pk", "x"}}, "dropped");
    Ok(DeleteTableRequest{"dropped"});

    for (int i = 0; i < 20; ++i) {
      Put({{"pk", "p" + std::to_string(i % 4)}, {"sk", i}, {"v", "value" + std::to_string(i)}},
          "plain");
      Put({{"pk", "i" + std::to_string(i)}, {"g", "g" + std::to_string(i % 3)}, {"n", i}},
          "indexed");
    }
    UpdateItemRequest update;
    update.table_name = "indexed";
    update.key = {{"pk", "i1"}};
    update.update_expression = "ADD n :one SET g = :g REMOVE gone";
    update.expression_attribute_values = {{":one", 1}, {":g", "moved"}};
    Ok(update);
    DeleteItemRequest del;
    del.table_name = "plain";
    del.key = {{"pk", "p0"}, {"sk", 4}};
    Ok(del);

    TransactWriteItemsRequest tx;
    TransactWriteItem a, b;
    a.put = TransactPut{.table_name = "plain", .item = {{"pk", "tx"}, {"sk", 1}}};
    b.update = TransactUpdate{.table_name = "indexed", .key = {{"pk", "i2"}}};
    b.update->update_expression = "SET n = n + :d";
    b.update->expression_attribute_values = {{":d", 100}};
    tx.transact_items = {a, b};
    Ok(tx);

    BatchWriteItemRequest batch;
    batch.request_items["plain"] = {WriteRequest{Item{{"pk", "b"}, {"sk", 1}}, std::nullopt},
                                    WriteRequest{std::nullopt, Item{{"pk", "p1"}, {"sk", 1}}}};
    Ok(batch);

    UpdateTimeToLiveRequest ttl;
    ttl.table_name = "indexed";
    ttl.time_to_live_specification = {true, "expires"};
    Ok(ttl);

    // A GSI added later (backfilled from the items).
    UpdateTableRequest add;
    add.table_name = "plain";
    add.attribute_definitions = {{"v", ScalarAttributeType::kS}};
    GlobalSecondaryIndexUpdate create;
    create.create =
        GlobalSecondaryIndex{"late", {{"v", KeyType::kHash}}, Projection{}, std::nullopt};
    add.global_secondary_index_updates = {create};
    Ok(add);
  }

  std::string dir_;
};

TEST_F(DurabilityTest, ReopenRestoresEverything) {
  Populate();
  std::string before = Observe();
  ASSERT_NE(before.find("moved"), std::string::npos);
  Reopen();
  EXPECT_EQ(Observe(), before);
  // The reopened engine keeps writing to the same log.
  Put({{"pk", "after"}}, "indexed");
  std::string after = Observe();
  Reopen();
  EXPECT_EQ(Observe(), after);
}

TEST_F(DurabilityTest, ReopenAfterCompactionRestoresEverything) {
  Reopen(/*compaction_bytes=*/1);  // compacts after every write
  Populate();
  std::string before = Observe();
  Reopen(1);
  EXPECT_EQ(Observe(), before);
  Reopen();
  EXPECT_EQ(Observe(), before);
  EXPECT_TRUE(fs::exists(dir_ + "/snapshot"));
}

TEST_F(DurabilityTest, NewTablesAfterReopenGetNewIds) {
  CreateTable("aaa");
  Reopen();
  CreateTable("bbb");
  DescribeTableRequest da, db;
  da.table_name = "aaa";
  db.table_name = "bbb";
  EXPECT_NE(Ok(da).table.table_id, Ok(db).table.table_id);
}

TEST_F(DurabilityTest, TablesInTransitionComeBackActive) {
  engine_.reset();
  EngineOptions options;
  options.data_dir = dir_;
  options.table_transition = std::chrono::seconds(5);
  engine_ = Open(options);
  CreateTable("creating");
  DescribeTableRequest d;
  d.table_name = "creating";
  EXPECT_EQ(Ok(d).table.table_status, TableStatus::kCreating);
  engine_.reset();
  engine_ = Open(options);
  EXPECT_EQ(Ok(d).table.table_status, TableStatus::kActive);
}

TEST_F(DurabilityTest, SecondEngineOnTheSameDirectoryIsRefused) {
  EngineOptions options;
  options.data_dir = dir_;
  auto second = Engine::Open(options);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), ErrorCode::kIo);
  EXPECT_NE(second.error().message().find("data directory is in use"), std::string::npos);
}

}  // namespace
}  // namespace moe::local::testing
