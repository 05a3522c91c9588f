#include <gtest/gtest.h>

#include <set>
#include <string>

#include "moe/sigv4.h"
#include "sigv4/internal.h"
#include "sigv4/vectors.h"

namespace moe::sigv4 {
namespace {

using testing::LoadVectorCase;
using testing::VectorCase;

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details.";

std::optional<std::string> Lookup(std::string_view id) {
  if (id == "AKIDEXAMPLE") return std::string(kSecret);
  return std::nullopt;
}

// A byte that differs from `c` and is not whitespace, so header folding cannot
// hide the change.
char Other(char c) { return c == 'x' ? 'y' : 'x'; }
char OtherHex(char c) { return c == '0' ? '1' : '0'; }
char OtherDigit(char c) { return c >= '0' && c <= '8' ? static_cast<char>(c + 1) : '0'; }

class VerifyVectorTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    Result<VectorCase> loaded = LoadVectorCase(GetParam());
    ASSERT_TRUE(loaded) << loaded.error().ToString();
    case_ = std::move(loaded).value();
  }
  Status Check(const HttpRequest& req) const {
    return Verify(req, Lookup, case_.time,
                  VerifyOptions{.normalize_path = case_.normalize, .double_encode_path = true});
  }
  VectorCase case_;
};

TEST_P(VerifyVectorTest, HeaderSignedRequestVerifiesAndAnyChangeIsRejected) {
  Signer signer(case_.signer_options());
  HttpRequest req = case_.request;
  SigningSteps steps;
  ASSERT_TRUE(signer.Sign(req, case_.credentials, case_.time, &steps));
  Status ok = Check(req);
  ASSERT_TRUE(ok) << ok.error().ToString();

  // Every byte of the signature.
  std::string& auth = req.headers.back().second;
  size_t sig_at = auth.find("Signature=") + 10;
  for (size_t i = sig_at; i < auth.size(); ++i) {
    HttpRequest bad = req;
    std::string& a = bad.headers.back().second;
    a[i] = OtherHex(a[i]);
    Status s = Check(bad);
    ASSERT_FALSE(s) << "signature byte " << i - sig_at;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidSignature);
    EXPECT_EQ(s.error().message(), kMismatch);
  }
  // Every byte of every signed header value (x-amz-date among them).
  std::set<std::string> signed_names;
  for (size_t pos = 0; pos <= steps.signed_headers.size();) {
    size_t semi = std::min(steps.signed_headers.find(';', pos), steps.signed_headers.size());
    signed_names.insert(steps.signed_headers.substr(pos, semi - pos));
    pos = semi + 1;
  }
  int changed = 0;
  for (size_t h = 0; h < req.headers.size(); ++h) {
    if (!signed_names.contains(internal::Lower(req.headers[h].first))) continue;
    for (size_t i = 0; i < req.headers[h].second.size(); ++i) {
      HttpRequest bad = req;
      char& c = bad.headers[h].second[i];
      c = internal::Lower(req.headers[h].first) == "x-amz-date" ? OtherDigit(c) : Other(c);
      EXPECT_FALSE(Check(bad)) << req.headers[h].first << " byte " << i;
      ++changed;
    }
  }
  EXPECT_GT(changed, 16);
}

