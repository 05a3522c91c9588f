// MergedQuery over several tables, on every backend: every item exactly once,
// in order, whatever the page size, and also when each page is resumed from
// its token by a fresh MergedQuery (as a stateless server would).
#include <gtest/gtest.h>

#include <algorithm>

#include "moe/client.h"
#include "moe/merged_query.h"
#include "tests/support/backend.h"

namespace moe {
namespace {

class MergedQueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto backend = StartBackend();
    ASSERT_TRUE(backend) << backend.error().ToString();
    backend_ = std::move(*backend).release();
    client_ = backend_->NewClient().release();
    // Three "periods" of one key: sort keys interleave across them, and some
    // collide (the same sk in two tables) to exercise ties.
    for (int t = 0; t < 3; ++t) {
      std::string table = "mq_" + std::to_string(t);
      CreateTableRequest create{.table_name = table};
      create.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                                      {"sk", ScalarAttributeType::kN}};
      create.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
      create.provisioned_throughput = ProvisionedThroughput{100, 100};
      ASSERT_TRUE(client_->CreateTable(create));
      ASSERT_TRUE(client_->WaitUntilActive(table, std::chrono::seconds(30),
                                           std::chrono::milliseconds(20)));
      for (int i = 0; i < 20; ++i) {
        int sk = i * 3 + t;          // interleaved
        if (i % 7 == 0) sk = i * 3;  // collides with table 0
        Item item{{"pk", "u"}, {"sk", sk}, {"t", t}, {"odd", sk % 2 == 1}};
        ASSERT_TRUE(client_->PutItem({.table_name = table, .item = item}));
      }
    }
  }
  static void TearDownTestSuite() {
    delete client_;
    delete backend_;
  }

  static std::vector<QueryRequest> Sources(std::optional<std::string> filter = {}) {
    std::vector<QueryRequest> sources;
    for (int t = 0; t < 3; ++t) {
      QueryRequest q{.table_name = "mq_" + std::to_string(t),
                     .key_condition_expression = "pk = :pk"};
      q.expression_attribute_values = {{":pk", "u"}};
      if (filter) {
        q.filter_expression = *filter;
        q.expression_attribute_values.emplace(":yes", true);
      }
      sources.push_back(std::move(q));
    }
    return sources;
  }

  // Every (sk, t) pair the sources hold, in merged order.
  static std::vector<std::pair<int, int>> Expected(bool forward, bool only_odd) {
    std::vector<std::pair<int, int>> all;
    for (int t = 0; t < 3; ++t) {
      for (int i = 0; i < 20; ++i) {
        int sk = i % 7 == 0 ? i * 3 : i * 3 + t;
        if (!only_odd || sk % 2 == 1) all.emplace_back(sk, t);
      }
    }
    std::sort(all.begin(), all.end(), [&](auto a, auto b) {
      if (a.first != b.first) return forward ? a.first < b.first : a.first > b.first;
      return a.second < b.second;  // ties: earlier source first
    });
    return all;
  }

  static std::vector<std::pair<int, int>> Pairs(const std::vector<Item>& items) {
    std::vector<std::pair<int, int>> out;
    for (const Item& item : items) {
      out.emplace_back(std::stoi(item.at("sk").n().text()), std::stoi(item.at("t").n().text()));
    }
    return out;
  }

  static MergedQueryOptions Options(int page_size, bool forward) {
    return {.sort_key = "sk",
            .key_attributes = {"pk", "sk"},
            .scan_index_forward = forward,
            .page_size = page_size};
  }

  static inline Backend* backend_ = nullptr;
  static inline DynamoDbClient* client_ = nullptr;
};

TEST_F(MergedQueryTest, EveryPageSizeResumedFromTokens) {
  for (bool forward : {true, false}) {
    std::vector<std::pair<int, int>> expected = Expected(forward, false);
    for (int page_size = 1; page_size <= 61; page_size += (page_size < 8 ? 1 : 13)) {
      std::vector<Item> got;
      std::optional<std::string> token;
      int pages = 0;
      do {
        auto merged = MergedQuery::Start(*client_, Sources(), Options(page_size, forward), token);
        ASSERT_TRUE(merged) << merged.error().ToString();
        auto page = (*merged)->NextPage();
        ASSERT_TRUE(page) << page.error().ToString();
        EXPECT_LE(static_cast<int>(page->items.size()), page_size);
        got.insert(got.end(), page->items.begin(), page->items.end());
        token = page->next_token;
        ASSERT_LT(++pages, 200);
      } while (token);
      EXPECT_EQ(Pairs(got), expected) << "page size " << page_size << " forward " << forward;
    }
  }
}

