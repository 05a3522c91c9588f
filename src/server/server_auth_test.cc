// Signature verification, the Host check against DNS rebinding, CORS, and
// an interoperability check with curl.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "moe/clock.h"
#include "moe/server.h"
#include "moe/sigv4.h"
#include "server/test_client.h"

namespace moe::server {
namespace {

using testing::PostRequest;
using testing::RawResponse;
using testing::TestConnection;

Handler Echo() {
  return [](std::string_view op, std::string_view body) -> Result<std::string> {
    return std::string(op) + ":" + std::string(body);
  };
}

std::unique_ptr<Server> StartOrDie(ServerOptions options) {
  options.port = 0;
  testing::ApplyTestIo(&options);
  auto server = Server::Start(std::move(options), Echo());
  if (!server) ADD_FAILURE() << server.error().ToString();
  return server ? std::move(server).value() : nullptr;
}

std::optional<RawResponse> RoundTrip(int port, const std::string& raw) {
  TestConnection c(port);
  if (!c.Send(raw)) return std::nullopt;
  return c.Read();
}

// The request as it goes on the wire, headers in the order given.
std::string Serialize(const HttpRequest& req) {
  std::string raw = req.method + " / HTTP/1.1\r\n";
  for (const auto& [name, value] : req.headers) raw += name + ": " + value + "\r\n";
  raw += "Content-Length: " + std::to_string(req.body.size()) + "\r\n\r\n" + req.body;
  return raw;
}

class SignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.verify_signatures = true;
    o.clock = &server_clock_;
    o.secrets = [](std::string_view key) -> std::optional<std::string> {
      if (key == "AKIDLOCAL") return std::string("local-secret");
      return std::nullopt;
    };
    server_ = StartOrDie(o);
    ASSERT_NE(server_, nullptr);
  }

  std::string Signed(const Credentials& creds, Clock::TimePoint when) {
    HttpRequest req{.url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/",
                    .body = R"({"Limit":1})"};
    req.headers.push_back({"X-Amz-Target", "DynamoDB_20120810.ListTables"});
    req.headers.push_back({"Content-Type", "application/x-amz-json-1.0"});
    Status s = signer_.Sign(req, creds, when);
    EXPECT_TRUE(s) << s.error().ToString();
    return Serialize(req);
  }

  ManualClock server_clock_{ManualClock::FromUnixSeconds(1700000000)};
  sigv4::Signer signer_{"us-east-1", "dynamodb"};
  std::unique_ptr<Server> server_;
};

TEST_F(SignatureTest, SignedRequestPasses) {
  auto r =
      RoundTrip(server_->port(), Signed({"AKIDLOCAL", "local-secret", ""}, server_clock_.Now()));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, R"(ListTables:{"Limit":1})");
}

TEST_F(SignatureTest, WrongSecretIsInvalidSignature) {
  auto r = RoundTrip(server_->port(), Signed({"AKIDLOCAL", "wrong", ""}, server_clock_.Now()));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("#InvalidSignatureException"), std::string::npos) << r->body;
}

TEST_F(SignatureTest, UnknownKeyIsUnrecognizedClient) {
  auto r = RoundTrip(server_->port(), Signed({"AKIDOTHER", "x", ""}, server_clock_.Now()));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("#UnrecognizedClientException"), std::string::npos) << r->body;
}

