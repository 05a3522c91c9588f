// Helpers for the engine tests: typed calls through Engine::Handle.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "moe/clock.h"
#include "moe/json.h"
#include "moe/local.h"
#include "moe/model.h"

namespace moe {
inline void PrintTo(const Value& v, std::ostream* os) { *os << ToDynamoJson(v); }
}  // namespace moe

namespace moe::local::testing {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = Open({}); }

  std::unique_ptr<Engine> Open(EngineOptions options) {
    options.clock = &clock_;
    auto engine = Engine::Open(std::move(options));
    EXPECT_TRUE(engine.has_value());
    return std::move(engine).value();
  }

  // Sends `req` and parses the answer; the error when the engine refused.
  template <typename Req>
  Result<typename Req::Response> Call(const Req& req) {
    return CallOn(*engine_, req);
  }
  template <typename Req>
  static Result<typename Req::Response> CallOn(Engine& engine, const Req& req) {
    MOE_TRY(std::string body, engine.Handle(Req::kOperation, ToJson(req)));
    return Parse<typename Req::Response>(body);
  }

  // Sends `req`, expects success.
  template <typename Req>
  typename Req::Response Ok(const Req& req) {
    auto resp = Call(req);
    EXPECT_TRUE(resp.has_value()) << Req::kOperation << ": " << (resp ? "" : resp.error().ToString());
    return resp ? std::move(resp).value() : typename Req::Response{};
  }

  // Sends `req`, expects an error and returns its message.
  template <typename Req>
  std::string Fail(const Req& req, ErrorCode code = ErrorCode::kValidation) {
    auto resp = Call(req);
    EXPECT_FALSE(resp.has_value()) << Req::kOperation << " unexpectedly succeeded";
    if (resp) return "<ok>";
    EXPECT_EQ(resp.error().code(), code) << resp.error().ToString();
    return resp.error().message();
  }

  // A table "tbl" with a string hash key "pk" and, when `range`, a range key
  // "sk" of type `range_type`.
  static CreateTableRequest TableSpec(std::string name = "tbl", bool range = false,
                                      ScalarAttributeType range_type = ScalarAttributeType::kN) {
    CreateTableRequest req;
    req.table_name = std::move(name);
    req.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
    req.key_schema = {{"pk", KeyType::kHash}};
    if (range) {
      req.attribute_definitions.push_back({"sk", range_type});
      req.key_schema.push_back({"sk", KeyType::kRange});
    }
    req.billing_mode = BillingMode::kPayPerRequest;
    return req;
  }

  void CreateTable(std::string name = "tbl", bool range = false) {
    Ok(TableSpec(std::move(name), range));
  }

  void Put(Item item, std::string table = "tbl") {
    PutItemRequest req;
    req.table_name = std::move(table);
    req.item = std::move(item);
    Ok(req);
  }

  std::optional<Item> Get(Item key, std::string table = "tbl") {
    GetItemRequest req;
    req.table_name = std::move(table);
    req.key = std::move(key);
    req.consistent_read = true;
    return Ok(req).item;
  }

  ManualClock clock_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace moe::local::testing
