#include "local/test_util.h"

namespace moe::local::testing {
namespace {

using LoopbackTest = EngineTest;

std::string HeaderOf(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_F(LoopbackTest, RoutesByTargetAndAnswersInline) {
  auto transport = NewLoopbackTransport(*engine_);
  HttpRequest req{.url = "http://local/", .body = ToJson(TableSpec("tbl"))};
  req.headers.push_back({"X-Amz-Target", TargetFor<CreateTableRequest>()});
  bool called = false;
  transport->Send(std::move(req), [&](Result<HttpResponse> r) {
    called = true;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_FALSE(HeaderOf(*r, "x-amzn-requestid").empty());
    auto created = Parse<CreateTableResponse>(r->body);
    ASSERT_TRUE(created);
    EXPECT_EQ(created->table_description.table_name, "tbl");
  });
  EXPECT_TRUE(called);  // before Send returned
}

TEST_F(LoopbackTest, ErrorsBecomeDynamoDbErrorAnswers) {
  auto transport = NewLoopbackTransport(*engine_);
  HttpRequest req{.url = "http://local/", .body = ToJson(DescribeTableRequest{"nope"})};
  req.headers.push_back({"x-amz-target", TargetFor<DescribeTableRequest>()});
  transport->Send(std::move(req), [](Result<HttpResponse> r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    Error e = ErrorFromResponse(r->status, r->body, HeaderOf(*r, "x-amzn-requestid"));
    EXPECT_EQ(e.code(), ErrorCode::kResourceNotFound);
  });
  HttpRequest bad{.url = "http://local/", .body = "{}"};
  bad.headers.push_back({"x-amz-target", "DynamoDB_20120810.Nope"});
  transport->Send(std::move(bad), [](Result<HttpResponse> r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(ErrorFromResponse(r->status, r->body, "").code(), ErrorCode::kUnknownOperation);
  });
}

}  // namespace
}  // namespace moe::local::testing
