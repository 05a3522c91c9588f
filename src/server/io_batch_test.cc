#include "server/io_batch.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace moe::server::internal {
namespace {

// A connected pair of non-blocking stream sockets, closed at scope exit.
struct SocketPair {
  SocketPair() {
    int fds[2];
    ok = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0;
    if (ok) {
      a = fds[0];
      b = fds[1];
    }
  }
  ~SocketPair() {
    if (a >= 0) close(a);
    if (b >= 0) close(b);
  }
  bool ok = false;
  int a = -1;
  int b = -1;
};

class IoBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    batch_ = IoBatch::Create(8);
    if (batch_ == nullptr)
      GTEST_SKIP() << "no io_uring batching here (refused, or receives that wait)";
  }
  std::unique_ptr<IoBatch> batch_;
};

TEST_F(IoBatchTest, SendsAndReceivesInQueueOrder) {
  SocketPair p1, p2;
  ASSERT_TRUE(p1.ok && p2.ok);
  batch_->Send(p1.a, "hello", 5);
  batch_->Send(p2.a, "world!", 6);
  auto sent = batch_->Run();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0], 5);
  EXPECT_EQ(sent[1], 6);

  char one[16], two[16];
  batch_->Recv(p2.b, two, sizeof two);
  batch_->Recv(p1.b, one, sizeof one);
  auto got = batch_->Run();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(std::string(two, got[0]), "world!");
  EXPECT_EQ(std::string(one, got[1]), "hello");
  EXPECT_FALSE(batch_->broken());
}

// The loop's contract: nothing waits. A read with no data and a write into
// a full buffer answer -EAGAIN at once (a test that would hang otherwise).
TEST_F(IoBatchTest, NeverWaits) {
  SocketPair p;
  ASSERT_TRUE(p.ok);
  char buf[64];
  batch_->Recv(p.b, buf, sizeof buf);
  auto r = batch_->Run();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], -EAGAIN);

  std::string chunk(1 << 16, 'x');
  size_t total = 0;
  for (int i = 0; i < 1000; ++i) {
    batch_->Send(p.a, chunk.data(), chunk.size());
    int n = batch_->Run()[0];
    if (n == -EAGAIN) break;
    ASSERT_GT(n, 0);
    total += static_cast<size_t>(n);
  }
  EXPECT_GT(total, 0u);
  batch_->Send(p.a, chunk.data(), chunk.size());
  EXPECT_EQ(batch_->Run()[0], -EAGAIN);
}

TEST_F(IoBatchTest, ErrorsComeBackAsNegativeErrno) {
  SocketPair p;
  ASSERT_TRUE(p.ok);
  close(p.b);
  p.b = -1;
  char buf[8];
  batch_->Send(p.a, "x", 1);  // peer gone: EPIPE, and no SIGPIPE kills the test
  batch_->Recv(p.a, buf, sizeof buf);
  batch_->Recv(1'000'000, buf, sizeof buf);  // not a descriptor
  auto r = batch_->Run();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], -EPIPE);
  EXPECT_EQ(r[1], 0);  // end of stream
  EXPECT_EQ(r[2], -EBADF);
  EXPECT_FALSE(batch_->broken());
}

// A refused submission loses nothing: each operation says it never ran.
TEST_F(IoBatchTest, RefusedOperationsReportCanceledAndNeverRun) {
  SocketPair p;
  ASSERT_TRUE(p.ok);
  batch_->BreakForTesting();
  batch_->Send(p.a, "lost?", 5);
  char buf[8];
  batch_->Recv(p.b, buf, sizeof buf);
  auto r = batch_->Run();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], -ECANCELED);
  EXPECT_EQ(r[1], -ECANCELED);
  EXPECT_TRUE(batch_->broken());
  EXPECT_EQ(recv(p.b, buf, sizeof buf, MSG_DONTWAIT), -1);  // the send never happened
  EXPECT_EQ(errno, EAGAIN);
}

TEST_F(IoBatchTest, FullCapacityRoundsRepeat) {
  std::vector<std::unique_ptr<SocketPair>> pairs;
  for (int i = 0; i < 8; ++i) pairs.push_back(std::make_unique<SocketPair>());
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 8; ++i) batch_->Send(pairs[i]->a, "abc", 3);
    auto r = batch_->Run();
    ASSERT_EQ(r.size(), 8u);
    for (int n : r) ASSERT_EQ(n, 3);
    char buf[8][4];
    for (int i = 0; i < 8; ++i) batch_->Recv(pairs[i]->b, buf[i], sizeof buf[i]);
    r = batch_->Run();
    for (int i = 0; i < 8; ++i) {
      ASSERT_EQ(r[i], 3);
      ASSERT_EQ(std::string(buf[i], 3), "abc");
    }
  }
  EXPECT_TRUE(batch_->Run().empty());  // nothing queued
}

}  // namespace
}  // namespace moe::server::internal