TEST_F(SignatureTest, StaleDateIsSignatureExpired) {
  auto r = RoundTrip(server_->port(), Signed({"AKIDLOCAL", "local-secret", ""},
                                             server_clock_.Now() - std::chrono::minutes(20)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("#InvalidSignatureException"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("Signature expired"), std::string::npos) << r->body;
}

TEST_F(SignatureTest, TamperedBodyFails) {
  std::string raw = Signed({"AKIDLOCAL", "local-secret", ""}, server_clock_.Now());
  raw.replace(raw.find(R"({"Limit":1})"), 11, R"({"Limit":9})");
  auto r = RoundTrip(server_->port(), raw);
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("#InvalidSignatureException"), std::string::npos) << r->body;
}

TEST_F(SignatureTest, UnsignedIsMissingAuthenticationToken) {
  auto r = RoundTrip(server_->port(), PostRequest("ListTables", "{}"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("#MissingAuthenticationTokenException"), std::string::npos) << r->body;
  // The health check needs no signature.
  r = RoundTrip(server_->port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

std::string GetWithHost(std::string_view host) {
  return "GET / HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n";
}

TEST(HostCheckTest, LoopbackServerAcceptsOnlyLocalNames) {
  auto server = StartOrDie({});
  ASSERT_NE(server, nullptr);
  for (std::string_view host : {"localhost", "localhost:8000", "LOCALHOST:1", "127.0.0.1",
                                "127.0.0.1:8000", "[::1]", "[::1]:8000"}) {
    auto r = RoundTrip(server->port(), GetWithHost(host));
    ASSERT_TRUE(r) << host;
    EXPECT_EQ(r->status, 200) << host;
  }
  for (std::string_view host : {"evil.example", "evil.example:8000", "localhost.evil.example",
                                "127.0.0.1.nip.io", "localhost:80x", "[::1]x"}) {
    auto r = RoundTrip(server->port(), GetWithHost(host));
    ASSERT_TRUE(r) << host;
    EXPECT_EQ(r->status, 403) << host;
  }
  auto post = RoundTrip(server->port(),
                        "POST / HTTP/1.1\r\nHost: evil.example\r\nX-Amz-Target: "
                        "DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403);
}

TEST(HostCheckTest, CanBeTurnedOff) {
  ServerOptions o;
  o.check_host_header = false;
  auto server = StartOrDie(o);
  auto r = RoundTrip(server->port(), GetWithHost("evil.example"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(CorsTest, PreflightAndAllowOriginForListedOrigins) {
  ServerOptions o;
  o.cors_origins = {"http://app.example"};
  auto server = StartOrDie(o);
  auto pre = RoundTrip(server->port(),
                       "OPTIONS / HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example\r\n"
                       "Access-Control-Request-Method: POST\r\n"
                       "Access-Control-Request-Headers: x-amz-target, content-type\r\n\r\n");
  ASSERT_TRUE(pre);
  EXPECT_EQ(pre->status, 200);
  EXPECT_EQ(pre->Header("access-control-allow-origin"), "http://app.example");
  EXPECT_NE(pre->Header("access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_EQ(pre->Header("access-control-allow-headers"), "x-amz-target, content-type");

  auto denied = RoundTrip(server->port(),
                          "OPTIONS / HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil\r\n\r\n");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);

  auto post =
      RoundTrip(server->port(), PostRequest("ListTables", "{}", "Origin: http://app.example\r\n"));
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200);
  EXPECT_EQ(post->Header("access-control-allow-origin"), "http://app.example");
  EXPECT_NE(post->Header("access-control-expose-headers").find("x-amzn-RequestId"),
            std::string::npos);

  auto other =
      RoundTrip(server->port(), PostRequest("ListTables", "{}", "Origin: http://evil\r\n"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  EXPECT_EQ(other->Header("access-control-allow-origin"), "");
}

TEST(CorsTest, OffByDefault) {
  auto server = StartOrDie({});
  auto pre =
      RoundTrip(server->port(),
                "OPTIONS / HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example\r\n\r\n");
  ASSERT_TRUE(pre);
  EXPECT_EQ(pre->status, 405);
  auto post =
      RoundTrip(server->port(), PostRequest("ListTables", "{}", "Origin: http://app.example\r\n"));
  ASSERT_TRUE(post);
  EXPECT_EQ(post->Header("access-control-allow-origin"), "");
}

TEST(CurlTest, CurlTalksToTheServer) {
  if (!std::filesystem::exists("/usr/bin/curl")) GTEST_SKIP() << "no curl";
  auto server = StartOrDie({});
  std::string cmd =
      "/usr/bin/curl -s --max-time 10 -H 'X-Amz-Target: DynamoDB_20120810.ListTables'"
      " -H 'Content-Type: application/x-amz-json-1.0' -d '{}'"
      " http://localhost:" +
      std::to_string(server->port()) + "/ http://localhost:" + std::to_string(server->port()) + "/";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[256];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  EXPECT_EQ(::pclose(pipe), 0);
  EXPECT_EQ(out, "ListTables:{}ListTables:{}");
  EXPECT_EQ(server->stats().connections_accepted, 1u);  // curl reused the connection
}

}  // namespace
}  // namespace moe::server
