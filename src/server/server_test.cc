// The server's protocol: routing, DynamoDB headers, keep-alive and
// pipelining, error mapping.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "moe/model.h"
#include "moe/server.h"
#include "server/io_batch.h"
#include "server/test_client.h"

namespace moe::server {
namespace {

using testing::Crc32;
using testing::PostRequest;
using testing::RawResponse;
using testing::TestConnection;

// Records each call and answers {"op":"<op>","n":<body size>} unless told otherwise.
struct Recorder {
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> calls;

  Handler AsHandler() {
    return [this](std::string_view op, std::string_view body) -> Result<std::string> {
      std::lock_guard<std::mutex> lock(mu);
      calls.emplace_back(op, body);
      if (op == "Fail") {
        return Error(ErrorCode::kConditionalCheckFailed, "The conditional request failed");
      }
      if (op == "Throw") throw std::runtime_error("boom");
      if (op == "Local") return Error(ErrorCode::kNetwork, "client-side code");
      return "{\"op\":\"" + std::string(op) + "\",\"n\":" + std::to_string(body.size()) + "}";
    };
  }
};

std::unique_ptr<Server> StartOrDie(ServerOptions options, Handler handler) {
  options.port = 0;
  testing::ApplyTestIo(&options);
  auto server = Server::Start(std::move(options), std::move(handler));
  if (!server) ADD_FAILURE() << server.error().ToString();
  return server ? std::move(server).value() : nullptr;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = StartOrDie({}, recorder_.AsHandler());
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(server_->port(), 0);
  }
  Recorder recorder_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, PostCallsHandlerWithOperationAndBody) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.Send(PostRequest("PutItem", R"({"TableName":"t"})")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"op":"PutItem","n":17})");
  EXPECT_EQ(r->Header("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(r->Header("x-amz-crc32"), Crc32(r->body));
  EXPECT_EQ(r->Header("x-amzn-requestid").size(), 52u);
  EXPECT_FALSE(r->Header("date").empty());
  ASSERT_EQ(recorder_.calls.size(), 1u);
  EXPECT_EQ(recorder_.calls[0].first, "PutItem");
  EXPECT_EQ(recorder_.calls[0].second, R"({"TableName":"t"})");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsWithUniqueIds) {
  TestConnection c(server_->port());
  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(c.Send(PostRequest("GetItem", std::string(i, 'x'))));
    auto r = c.Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{\"op\":\"GetItem\",\"n\":" + std::to_string(i) + "}");
    ids.insert(r->Header("x-amzn-requestid"));
  }
  EXPECT_EQ(ids.size(), 10u);
}

TEST_F(ServerTest, TwoRequestsInOneWrite) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send(PostRequest("A", "{}") + PostRequest("B", "[1]")));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, R"({"op":"A","n":2})");
  EXPECT_EQ(b->body, R"({"op":"B","n":3})");
}

TEST_F(ServerTest, RequestSplitByteByByte) {
  TestConnection c(server_->port());
  std::string req = PostRequest("Query", R"({"k":"v"})") + PostRequest("Scan", "{}");
  for (char ch : req) ASSERT_TRUE(c.Send(std::string_view(&ch, 1)));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, R"({"op":"Query","n":9})");
  EXPECT_EQ(b->body, R"({"op":"Scan","n":2})");
  ASSERT_EQ(recorder_.calls.size(), 2u);
  EXPECT_EQ(recorder_.calls[0].second, R"({"k":"v"})");
}

TEST_F(ServerTest, LargeBodyInManyPieces) {
  TestConnection c(server_->port());
  std::string body(3 * 1024 * 1024, 'z');
  std::string req = PostRequest("BatchWriteItem", body);
  for (size_t at = 0; at < req.size(); at += 100000) {
    ASSERT_TRUE(c.Send(std::string_view(req).substr(at, 100000)));
  }
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"op\":\"BatchWriteItem\",\"n\":" + std::to_string(body.size()) + "}");
  EXPECT_EQ(recorder_.calls.at(0).second, body);
}

TEST_F(ServerTest, ExpectContinueGetsInterimAnswer) {
  TestConnection c(server_->port());
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n"
             "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  // The interim answer arrives before the body is sent.
  std::string head(64, '\0');
  ASSERT_GT(::recv(c.fd(), head.data(), head.size(), 0), 0);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 100 Continue\r\n\r\n"));
  ASSERT_TRUE(c.Send("{}"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, HealthCheck) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: localhost:8000\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "healthy: dynamodb.us-east-1.amazonaws.com ");
}

