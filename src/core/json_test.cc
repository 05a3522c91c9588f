#include "moe/json.h"

#include "core/json_reader.h"
#include "core/json_writer.h"

#include <gtest/gtest.h>

namespace moe {
namespace {

TEST(JsonTest, RoundTripsEveryType) {
  Item item{
      {"s", "quote\" backslash\\ nl\n ctl\x01 utf8 \xc3\xa9"},
      {"n", *Number::Parse("-1234567890123456789012345678901234567.8")},
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
  auto back = ParseDynamoJson(json);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, item);
  EXPECT_EQ(back->at("n").n().text(), "-1234567890123456789012345678901234567.8");
}

TEST(JsonTest, WritesDynamoDbShape) {
  EXPECT_EQ(ToDynamoJson(Item{{"a", "x"}, {"b", 1}, {"c", nullptr}, {"d", Bytes{"hi"}}}),
            R"({"a":{"S":"x"},"b":{"N":"1"},"c":{"NULL":true},"d":{"B":"aGk="}})");
}

TEST(JsonTest, EscapesStrings) {
  EXPECT_EQ(ToDynamoJson(Item{{"e", "a\"b\\c\nd\001e\tf"}, {"p", "plain"}, {"q\"", ""}}),
            R"({"e":{"S":"a\"b\\c\nd\u0001e\tf"},"p":{"S":"plain"},"q\"":{"S":""}})");
  EXPECT_EQ(ToDynamoJson(Item{{"l", List{"x\ry", Value(StringSet{"\b", "\f"})}}}),
            R"({"l":{"L":[{"S":"x\ry"},{"SS":["\b","\f"]}]}})");
}

// The writer scans 16 bytes at a time for bytes to escape: every escapable
// byte, at every position of strings up to 40 bytes, and bytes >= 0x80
// (UTF-8, passed through) around it, must come out as the byte loop would.
TEST(JsonTest, EscapesAtEveryPositionOfLongStrings) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"') {
        out += "\\\"";
      } else if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == 0x1f) {
        out += "\\u001f";
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    return out + "\"";
  };
  for (char special : {'"', '\\', '\n', '\x1f'}) {
    for (size_t len = 1; len <= 40; ++len) {
      for (size_t at = 0; at < len; ++at) {
        std::string s(len, 'a');
        if (len > 2) {  // a two-byte UTF-8 character (é) in the middle
          s[len / 2] = '\xc3';
          s[len / 2 + 1] = '\xa9';
        }
        s[at] = special;
        std::string json;
        internal::JsonWriter(&json).String(s);
        ASSERT_EQ(json, reference(s)) << "len " << len << " at " << at;
      }
    }
  }
}

// Documents on one thread share a scratch buffer one at a time: a nested
// document (the buffer is busy) and a body larger than the buffer both work,
// and the outer document's values stay intact while the inner one lives.
TEST(JsonTest, ScratchDocumentsNestAndOutgrowTheBuffer) {
  internal::ScratchDocument outer;
  ASSERT_TRUE(internal::ParseJson(R"({"a":"outer"})", &outer.doc()));
  std::string big = "[";
  for (int i = 0; i < 5000; ++i) big += (i ? ",\"" : "\"") + std::to_string(i) + "-abcdefghijklmnopqrstuvwxyz\"";
  big += "]";
  {
    internal::ScratchDocument inner;
    ASSERT_TRUE(internal::ParseJson(big, &inner.doc()));
    ASSERT_EQ(inner.doc().Size(), 5000u);
    EXPECT_EQ(internal::View(inner.doc()[4999]), "4999-abcdefghijklmnopqrstuvwxyz");
  }
  EXPECT_EQ(internal::View(outer.doc()["a"]), "outer");
  for (int round = 0; round < 3; ++round) {  // the buffer is reused after release
    internal::ScratchDocument again;
    ASSERT_TRUE(internal::ParseJson(big, &again.doc()));
    EXPECT_EQ(internal::View(again.doc()[0]), "0-abcdefghijklmnopqrstuvwxyz");
  }
}

