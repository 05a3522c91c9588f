// Hostile requests against the embedded engine, in-process and behind the
// HTTP server (as `moe serve` runs it): each gets a bounded, clear answer —
// ValidationException (or SerializationException for JSON that does not
// parse, 413 for an oversized body) — never a crash, a hang or a 500.
// The parser-level limits have their own unit tests (src/ddbexpr/limits_test.cc,
// src/core/json_test.cc, src/core/number_test.cc, src/server/server_limits_test.cc);
// these check that the limits hold end to end.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "moe/json.h"
#include "moe/local.h"
#include "moe/server.h"
#include "server/test_client.h"

namespace moe {
namespace {

using server::testing::PostRequest;
using server::testing::TestConnection;

struct Answer {
  int status = 0;
  std::string body;
  bool Is(std::string_view type) const {
    return body.find("#" + std::string(type)) != std::string::npos;
  }
};

class AdversarialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = local::Engine::Open({});
    ASSERT_TRUE(engine) << engine.error().ToString();
    engine_ = std::move(engine).value();
    server::ServerOptions options;
    options.port = 0;
    local::Engine* e = engine_.get();
    auto server = server::Server::Start(
        options, [e](std::string_view op, std::string_view body) { return e->Handle(op, body); });
    ASSERT_TRUE(server) << server.error().ToString();
    server_ = std::move(server).value();
    auto created = engine_->Handle("CreateTable", R"({"TableName":"adv",
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
        "BillingMode":"PAY_PER_REQUEST"})");
    ASSERT_TRUE(created) << created.error().ToString();
  }

  // Sends `body` over HTTP and, separately, to the engine in-process; both
  // must agree on success or failure. Returns the HTTP answer.
  Answer Call(std::string_view op, std::string_view body) {
    Result<std::string> direct = engine_->Handle(op, body);
    TestConnection c(server_->port());
    EXPECT_TRUE(c.ok());
    EXPECT_TRUE(c.Send(PostRequest(op, body)));
    auto r = c.Read();
    if (!r) {
      ADD_FAILURE() << "no answer to " << op;
      return {};
    }
    EXPECT_NE(r->status, 500) << r->body;
    EXPECT_EQ(direct.has_value(), r->status == 200) << r->body;
    return {r->status, r->body};
  }

  // A PutItem body for table adv with `attributes` (DynamoDB JSON members).
  static std::string Put(std::string_view attributes) {
    return R"({"TableName":"adv","Item":{"pk":{"S":"k"})" +
           (attributes.empty() ? std::string() : "," + std::string(attributes)) + "}}";
  }

  std::unique_ptr<local::Engine> engine_;
  std::unique_ptr<server::Server> server_;
};

// "a = :v AND (a = :v AND (... ))" nested `depth` levels.
std::string NestedCondition(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "a = :v AND (";
  return s + "a = :v" + std::string(static_cast<size_t>(depth), ')');
}

std::string ConditionalPut(const std::string& condition) {
  return R"({"TableName":"adv","Item":{"pk":{"S":"k"}},"ConditionExpression":")" + condition +
         R"(","ExpressionAttributeValues":{":v":{"N":"1"}}})";
}

TEST_F(AdversarialTest, DeeplyNestedExpressions) {
  // 149 levels are 299 operators: accepted (the condition is false on a new item).
  Answer ok = Call("PutItem", ConditionalPut(NestedCondition(149)));
  EXPECT_TRUE(ok.Is("ConditionalCheckFailedException")) << ok.body;
  // 150 levels exceed the 300-operator budget; 2000 exceed the depth bound.
  for (int depth : {150, 2000}) {
    Answer deep = Call("PutItem", ConditionalPut(NestedCondition(depth)));
    EXPECT_EQ(deep.status, 400);
    EXPECT_TRUE(deep.Is("ValidationException")) << deep.body.substr(0, 300);
  }
  // 150 levels of parentheses alone, and of NOT.
  std::string parens;
  for (int i = 0; i < 150; ++i) parens += "NOT (";
  parens += "a = :v" + std::string(150, ')');
  EXPECT_TRUE(Call("PutItem", ConditionalPut(parens)).Is("ConditionalCheckFailedException"));
}

