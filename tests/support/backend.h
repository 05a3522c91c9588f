// Where the cross-module suites run: a DynamoDB-compatible backend that a
// test starts, points clients at, and stops. Selected with MOE_TEST_BACKEND:
//   dynalite  dynalite (npm) on a free 127.0.0.1 port (the default)
//   engine    the embedded engine in-process, through the loopback transport
//   serve     the embedded engine behind moe's HTTP server on a free port
// The same cases run on all three; CTest registers each suite once per backend.
#pragma once

#include <gtest/gtest.h>

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
  // The transport a client of this backend uses by default (to wrap in faults).
  virtual std::shared_ptr<Transport> NewTransport() = 0;
};

Result<std::unique_ptr<Backend>> StartBackend();

// Static test credentials and a fixed region, without reading the environment.
ClientOptions TestClientOptions(const std::string& endpoint);

// A fixture with a fresh backend (MOE_TEST_BACKEND) and a client for it.
// Subclasses that override SetUp call BackendTest::SetUp() first and return
// if it failed (HasFatalFailure()).
class BackendTest : public ::testing::Test {
 protected:
  void SetUp() override;

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<DynamoDbClient> client_;
};

}  // namespace moe