TEST_F(ServerTest, UnknownPathAndMethod) {
  TestConnection c(server_->port());
  ASSERT_TRUE(
      c.Send("GET /tables HTTP/1.1\r\nHost: localhost\r\n\r\n"
             "DELETE / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 404);
  EXPECT_FALSE(a->body.empty());
  EXPECT_EQ(b->status, 405);
  EXPECT_EQ(b->Header("allow"), "GET, POST");
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ServerTest, UnknownTargetIsUnknownOperation) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send(PostRequest("", "{}")));
  ASSERT_TRUE(
      c.Send(PostRequest("", "{}", "X-Amz-Target: DynamoDBStreams_20120810.GetRecords\r\n")));
  for (int i = 0; i < 2; ++i) {
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find(R"("__type":"com.amazon.coral.service#UnknownOperationException")"),
              std::string::npos)
        << r->body;
    EXPECT_EQ(r->Header("x-amz-crc32"), Crc32(r->body));
  }
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ServerTest, HandlerErrorMapsToDynamoDbError) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send(PostRequest("Fail", "{}")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  Error e(ErrorCode::kConditionalCheckFailed, "The conditional request failed");
  EXPECT_EQ(r->body, ErrorToJson(e));
  EXPECT_NE(r->body.find("ConditionalCheckFailedException"), std::string::npos);
  EXPECT_EQ(r->Header("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(r->Header("x-amzn-requestid").size(), 52u);
  // The connection survives an error answer.
  ASSERT_TRUE(c.Send(PostRequest("Ok", "{}")));
  ASSERT_TRUE(c.Read());
}

TEST_F(ServerTest, HandlerExceptionAndClientCodesBecome500) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send(PostRequest("Throw", "{}") + PostRequest("Local", "{}")));
  for (int i = 0; i < 2; ++i) {
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
  }
}

TEST_F(ServerTest, ConnectionCloseIsHonored) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send(PostRequest("A", "{}", "Connection: close\r\n")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, HalfClosedClientStillGetsAnswers) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send(PostRequest("A", "{}") + PostRequest("B", "{}")));
  ::shutdown(c.fd(), SHUT_WR);
  ASSERT_TRUE(c.Read());
  ASSERT_TRUE(c.Read());
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  TestConnection c(server_->port());
  ASSERT_TRUE(c.Send("NOT HTTP AT ALL\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, ChunkedBodyIsRefused) {
  TestConnection c(server_->port());
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
             "X-Amz-Target: DynamoDB_20120810.PutItem\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 411);
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ServerTest, OversizedHeadIs431) {
  TestConnection c(server_->port());
  std::string big = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + std::string(70000, 'p');
  c.Send(big);  // the server may close before all of it is sent
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(c.WaitClosed());
}

TEST(ServerStartTest, RejectsBadOptions) {
  Handler h = [](std::string_view, std::string_view) -> Result<std::string> { return ""; };
  ServerOptions o;
  o.threads = 0;
  EXPECT_EQ(Server::Start(o, h).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Server::Start({}, nullptr).error().code(), ErrorCode::kInvalidArgument);
  for (int i = 0; i < 5; ++i) {
    ServerOptions bad;
    bad.port = 0;
    if (i == 0) bad.max_connections = 0;
    if (i == 1) bad.max_body_bytes = 0;
    if (i == 2) bad.idle_timeout = std::chrono::milliseconds(0);
    if (i == 3) bad.request_timeout = std::chrono::milliseconds(-1);
    if (i == 4) bad.verify_signatures = true;  // and no secrets
    auto server = Server::Start(bad, h);
    ASSERT_FALSE(server) << "case " << i;
    EXPECT_EQ(server.error().code(), ErrorCode::kInvalidArgument) << "case " << i;
  }
  ServerOptions bad_host;
  bad_host.host = "no.such.host.invalid";
  bad_host.port = 0;
  EXPECT_EQ(Server::Start(bad_host, h).error().code(), ErrorCode::kIo);
}

TEST(ServerIoTest, BatchesWithIoUringWhereTheKernelAllows) {
  Handler h = [](std::string_view, std::string_view) -> Result<std::string> { return "{}"; };
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.io_uring = false;
  auto plain = Server::Start(o, h);
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)->stats().io_uring_loops, 0);
  o.io_uring = true;
  auto batched = Server::Start(o, h);
  ASSERT_TRUE(batched);
  if (internal::IoBatch::Create(256) == nullptr) {
    EXPECT_EQ((*batched)->stats().io_uring_loops, 0);
    GTEST_SKIP() << "this kernel refuses io_uring; the server fell back to recv and send";
  }
  EXPECT_EQ((*batched)->stats().io_uring_loops, 2);
}

