// Limits and protections: body size, timeouts, connection cap, concurrency.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "moe/server.h"
#include "server/test_client.h"

namespace moe::server {
namespace {

using std::chrono::milliseconds;
using testing::PostRequest;
using testing::TestConnection;

Handler Echo() {
  return [](std::string_view op, std::string_view body) -> Result<std::string> {
    return std::string(op) + ":" + std::string(body);
  };
}

std::unique_ptr<Server> StartOrDie(ServerOptions options, Handler handler = Echo()) {
  options.port = 0;
  testing::ApplyTestIo(&options);
  auto server = Server::Start(std::move(options), std::move(handler));
  if (!server) ADD_FAILURE() << server.error().ToString();
  return server ? std::move(server).value() : nullptr;
}

TEST(ServerLimitsTest, OversizedBodyIs413BeforeTheBodyIsSent) {
  ServerOptions o;
  o.max_body_bytes = 1000;
  auto server = StartOrDie(o);
  ASSERT_NE(server, nullptr);
  TestConnection c(server->port());
  // Only the head goes out; the answer must come without the body.
  std::string req = PostRequest("PutItem", std::string(1001, 'x'));
  ASSERT_TRUE(c.Send(std::string_view(req).substr(0, req.size() - 1001)));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("RequestEntityTooLarge"), std::string::npos) << r->body;
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_TRUE(c.WaitClosed());

