// The exception-free promise (STYLE.md, "Errors are values"): under a storm
// of throttling and network faults every failure reaches the caller as an
// Error, and no C++ exception is thrown anywhere in the process on the way:
// not in the client, its retry timer, the transports, the HTTP server, the
// engine, nor in the standard library on their behalf.
//
// Every throw in the process goes through __cxa_throw. This file defines it
// (the executable comes first in symbol lookup, so it interposes on
// libstdc++'s for every library too), counts each call and forwards to the
// next definition (libstdc++'s, or the sanitizer runtime's interceptor).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "moe/client.h"
#include "moe/clock.h"
#include "moe/credentials.h"
#include "moe/faulty_transport.h"
#include "moe/local.h"
#include "moe/server.h"
#include "moe/transport.h"

namespace {
std::atomic<uint64_t> g_throws{0};
}  // namespace

// The type is the std::type_info*; void* as in the declaration g++ makes
// implicitly for every throw-expression.
extern "C" [[noreturn]] void __cxa_throw(void* thrown, void* type, void (*destructor)(void*)) {
  g_throws.fetch_add(1);
  using Fn = void (*)(void*, void*, void (*)(void*));
  static const Fn next = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "__cxa_throw"));
  next(thrown, type, destructor);
  __builtin_unreachable();
}

