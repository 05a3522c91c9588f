// Puts and gets one item on the embedded engine, in-process, through the
// installed headers and libraries only. Prints "consumer ok: <item> <version>".
#include <cstdio>
#include <memory>
#include <utility>

#include "moe/client.h"
#include "moe/json.h"
#include "moe/local.h"
#include "moe/version.h"

int main() {
  auto engine = moe::local::Engine::Open({});
  if (!engine) return std::fprintf(stderr, "%s\n", engine.error().ToString().c_str()), 1;
  moe::ClientOptions options;
  options.endpoint = "http://local.invalid";
  options.transport = moe::local::NewLoopbackTransport(**engine);
  options.credentials = moe::NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
  auto client = moe::DynamoDbClient::Create(std::move(options));
  if (!client) return std::fprintf(stderr, "%s\n", client.error().ToString().c_str()), 1;

  moe::DynamoDbClient& c = **client;
  auto created = c.CreateTable({.table_name = "things",
                                .attribute_definitions = {{"pk", moe::ScalarAttributeType::kS}},
                                .key_schema = {{"pk", moe::KeyType::kHash}},
                                .billing_mode = moe::BillingMode::kPayPerRequest});
  if (!created) return std::fprintf(stderr, "%s\n", created.error().ToString().c_str()), 1;
  auto put = c.PutItem({.table_name = "things", .item = {{"pk", "a"}, {"n", 42}}});
  if (!put) return std::fprintf(stderr, "%s\n", put.error().ToString().c_str()), 1;
  auto got = c.GetItem({.table_name = "things", .key = {{"pk", "a"}}, .consistent_read = true});
  if (!got || !got->item) return std::fprintf(stderr, "get failed\n"), 1;
  std::printf("consumer ok: %s %s\n", moe::ItemToPlainJson(*got->item).c_str(), moe::kVersion);
  return 0;
}