  // At the limit is fine.
  TestConnection ok(server->port());
  ASSERT_TRUE(ok.Send(PostRequest("PutItem", std::string(1000, 'x'))));
  auto fine = ok.Read();
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

TEST(ServerLimitsTest, OversizedBodySentAnywayStillGets413) {
  ServerOptions o;
  o.max_body_bytes = 1000;
  auto server = StartOrDie(o);
  TestConnection c(server->port());
  c.Send(PostRequest("PutItem", std::string(200000, 'x')));  // may fail part-way
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST(ServerLimitsTest, IdleConnectionIsClosed) {
  ServerOptions o;
  o.idle_timeout = milliseconds(100);
  auto server = StartOrDie(o);
  TestConnection c(server->port());
  ASSERT_TRUE(c.Send(PostRequest("A", "{}")));
  ASSERT_TRUE(c.Read());
  EXPECT_TRUE(c.WaitClosed(std::chrono::seconds(10)));
  // A connection that never sends anything is closed too.
  TestConnection silent(server->port());
  EXPECT_TRUE(silent.WaitClosed(std::chrono::seconds(10)));
  EXPECT_GE(server->stats().timeouts, 2u);
}

TEST(ServerLimitsTest, SlowHeadersAreCutOff) {
  ServerOptions o;
  o.request_timeout = milliseconds(200);
  auto server = StartOrDie(o);
  TestConnection c(server->port());
  std::string req = PostRequest("A", "{}", "X-Pad: " + std::string(2000, 'p') + "\r\n");
  bool cut = false;
  // One byte every 5 ms would take over 10 s; the server must not wait that long.
  for (char ch : req) {
    if (!c.Send(std::string_view(&ch, 1))) {
      cut = true;
      break;
    }
    pollfd p{c.fd(), POLLIN, 0};
    if (::poll(&p, 1, 5) > 0) {
      cut = true;
      break;
    }
  }
  ASSERT_TRUE(cut) << "the whole slow request was accepted";
  auto r = c.Read();
  if (r) {
    EXPECT_EQ(r->status, 408);
  }
  EXPECT_TRUE(c.WaitClosed());
}

TEST(ServerLimitsTest, SlowBodyIsCutOff) {
  ServerOptions o;
  o.request_timeout = milliseconds(200);
  auto server = StartOrDie(o);
  TestConnection c(server->port());
  std::string req = PostRequest("A", std::string(10, 'b'));
  ASSERT_TRUE(c.Send(std::string_view(req).substr(0, req.size() - 5)));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(c.WaitClosed());
}

TEST(ServerLimitsTest, ManyConcurrentConnections) {
  auto server = StartOrDie({});
  constexpr int kClients = 200;
  constexpr int kRequests = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  // Connect everything first so all 200 connections are open at once.
  std::vector<std::unique_ptr<TestConnection>> conns;
  for (int i = 0; i < kClients; ++i) {
    conns.push_back(std::make_unique<TestConnection>(server->port()));
    ASSERT_TRUE(conns.back()->ok()) << i;
  }
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      TestConnection& c = *conns[i];
      for (int j = 0; j < kRequests; ++j) {
        std::string body = std::to_string(i) + "/" + std::to_string(j);
        if (!c.Send(PostRequest("Op", body))) return;
        auto r = c.Read();
        if (!r || r->status != 200 || r->body != "Op:" + body) return;
        ok.fetch_add(1);
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  EXPECT_EQ(server->stats().requests, uint64_t{kClients * kRequests});
  EXPECT_EQ(server->stats().connections_open, uint64_t{kClients});
}

TEST(ServerLimitsTest, SeveralLoopThreads) {
  ServerOptions o;
  o.threads = 4;
  auto server = StartOrDie(o);
  ASSERT_NE(server, nullptr);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 32; ++i) {
    clients.emplace_back([&] {
      TestConnection c(server->port());
      for (int j = 0; j < 20; ++j) {
        if (!c.Send(PostRequest("Op", "x") + PostRequest("Op", "y"))) return;
        auto a = c.Read();
        auto b = c.Read();
        if (a && b && a->body == "Op:x" && b->body == "Op:y") ok.fetch_add(1);
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), 32 * 20);
}

TEST(ServerLimitsTest, PipelinedFloodWithoutReadingIsAnsweredInFull) {
  // Responses far over the output high-water mark: the server must stop
  // reading, wait for the client, and then answer everything, in order,
  // even though the client half-closes right after sending.
  Handler big = [](std::string_view op, std::string_view) -> Result<std::string> {
    return std::string(op) + std::string(64 * 1024, '.');
  };
  auto server = StartOrDie({}, big);
  TestConnection c(server->port());
  constexpr int kRequests = 100;
  std::string all;
  for (int i = 0; i < kRequests; ++i) all += PostRequest("Op" + std::to_string(i), "{}");
  std::thread writer([&] {
    EXPECT_TRUE(c.Send(all));
    ::shutdown(c.fd(), SHUT_WR);
  });
  std::this_thread::sleep_for(milliseconds(50));  // let the output back up
  int answered = 0;
  for (int i = 0; i < kRequests; ++i) {
    auto r = c.Read();
    if (!r) break;
    EXPECT_TRUE(r->body.starts_with("Op" + std::to_string(i) + ".")) << i;
    ++answered;
  }
  writer.join();
  EXPECT_EQ(answered, kRequests);
  EXPECT_TRUE(c.WaitClosed());
}

TEST(ServerLimitsTest, MaxConnectionsIsEnforced) {
  ServerOptions o;
  o.max_connections = 2;
  auto server = StartOrDie(o);
  auto a = std::make_unique<TestConnection>(server->port());
  TestConnection b(server->port());
  for (TestConnection* c : {a.get(), &b}) {
    ASSERT_TRUE(c->Send(PostRequest("A", "{}")));
    ASSERT_TRUE(c->Read());
  }
  TestConnection third(server->port());
  ASSERT_TRUE(third.ok());          // the kernel completes the handshake...
  EXPECT_TRUE(third.WaitClosed());  // ...and the server closes it at once
  EXPECT_GE(server->stats().connections_rejected, 1u);

  // Room again once one closes; the server notices the close asynchronously.
  a.reset();
  bool served = false;
  for (int attempt = 0; attempt < 200 && !served; ++attempt) {
    TestConnection again(server->port());
    served = again.Send(PostRequest("A", "{}")) && again.Read(milliseconds(500)).has_value();
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace moe::server