TEST_P(VerifyVectorTest, PresignedRequestVerifiesAndAnyChangeIsRejected) {
  Signer signer(case_.signer_options());
  HttpRequest req = case_.request;
  ASSERT_TRUE(signer.Presign(req, case_.credentials, case_.time, case_.expires));
  Status ok = Check(req);
  ASSERT_TRUE(ok) << ok.error().ToString();

  size_t sig_at = req.url.find("X-Amz-Signature=") + 16;
  for (size_t i = sig_at; i < sig_at + 64; ++i) {
    HttpRequest bad = req;
    bad.url[i] = OtherHex(bad.url[i]);
    Status s = Check(bad);
    ASSERT_FALSE(s) << "signature byte " << i - sig_at;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidSignature);
  }
  size_t date_at = req.url.find("X-Amz-Date=") + 11;
  for (size_t i = date_at; i < date_at + 16; ++i) {
    HttpRequest bad = req;
    bad.url[i] = OtherDigit(bad.url[i]);
    EXPECT_FALSE(Check(bad)) << "date byte " << i - date_at;
  }
  for (size_t h = 0; h < req.headers.size(); ++h) {
    for (size_t i = 0; i < req.headers[h].second.size(); ++i) {
      HttpRequest bad = req;
      bad.headers[h].second[i] = Other(bad.headers[h].second[i]);
      EXPECT_FALSE(Check(bad)) << req.headers[h].first << " byte " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCases, VerifyVectorTest,
                         ::testing::ValuesIn(testing::ListVectorCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(VerifyVectorTest);

// --- Error types and messages ------------------------------------------------

const Clock::TimePoint kSignedAt = ManualClock::FromUnixSeconds(1440938160);  // 20150830T123600Z

HttpRequest SignedDynamoDbRequest(Clock::TimePoint at = kSignedAt) {
  Signer signer("us-east-1", "dynamodb");
  HttpRequest req{.url = "http://localhost:8000/", .body = R"({"TableName":"t"})"};
  req.headers.push_back({"X-Amz-Target", "DynamoDB_20120810.DescribeTable"});
  EXPECT_TRUE(signer.Sign(req, Credentials{"AKIDEXAMPLE", std::string(kSecret), ""}, at));
  return req;
}

void SetAuthorization(HttpRequest& req, std::string value) {
  for (auto& [name, v] : req.headers) {
    if (name == "Authorization") v = std::move(value);
  }
}

TEST(VerifyTest, MissingAuthentication) {
  HttpRequest req{.url = "http://localhost:8000/", .body = "{}"};
  Status s = Verify(req, Lookup, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kMissingAuthenticationToken);
  EXPECT_EQ(s.error().message(), "Request is missing Authentication Token");
}

TEST(VerifyTest, UnknownAccessKey) {
  HttpRequest req = SignedDynamoDbRequest();
  Status s = Verify(
      req, [](std::string_view) { return std::optional<std::string>(); }, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kUnrecognizedClient);
  EXPECT_EQ(s.error().message(), "The security token included in the request is invalid.");
}

TEST(VerifyTest, WrongSecret) {
  HttpRequest req = SignedDynamoDbRequest();
  Status s = Verify(
      req, [](std::string_view) { return std::optional<std::string>("other"); }, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidSignature);
  EXPECT_EQ(s.error().message(), kMismatch);
}

TEST(VerifyTest, BodyChangeIsRejected) {
  HttpRequest req = SignedDynamoDbRequest();
  req.body = R"({"TableName":"u"})";
  Status s = Verify(req, Lookup, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidSignature);
}

TEST(VerifyTest, MalformedAuthorization) {
  struct Case {
    std::string value;
    std::string_view message_start;
  };
  for (const Case& c : std::vector<Case>{
           {"Bearer abc", "Unsupported AWS 'algorithm': 'Bearer'"},
           {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request",
            "Authorization header requires 'Signature' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"},
           {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20150830/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=00",
            "'/20150830/us-east-1/dynamodb/aws4_request' not a valid key=value pair (missing "
            "equal-sign)"},
           {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb, "
            "SignedHeaders=host;x-amz-date, Signature=00",
            "Credential should be scoped to a valid region"},
           {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws5_request, "
            "SignedHeaders=host;x-amz-date, Signature=00",
            "Credential should be scoped with a valid terminator: 'aws4_request', not "
            "'aws5_request'."},
       }) {
    HttpRequest req = SignedDynamoDbRequest();
    SetAuthorization(req, c.value);
    Status s = Verify(req, Lookup, kSignedAt);
    ASSERT_FALSE(s) << c.value;
    EXPECT_EQ(s.error().code(), ErrorCode::kIncompleteSignature) << c.value;
    EXPECT_TRUE(s.error().message().starts_with(c.message_start)) << s.error().message();
  }
}

TEST(VerifyTest, MissingDateHeader) {
  HttpRequest req = SignedDynamoDbRequest();
  std::erase_if(req.headers, [](const auto& h) { return h.first == "X-Amz-Date"; });
  Status s = Verify(req, Lookup, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kIncompleteSignature);
  EXPECT_NE(
      s.error().message().find("requires existence of either a 'X-Amz-Date' or a 'Date' header"),
      std::string::npos);
}

TEST(VerifyTest, ScopeDateMustMatchRequestDate) {
  HttpRequest req = SignedDynamoDbRequest();
  std::string auth;
  for (auto& [name, v] : req.headers) {
    if (name == "Authorization") auth = v;
  }
  auth.replace(auth.find("/20150830/"), 10, "/20150831/");
  SetAuthorization(req, auth);
  Status s = Verify(req, Lookup, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidSignature);
  EXPECT_EQ(
      s.error().message(),
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
      "'20150831' != '20150830', from '20150830T123600Z'.");
}

TEST(VerifyTest, ClockSkewWindow) {
  HttpRequest req = SignedDynamoDbRequest();
  EXPECT_TRUE(Verify(req, Lookup, kSignedAt + std::chrono::minutes(15)));
  EXPECT_TRUE(Verify(req, Lookup, kSignedAt - std::chrono::minutes(15)));

  Status expired =
      Verify(req, Lookup, kSignedAt + std::chrono::minutes(15) + std::chrono::seconds(1));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code(), ErrorCode::kInvalidSignature);
  EXPECT_EQ(expired.error().message(),
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T125101Z - 15 min.)");

  Status early = Verify(req, Lookup, kSignedAt - std::chrono::minutes(20));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), ErrorCode::kInvalidSignature);
  EXPECT_EQ(early.error().message(),
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123100Z "
            "(20150830T121600Z + 15 min.)");

  Status narrow = Verify(req, Lookup, kSignedAt + std::chrono::minutes(6), std::chrono::minutes(5));
  ASSERT_FALSE(narrow);
  EXPECT_NE(narrow.error().message().find("(20150830T124200Z - 5 min.)"), std::string::npos);
}

