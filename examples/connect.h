// Connect(endpoint): a DynamoDbClient for the examples; Main(argc, argv, Run)
// is their whole main(). "local:" opens the
// embedded engine in memory, in this process (nothing to start, nothing left
// behind); anything else is an endpoint URL ("http://127.0.0.1:8000", or ""
// for AWS from the environment / ~/.aws).
//
// Copy it into your project as a starting point. Not thread-safe to call
// concurrently with itself; the client it returns is safe for concurrent use.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "moe/client.h"
#include "moe/local.h"
#include "moe/result.h"

namespace examples {

// A transport that owns its engine, so the engine lives as long as the client.
class OwnedEngine final : public moe::Transport {
 public:
  explicit OwnedEngine(std::unique_ptr<moe::local::Engine> engine)
      : engine_(std::move(engine)), loopback_(moe::local::NewLoopbackTransport(*engine_)) {}
  void Send(moe::HttpRequest request, Callback done) override {
    loopback_->Send(std::move(request), std::move(done));
  }

 private:
  std::unique_ptr<moe::local::Engine> engine_;
  std::unique_ptr<moe::Transport> loopback_;
};

inline moe::Result<std::unique_ptr<moe::DynamoDbClient>> Connect(std::string_view endpoint) {
  moe::ClientOptions options;
  if (endpoint == "local:") {
    MOE_TRY(auto engine, moe::local::Engine::Open({}));
    options.endpoint = "http://local.invalid";  // never dialed
    options.transport = std::make_shared<OwnedEngine>(std::move(engine));
    // The embedded engine checks no signature; any keys do.
    options.credentials = moe::NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
  } else {
    options.endpoint = std::string(endpoint);
  }
  return moe::DynamoDbClient::Create(std::move(options));
}

// Creates an on-demand table with a string hash key `pk` and, when `sk` is
// not empty, a number range key, and waits until it is ACTIVE.
inline moe::Status CreateTable(moe::DynamoDbClient& client, const std::string& name,
                               const std::string& sk = "") {
  moe::CreateTableRequest create{.table_name = name,
                                 .attribute_definitions = {{"pk", moe::ScalarAttributeType::kS}},
                                 .key_schema = {{"pk", moe::KeyType::kHash}},
                                 .billing_mode = moe::BillingMode::kPayPerRequest};
  if (!sk.empty()) {
    create.attribute_definitions.push_back({sk, moe::ScalarAttributeType::kN});
    create.key_schema.push_back({sk, moe::KeyType::kRange});
  }
  MOE_TRY_STATUS(client.CreateTable(create));
  MOE_TRY_STATUS(client.WaitUntilActive(name));
  return moe::Ok();
}

// The whole main() of an example: `program ENDPOINT` connects and runs
// `run`, printing any error. Exit codes: 0 done, 1 failed, 2 usage.
inline int Main(int argc, char** argv, moe::Status (*run)(moe::DynamoDbClient&)) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s local:|ENDPOINT_URL\n", argv[0]);
    return 2;
  }
  auto client = Connect(argv[1]);
  if (!client) {
    std::fprintf(stderr, "connect: %s\n", client.error().ToString().c_str());
    return 1;
  }
  if (auto status = run(**client); !status) {
    std::fprintf(stderr, "error: %s\n", status.error().ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace examples
