#include "server/http_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace moe::server::internal {
namespace {

HeadParse Parse(std::string_view data, RequestHead* head) {
  size_t scan = 0;
  return ParseHead(data, &scan, head);
}

TEST(HttpParserTest, ParsesRequestLineAndHeaders) {
  RequestHead h;
  std::string req =
      "POST /?a=b HTTP/1.1\r\nHost: localhost:8000\r\nX-Amz-Target:  DynamoDB_20120810.PutItem "
      "\r\ncontent-length: 2\r\nOrigin: http://x\r\n\r\n{}";
  HeadParse p = Parse(req, &h);
  ASSERT_EQ(p.status, HeadStatus::kComplete);
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.target, "/?a=b");
  EXPECT_EQ(h.path, "/");
  EXPECT_EQ(h.host, "localhost:8000");
  EXPECT_EQ(h.amz_target, "DynamoDB_20120810.PutItem");
  EXPECT_EQ(h.origin, "http://x");
  EXPECT_EQ(h.content_length, 2u);
  EXPECT_TRUE(h.keep_alive);
  EXPECT_EQ(h.head_bytes, req.size() - 2);
  EXPECT_EQ(h.headers.size(), 4u);
  EXPECT_EQ(h.Header("CONTENT-LENGTH"), "2");
}

TEST(HttpParserTest, IncompleteResumesScan) {
  std::string req = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  RequestHead h;
  size_t scan = 0;
  for (size_t n = 1; n < req.size(); ++n) {
    ASSERT_EQ(ParseHead(std::string_view(req).substr(0, n), &scan, &h).status,
              HeadStatus::kIncomplete)
        << n;
  }
  EXPECT_EQ(ParseHead(req, &scan, &h).status, HeadStatus::kComplete);
  EXPECT_EQ(h.head_bytes, req.size());
}

TEST(HttpParserTest, PipelinedRequestsParseOneAtATime) {
  std::string two = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: b\r\n\r\n";
  RequestHead h;
  ASSERT_EQ(Parse(two, &h).status, HeadStatus::kComplete);
  EXPECT_EQ(h.host, "a");
  ASSERT_EQ(Parse(std::string_view(two).substr(h.head_bytes), &h).status, HeadStatus::kComplete);
  EXPECT_EQ(h.host, "b");
  EXPECT_EQ(h.path, "/x");
}

TEST(HttpParserTest, SkipsLeadingEmptyLines) {
  RequestHead h;
  std::string req = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(Parse(req, &h).status, HeadStatus::kComplete);
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.head_bytes, req.size());
}

TEST(HttpParserTest, ConnectionSemantics) {
  RequestHead h;
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", &h).status,
            HeadStatus::kComplete);
  EXPECT_FALSE(h.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\n\r\n", &h).status, HeadStatus::kComplete);
  EXPECT_FALSE(h.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &h).status,
            HeadStatus::kComplete);
  EXPECT_TRUE(h.keep_alive);
  ASSERT_EQ(Parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", &h).status,
            HeadStatus::kComplete);
  EXPECT_TRUE(h.expect_continue);
  ASSERT_EQ(Parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", &h).status,
            HeadStatus::kComplete);
  EXPECT_TRUE(h.has_transfer_encoding);
}

TEST(HttpParserTest, RejectsMalformedHeads) {
  RequestHead h;
  struct Case {
    std::string text;
    int status;
  } cases[] = {
      {"GET /\r\n\r\n", 400},
      {"GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
      {"GET / HTTP/1.1\r\n\r\n", 400},  // no Host
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nBad Name: v\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", 400},
  };
  for (const Case& c : cases) {
    HeadParse p = Parse(c.text, &h);
    EXPECT_EQ(p.status, HeadStatus::kError) << c.text;
    EXPECT_EQ(p.error_status, c.status) << c.text;
  }
}

TEST(HttpParserTest, HeadSizeCap) {
  RequestHead h;
  std::string big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(kMaxHeadBytes, 'x');
  HeadParse p = Parse(big, &h);
  EXPECT_EQ(p.status, HeadStatus::kError);
  EXPECT_EQ(p.error_status, 431);
  p = Parse(big + "\r\n\r\n", &h);
  EXPECT_EQ(p.error_status, 431);
}

}  // namespace
}  // namespace moe::server::internal
