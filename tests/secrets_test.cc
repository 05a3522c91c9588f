// Secrets never leak: every error message, every string a failed call can
// produce and everything moe prints to stderr along the way is searched for
// the secret access key and the session token. Also: TLS verification is on
// by default and turning it off warns.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "moe/client.h"
#include "moe/credentials.h"
#include "moe/local.h"
#include "moe/server.h"
#include "moe/transport.h"
#include "testing/server_process.h"

namespace moe {
namespace {

constexpr std::string_view kSecret = "moeSECRETsentinel/9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a";
constexpr std::string_view kToken = "moeTOKENsentinel+FwoGZXIvYXdzEJr//////////wEaDH";
constexpr std::string_view kServerSecret = "moeSERVERsecret/0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f";

// Everything a test saw: error strings and captured stderr.
class Seen {
 public:
  void Add(std::string text) { texts_.push_back(std::move(text)); }
  void Add(const Error& e) {
    Add(e.ToString());
    Add(e.message());
  }
  void ExpectNoSecret() const {
    for (const std::string& t : texts_) {
      EXPECT_EQ(t.find(kSecret), std::string::npos) << t;
      EXPECT_EQ(t.find(kToken), std::string::npos) << t;
      EXPECT_EQ(t.find(kServerSecret), std::string::npos) << t;
      // Nor a recognizable piece of one (a truncated copy in a message).
      EXPECT_EQ(t.find(kSecret.substr(0, 20)), std::string::npos) << t;
    }
  }
  size_t size() const { return texts_.size(); }

 private:
  std::vector<std::string> texts_;
};

ClientOptions Options(const std::string& endpoint, std::string key_id = "AKIDLEAKTEST") {
  ClientOptions options;
  options.endpoint = endpoint;
  options.region = "us-east-1";
  options.credentials =
      NewStaticCredentialsProvider({std::move(key_id), std::string(kSecret), std::string(kToken)});
  options.getenv = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  options.retry.max_attempts = 2;
  options.http.connect_timeout = std::chrono::milliseconds(500);
  options.http.request_timeout = std::chrono::milliseconds(2000);
  return options;
}

TEST(SecretsTest, FailedCallsNeverShowTheSecret) {
  Seen seen;
  ::testing::internal::CaptureStderr();
  {
    auto engine = local::Engine::Open({});
    ASSERT_TRUE(engine);
    local::Engine* e = engine->get();
    server::ServerOptions options;
    options.port = 0;
    options.verify_signatures = true;
    options.secrets = [](std::string_view id) -> std::optional<std::string> {
      if (id == "AKIDLEAKTEST") return std::string(kServerSecret);
      return std::nullopt;
    };
    auto server = server::Server::Start(
        options, [e](std::string_view op, std::string_view body) { return e->Handle(op, body); });
    ASSERT_TRUE(server);
    std::string endpoint = "http://127.0.0.1:" + std::to_string((*server)->port());

    // The server knows another secret: InvalidSignature, whose message (as
    // DynamoDB's) describes the canonical request, never a key.
    auto client = DynamoDbClient::Create(Options(endpoint));
    ASSERT_TRUE(client);
    auto list = (*client)->ListTables({});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().code(), ErrorCode::kInvalidSignature) << list.error().ToString();
    seen.Add(list.error());
    // An unknown key id.
    auto stranger = DynamoDbClient::Create(Options(endpoint, "AKIDUNKNOWN"));
    ASSERT_TRUE(stranger);
    auto denied = (*stranger)->ListTables({});
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code(), ErrorCode::kUnrecognizedClient);
    seen.Add(denied.error());
    // The raw HTTP answer of a refused request.
    auto transport = NewCurlTransport({});
    auto raw =
        transport->SendSync({.url = endpoint + "/",
                             .headers = {{"x-amz-target", "DynamoDB_20120810.ListTables"},
                                         {"authorization",
                                          "AWS4-HMAC-SHA256 Credential=AKIDLEAKTEST/20260101/"
                                          "us-east-1/dynamodb/aws4_request, SignedHeaders=host, "
                                          "Signature=00"}},
                             .body = "{}"});
    ASSERT_TRUE(raw);
    seen.Add(raw->body);

    // Nobody listens: a network error.
    (*server)->Stop();
    auto gone = (*client)->ListTables({});
    ASSERT_FALSE(gone);
    seen.Add(gone.error());
  }
  // Unreachable over TLS, with verification off (which must warn).
  {
    ClientOptions options = Options("https://127.0.0.1:1");
    options.http.verify_tls = false;
    auto client = DynamoDbClient::Create(std::move(options));
    ASSERT_TRUE(client);
    auto r = (*client)->ListTables({});
    ASSERT_FALSE(r);
    seen.Add(r.error());
  }
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("verification is disabled"), std::string::npos) << err;
  seen.Add(err);
  seen.ExpectNoSecret();
}