TEST(VerifyTest, PresignedExpiry) {
  Signer signer("us-east-1", "dynamodb");
  HttpRequest req{.method = "GET", .url = "https://localhost:8000/"};
  ASSERT_TRUE(signer.Presign(req, Credentials{"AKIDEXAMPLE", std::string(kSecret), ""}, kSignedAt,
                             std::chrono::seconds(60)));
  EXPECT_TRUE(Verify(req, Lookup, kSignedAt + std::chrono::seconds(60)));
  Status s = Verify(req, Lookup, kSignedAt + std::chrono::seconds(61));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidSignature);
  EXPECT_TRUE(s.error().message().starts_with("Signature expired: 20150830T123600Z"))
      << s.error().message();
}

TEST(VerifyTest, PresignedMissingParameters) {
  HttpRequest req{.method = "GET", .url = "https://localhost:8000/?X-Amz-Signature=00"};
  req.headers.push_back({"Host", "localhost:8000"});
  Status s = Verify(req, Lookup, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kIncompleteSignature);
  EXPECT_NE(s.error().message().find("'X-Amz-Credential'"), std::string::npos);
}

TEST(VerifyTest, HostMustBeSigned) {
  Signer signer("us-east-1", "dynamodb");
  HttpRequest req = SignedDynamoDbRequest();
  std::string auth;
  for (auto& [name, v] : req.headers) {
    if (name == "Authorization") auth = v;
  }
  auth.replace(auth.find("host;"), 5, "");
  SetAuthorization(req, auth);
  Status s = Verify(req, Lookup, kSignedAt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidSignature);
}

TEST(VerifyTest, ErrorsNeverContainTheSecret) {
  HttpRequest req = SignedDynamoDbRequest();
  std::vector<Status> results;
  results.push_back(Verify(req, Lookup, kSignedAt + std::chrono::hours(1)));
  results.push_back(Verify(req, Lookup, kSignedAt - std::chrono::hours(1)));
  results.push_back(Verify(
      req, [](std::string_view) { return std::optional<std::string>("x"); }, kSignedAt));
  req.body += " ";
  results.push_back(Verify(req, Lookup, kSignedAt));
  for (const Status& s : results) {
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().ToString().find(kSecret), std::string::npos);
  }
}

}  // namespace
}  // namespace moe::sigv4