TEST_F(MergedQueryTest, OneReaderAcrossPagesWithSmallSourcePages) {
  std::vector<QueryRequest> sources = Sources();
  for (QueryRequest& q : sources) q.limit = 3;  // many small fetches per source
  auto merged = MergedQuery::Start(*client_, sources, Options(7, true));
  ASSERT_TRUE(merged);
  std::vector<Item> got;
  while (!(*merged)->done()) {
    auto page = (*merged)->NextPage();
    ASSERT_TRUE(page) << page.error().ToString();
    got.insert(got.end(), page->items.begin(), page->items.end());
  }
  EXPECT_EQ(Pairs(got), Expected(true, false));
}

TEST_F(MergedQueryTest, FilterAndPagesCutEverywhere) {
  std::vector<QueryRequest> sources = Sources("odd = :yes");
  for (QueryRequest& q : sources) q.limit = 4;  // pages of filtered-out items
  std::vector<std::pair<int, int>> expected = Expected(true, true);
  for (int page_size : {1, 2, 5, 100}) {
    std::vector<Item> got;
    std::optional<std::string> token;
    do {
      auto merged = MergedQuery::Start(*client_, sources, Options(page_size, true), token);
      ASSERT_TRUE(merged);
      auto page = (*merged)->NextPage();
      ASSERT_TRUE(page) << page.error().ToString();
      got.insert(got.end(), page->items.begin(), page->items.end());
      token = page->next_token;
    } while (token);
    EXPECT_EQ(Pairs(got), expected) << "page size " << page_size;
  }
}

TEST_F(MergedQueryTest, DistinctKeysKeepTheEarliestSource) {
  MergedQueryOptions options = Options(4, true);
  options.distinct_keys = true;
  std::vector<std::pair<int, int>> expected;
  for (auto [sk, t] : Expected(true, false)) {
    if (!expected.empty() && expected.back().first == sk) continue;  // same key
    expected.emplace_back(sk, t);
  }
  std::vector<Item> got;
  std::optional<std::string> token;
  do {
    auto merged = MergedQuery::Start(*client_, Sources(), options, token);
    ASSERT_TRUE(merged);
    auto page = (*merged)->NextPage();
    ASSERT_TRUE(page);
    got.insert(got.end(), page->items.begin(), page->items.end());
    token = page->next_token;
  } while (token);
  EXPECT_EQ(Pairs(got), expected);
}

TEST_F(MergedQueryTest, RejectsForeignTokensAndBadSources) {
  auto merged = MergedQuery::Start(*client_, Sources(), Options(5, true));
  ASSERT_TRUE(merged);
  auto page = (*merged)->NextPage();
  ASSERT_TRUE(page && page->next_token);
  // The same token for other sources, another direction, or garbage.
  std::vector<QueryRequest> two = Sources();
  two.pop_back();
  EXPECT_EQ(MergedQuery::Start(*client_, two, Options(5, true), *page->next_token).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(MergedQuery::Start(*client_, Sources(), Options(5, false), *page->next_token));
  EXPECT_FALSE(MergedQuery::Start(*client_, Sources(), Options(5, true), "m1.zz"));
  std::vector<QueryRequest> started = Sources();
  started[0].exclusive_start_key = Item{{"pk", "u"}, {"sk", 1}};
  EXPECT_FALSE(MergedQuery::Start(*client_, started, Options(5, true)));
  EXPECT_FALSE(MergedQuery::Start(*client_, {}, Options(5, true)));
  // A projection without the key cannot be resumed: a clear error.
  std::vector<QueryRequest> projected = Sources();
  for (QueryRequest& q : projected) q.projection_expression = "sk";
  auto no_key = MergedQuery::Start(*client_, projected, Options(5, true));
  ASSERT_TRUE(no_key);
  EXPECT_EQ((*no_key)->NextPage().error().code(), ErrorCode::kInvalidArgument);
}

TEST(CompareKeyValues, OrdersLikeDynamoDb) {
  EXPECT_LT(CompareKeyValues(Value(2), Value(10)), 0);  // numbers by value, not text
  EXPECT_GT(CompareKeyValues(Value("b"), Value("a")), 0);
  EXPECT_LT(CompareKeyValues(Value("a"), Value("\xc3\xa9")), 0);  // unsigned bytes
  EXPECT_LT(CompareKeyValues(Value(Bytes("\x01")), Value(Bytes("\xff"))), 0);
  EXPECT_EQ(CompareKeyValues(Value(Number::Parse("1.50").value()), Value(Number::Parse("1.5").value())), 0);
}

}  // namespace
}  // namespace moe