TEST_F(AdversarialTest, LongExpressionsWithManyOperators) {
  // 150 comparisons, 149 ANDs and one NOT: 300 operators in under 4 KB.
  std::string text = "NOT (a = :v";
  for (int i = 1; i < 150; ++i) text += " AND a = :v";
  text += ")";
  ASSERT_LE(text.size(), 4096u);
  EXPECT_EQ(Call("PutItem", ConditionalPut(text)).status, 200);
  Answer over = Call("PutItem", ConditionalPut(text + " OR a = :v"));
  EXPECT_TRUE(over.Is("ValidationException")) << over.body;
  EXPECT_NE(over.body.find("too many operators"), std::string::npos) << over.body;
  std::string padded = "a = :v" + std::string(4096, ' ');
  Answer big = Call("PutItem", ConditionalPut(padded));
  EXPECT_NE(big.body.find("Expression size has exceeded"), std::string::npos) << big.body;
}

// {"M":{"m":{"M":{"m": ... {"S":"x"} ...}}}} with `levels` maps.
std::string NestedMap(int levels) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += R"({"M":{"m":)";
  s += R"({"S":"x"})";
  for (int i = 0; i < levels; ++i) s += "}}";
  return s;
}

TEST_F(AdversarialTest, DeeplyNestedDocuments) {
  EXPECT_EQ(Call("PutItem", Put(R"("d":)" + NestedMap(31))).status, 200);
  for (int levels : {33, 100, 100000}) {
    Answer deep = Call("PutItem", Put(R"("d":)" + NestedMap(levels)));
    EXPECT_EQ(deep.status, 400) << levels;
    EXPECT_TRUE(deep.Is("ValidationException") || deep.Is("SerializationException"))
        << deep.body.substr(0, 300);
  }
  // Lists too, and nesting in a key condition's values.
  std::string lists = std::string(50000, '[');
  Answer l = Call("PutItem", Put(R"("l":{"L":)" + lists));
  EXPECT_EQ(l.status, 400);
}

TEST_F(AdversarialTest, ItemsAroundFourHundredKilobytes) {
  // An item of 400 KB is refused; one comfortably under it is stored.
  Answer big = Call("PutItem", Put(R"("v":{"S":")" + std::string(400 * 1024, 'x') + R"("})"));
  EXPECT_TRUE(big.Is("ValidationException")) << big.body;
  EXPECT_NE(big.body.find("Item size has exceeded the maximum allowed size"), std::string::npos);
  EXPECT_EQ(Call("PutItem", Put(R"("v":{"S":")" + std::string(399 * 1024, 'x') + R"("})")).status,
            200);
  // Many small attributes adding up past the limit.
  std::string many;
  for (int i = 0; i < 5000; ++i) {
    if (i > 0) many += ",";
    many += R"("a)" + std::to_string(i) + R"(":{"S":")" + std::string(80, 'y') + R"("})";
  }
  EXPECT_TRUE(Call("PutItem", Put(many)).Is("ValidationException"));
}

TEST_F(AdversarialTest, SixteenMegabyteBodiesAre413) {
  // The default cap (16 MiB): the head alone earns the 413; the body is never read.
  TestConnection c(server_->port());
  std::string head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "X-Amz-Target: DynamoDB_20120810.PutItem\r\n"
                     "Content-Length: " + std::to_string(16 * 1024 * 1024 + 1) + "\r\n\r\n";
  ASSERT_TRUE(c.Send(head));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.WaitClosed());
  // A Content-Length too large for any integer type is a 400, not a wrap-around.
  TestConnection huge(server_->port());
  ASSERT_TRUE(huge.Send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Length: 99999999999999999999999999\r\n\r\n"));
  auto h = huge.Read();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 400);
}

