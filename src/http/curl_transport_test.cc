#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/test_server.h"
#include "moe/transport.h"

namespace moe {
namespace {

using moe::testing::HttpTestServer;

HttpResponse Echo(const HttpRequest& req) {
  HttpResponse res{.status = 200, .body = req.body};
  res.headers.push_back({"X-Method", req.method});
  for (const auto& [name, value] : req.headers) {
    if (name == "x-custom") res.headers.push_back({"X-Echo-Custom", value});
    if (name == "content-type") res.headers.push_back({"X-Echo-Content-Type", value});
    if (name == "expect") res.headers.push_back({"X-Echo-Expect", value});
  }
  return res;
}

// Collects async results; Wait() blocks until `n` callbacks have run.
class Collector {
 public:
  Transport::Callback Slot(size_t index) {
    {
      std::lock_guard lock(mu_);
      if (results_.size() <= index) results_.resize(index + 1);
    }
    return [this, index](Result<HttpResponse> r) {
      std::lock_guard lock(mu_);
      results_[index].push_back(std::move(r));
      ++done_;
      cv_.notify_all();
    };
  }
  void Wait(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return done_ >= n; });
  }
  std::vector<std::vector<Result<HttpResponse>>>& results() { return results_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int done_ = 0;
  std::vector<std::vector<Result<HttpResponse>>> results_;
};

TEST(CurlTransportTest, RoundTripsMethodHeadersAndBody) {
  HttpTestServer server(Echo);
  auto transport = NewCurlTransport({});
  HttpRequest req{.url = server.url(), .body = "{\"TableName\":\"t\"}"};
  req.headers.push_back({"X-Custom", "hello world"});
  req.headers.push_back({"Content-Type", "application/x-amz-json-1.0"});
  Result<HttpResponse> res = transport->SendSync(req);
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, req.body);
  EXPECT_EQ(res->Header("x-method"), "POST");
  EXPECT_EQ(res->Header("x-echo-custom"), "hello world");
  EXPECT_EQ(res->Header("x-echo-content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(res->Header("x-echo-expect"), "");
  // Names arrive lower-cased.
  for (const auto& [name, value] : res->headers) {
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  }

  HttpRequest get{.method = "GET", .url = server.url() + "path?x=1"};
  res = transport->SendSync(get);
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->Header("x-method"), "GET");
  EXPECT_EQ(res->body, "");

  HttpRequest put{.method = "PUT", .url = server.url(), .body = "payload"};
  res = transport->SendSync(put);
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->Header("x-method"), "PUT");
  EXPECT_EQ(res->body, "payload");
}

TEST(CurlTransportTest, LargeBodyHasNoExpectContinue) {
  HttpTestServer server(Echo);
  auto transport = NewCurlTransport({});
  HttpRequest req{.url = server.url(), .body = std::string(3 << 20, 'x')};
  Result<HttpResponse> res = transport->SendSync(req);
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->body.size(), req.body.size());
  EXPECT_EQ(res->Header("x-echo-expect"), "");
}

TEST(CurlTransportTest, NonSuccessStatusIsAResponse) {
  HttpTestServer server([](const HttpRequest&) {
    return HttpResponse{.status = 400, .body = "{\"__type\":\"x#ValidationException\"}"};
  });
  auto transport = NewCurlTransport({});
  Result<HttpResponse> res = transport->SendSync({.url = server.url()});
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->status, 400);
}

TEST(CurlTransportTest, ConcurrentRequestsFromManyThreads) {
  HttpTestServer server(Echo);
  auto transport = NewCurlTransport({});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  Collector collector;
  for (int i = 0; i < kThreads * kPerThread; ++i) (void)collector.Slot(i);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int index = t * kPerThread + i;
        transport->Send({.url = server.url(), .body = "body-" + std::to_string(index)},
                        collector.Slot(index));
      }
    });
  }
  for (auto& t : threads) t.join();
  collector.Wait(kThreads * kPerThread);
  for (int i = 0; i < kThreads * kPerThread; ++i) {
    auto& got = collector.results()[i];
    ASSERT_EQ(got.size(), 1u);
    ASSERT_TRUE(got[0]) << got[0].error().ToString();
    EXPECT_EQ(got[0]->body, "body-" + std::to_string(i));
  }
  EXPECT_LE(server.connections_accepted(), 64);
}