namespace moe {
namespace {

constexpr int kCalls = 10000;

// The counter sees throws from this file and from inside libstdc++;
// otherwise a zero below would prove nothing.
TEST(ExceptionFreeTest, TheThrowCounterWorks) {
  uint64_t before = g_throws.load();
  try {
    throw std::runtime_error("counted");
  } catch (const std::exception&) {
  }
  EXPECT_EQ(g_throws.load(), before + 1);
  std::vector<int> empty;
  try {
    (void)empty.at(3);  // thrown by std::__throw_out_of_range_fmt in libstdc++.so
  } catch (const std::out_of_range&) {
  }
  EXPECT_EQ(g_throws.load(), before + 2);
}

std::unique_ptr<local::Engine> EngineWithTable() {
  auto engine = local::Engine::Open({});
  EXPECT_TRUE(engine) << engine.error().ToString();
  if (!engine) return nullptr;
  auto created = (*engine)->Handle("CreateTable", R"({"TableName":"ttt",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_TRUE(created) << created.error().ToString();
  return std::move(engine).value();
}

std::unique_ptr<DynamoDbClient> NewClient(std::shared_ptr<Transport> transport, Clock* clock,
                                          const std::string& endpoint) {
  ClientOptions options;
  options.endpoint = endpoint;
  options.region = "us-east-1";
  options.credentials = NewStaticCredentialsProvider({"AKIDTEST", "test-secret", ""});
  options.getenv = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  options.transport = std::move(transport);
  options.clock = clock;
  options.retry.jitter_seed = 3;
  auto client = DynamoDbClient::Create(std::move(options));
  EXPECT_TRUE(client) << client.error().ToString();
  return client ? std::move(client).value() : nullptr;
}

// 10,000 calls, every attempt throttled: each call ends in a throttling
// Error (after its retries while the retry quota lasts), none in a throw.
TEST(ExceptionFreeTest, TenThousandThrottledCallsAreErrors) {
  auto engine = EngineWithTable();
  ASSERT_NE(engine, nullptr);
  auto loopback = local::NewLoopbackTransport(*engine);
  auto faulty =
      std::make_shared<FaultyTransport>(*loopback, FaultOptions{.seed = 9, .throttle = 1});
  ManualClock clock;  // backoff passes at once
  auto client = NewClient(faulty, &clock, "http://local.invalid");
  ASSERT_NE(client, nullptr);

  const uint64_t before = g_throws.load();
  std::map<ErrorCode, int> errors;
  int succeeded = 0;
  for (int i = 0; i < kCalls; ++i) {
    Item item{{"pk", "k" + std::to_string(i)}, {"n", i}};
    auto put = client->PutItem({.table_name = "ttt", .item = std::move(item)});
    if (put) {
      ++succeeded;
    } else {
      ++errors[put.error().code()];
    }
  }
  EXPECT_EQ(g_throws.load(), before) << "exceptions were thrown inside moe";
  EXPECT_EQ(succeeded, 0);
  EXPECT_EQ(errors[ErrorCode::kProvisionedThroughputExceeded], kCalls);
  EXPECT_GE(faulty->count(FaultKind::kThrottle), static_cast<uint64_t>(kCalls));
  EXPECT_GT(client->stats().retries, 0u);
}

// 10,000 calls of several operations over HTTP (curl, moe's server, the
// engine) through a transport that throttles a third of the attempts and
// injects every other fault: each call is a value or an Error.
TEST(ExceptionFreeTest, TenThousandCallsUnderMixedFaultsOverHttp) {
  auto engine = EngineWithTable();
  ASSERT_NE(engine, nullptr);
  server::ServerOptions server_options;
  server_options.port = 0;
  local::Engine* e = engine.get();
  auto server = server::Server::Start(
      server_options,
      [e](std::string_view op, std::string_view body) { return e->Handle(op, body); });
  ASSERT_TRUE(server) << server.error().ToString();
  std::shared_ptr<Transport> curl = NewCurlTransport({});
  auto faulty = std::make_shared<FaultyTransport>(*curl, FaultOptions{.seed = 2026,
                                                                      .throttle = 0.30,
                                                                      .internal_error = 0.03,
                                                                      .service_unavailable = 0.03,
                                                                      .timeout_before_send = 0.02,
                                                                      .timeout_after_send = 0.02,
                                                                      .reset_before_send = 0.02,
                                                                      .reset_after_send = 0.02,
                                                                      .partial_batch = 0.10});
  ManualClock clock;
  auto client = NewClient(faulty, &clock, "http://127.0.0.1:" + std::to_string((*server)->port()));
  ASSERT_NE(client, nullptr);

  const uint64_t before = g_throws.load();
  std::map<ErrorCode, int> errors;
  int succeeded = 0;
  for (int i = 0; i < kCalls; ++i) {
    std::string pk = "k" + std::to_string(i % 97);
    bool ok = false;
    Error error = Error::Validation("unset");
    auto tally = [&](const auto& result) {
      ok = result.has_value();
      if (!ok) error = result.error();
    };
    switch (i % 5) {
      case 0:
        tally(client->PutItem({.table_name = "ttt", .item = {{"pk", pk}, {"n", i}}}));
        break;
      case 1:
        tally(client->GetItem({.table_name = "ttt", .key = {{"pk", pk}}}));
        break;
      case 2:  // fails its condition about half the time: control flow, not an exception
        tally(client->UpdateItem({.table_name = "ttt",
                                  .key = {{"pk", pk}},
                                  .update_expression = "ADD c :one",
                                  .condition_expression = "attribute_not_exists(c) OR c < :cap",
                                  .expression_attribute_values = {{":one", 1}, {":cap", 3}}}));
        break;
      case 3: {
        BatchWriteItemRequest batch;
        for (int j = 0; j < 5; ++j) {
          batch.request_items["ttt"].push_back(
              WriteRequest{.put_item = Item{{"pk", pk + "-" + std::to_string(j)}}});
        }
        tally(client->BatchWriteItem(batch));
        break;
      }
      default:
        tally(client->Query({.table_name = "ttt",
                             .key_condition_expression = "pk = :p",
                             .expression_attribute_values = {{":p", pk}}}));
        break;
    }
    if (ok) {
      ++succeeded;
    } else {
      ++errors[error.code()];
    }
  }
  EXPECT_EQ(g_throws.load(), before) << "exceptions were thrown inside moe";
  int failed = 0;
  for (const auto& [code, n] : errors) {
    failed += n;
    EXPECT_TRUE(code == ErrorCode::kProvisionedThroughputExceeded ||
                code == ErrorCode::kConditionalCheckFailed ||
                code == ErrorCode::kInternalServerError || code == ErrorCode::kServiceUnavailable ||
                code == ErrorCode::kTimeout || code == ErrorCode::kNetwork)
        << n << " x " << ErrorCodeName(code);
  }
  EXPECT_EQ(succeeded + failed, kCalls);
  EXPECT_GT(succeeded, kCalls / 3);
  EXPECT_GT(errors[ErrorCode::kConditionalCheckFailed], 0);
  EXPECT_GT(faulty->count(FaultKind::kThrottle), 0u);
  EXPECT_GT(faulty->count(FaultKind::kPartialBatch), 0u);
  (*server)->Stop();
}

}  // namespace
}  // namespace moe
