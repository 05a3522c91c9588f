// Where the cross-module suites run: a DynamoDB-compatible backend that a
// test starts, points clients at, and stops. Today: dynalite (npm, started on
// a free 127.0.0.1 port). Selected with MOE_TEST_BACKEND (default: dynalite).
#pragma once

#include <memory>
#include <string>

#include "moe/client.h"
#include "moe/result.h"

namespace moe {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual std::string endpoint() const = 0;
  // A client for this backend; `options` may set retries, clock, transport.
  virtual std::unique_ptr<DynamoDbClient> NewClient(ClientOptions options = {}) = 0;
};

Result<std::unique_ptr<Backend>> StartBackend();

// Static test credentials and a fixed region, without reading the environment.
ClientOptions TestClientOptions(const std::string& endpoint);

}  // namespace moe