TEST(CurlTransportTest, SequentialRequestsReuseTheConnection) {
  HttpTestServer server(Echo);
  auto transport = NewCurlTransport({});
  for (int i = 0; i < 100; ++i) {
    Result<HttpResponse> res = transport->SendSync({.url = server.url(), .body = "x"});
    ASSERT_TRUE(res) << res.error().ToString();
  }
  EXPECT_EQ(server.requests_received(), 100);
  EXPECT_LE(server.connections_accepted(), 2);
}

TEST(CurlTransportTest, SendFromInsideACallback) {
  HttpTestServer server(Echo);
  auto transport = NewCurlTransport({});
  Collector collector;
  auto second = collector.Slot(0);
  transport->Send({.url = server.url(), .body = "first"}, [&](Result<HttpResponse> r) {
    ASSERT_TRUE(r);
    transport->Send({.url = server.url(), .body = r->body + "+second"}, std::move(second));
  });
  collector.Wait(1);
  ASSERT_TRUE(collector.results()[0][0]);
  EXPECT_EQ(collector.results()[0][0]->body, "first+second");
}

TEST(CurlTransportTest, ConnectionRefusedIsNetworkError) {
  int port;
  {
    HttpTestServer server(Echo);
    port = server.port();
  }  // stopped: nothing listens there now
  auto transport = NewCurlTransport({});
  Result<HttpResponse> res =
      transport->SendSync({.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::kNetwork) << res.error().ToString();
  EXPECT_TRUE(res.error().retryable());
}

TEST(CurlTransportTest, ConnectionResetIsNetworkError) {
  HttpTestServer server(Echo);
  server.set_mode(HttpTestServer::Mode::kReset);
  auto transport = NewCurlTransport({});
  Result<HttpResponse> res = transport->SendSync({.url = server.url(), .body = "x"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::kNetwork) << res.error().ToString();
}

TEST(CurlTransportTest, UnsupportedSchemeIsInvalidArgument) {
  auto transport = NewCurlTransport({});
  Result<HttpResponse> res = transport->SendSync({.url = "nosuchscheme://127.0.0.1/"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::kInvalidArgument) << res.error().ToString();
}

TEST(CurlTransportTest, ServerThatNeverAnswersTimesOut) {
  HttpTestServer server(Echo);
  server.set_mode(HttpTestServer::Mode::kHang);
  auto transport = NewCurlTransport({.request_timeout = std::chrono::milliseconds(200)});
  Result<HttpResponse> res = transport->SendSync({.url = server.url(), .body = "x"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::kTimeout) << res.error().ToString();
  EXPECT_TRUE(res.error().retryable());
}

// A listener whose accept queue is full drops new SYNs, so the connection
// never completes: the connect timeout (not the 60 s request timeout) ends it.
TEST(CurlTransportTest, ConnectThatNeverCompletesTimesOut) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  // Fill the queue (never accepted) until a connect stays pending.
  std::vector<int> fillers;
  bool pending = false;
  for (int i = 0; i < 8 && !pending; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ASSERT_GE(fd, 0);
    fillers.push_back(fd);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) continue;
    ASSERT_EQ(errno, EINPROGRESS);
    pollfd p{fd, POLLOUT, 0};
    pending = ::poll(&p, 1, 200) == 0;  // still connecting: the queue is full
  }
  if (!pending) {
    for (int fd : fillers) ::close(fd);
    ::close(listener);
    GTEST_SKIP() << "this kernel completes connects to a full accept queue";
  }
  auto transport = NewCurlTransport({.connect_timeout = std::chrono::milliseconds(300),
                                     .request_timeout = std::chrono::seconds(60)});
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  Result<HttpResponse> res = transport->SendSync({.url = url, .body = "x"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::kTimeout) << res.error().ToString();
  EXPECT_TRUE(res.error().retryable());
  // curl names the phase: the connection, not the whole operation.
  EXPECT_NE(res.error().message().find("onnect"), std::string::npos) << res.error().message();
  for (int fd : fillers) ::close(fd);
  ::close(listener);
}

TEST(CurlTransportTest, SlowServerTimesOut) {
  HttpTestServer server(Echo);
  server.set_delay(std::chrono::seconds(30));  // cut short by the server's Stop()
  auto transport = NewCurlTransport({.request_timeout = std::chrono::milliseconds(200)});
  Result<HttpResponse> res = transport->SendSync({.url = server.url(), .body = "x"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::kTimeout) << res.error().ToString();
}

TEST(CurlTransportTest, Crc32MismatchIsBadResponse) {
  HttpTestServer server(Echo);
  server.set_crc32(HttpTestServer::Crc32::kWrong);
  auto transport = NewCurlTransport({});
  Result<HttpResponse> res = transport->SendSync({.url = server.url(), .body = "some body"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::kBadResponse);
  EXPECT_NE(res.error().message().find("CRC32 mismatch"), std::string::npos)
      << res.error().message();
  EXPECT_TRUE(res.error().retryable());

  auto unchecked = NewCurlTransport({.check_crc32 = false});
  res = unchecked->SendSync({.url = server.url(), .body = "some body"});
  ASSERT_TRUE(res) << res.error().ToString();
}

TEST(CurlTransportTest, CorrectCrc32Passes) {
  HttpTestServer server(Echo);
  server.set_crc32(HttpTestServer::Crc32::kCorrect);
  auto transport = NewCurlTransport({});
  Result<HttpResponse> res = transport->SendSync({.url = server.url(), .body = "some body"});
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->body, "some body");
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>("some body"), 9);
  EXPECT_EQ(res->Header("x-amz-crc32"), std::to_string(crc));
}

TEST(CurlTransportTest, DestructionCompletesInFlightRequestsOnce) {
  // The handler blocks until released, so every request is in flight (read by
  // the server, unanswered) when the transport is destroyed.
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  bool release = false;
  HttpTestServer server([&](const HttpRequest& req) {
    std::unique_lock lock(mu);
    ++arrived;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return Echo(req);
  });
  constexpr int kRequests = 10;
  Collector collector;
  {
    auto transport = NewCurlTransport({});
    for (int i = 0; i < kRequests; ++i) transport->Send({.url = server.url()}, collector.Slot(i));
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return arrived == kRequests; });
  }
  for (int i = 0; i < kRequests; ++i) {
    auto& got = collector.results()[i];
    ASSERT_EQ(got.size(), 1u) << i;
    ASSERT_FALSE(got[0]);
    EXPECT_EQ(got[0].error().code(), ErrorCode::kNetwork);
    EXPECT_EQ(got[0].error().message(), "transport shut down");
  }
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
}

TEST(CurlTransportTest, DestructionCompletesQueuedRequestsOnce) {
  HttpTestServer server(Echo);
  server.set_mode(HttpTestServer::Mode::kHang);
  constexpr int kRequests = 100;
  Collector collector;
  {
    auto transport = NewCurlTransport({.max_connections_per_host = 2});
    for (int i = 0; i < kRequests; ++i) transport->Send({.url = server.url()}, collector.Slot(i));
  }
  for (int i = 0; i < kRequests; ++i) {
    auto& got = collector.results()[i];
    ASSERT_EQ(got.size(), 1u) << i;
    if (!got[0]) {
      EXPECT_EQ(got[0].error().code(), ErrorCode::kNetwork);
    }
  }
}

TEST(CurlTransportTest, VerifyTlsOffStillServesPlainHttp) {
  HttpTestServer server(Echo);
  auto transport = NewCurlTransport({.verify_tls = false});
  Result<HttpResponse> res = transport->SendSync({.url = server.url(), .body = "x"});
  ASSERT_TRUE(res) << res.error().ToString();
}

TEST(HttpResponseTest, HeaderFindsFirstMatchIgnoringCase) {
  HttpResponse res;
  res.headers = {{"a", "1"}, {"x-amz-crc32", "5"}, {"x-amz-crc32", "6"}};
  EXPECT_EQ(res.Header("x-amz-crc32"), "5");
  EXPECT_EQ(res.Header("X-Amz-Crc32"), "5");
  EXPECT_EQ(res.Header("missing"), "");
}

}  // namespace
}  // namespace moe
