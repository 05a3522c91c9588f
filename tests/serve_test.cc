// `moe serve` through the binary: where --verify-signatures takes its key
// pair (and that it refuses to start without one), the limit flags (body
// cap, connection cap, idle and request timeouts) with their validation, and
// CORS only when asked for. The server's own tests (src/server) cover the
// mechanisms; these check that the command line reaches them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "moe/clock.h"
#include "moe/sigv4.h"
#include "server/test_client.h"
#include "testing/server_process.h"

namespace moe {
namespace {

using server::testing::PostRequest;
using server::testing::RawResponse;
using server::testing::TestConnection;
using std::chrono::milliseconds;

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` through the shell with a clean environment plus `env`
// (so no developer credentials leak in), bounded by `timeout` so that a
// server which starts when it should have refused fails the test instead of
// hanging it (exit code 124).
Outcome RunMoe(const std::string& env, const std::string& args) {
  std::string cmd = "timeout 20 env -i PATH=/usr/bin:/bin HOME=/nonexistent " + env + " " +
                    MOE_BINARY + " " + args + " 2>&1";
  Outcome run;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return run;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) run.output.append(buf.data(), n);
  int status = ::pclose(p);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// `moe serve --port <free> ARGS...` under `env -i` with `env` (NAME=value
// words), started and waited for.
std::unique_ptr<testing::ServerProcess> Serve(std::vector<std::string> env,
                                              std::vector<std::string> args) {
  auto port = testing::FreePort();
  if (!port) {
    ADD_FAILURE() << port.error().ToString();
    return nullptr;
  }
  std::vector<std::string> argv = {"env", "-i", "PATH=/usr/bin:/bin", "HOME=/nonexistent"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), {MOE_BINARY, "serve", "--port", std::to_string(*port)});
  argv.insert(argv.end(), args.begin(), args.end());
  auto server = testing::ServerProcess::Start(argv, *port, std::chrono::seconds(30));
  if (!server) {
    ADD_FAILURE() << server.error().ToString();
    return nullptr;
  }
  return std::move(server).value();
}

std::optional<RawResponse> RoundTrip(int port, const std::string& raw) {
  TestConnection c(port);
  if (!c.Send(raw)) return std::nullopt;
  return c.Read();
}

// A ListTables signed with `creds` now, as raw bytes for `port`.
std::string SignedListTables(int port, const Credentials& creds) {
  HttpRequest req{.url = "http://127.0.0.1:" + std::to_string(port) + "/", .body = "{}"};
  req.headers.push_back({"X-Amz-Target", "DynamoDB_20120810.ListTables"});
  req.headers.push_back({"Content-Type", "application/x-amz-json-1.0"});
  sigv4::Signer signer("us-east-1", "dynamodb");
  Status s = signer.Sign(req, creds, Clock::Real().Now());
  EXPECT_TRUE(s) << s.error().ToString();
  std::string raw = "POST / HTTP/1.1\r\n";
  for (const auto& [name, value] : req.headers) raw += name + ": " + value + "\r\n";
  return raw + "Content-Length: " + std::to_string(req.body.size()) + "\r\n\r\n" + req.body;
}

// The __type of a DynamoDB error answer ("" for a 200).
std::string ErrorType(const std::optional<RawResponse>& r) {
  if (!r) return "(no answer)";
  if (r->status == 200) return "";
  size_t hash = r->body.find('#');
  size_t end = r->body.find('"', hash);
  return hash == std::string::npos ? r->body : r->body.substr(hash + 1, end - hash - 1);
}

TEST(ServeTest, VerifySignaturesWithoutCredentialsRefusesToStart) {
  Outcome run = RunMoe("", "serve --port 0 --verify-signatures");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("--verify-signatures needs the key pair"), std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("listening"), std::string::npos) << run.output;

  // Half a pair is refused, as is a pair without --verify-signatures.
  run = RunMoe("", "serve --port 0 --verify-signatures --access-key AKIDHALF");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("go together"), std::string::npos) << run.output;
  run = RunMoe("", "serve --port 0 --access-key AKIDX --secret-key some-secret");
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("--verify-signatures"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("some-secret"), std::string::npos) << run.output;
}

TEST(ServeTest, VerifySignaturesTakesTheClientsCredentialsChain) {
  const Credentials env_creds{"AKIDFROMENV", "secret-from-env", ""};
  auto server = Serve({"AWS_ACCESS_KEY_ID=AKIDFROMENV", "AWS_SECRET_ACCESS_KEY=secret-from-env"},
                      {"--verify-signatures"});
  ASSERT_NE(server, nullptr);
  int port = server->port();
  EXPECT_EQ(ErrorType(RoundTrip(port, SignedListTables(port, env_creds))), "");
  EXPECT_EQ(ErrorType(RoundTrip(port, SignedListTables(port, {"AKIDFROMENV", "wrong", ""}))),
            "InvalidSignatureException");
  // The old built-in pair no longer opens the door.
  EXPECT_EQ(ErrorType(RoundTrip(port, SignedListTables(port, {"AKIDLOCAL", "local-secret", ""}))),
            "UnrecognizedClientException");
  EXPECT_EQ(ErrorType(RoundTrip(port, PostRequest("ListTables", "{}"))),
            "MissingAuthenticationTokenException");
  server.reset();

  // A profile of the shared credentials file, chosen with --profile (the
  // file has no [default], so without --profile there is nothing to use).
  std::string file = ::testing::TempDir() + "moe_serve_credentials_" + std::to_string(::getpid());
  std::ofstream(file) << "[serving]\naws_access_key_id = AKIDPROFILE\n"
                         "aws_secret_access_key = secret-from-profile\n";
  const std::string files = "AWS_SHARED_CREDENTIALS_FILE=" + file + " AWS_CONFIG_FILE=/dev/null";
  Outcome refused = RunMoe(files, "serve --port 0 --verify-signatures");
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_EQ(refused.output.find("secret-from-profile"), std::string::npos) << refused.output;

  auto free_port = testing::FreePort();
  ASSERT_TRUE(free_port);
  std::vector<std::string> argv = {"env",
                                   "-i",
                                   "PATH=/usr/bin:/bin",
                                   "HOME=/nonexistent",
                                   "AWS_SHARED_CREDENTIALS_FILE=" + file,
                                   "AWS_CONFIG_FILE=/dev/null",
                                   MOE_BINARY,
                                   "--profile",
                                   "serving",
                                   "serve",
                                   "--port",
                                   std::to_string(*free_port),
                                   "--verify-signatures"};
  auto profiled = testing::ServerProcess::Start(argv, *free_port, std::chrono::seconds(30));
  ASSERT_TRUE(profiled) << profiled.error().ToString();
  port = (*profiled)->port();
  EXPECT_EQ(ErrorType(RoundTrip(
                port, SignedListTables(port, {"AKIDPROFILE", "secret-from-profile", ""}))),
            "");
  EXPECT_EQ(ErrorType(RoundTrip(port, SignedListTables(port, env_creds))),
            "UnrecognizedClientException");
  std::filesystem::remove(file);
}

TEST(ServeTest, ExplicitKeyPairWinsOverTheEnvironment) {
  auto server = Serve(
      {"AWS_ACCESS_KEY_ID=AKIDFROMENV", "AWS_SECRET_ACCESS_KEY=secret-from-env"},
      {"--verify-signatures", "--access-key", "AKIDFLAG", "--secret-key", "secret-from-flag"});
  ASSERT_NE(server, nullptr);
  int port = server->port();
  EXPECT_EQ(
      ErrorType(RoundTrip(port, SignedListTables(port, {"AKIDFLAG", "secret-from-flag", ""}))), "");
  EXPECT_EQ(
      ErrorType(RoundTrip(port, SignedListTables(port, {"AKIDFROMENV", "secret-from-env", ""}))),
      "UnrecognizedClientException");
}

TEST(ServeTest, BodyCapAndTimeoutFlags) {
  auto server =
      Serve({}, {"--max-body-bytes", "1000", "--idle-timeout", "0.2", "--request-timeout", "0.3"});
  ASSERT_NE(server, nullptr);
  int port = server->port();

  // Over the cap: 413 from the head alone.
  TestConnection big(port);
  std::string req = PostRequest("PutItem", std::string(1001, 'x'));
  ASSERT_TRUE(big.Send(std::string_view(req).substr(0, req.size() - 1001)));
  auto r = big.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413) << r->body;
  // At the cap the engine reads it (and finds no JSON).
  r = RoundTrip(port, PostRequest("PutItem", std::string(1000, 'x')));
  ASSERT_TRUE(r);
  EXPECT_EQ(ErrorType(r), "SerializationException") << r->body;

  // A request that never completes: 408 after the request timeout.
  TestConnection slow(port);
  ASSERT_TRUE(slow.Send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Le"));
  r = slow.Read(std::chrono::seconds(20));
  ASSERT_TRUE(r) << "the half-sent request was not cut off";
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(slow.WaitClosed());

  // A connection that sends nothing is closed after the idle timeout (the
  // default is 60 s, so a close within 20 s is the flag's doing).
  TestConnection idle(port);
  ASSERT_TRUE(idle.ok());
  EXPECT_TRUE(idle.WaitClosed(std::chrono::seconds(20)));
}

TEST(ServeTest, ConnectionCapFlag) {
  auto server = Serve({}, {"--max-connections", "2"});
  ASSERT_NE(server, nullptr);
  int port = server->port();
  const std::string list = PostRequest("ListTables", "{}");
  TestConnection a(port);
  ASSERT_TRUE(a.Send(list));
  ASSERT_TRUE(a.Read());
  // The readiness probe of Serve() may still hold the second slot until the
  // server sees it closed: retry until a second connection is served. Once
  // it is, exactly a and b are open.
  std::optional<TestConnection> b;
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(milliseconds(50));
    b.emplace(port);
    if (b->Send(list) && b->Read(std::chrono::seconds(10)).has_value()) break;
    b.reset();
  }
  ASSERT_TRUE(b.has_value());
  // A third is accepted and closed at once, without an answer.
  TestConnection c(port);
  (void)c.Send(list);
  EXPECT_FALSE(c.Read(std::chrono::seconds(10)));
  // The first two still work, and a slot frees when one closes.
  ASSERT_TRUE(a.Send(list));
  auto r = a.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  b->Close();
  bool served = false;
  // The server notices the close on its own schedule; poll a while.
  for (int attempt = 0; attempt < 200 && !served; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(milliseconds(50));
    TestConnection d(port);
    served = d.Send(list) && d.Read(std::chrono::seconds(10)).has_value();
  }
  EXPECT_TRUE(served);
}

TEST(ServeTest, LimitFlagsAreValidated) {
  for (std::string bad : {"--max-body-bytes 0", "--max-body-bytes -5", "--max-connections 0",
                          "--idle-timeout 0", "--idle-timeout -1", "--request-timeout 0",
                          "--request-timeout nan", "--threads 0", "--max-body-bytes lots"}) {
    Outcome run = RunMoe("", "serve --port 0 " + bad);
    EXPECT_NE(run.exit_code, 0) << bad << ": " << run.output;
    EXPECT_NE(run.exit_code, 124) << bad << ": the server started";
    EXPECT_EQ(run.output.find("listening"), std::string::npos) << bad << ": " << run.output;
  }
}

TEST(ServeTest, CorsOnlyWhenConfigured) {
  const std::string preflight =
      "OPTIONS / HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example\r\n"
      "Access-Control-Request-Method: POST\r\n\r\n";
  const std::string post = PostRequest("ListTables", "{}", "Origin: http://app.example\r\n");
  {
    auto server = Serve({}, {});
    ASSERT_NE(server, nullptr);
    auto pre = RoundTrip(server->port(), preflight);
    ASSERT_TRUE(pre);
    EXPECT_NE(pre->status, 200);
    EXPECT_EQ(pre->Header("access-control-allow-origin"), "");
    auto r = RoundTrip(server->port(), post);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    for (const auto& [name, value] : r->headers) {
      EXPECT_NE(name.rfind("access-control-", 0), 0u) << name;
    }
  }
  auto server = Serve({}, {"--cors", "http://app.example"});
  ASSERT_NE(server, nullptr);
  auto pre = RoundTrip(server->port(), preflight);
  ASSERT_TRUE(pre);
  EXPECT_EQ(pre->status, 200);
  EXPECT_EQ(pre->Header("access-control-allow-origin"), "http://app.example");
  auto r = RoundTrip(server->port(), post);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("access-control-allow-origin"), "http://app.example");
}

// GLIBC_TUNABLES of a running process, from /proc (empty when unset).
std::string TunablesOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string entry;
  while (std::getline(in, entry, '\0')) {
    if (entry.starts_with("GLIBC_TUNABLES=")) return entry.substr(15);
  }
  return "";
}

// `moe serve` runs with malloc's heap on transparent huge pages (it executes
// itself again with glibc.malloc.hugetlb=1, keeping its pid and arguments)
// when the kernel offers them, and leaves an explicit choice alone. (glibc
// rewrites a multi-tunable GLIBC_TUNABLES in the process's environment
// block, so /proc shows only single-tunable values faithfully.)
TEST(ServeTest, RunsWithHugePageHeapUnlessTold) {
  std::string mode;
  std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), mode);
  if (mode.empty() || mode.find("[never]") != std::string::npos) {
    GTEST_SKIP() << "transparent huge pages are off here: " << mode;
  }
  auto server = Serve({}, {});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(TunablesOf(server->pid()), "glibc.malloc.hugetlb=1");
  auto health = RoundTrip(server->port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  auto opted_out = Serve({"GLIBC_TUNABLES=glibc.malloc.hugetlb=0"}, {});
  ASSERT_NE(opted_out, nullptr);
  EXPECT_EQ(TunablesOf(opted_out->pid()), "glibc.malloc.hugetlb=0");
}

}  // namespace
}  // namespace moe
