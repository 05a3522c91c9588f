#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <thread>
#include <vector>

#include "moe/sigv4.h"
#include "sigv4/internal.h"

namespace moe::sigv4 {
namespace {

const Credentials kCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

TEST(UriEncodeTest, UnreservedPassThroughOthersUpperHex) {
  EXPECT_EQ(UriEncode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b/c+d=*", false), "a%20b%2Fc%2Bd%3D%2A");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(UriEncode("\xe1\x88\xb4", false), "%E1%88%B4");
}

TEST(UriDecodeTest, DecodesValidEscapesOnly) {
  EXPECT_EQ(UriDecode("%E1%88%b4"), "\xe1\x88\xb4");
  EXPECT_EQ(UriDecode("100%"), "100%");
  EXPECT_EQ(UriDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(UriDecode("a+b"), "a+b");
}

TEST(CanonicalUriTest, Normalization) {
  EXPECT_EQ(CanonicalUri("", true, true), "/");
  EXPECT_EQ(CanonicalUri("/", true, true), "/");
  EXPECT_EQ(CanonicalUri("//", true, true), "/");
  EXPECT_EQ(CanonicalUri("//example//", true, true), "/example/");
  EXPECT_EQ(CanonicalUri("/example/..", true, true), "/");
  EXPECT_EQ(CanonicalUri("/a/b/../c/./d", true, true), "/a/c/d");
  EXPECT_EQ(CanonicalUri("/a/b/..", true, true), "/a/");
  EXPECT_EQ(CanonicalUri("/../..", true, true), "/");
  EXPECT_EQ(CanonicalUri("//example//", false, true), "//example//");
  EXPECT_EQ(CanonicalUri("/./", false, true), "/./");
}

TEST(CanonicalUriTest, DoubleEncodingForNonS3) {
  EXPECT_EQ(CanonicalUri("/a%20b", true, true), "/a%2520b");
  EXPECT_EQ(CanonicalUri("/a%20b", true, false), "/a%20b");
  EXPECT_EQ(CanonicalUri("/a b", true, false), "/a%20b");
  EXPECT_EQ(CanonicalUri("/a b", true, true), "/a%20b");
}

TEST(CanonicalQueryTest, SortsDecodesAndEncodes) {
  EXPECT_EQ(CanonicalQueryString(""), "");
  EXPECT_EQ(CanonicalQueryString("b=2&a=1"), "a=1&b=2");
  EXPECT_EQ(CanonicalQueryString("a=2&a=1"), "a=1&a=2");
  EXPECT_EQ(CanonicalQueryString("flag&x="), "flag=&x=");
  EXPECT_EQ(CanonicalQueryString("a=%2f&&b=c d"), "a=%2F&b=c%20d");
  EXPECT_EQ(CanonicalQueryString("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
  // Sorting is by byte value: upper case before lower case.
  EXPECT_EQ(CanonicalQueryString("b=1&B=2"), "B=2&b=1");
}

TEST(CanonicalHeaderValueTest, TrimsAndFoldsWhitespace) {
  EXPECT_EQ(CanonicalHeaderValue("  a   b \t c  "), "a b c");
  EXPECT_EQ(CanonicalHeaderValue("value1\n  value2\n     value3"), "value1 value2 value3");
  EXPECT_EQ(CanonicalHeaderValue("\"a   b\""), "\"a b\"");
  EXPECT_EQ(CanonicalHeaderValue(""), "");
}

TEST(CanonicalHeadersTest, LowerCasesSortsAndJoinsDuplicates) {
  Headers h = {{"My-Header", "b"}, {"Host", "x"}, {"my-header", " a "}, {"Zed", "z"}};
  internal::CanonicalHeaders c =
      internal::BuildCanonicalHeaders(h, [](std::string_view n) { return n != "zed"; });
  EXPECT_EQ(c.block, "host:x\nmy-header:b,a\n");
  EXPECT_EQ(c.signed_headers, "host;my-header");
}

TEST(AmzDateTest, FormatAndParseRoundTrip) {
  auto t = ManualClock::FromUnixSeconds(1440938160);  // 2015-08-30T12:36:00Z
  EXPECT_EQ(FormatAmzDate(t), "20150830T123600Z");
  EXPECT_EQ(FormatAmzDate(t + std::chrono::milliseconds(999)), "20150830T123600Z");
  EXPECT_EQ(ParseAmzDate("20150830T123600Z"), t);
  EXPECT_EQ(FormatAmzDate(ManualClock::FromUnixSeconds(0)), "19700101T000000Z");
  for (std::string_view bad :
       {"", "20150830T123600", "20150830 123600Z", "20151330T123600Z", "20150231T123600Z",
        "20150830T243600Z", "2015083xT123600Z", "20150830T123660Z", "20150830T123600Z0"}) {
    EXPECT_FALSE(ParseAmzDate(bad)) << bad;
  }
}

// Found by fuzz/fuzz_http_request: years outside the clock's range overflowed
// the conversion to nanoseconds (undefined behaviour) instead of failing.
TEST(AmzDateTest, YearsBeyondTheClockAreOutOfRange) {
  for (std::string_view far : {"99991231T235959Z", "24000101T000000Z", "00000101T000000Z",
                               "16000101T000000Z"}) {
    EXPECT_FALSE(ParseAmzDate(far)) << far;
  }
  EXPECT_TRUE(ParseAmzDate("22600101T000000Z"));
  EXPECT_TRUE(ParseAmzDate("17000101T000000Z"));
}

TEST(SigningKeyTest, MatchesAwsDocumentationExample) {
  // The derived-key example of the AWS General Reference (IAM, 20120215).
  std::array<uint8_t, 32> key =
      DeriveSigningKey(kCreds.secret_access_key, "20120215", "us-east-1", "iam");
  std::string hex;
  for (uint8_t b : key) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0xf]);
  }
  EXPECT_EQ(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

// Cross-check the HMAC against OpenSSL's own, including a secret longer than
// the SHA-256 block (the key is hashed first).
TEST(SigningKeyTest, AgreesWithOpenSslHmacForLongSecrets) {
  for (size_t len : {1u, 40u, 59u, 60u, 61u, 64u, 100u, 300u}) {
    std::string secret(len, 'k');
    std::string k = "AWS4" + secret;
    std::array<uint8_t, 32> expected{};
    unsigned int n = 0;
    auto step = [&](std::string_view msg) {
      HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()),
           reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), expected.data(), &n);
      k.assign(reinterpret_cast<const char*>(expected.data()), expected.size());
    };
    step("20150830");
    step("us-east-1");
    step("dynamodb");
    step("aws4_request");
    EXPECT_EQ(DeriveSigningKey(secret, "20150830", "us-east-1", "dynamodb"), expected) << len;
  }
}

TEST(Sha256Test, EmptyAndKnown) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("Param1=value1"),
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
}

TEST(ConstantTimeEqualsTest, Basics) {
  EXPECT_TRUE(internal::ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(internal::ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(internal::ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(internal::ConstantTimeEquals("", ""));
}

TEST(SplitUrlTest, PartsAndHostHeader) {
  auto u = internal::SplitUrl("http://user@localhost:8000/a/b?x=1#frag");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->authority, "localhost:8000");
  EXPECT_EQ(u->path, "/a/b");
  EXPECT_EQ(u->query, "x=1");
  EXPECT_EQ(internal::HostHeaderFor(*u), "localhost:8000");
  EXPECT_EQ(internal::HostHeaderFor(*internal::SplitUrl("https://h.example:443")), "h.example");
  EXPECT_EQ(internal::HostHeaderFor(*internal::SplitUrl("http://h.example:80/")), "h.example");
  EXPECT_EQ(internal::HostHeaderFor(*internal::SplitUrl("http://[::1]:8000/")), "[::1]:8000");
  EXPECT_EQ(internal::HostHeaderFor(*internal::SplitUrl("https://[::1]/")), "[::1]");
  EXPECT_FALSE(internal::SplitUrl("/relative"));
  EXPECT_FALSE(internal::SplitUrl("http:///path"));
}

TEST(SignerTest, AddsHostFromUrlAndSignsDynamoDbRequest) {
  Signer signer("us-east-1", "dynamodb");
  HttpRequest req{.url = "http://127.0.0.1:8000/", .body = "{}"};
  req.headers.push_back({"Content-Type", "application/x-amz-json-1.0"});
  req.headers.push_back({"X-Amz-Target", "DynamoDB_20120810.ListTables"});
  req.headers.push_back({"User-Agent", "moe/0.1"});
  SigningSteps steps;
  ASSERT_TRUE(signer.Sign(req, kCreds, ManualClock::FromUnixSeconds(1440938160), &steps));
  EXPECT_EQ(steps.signed_headers, "content-type;host;x-amz-date;x-amz-target");
  EXPECT_EQ(steps.credential_scope, "20150830/us-east-1/dynamodb/aws4_request");
  bool has_host = false;
  for (const auto& [name, value] : req.headers) {
    if (name == "Host") has_host = value == "127.0.0.1:8000";
  }
  EXPECT_TRUE(has_host);
  EXPECT_EQ(req.headers.back().second,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" +
                steps.signature);
}

TEST(SignerTest, GivenContentSha256IsThePayloadHash) {
  Signer signer("us-east-1", "s3");
  HttpRequest req{.method = "PUT", .url = "https://b.s3.amazonaws.com/k", .body = "data"};
  req.headers.push_back({"x-amz-content-sha256", "UNSIGNED-PAYLOAD"});
  SigningSteps steps;
  ASSERT_TRUE(signer.Sign(req, kCreds, ManualClock::FromUnixSeconds(1440938160), &steps));
  EXPECT_TRUE(steps.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
}

TEST(SignerTest, RejectsBadInputWithoutLeakingSecrets) {
  Signer signer("us-east-1", "dynamodb");
  HttpRequest req{.url = "not a url"};
  Status s = signer.Sign(req, kCreds, ManualClock::FromUnixSeconds(0));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  HttpRequest ok{.url = "https://h/"};
  Credentials no_secret{"AKID", "", ""};
  Status s2 = signer.Sign(ok, no_secret, ManualClock::FromUnixSeconds(0));
  ASSERT_FALSE(s2);
  EXPECT_EQ(s2.error().code(), ErrorCode::kInvalidArgument);
  Status s3 =
      signer.Presign(ok, kCreds, ManualClock::FromUnixSeconds(0), std::chrono::seconds(604801));
  ASSERT_FALSE(s3);
  EXPECT_EQ(s3.error().message().find(kCreds.secret_access_key), std::string::npos);
}

TEST(SignerTest, PresignKeepsFragmentLast) {
  Signer signer("us-east-1", "service");
  HttpRequest req{.method = "GET", .url = "https://h.example/p?a=1#frag"};
  ASSERT_TRUE(signer.Presign(req, kCreds, ManualClock::FromUnixSeconds(1440938160),
                             std::chrono::seconds(60)));
  EXPECT_TRUE(req.url.starts_with("https://h.example/p?a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
      << req.url;
  EXPECT_TRUE(req.url.ends_with("#frag")) << req.url;
}

TEST(SignerTest, ConcurrentSigningAgrees) {
  Signer signer("us-east-1", "dynamodb");
  auto sign_at = [&](int64_t secs) {
    HttpRequest req{.url = "https://dynamodb.us-east-1.amazonaws.com/", .body = "{}"};
    EXPECT_TRUE(signer.Sign(req, kCreds, ManualClock::FromUnixSeconds(secs)));
    return req.headers.back().second;
  };
  // Several days and two secrets, so the key cache churns while shared.
  std::vector<std::string> expected;
  for (int d = 0; d < 6; ++d) expected.push_back(sign_at(1440938160 + d * 86400));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        int d = (i + t) % 6;
        if (sign_at(1440938160 + d * 86400) != expected[d]) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace moe::sigv4