// Many connections in one round, each with answers larger than a socket
// buffer: batched writes come back short and the rest goes out on EPOLLOUT,
// in order, on every connection.
TEST(ServerIoTest, LargeAnswersOnManyConnectionsArriveWhole) {
  Handler h = [](std::string_view, std::string_view body) -> Result<std::string> {
    size_t n = std::stoul(std::string(body));
    std::string out(n, 'a');
    for (size_t i = 0; i < n; i += 4096) out[i] = static_cast<char>('a' + (i / 4096) % 26);
    return out;
  };
  auto server = StartOrDie({}, h);
  ASSERT_NE(server, nullptr);
  constexpr int kConnections = 12;
  constexpr int kRequests = 3;
  std::vector<std::unique_ptr<TestConnection>> conns;
  for (int i = 0; i < kConnections; ++i) {
    conns.push_back(std::make_unique<TestConnection>(server->port()));
    ASSERT_TRUE(conns.back()->ok());
  }
  auto size_of = [](int conn, int req) { return 200'000 + conn * 7'919 + req * 104'729; };
  // Every connection pipelines all its requests before anyone reads.
  for (int i = 0; i < kConnections; ++i) {
    std::string pipelined;
    for (int r = 0; r < kRequests; ++r)
      pipelined += PostRequest("Big", std::to_string(size_of(i, r)));
    ASSERT_TRUE(conns[i]->Send(pipelined));
  }
  for (int i = 0; i < kConnections; ++i) {
    for (int r = 0; r < kRequests; ++r) {
      auto resp = conns[i]->Read();
      ASSERT_TRUE(resp) << "connection " << i << " request " << r;
      EXPECT_EQ(resp->status, 200);
      ASSERT_EQ(resp->body.size(), static_cast<size_t>(size_of(i, r)));
      EXPECT_EQ(resp->Header("x-amz-crc32"), Crc32(resp->body));
    }
  }
  EXPECT_EQ(server->stats().requests, static_cast<uint64_t>(kConnections * kRequests));
}

TEST(ServerStartTest, ServesIpv6Loopback) {
  Handler h = [](std::string_view op, std::string_view) -> Result<std::string> {
    return std::string(op);
  };
  ServerOptions o;
  o.host = "::1";
  o.port = 0;
  auto server = Server::Start(o, h);
  if (!server) GTEST_SKIP() << "no IPv6 loopback: " << server.error().ToString();
  TestConnection c((*server)->port(), /*ipv6=*/true);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: [::1]:1\r\nX-Amz-Target: DynamoDB_20120810.X\r\n"
             "Content-Length: 0\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "X");
}

TEST(ServerStartTest, PortInUseIsIo) {
  Handler h = [](std::string_view, std::string_view) -> Result<std::string> { return ""; };
  ServerOptions o;
  o.port = 0;
  auto first = Server::Start(o, h);
  ASSERT_TRUE(first);
  o.port = (*first)->port();
  auto second = Server::Start(o, h);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kIo);
}

TEST(ServerStartTest, StopClosesOpenConnectionsAndIsIdempotent) {
  Handler h = [](std::string_view, std::string_view) -> Result<std::string> { return "{}"; };
  ServerOptions o;
  o.port = 0;
  auto server = Server::Start(o, h);
  ASSERT_TRUE(server);
  TestConnection c((*server)->port());
  ASSERT_TRUE(c.Send(PostRequest("A", "{}")));
  ASSERT_TRUE(c.Read());
  (*server)->Stop();
  EXPECT_TRUE(c.WaitClosed());
  (*server)->Stop();
  TestConnection after((*server)->port());
  EXPECT_FALSE(after.ok());
}

}  // namespace
}  // namespace moe::server