TEST(JsonTest, RejectsMalformedAttributeValues) {
  EXPECT_EQ(ParseDynamoJson(R"({"a":{"X":"1"}})").error().code(), ErrorCode::kValidation);
  EXPECT_FALSE(ParseDynamoJson(R"({"a":{"S":"1","N":"1"}})"));
  EXPECT_FALSE(ParseDynamoJson(R"({"a":{"N":"one"}})"));
  EXPECT_FALSE(ParseDynamoJson(R"({"a":{"B":"!!!!"}})"));
  EXPECT_FALSE(ParseDynamoJson(R"({"a":{"SS":[]}})"));
  EXPECT_FALSE(ParseDynamoJson(R"({"a":{"SS":["x","x"]}})"));
  EXPECT_FALSE(ParseDynamoJson(R"({"a":{"NULL":false}})"));
  EXPECT_EQ(ParseDynamoJson(R"({"a":)").error().code(), ErrorCode::kSerialization);
  EXPECT_FALSE(ParseDynamoJson("{} trailing"));
  EXPECT_FALSE(ParseDynamoJson("{\"a\":{\"S\":\"\xff\"}}"));  // invalid UTF-8
}

// Found by fuzz/fuzz_json: rapidjson accepts an escaped lone low surrogate
// and yields bytes that are not UTF-8, so the item could not be written back.
TEST(JsonTest, RejectsUnpairedSurrogateEscapes) {
  for (std::string_view json : {R"({"a":{"S":"\udc00"}})", R"({"a":{"S":"x\uDFFFy"}})",
                                R"({"\udddd":{"S":"x"}})", R"({"a":{"SS":["\ude00"]}})",
                                R"({"a":{"M":{"b":{"L":[{"S":"\udc80"}]}}}})"}) {
    auto r = ParseDynamoJson(json);
    ASSERT_FALSE(r) << json;
    EXPECT_EQ(r.error().code(), ErrorCode::kSerialization) << json;
  }
  EXPECT_FALSE(ParseDynamoJsonValue(R"({"S":"\udc00"})"));
  EXPECT_FALSE(ItemFromPlainJson(R"({"a":"\udc00"})"));
  EXPECT_FALSE(ItemFromPlainJson(R"({"\udc00":1})"));
  // A proper pair is one code point, written back as its UTF-8 bytes.
  auto pair = ParseDynamoJson(R"({"a":{"S":"\ud83d\ude00\u00e9"}})");
  ASSERT_TRUE(pair) << pair.error().ToString();
  EXPECT_EQ(pair->at("a").s(), "\xf0\x9f\x98\x80\xc3\xa9");
  EXPECT_EQ(*ParseDynamoJson(ToDynamoJson(*pair)), *pair);
}

TEST(JsonTest, LimitsNestingDepth) {
  auto nested = [](int levels) {
    std::string json = R"({"a":)";
    for (int i = 0; i < levels; ++i) json += R"({"L":[)";
    json += R"({"S":"x"})";
    for (int i = 0; i < levels; ++i) json += "]}";
    return json + "}";
  };
  EXPECT_TRUE(ParseDynamoJson(nested(32)));
  EXPECT_FALSE(ParseDynamoJson(nested(33)));
  // Far deeper input must fail cleanly, not overflow the stack.
  EXPECT_FALSE(ParseDynamoJson(nested(100000)));
}

TEST(JsonTest, PlainJsonKeepsNumbersExact) {
  auto item = ItemFromPlainJson(
      R"({"id":"a","price":1.50,"big":123456789012345678901234567890,"tags":["x",2],"m":{"ok":true,"none":null}})");
  ASSERT_TRUE(item) << item.error().ToString();
  EXPECT_EQ(item->at("price").n().text(), "1.50");
  EXPECT_EQ(item->at("big").n().text(), "123456789012345678901234567890");
  EXPECT_EQ(item->at("tags").l().at(1), Value(2));
  EXPECT_EQ(item->at("m").m().at("none").type(), Type::kNull);
  EXPECT_EQ(
      ItemToPlainJson(*item),
      R"({"big":123456789012345678901234567890,"id":"a","m":{"none":null,"ok":true},"price":1.50,"tags":["x",2]})");
  EXPECT_FALSE(ItemFromPlainJson("[1,2]"));
  EXPECT_FALSE(ItemFromPlainJson(R"({"n":1e999})"));
}

TEST(JsonTest, Base64) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(*Base64Decode(Base64Encode(s)), s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_FALSE(Base64Decode("Zm8"));
  EXPECT_FALSE(Base64Decode("Z=8="));
}

}  // namespace
}  // namespace moe
