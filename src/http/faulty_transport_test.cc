#include "moe/faulty_transport.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "http/test_server.h"

namespace moe {
namespace {

using moe::testing::HttpTestServer;

constexpr std::string_view kBatchWrite = "DynamoDB_20120810.BatchWriteItem";
constexpr std::string_view kBatchGet = "DynamoDB_20120810.BatchGetItem";

// An in-process transport that answers at once with `handler` and remembers
// what it was sent.
class FakeTransport final : public Transport {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}
  void Send(HttpRequest request, Callback done) override {
    HttpResponse response = handler_(request);
    {
      std::lock_guard lock(mu_);
      sent_.push_back(std::move(request));
    }
    done(std::move(response));
  }
  std::vector<HttpRequest> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  Handler handler_;
  std::mutex mu_;
  std::vector<HttpRequest> sent_;
};

HttpResponse Ok200(std::string body) { return HttpResponse{.status = 200, .body = std::move(body)}; }

HttpRequest Request(std::string_view target, std::string body = "{}") {
  HttpRequest req{.url = "http://fake/", .body = std::move(body)};
  req.headers.push_back({"X-Amz-Target", std::string(target)});
  return req;
}

std::string Serialize(const internal::JsonValue& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// "table|entry-json" for every entry of a RequestItems-shaped object; for
// BatchGetItem the entries are the keys.
std::multiset<std::string> Entries(const internal::JsonValue& items, bool is_get) {
  std::multiset<std::string> out;
  for (const auto& table : items.GetObject()) {
    std::string name(internal::View(table.name));
    const auto& list = is_get ? table.value["Keys"] : table.value;
    for (const auto& e : list.GetArray()) out.insert(name + "|" + Serialize(e));
  }
  return out;
}

std::string BatchWriteBody(int tables, int per_table) {
  std::string body = R"({"RequestItems":{)";
  for (int t = 0; t < tables; ++t) {
    if (t > 0) body += ",";
    body += "\"T" + std::to_string(t) + "\":[";
    for (int i = 0; i < per_table; ++i) {
      if (i > 0) body += ",";
      if (i % 3 == 2) {
        body += R"({"DeleteRequest":{"Key":{"pk":{"S":"d)" + std::to_string(i) + R"("}}}})";
      } else {
        body += R"({"PutRequest":{"Item":{"pk":{"S":"p)" + std::to_string(i) +
                R"("},"n":{"N":"1"}}}})";
      }
    }
    body += "]";
  }
  body += R"(},"ReturnConsumedCapacity":"TOTAL"})";
  return body;
}

TEST(FaultyTransportTest, PartialBatchWriteThroughARealServer) {
  std::mutex mu;
  std::vector<std::string> received;
  HttpTestServer server([&](const HttpRequest& req) {
    std::lock_guard lock(mu);
    received.push_back(req.body);
    return Ok200(R"({"UnprocessedItems":{},"ConsumedCapacity":[]})");
  });
  server.set_crc32(HttpTestServer::Crc32::kCorrect);
  FaultyTransport faulty(NewCurlTransport({}), {.seed = 42, .partial_batch = 1.0});

  const std::string original = BatchWriteBody(3, 7);
  internal::JsonDocument original_doc;
  ASSERT_TRUE(internal::ParseJson(original, &original_doc));
  const auto all = Entries(original_doc["RequestItems"], false);

  for (int round = 0; round < 20; ++round) {
    HttpRequest req = Request(kBatchWrite, original);
    req.url = server.url();
    Result<HttpResponse> res = faulty.SendSync(std::move(req));
    ASSERT_TRUE(res) << res.error().ToString();  // the rewritten body passed the CRC check
    ASSERT_EQ(res->status, 200);

    internal::JsonDocument forwarded, answer;
    {
      std::lock_guard lock(mu);
      ASSERT_EQ(received.size(), static_cast<size_t>(round + 1));
      ASSERT_TRUE(internal::ParseJson(received.back(), &forwarded));
    }
    ASSERT_TRUE(internal::ParseJson(res->body, &answer));
    EXPECT_STREQ(forwarded["ReturnConsumedCapacity"].GetString(), "TOTAL");
    EXPECT_TRUE(answer.HasMember("ConsumedCapacity"));
    auto sent = Entries(forwarded["RequestItems"], false);
    auto unprocessed = Entries(answer["UnprocessedItems"], false);
    EXPECT_FALSE(sent.empty());
    EXPECT_FALSE(unprocessed.empty());
    std::multiset<std::string> joined = sent;
    joined.insert(unprocessed.begin(), unprocessed.end());
    EXPECT_EQ(joined, all) << "round " << round;
    EXPECT_EQ(sent.size() + unprocessed.size(), all.size());
  }
  EXPECT_EQ(faulty.count(FaultKind::kPartialBatch), 20u);
}

