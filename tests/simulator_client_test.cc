// The partition simulator seen from outside the engine: DynamoDbClient over
// the loopback transport gets DynamoDB's throttling errors (retryable, with
// ThrottlingReasons) and UnprocessedItems, its retries ride the simulated
// clock until the partition refills, and `moe serve`'s server answers
// GET /metrics in Prometheus text.

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "moe/client.h"
#include "moe/local.h"
#include "moe/server.h"
#include "moe/transport.h"
#include "tests/support/backend.h"

namespace moe {
namespace {

class SimulatorClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    local::EngineOptions options;
    options.clock = &clock_;
    options.simulate.enabled = true;
    options.simulate.burst_seconds = 0;
    options.simulate.adaptive_capacity = false;
    auto engine = local::Engine::Open(std::move(options));
    ASSERT_TRUE(engine);
    engine_ = std::move(engine).value();
    client_ = NewClient(/*max_attempts=*/1);
    CreateTableRequest create{.table_name = "tbl"};
    create.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
    create.key_schema = {{"pk", KeyType::kHash}};
    create.provisioned_throughput = ProvisionedThroughput{1, 2};
    ASSERT_TRUE(client_->CreateTable(create));
  }

  std::unique_ptr<DynamoDbClient> NewClient(int max_attempts) {
    ClientOptions options = TestClientOptions("http://local");
    options.transport = local::NewLoopbackTransport(*engine_);
    options.clock = &clock_;
    options.retry.max_attempts = max_attempts;
    options.retry.jitter_seed = 7;
    auto client = DynamoDbClient::Create(std::move(options));
    EXPECT_TRUE(client);
    return std::move(client).value();
  }

  static PutItemRequest Put(std::string pk) {
    return {.table_name = "tbl", .item = {{"pk", std::move(pk)}}};
  }

  ManualClock clock_;
  std::unique_ptr<local::Engine> engine_;
  std::unique_ptr<DynamoDbClient> client_;
};

TEST_F(SimulatorClientTest, ThrottleIsARetryableProvisionedThroughputExceeded) {
  ASSERT_TRUE(client_->PutItem(Put("a")));
  ASSERT_TRUE(client_->PutItem(Put("b")));
  auto throttled = client_->PutItem(Put("c"));
  ASSERT_FALSE(throttled);
  const Error& e = throttled.error();
  EXPECT_EQ(e.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_TRUE(e.retryable());
  EXPECT_TRUE(e.throttling());
  ASSERT_NE(e.detail(), nullptr);
  ASSERT_EQ(e.detail()->throttling_reasons.size(), 1u);
  EXPECT_EQ(e.detail()->throttling_reasons[0].reason, "TableWriteProvisionedThroughputExceeded");

  // With retries, the backoff sleeps on the same clock: the partition
  // refills and the write lands.
  auto retrying = NewClient(/*max_attempts=*/10);
  Clock::TimePoint before = clock_.Now();
  EXPECT_TRUE(retrying->PutItem(Put("c")));
  EXPECT_GT(clock_.Now(), before);
}

TEST_F(SimulatorClientTest, BatchWriteComesBackUnprocessed) {
  BatchWriteItemRequest batch;
  for (const char* pk : {"a", "b", "c", "d"}) {
    batch.request_items["tbl"].push_back(WriteRequest{.put_item = Item{{"pk", pk}}});
  }
  auto resp = client_->BatchWriteItem(batch);
  ASSERT_TRUE(resp) << resp.error().ToString();
  ASSERT_EQ(resp->unprocessed_items["tbl"].size(), 2u);
  EXPECT_EQ(resp->unprocessed_items["tbl"][0].put_item->at("pk"), Value("c"));
  auto all = client_->BatchWriteItem(batch);
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code(), ErrorCode::kProvisionedThroughputExceeded);
}

TEST_F(SimulatorClientTest, ServerAnswersMetricsInPrometheusText) {
  ASSERT_TRUE(client_->PutItem(Put("a")));
  ASSERT_TRUE(client_->PutItem(Put("b")));
  ASSERT_FALSE(client_->PutItem(Put("c")));
  clock_.Advance(std::chrono::seconds(1));

  server::ServerOptions options;
  options.port = 0;
  local::Engine& engine = *engine_;
  options.metrics = [&engine] { return local::PrometheusText(engine.SimulatorMetrics()); };
  auto server = server::Server::Start(std::move(options),
                                      [&engine](std::string_view op, std::string_view body) {
                                        return engine.Handle(op, body);
                                      });
  ASSERT_TRUE(server) << server.error().ToString();
  auto transport = NewCurlTransport({});
  HttpRequest get{.method = "GET",
                  .url = "http://127.0.0.1:" + std::to_string((*server)->port()) + "/metrics"};
  auto res = transport->SendSync(std::move(get));
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->status, 200);
  std::string type(res->Header("content-type"));
  EXPECT_TRUE(type.starts_with("text/plain; version=0.0.4")) << type;

  std::regex sample(R"(^([a-z_]+)(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+)$)");
  std::istringstream lines(res->body);
  std::map<std::string, double> values;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# ")) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
    values[m[1].str() + m[2].str()] = std::stod(m[5].str());
  }
  EXPECT_EQ(values["moe_sim_enabled"], 1);
  EXPECT_EQ((values[R"(moe_sim_partitions{table="tbl",index=""})"]), 1);
  EXPECT_EQ((values[R"(moe_sim_consumed_write_units_total{table="tbl",index=""})"]), 2);
  EXPECT_EQ((values[R"(moe_sim_write_throttle_events_total{table="tbl",index=""})"]), 1);
  EXPECT_EQ(
      (values[R"(moe_sim_consumed_write_units_per_second{table="tbl",index="",partition="0"})"]), 2);
  (*server)->Stop();
}

}  // namespace
}  // namespace moe
