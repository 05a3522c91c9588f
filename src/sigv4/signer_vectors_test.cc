// Known-answer tests: every case in shared/testdata/sigv4, signed with an
// Authorization header and presigned, checked byte for byte at each step.
#include <gtest/gtest.h>

#include <string>

#include "moe/sigv4.h"
#include "sigv4/internal.h"
#include "sigv4/vectors.h"

namespace moe::sigv4 {
namespace {

using testing::LoadVectorCase;
using testing::VectorCase;

std::string Lowered(std::string_view s) { return internal::Lower(s); }

// The cases must be there: a missing folder is a failure, not a skip.
TEST(SigV4Vectors, TestDataPresent) {
  std::vector<std::string> cases = testing::ListVectorCases();
  ASSERT_EQ(cases.size(), 38u) << "expected the 38 SigV4 cases in " << testing::VectorRoot()
                               << " (compile definition MOE_SIGV4_TESTDATA)";
}

class SigV4VectorTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    Result<VectorCase> loaded = LoadVectorCase(GetParam());
    ASSERT_TRUE(loaded) << loaded.error().ToString();
    case_ = std::move(loaded).value();
  }
  std::string Expected(std::string_view file) {
    Result<std::string> text = case_.File(file);
    EXPECT_TRUE(text) << text.error().ToString();
    return text ? *text : std::string();
  }
  VectorCase case_;
};

TEST_P(SigV4VectorTest, HeaderSigning) {
  Signer signer(case_.signer_options());
  HttpRequest req = case_.request;
  SigningSteps steps;
  ASSERT_TRUE(signer.Sign(req, case_.credentials, case_.time, &steps));
  EXPECT_EQ(steps.canonical_request, Expected("header-canonical-request.txt"));
  EXPECT_EQ(steps.string_to_sign, Expected("header-string-to-sign.txt"));
  EXPECT_EQ(steps.signature, Expected("header-signature.txt"));

  // The signed request: same URL, and the headers (including the ones the
  // signer added, in order) equal the expected ones, names case-insensitively.
  Result<HttpRequest> expected = testing::ParseRawRequest(Expected("header-signed-request.txt"));
  ASSERT_TRUE(expected) << expected.error().ToString();
  EXPECT_EQ(req.url, expected->url);
  ASSERT_EQ(req.headers.size(), expected->headers.size());
  for (size_t i = 0; i < req.headers.size(); ++i) {
    EXPECT_EQ(Lowered(req.headers[i].first), Lowered(expected->headers[i].first)) << i;
    EXPECT_EQ(req.headers[i].second, expected->headers[i].second) << req.headers[i].first;
  }
  // And the Authorization line byte for byte.
  std::string signed_text = Expected("header-signed-request.txt");
  size_t at = signed_text.find("\nAuthorization:");
  ASSERT_NE(at, std::string::npos);
  std::string line = signed_text.substr(at + 15, signed_text.find('\n', at + 1) - at - 15);
  EXPECT_EQ(req.headers.back().first, "Authorization");
  EXPECT_EQ(req.headers.back().second, line);
}

TEST_P(SigV4VectorTest, QuerySigning) {
  Signer signer(case_.signer_options());
  HttpRequest req = case_.request;
  SigningSteps steps;
  ASSERT_TRUE(signer.Presign(req, case_.credentials, case_.time, case_.expires, &steps));
  EXPECT_EQ(steps.canonical_request, Expected("query-canonical-request.txt"));
  EXPECT_EQ(steps.string_to_sign, Expected("query-string-to-sign.txt"));
  EXPECT_EQ(steps.signature, Expected("query-signature.txt"));

  Result<HttpRequest> expected = testing::ParseRawRequest(Expected("query-signed-request.txt"));
  ASSERT_TRUE(expected) << expected.error().ToString();
  EXPECT_EQ(req.url, expected->url);
  EXPECT_EQ(req.headers, expected->headers);
  EXPECT_EQ(req.body, expected->body);
}

TEST_P(SigV4VectorTest, SigningIsRepeatableWithWarmKeyCache) {
  Signer signer(case_.signer_options());
  HttpRequest first = case_.request, second = case_.request;
  ASSERT_TRUE(signer.Sign(first, case_.credentials, case_.time));
  ASSERT_TRUE(signer.Sign(second, case_.credentials, case_.time));
  EXPECT_EQ(first.headers, second.headers);
  // Re-signing an already signed request replaces, never duplicates.
  HttpRequest again = first;
  ASSERT_TRUE(signer.Sign(again, case_.credentials, case_.time));
  EXPECT_EQ(again.headers.back(), first.headers.back());
  EXPECT_EQ(again.headers.size(), first.headers.size());
}

INSTANTIATE_TEST_SUITE_P(AllCases, SigV4VectorTest, ::testing::ValuesIn(testing::ListVectorCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SigV4VectorTest);

}  // namespace
}  // namespace moe::sigv4