TEST(FaultyTransportTest, PartialBatchWriteKeepsTheServersOwnUnprocessedItems) {
  constexpr std::string_view kExisting = R"({"PutRequest":{"Item":{"pk":{"S":"server"}}}})";
  FakeTransport inner([&](const HttpRequest&) {
    return Ok200(R"({"UnprocessedItems":{"T0":[)" + std::string(kExisting) + "]}}");
  });
  FaultyTransport faulty(inner, {.seed = 3, .partial_batch = 1.0});
  const std::string original = BatchWriteBody(2, 5);
  Result<HttpResponse> res = faulty.SendSync(Request(kBatchWrite, original));
  ASSERT_TRUE(res);
  internal::JsonDocument original_doc, forwarded, answer;
  ASSERT_TRUE(internal::ParseJson(original, &original_doc));
  ASSERT_TRUE(internal::ParseJson(inner.sent().at(0).body, &forwarded));
  ASSERT_TRUE(internal::ParseJson(res->body, &answer));
  auto expected = Entries(original_doc["RequestItems"], false);
  expected.insert("T0|" + std::string(kExisting));
  auto joined = Entries(forwarded["RequestItems"], false);
  auto unprocessed = Entries(answer["UnprocessedItems"], false);
  joined.insert(unprocessed.begin(), unprocessed.end());
  EXPECT_EQ(joined, expected);
}

TEST(FaultyTransportTest, PartialBatchGetKeepsPerTableParameters) {
  FakeTransport inner([](const HttpRequest&) {
    return Ok200(R"({"Responses":{"A":[],"B":[]},"UnprocessedKeys":{}})");
  });
  FaultyTransport faulty(inner, {.seed = 11, .partial_batch = 1.0});
  const std::string original = R"({"RequestItems":{
      "A":{"Keys":[{"pk":{"S":"a1"}},{"pk":{"S":"a2"}},{"pk":{"S":"a3"}}],
           "ProjectionExpression":"#p, v","ExpressionAttributeNames":{"#p":"pk"},
           "ConsistentRead":true},
      "B":{"Keys":[{"pk":{"S":"b1"}},{"pk":{"S":"b2"}},{"pk":{"S":"b3"}}]}}})";
  internal::JsonDocument original_doc;
  ASSERT_TRUE(internal::ParseJson(original, &original_doc));
  const auto all = Entries(original_doc["RequestItems"], true);
  for (int round = 0; round < 10; ++round) {
    Result<HttpResponse> res = faulty.SendSync(Request(kBatchGet, original));
    ASSERT_TRUE(res);
    internal::JsonDocument forwarded, answer;
    ASSERT_TRUE(internal::ParseJson(inner.sent().back().body, &forwarded));
    ASSERT_TRUE(internal::ParseJson(res->body, &answer));
    const auto& keys = answer["UnprocessedKeys"];
    auto joined = Entries(forwarded["RequestItems"], true);
    auto unprocessed = Entries(keys, true);
    EXPECT_FALSE(joined.empty());
    EXPECT_FALSE(unprocessed.empty());
    joined.insert(unprocessed.begin(), unprocessed.end());
    EXPECT_EQ(joined, all);
    for (const internal::JsonDocument* doc : {&forwarded, &answer}) {
      const auto& tables = doc == &forwarded ? (*doc)["RequestItems"] : keys;
      if (!tables.HasMember("A")) continue;
      const auto& a = tables["A"];
      EXPECT_STREQ(a["ProjectionExpression"].GetString(), "#p, v");
      EXPECT_STREQ(a["ExpressionAttributeNames"]["#p"].GetString(), "pk");
      EXPECT_TRUE(a["ConsistentRead"].GetBool());
      if (tables.HasMember("B")) {
        EXPECT_FALSE(tables["B"].HasMember("ProjectionExpression"));
      }
    }
    EXPECT_TRUE(answer.HasMember("Responses"));
  }
}