TEST_F(AdversarialTest, NumbersAtAndBeyondTheLimits) {
  const std::string digits38 = "12345678901234567890123456789012345678";
  for (std::string n : {digits38, "-" + digits38, std::string("9.9999999999999999999999999999999999999E+125"),
                        std::string("1E-130"), std::string("-1E-130"), std::string("0.000")}) {
    EXPECT_EQ(Call("PutItem", Put(R"("n":{"N":")" + n + R"("})")).status, 200) << n;
  }
  for (std::string n : {digits38 + "9", std::string("1E+126"), std::string("-1E+126"),
                        std::string("1E-131"), std::string("1E+999999999999"), std::string("NaN"),
                        std::string("Infinity"), std::string("0x10"), std::string(""),
                        std::string("1e"), std::string("--1"), std::string(5000, '1')}) {
    Answer bad = Call("PutItem", Put(R"("n":{"N":")" + n + R"("})"));
    EXPECT_TRUE(bad.Is("ValidationException")) << n << ": " << bad.body;
  }
  // Arithmetic that leaves the range fails cleanly too.
  ASSERT_EQ(Call("PutItem", Put(R"("n":{"N":"9.9999999999999999999999999999999999999E+125"})")).status,
            200);
  Answer overflow = Call("UpdateItem", R"({"TableName":"adv","Key":{"pk":{"S":"k"}},
      "UpdateExpression":"SET n = n + :big",
      "ExpressionAttributeValues":{":big":{"N":"9.9999999999999999999999999999999999999E+125"}}})");
  EXPECT_TRUE(overflow.Is("ValidationException")) << overflow.body;
}

TEST_F(AdversarialTest, InvalidUtf8) {
  for (std::string bad : {std::string("\xff"), std::string("\xc3"), std::string("\xed\xa0\x80"),
                          std::string("\xc0\xaf"), std::string("\xf4\x90\x80\x80")}) {
    Answer value = Call("PutItem", Put(R"("s":{"S":")" + bad + R"("})"));
    EXPECT_EQ(value.status, 400);
    EXPECT_TRUE(value.Is("ValidationException") || value.Is("SerializationException"))
        << value.body;
    Answer name = Call("PutItem", Put("\"" + bad + R"(":{"S":"x"})"));
    EXPECT_EQ(name.status, 400);
    Answer table = Call("DescribeTable", R"({"TableName":")" + bad + "\"}");
    EXPECT_EQ(table.status, 400);
  }
}

TEST_F(AdversarialTest, DuplicateJsonKeys) {
  // Whatever the engine makes of them, the answer is bounded and consistent:
  // the item stored is the one GetItem returns.
  Answer put = Call("PutItem", R"({"TableName":"adv","Item":{"pk":{"S":"k"},"a":{"S":"1"},"a":{"S":"2"}}})");
  EXPECT_TRUE(put.status == 200 || put.Is("ValidationException")) << put.body;
  Answer get = Call("GetItem", R"({"TableName":"adv","Key":{"pk":{"S":"k"}},"Key":{"pk":{"S":"k"}}})");
  EXPECT_TRUE(get.status == 200 || get.Is("ValidationException")) << get.body;
  Answer twice = Call("PutItem", R"({"TableName":"adv","TableName":"nope","Item":{"pk":{"S":"k"}}})");
  EXPECT_TRUE(twice.status == 200 || twice.status == 400) << twice.body;
  Answer tags = Call("PutItem", Put(R"("v":{"S":"x","N":"1"})"));
  EXPECT_TRUE(tags.Is("ValidationException") || tags.Is("SerializationException")) << tags.body;
}

TEST_F(AdversarialTest, TruncatedBodies) {
  const std::string body = Put(R"("m":{"M":{"l":{"L":[{"N":"1"},{"S":"two"}]}}})");
  ASSERT_EQ(Call("PutItem", body).status, 200);
  // Every proper prefix is a complete request whose JSON is cut short.
  for (size_t n = 0; n < body.size(); n += 3) {
    Answer cut = Call("PutItem", body.substr(0, n));
    EXPECT_EQ(cut.status, 400) << n;
    EXPECT_TRUE(cut.Is("SerializationException") || cut.Is("ValidationException"))
        << n << ": " << cut.body;
  }
  // A connection that closes mid-body gets no answer and costs nothing.
  TestConnection c(server_->port());
  std::string req = PostRequest("PutItem", body);
  ASSERT_TRUE(c.Send(std::string_view(req).substr(0, req.size() - 10)));
  c.Close();
  EXPECT_EQ(Call("GetItem", R"({"TableName":"adv","Key":{"pk":{"S":"k"}}})").status, 200);
}

}  // namespace
}  // namespace moe
