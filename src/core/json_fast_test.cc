// The fast reader against the strict one: whatever the fast reader accepts,
// the strict reader accepts with the same result; the usual shapes take the
// fast path; everything unusual is left to the strict reader.
#include "core/json_fast.h"

#include <gtest/gtest.h>

#include <string>

#include "core/json_reader.h"
#include "moe/json.h"

namespace moe::internal {
namespace {

std::optional<Map> FastMap(std::string_view json) {
  std::optional<fast::Element> root = fast::Parse(json);
  fast::Object obj;
  if (!root || root->get_object().get(obj) != simdjson::SUCCESS) return std::nullopt;
  Map out;
  if (!fast::AttributeMap(obj, 0, &out)) return std::nullopt;
  return out;
}

Result<Map> StrictMap(std::string_view json) {
  JsonDocument doc;
  MOE_TRY_STATUS(ParseJson(json, &doc));
  return AttributeMapFromJson(doc);
}

// Fast and strict agree; returns whether the fast reader answered.
bool Agree(std::string_view json) {
  std::optional<Map> fast = FastMap(json);
  Result<Map> strict = StrictMap(json);
  if (fast) {
    EXPECT_TRUE(strict) << json << ": " << strict.error().ToString();
    if (strict) {
      EXPECT_EQ(*fast, *strict) << json;
    }
  }
  return fast.has_value();
}

std::string Nested(int levels) {
  std::string json = R"({"a":{"S":"x"}})";
  for (int i = 0; i < levels; ++i) json = R"({"m":{"M":)" + json + "}}";
  return json;
}

TEST(JsonFastTest, TakesTheFastPathForEveryType) {
  Item item{
      {"s", "quote\" backslash\\ nl\n ctl\x01 utf8 \xc3\xa9 \xf0\x9f\x98\x80"},
      {"n", *Number::Parse("-1234567890123456789012345678901234567.8")},
      {"e", *Number::Parse("1.5E+10")},
      {"b", Bytes{std::string("\0\xff\x10", 3)}},
      {"t", false},
      {"z", nullptr},
      {"l", List{1, "two", List{}}},
      {"m", Map{{"inner", Map{{"x", 1}}}}},
      {"ss", StringSet{"a", "b"}},
      {"ns", NumberSet{1, *Number::Parse("0.5")}},
      {"bs", BinarySet{Bytes{"x"}, Bytes{"yz"}}},
  };
  std::string json = ToDynamoJson(item);
  std::optional<Map> fast = FastMap(json);
  ASSERT_TRUE(fast);
  EXPECT_EQ(*fast, item);
  EXPECT_EQ(fast->at("e").n().text(), "1.5E+10");
  EXPECT_TRUE(Agree(json));
  // Escapes, including a surrogate pair, and names out of order.
  EXPECT_TRUE(Agree(R"({"b":{"S":"\u00e9\ud83d\ude00\n\u0000"},"a":{"N":"1"}})"));
  EXPECT_TRUE(Agree(" {} "));
  EXPECT_TRUE(Agree(Nested(kMaxDepth)));
}

TEST(JsonFastTest, LeavesEverythingElseToTheStrictReader) {
  const char* const kCases[] = {
      "",
      "[]",
      R"({"a":{"S":"x"}} x)",
      R"({"a":{"S":"\udc00"}})",  // unpaired surrogates
      R"({"a":{"S":"\ud800"}})",
      R"({"a":{"S":"\ud800\u0041"}})",
      "{\"a\":{\"S\":\"x\x01y\"}}",        // unescaped control character
      "{\"a\":{\"S\":\"\xed\xa0\x80\"}}",  // a surrogate as raw bytes
      "{\"a\":{\"S\":\"\xc3\"}}",          // truncated UTF-8
      "{\"a\":{\"S\":\"\xc0\xaf\"}}",      // overlong
      R"({"a":{"S":1}})",
      R"({"a":{"S":"x","N":"1"}})",  // two types
      R"({"a":{}})",
      R"({"a":{"Q":"x"}})",
      R"({"a":{"N":"1e400"}})",
      R"({"a":{"N":"0x10"}})",
      R"({"a":{"N":"123456789012345678901234567890123456789"}})",  // 39 digits
      R"({"a":{"NULL":false}})",
      R"({"a":{"BOOL":"true"}})",
      R"({"a":{"B":"abc"}})",
      R"({"a":{"SS":[]}})",
      R"({"a":{"SS":["x","x"]}})",
      R"({"a":{"NS":["1","1.0"]}})",
      R"({"a":{"BS":["eA==","eA=="]}})",
      R"({"a":{"L":[{"S":"x"},3]}})",
      R"({"a":{"M":[]}})",
      R"({"a":1e400})",
      R"({"a":123456789012345678901234567890})",
  };
  for (const char* json : kCases) EXPECT_FALSE(Agree(json)) << json;
  EXPECT_FALSE(Agree(Nested(kMaxDepth + 1)));
  // Deeper than simdjson's own limit.
  EXPECT_FALSE(Agree(std::string(5000, '[') + std::string(5000, ']')));
}

TEST(JsonFastTest, RepeatedNamesGoToTheStrictReaderWhichKeepsTheLast) {
  EXPECT_FALSE(Agree(R"({"a":{"S":"x"},"a":{"S":"y"}})"));
  EXPECT_FALSE(Agree(R"({"b":{"S":"x"},"a":{"N":"1"},"b":{"S":"z"}})"));
  EXPECT_FALSE(Agree(R"({"m":{"M":{"a":{"S":"x"},"a":{"S":"y"}}}})"));
  EXPECT_EQ(ParseDynamoJson(R"({"a":{"S":"x"},"a":{"S":"y"}})")->at("a").s(), "y");
  EXPECT_TRUE(Agree(R"({"c":{"S":"x"},"a":{"N":"1"},"b":{"S":"z"}})"));  // out of order
}

TEST(JsonFastTest, ParsesInputWithoutPadding) {
  // The bytes right after the input are not JSON; simdjson must not read them.
  std::string buffer = R"({"a":{"S":"x"}}{"b")";
  std::string_view json(buffer.data(), 15);
  std::optional<Map> fast = FastMap(json);
  ASSERT_TRUE(fast);
  EXPECT_EQ(*fast, (Map{{"a", "x"}}));
  // A body larger than the per-thread parser keeps.
  std::string big = "{";
  for (int i = 0; big.size() < (5u << 20); ++i) {
    if (i > 0) big += ',';
    big += "\"k" + std::to_string(100000 + i) + R"(":{"S":")" + std::string(100, 'v') + "\"}";
  }
  big += "}";
  std::optional<Map> large = FastMap(big);
  ASSERT_TRUE(large);
  EXPECT_EQ(*large, *StrictMap(big));
  EXPECT_TRUE(FastMap(json));  // and the small parser again
}

}  // namespace
}  // namespace moe::internal