TEST(FaultyTransportTest, PartialBatchSkipsWhatCannotBeSplit) {
  FakeTransport inner([](const HttpRequest& req) { return Ok200(req.body); });
  FaultyTransport faulty(inner, {.partial_batch = 1.0});
  // One entry: nothing to withhold without refusing the whole request.
  std::string one = BatchWriteBody(1, 1);
  Result<HttpResponse> res = faulty.SendSync(Request(kBatchWrite, one));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, one);
  // Not a batch operation.
  res = faulty.SendSync(Request("DynamoDB_20120810.PutItem", "{\"x\":1}"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "{\"x\":1}");
  // Not JSON.
  res = faulty.SendSync(Request(kBatchWrite, "not json"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "not json");
  EXPECT_EQ(faulty.total_faults(), 0u);
  EXPECT_EQ(faulty.requests(), 3u);
}

TEST(FaultyTransportTest, ErrorFaultsHaveDynamoDbShapes) {
  FakeTransport inner([](const HttpRequest&) { return Ok200("{}"); });
  {
    FaultyTransport f(inner, {.throttle = 1.0});
    Result<HttpResponse> res = f.SendSync(Request("DynamoDB_20120810.PutItem"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(res->body,
              R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",)"
              R"("message":"The level of configured provisioned throughput for the table was )"
              R"(exceeded. Consider increasing your provisioning level with the UpdateTable API."})");
    EXPECT_EQ(res->Header("content-type"), "application/x-amz-json-1.0");
  }
  {
    FaultyTransport f(inner, {.internal_error = 1.0});
    Result<HttpResponse> res = f.SendSync(Request("DynamoDB_20120810.PutItem"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 500);
    EXPECT_NE(res->body.find("#InternalServerError"), std::string::npos);
  }
  {
    FaultyTransport f(inner, {.service_unavailable = 1.0});
    Result<HttpResponse> res = f.SendSync(Request("DynamoDB_20120810.PutItem"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    EXPECT_NE(res->body.find("#ServiceUnavailable"), std::string::npos);
  }
  EXPECT_TRUE(inner.sent().empty());
}

TEST(FaultyTransportTest, TimeoutsAndResetsBeforeAndAfterSending) {
  struct Case {
    FaultOptions options;
    ErrorCode code;
    size_t forwarded;
  };
  const Case cases[] = {
      {{.timeout_before_send = 1.0}, ErrorCode::kTimeout, 0},
      {{.timeout_after_send = 1.0}, ErrorCode::kTimeout, 1},
      {{.reset_before_send = 1.0}, ErrorCode::kNetwork, 0},
      {{.reset_after_send = 1.0}, ErrorCode::kNetwork, 1},
  };
  for (const Case& c : cases) {
    FakeTransport inner([](const HttpRequest&) { return Ok200("{}"); });
    FaultyTransport f(inner, c.options);
    Result<HttpResponse> res = f.SendSync(Request("DynamoDB_20120810.PutItem"));
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error().code(), c.code);
    EXPECT_TRUE(res.error().retryable());
    EXPECT_EQ(inner.sent().size(), c.forwarded) << res.error().message();
    EXPECT_EQ(f.total_faults(), 1u);
  }
}

// Runs `n` PutItem requests and returns the outcome of each as a letter.
std::string Schedule(FaultyTransport& f, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    Result<HttpResponse> res = f.SendSync(Request("DynamoDB_20120810.PutItem"));
    if (!res) {
      out += res.error().code() == ErrorCode::kTimeout ? 'T' : 'N';
    } else {
      out += res->status == 200 ? '.' : static_cast<char>('0' + res->status / 100);
    }
  }
  return out;
}

FaultOptions Mixed(uint64_t seed) {
  return {.seed = seed,
          .throttle = 0.05,
          .internal_error = 0.02,
          .service_unavailable = 0.03,
          .timeout_before_send = 0.01,
          .timeout_after_send = 0.01,
          .reset_before_send = 0.01,
          .reset_after_send = 0.02};
}

TEST(FaultyTransportTest, ProbabilitiesHoldOverTenThousandRequests) {
  FakeTransport inner([](const HttpRequest&) { return Ok200("{}"); });
  FaultOptions options = Mixed(2024);
  FaultyTransport f(inner, options);
  constexpr int kN = 10000;
  (void)Schedule(f, kN);
  const std::pair<FaultKind, double> expected[] = {
      {FaultKind::kThrottle, options.throttle},
      {FaultKind::kInternalError, options.internal_error},
      {FaultKind::kServiceUnavailable, options.service_unavailable},
      {FaultKind::kTimeoutBeforeSend, options.timeout_before_send},
      {FaultKind::kTimeoutAfterSend, options.timeout_after_send},
      {FaultKind::kResetBeforeSend, options.reset_before_send},
      {FaultKind::kResetAfterSend, options.reset_after_send},
  };
  uint64_t not_forwarded = 0;
  for (const auto& [kind, p] : expected) {
    double mean = p * kN;
    double sigma = std::sqrt(kN * p * (1 - p));
    EXPECT_NEAR(static_cast<double>(f.count(kind)), mean, 4 * sigma) << FaultKindName(kind);
    if (kind != FaultKind::kTimeoutAfterSend && kind != FaultKind::kResetAfterSend) {
      not_forwarded += f.count(kind);
    }
  }
  EXPECT_EQ(f.count(FaultKind::kPartialBatch), 0u);
  EXPECT_EQ(f.requests(), static_cast<uint64_t>(kN));
  EXPECT_EQ(inner.sent().size(), kN - not_forwarded);

  // With a fixed seed the counts are exact and reproducible.
  FaultyTransport again(inner, options);
  (void)Schedule(again, kN);
  for (const auto& [kind, p] : expected) EXPECT_EQ(again.count(kind), f.count(kind));
}

TEST(FaultyTransportTest, SameSeedSameScheduleOtherSeedOtherSchedule) {
  FakeTransport inner([](const HttpRequest&) { return Ok200("{}"); });
  FaultyTransport a(inner, Mixed(7));
  FaultyTransport b(inner, Mixed(7));
  FaultyTransport c(inner, Mixed(8));
  std::string sa = Schedule(a, 2000);
  EXPECT_EQ(sa, Schedule(b, 2000));
  EXPECT_NE(sa, Schedule(c, 2000));
  EXPECT_NE(sa.find_first_not_of('.'), std::string::npos);
}

TEST(FaultyTransportTest, SameSeedSamePartialBatchSplits) {
  FakeTransport inner([](const HttpRequest&) { return Ok200("{}"); });
  FaultyTransport a(inner, {.seed = 5, .partial_batch = 1.0});
  FaultyTransport b(inner, {.seed = 5, .partial_batch = 1.0});
  const std::string body = BatchWriteBody(2, 6);
  for (int i = 0; i < 10; ++i) {
    Result<HttpResponse> ra = a.SendSync(Request(kBatchWrite, body));
    Result<HttpResponse> rb = b.SendSync(Request(kBatchWrite, body));
    ASSERT_TRUE(ra && rb);
    EXPECT_EQ(ra->body, rb->body);
  }
}

TEST(FaultyTransportTest, FilterAndDisableLimitInjection) {
  FakeTransport inner([](const HttpRequest&) { return Ok200("{}"); });
  FaultyTransport f(inner, {.throttle = 1.0, .filter = [](std::string_view target) {
                              return target == "DynamoDB_20120810.Query";
                            }});
  Result<HttpResponse> res = f.SendSync(Request("DynamoDB_20120810.PutItem"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = f.SendSync(Request("DynamoDB_20120810.Query"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  f.set_enabled(false);
  res = f.SendSync(Request("DynamoDB_20120810.Query"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(f.count(FaultKind::kThrottle), 1u);
  EXPECT_EQ(f.requests(), 3u);
}

}  // namespace
}  // namespace moe