TEST(SecretsTest, CredentialsPrintRedacted) {
  Credentials c{"AKIDLEAKTEST", std::string(kSecret), std::string(kToken)};
  std::ostringstream os;
  os << c;
  Seen seen;
  seen.Add(os.str());
  seen.Add(c.ToString());
  seen.Add(::testing::PrintToString(c));
  seen.ExpectNoSecret();
  EXPECT_NE(c.ToString().find("AKIDLEAKTEST"), std::string::npos);
}

TEST(SecretsTest, MalformedProfileFilesNeverEchoTheirLines) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("moe_secrets_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string file = (dir / "credentials").string();
  Seen seen;
  // Each file is malformed on the line that holds the secret, or lacks half the pair.
  for (std::string text : {"aws_secret_access_key = " + std::string(kSecret) + "\n",
                           "[default\naws_secret_access_key = " + std::string(kSecret) + "\n",
                           "[default]\n" + std::string(kSecret) + "\n",
                           "[default]\naws_secret_access_key = " + std::string(kSecret) + "\n",
                           "[default] " + std::string(kSecret) + "\n"}) {
    std::ofstream(file, std::ios::trunc) << text;
    auto provider = NewProfileCredentialsProvider(
        [](std::string_view) -> std::optional<std::string> { return std::nullopt; },
        {.profile = "default", .credentials_file = file, .config_file = (dir / "none").string()});
    auto r = provider->GetCredentials();
    ASSERT_FALSE(r) << text;
    seen.Add(r.error());
    auto chain = NewDefaultCredentialsChain(
        [](std::string_view) -> std::optional<std::string> { return std::nullopt; },
        {.profile = "default", .credentials_file = file, .config_file = (dir / "none").string()});
    auto c = chain->GetCredentials();
    ASSERT_FALSE(c);
    seen.Add(c.error());
  }
  // The environment with half a pair.
  auto env =
      NewEnvironmentCredentialsProvider([](std::string_view name) -> std::optional<std::string> {
        if (name == "AWS_SECRET_ACCESS_KEY") return std::string(kSecret);
        return std::nullopt;
      });
  auto r = env->GetCredentials();
  ASSERT_FALSE(r);
  seen.Add(r.error());
  std::filesystem::remove_all(dir);
  EXPECT_EQ(seen.size(), 22u);
  seen.ExpectNoSecret();
}

TEST(SecretsTest, TlsVerificationIsOnByDefault) {
  EXPECT_TRUE(CurlOptions{}.verify_tls);
  EXPECT_TRUE(ClientOptions{}.http.verify_tls);
  EXPECT_GT(CurlOptions{}.connect_timeout.count(), 0);
  EXPECT_GT(CurlOptions{}.request_timeout.count(), 0);
  // No warning unless verification is turned off.
  ::testing::internal::CaptureStderr();
  { auto transport = NewCurlTransport({}); }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

// Against a real TLS server with a self-signed certificate (openssl
// s_server): the default transport refuses it; only verify_tls = false gets
// through, and that transport warns.
TEST(SecretsTest, TlsVerificationRefusesAnUntrustedCertificate) {
  if (std::system("openssl version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl";
  const std::string dir = ::testing::TempDir() + "moe_tls_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  std::string make_cert =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(make_cert.c_str()), 0);
  auto port = testing::FreePort();
  ASSERT_TRUE(port);
  auto server =
      testing::ServerProcess::Start({"openssl", "s_server", "-accept", std::to_string(*port),
                                     "-cert", cert, "-key", key, "-www", "-quiet"},
                                    *port, std::chrono::seconds(20));
  ASSERT_TRUE(server) << server.error().ToString();
  const std::string url = "https://127.0.0.1:" + std::to_string(*port) + "/";

  auto verifying = NewCurlTransport({.check_crc32 = false});
  Result<HttpResponse> refused = verifying->SendSync({.method = "GET", .url = url});
  ASSERT_FALSE(refused) << "an untrusted certificate was accepted: " << refused->status;
  EXPECT_EQ(refused.error().code(), ErrorCode::kNetwork) << refused.error().ToString();

  ::testing::internal::CaptureStderr();
  auto trusting = NewCurlTransport({.verify_tls = false, .check_crc32 = false});
  std::string warning = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(warning.find("verification is disabled"), std::string::npos) << warning;
  Result<HttpResponse> answered = trusting->SendSync({.method = "GET", .url = url});
  ASSERT_TRUE(answered) << answered.error().ToString();
  EXPECT_EQ(answered->status, 200);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace moe
