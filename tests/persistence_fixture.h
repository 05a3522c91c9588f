// A backend, a registry and one declared, rotated family on a manual clock:
// the ground the persistence strategy suites stand on.
#pragma once

#include <gtest/gtest.h>

#include "moe/family_client.h"
#include "tests/support/backend.h"

namespace moe {

class FamilyFixture : public BackendTest {
 protected:
  explicit FamilyFixture(Clock::TimePoint start) : clock_(start) {}

  // Starts the backend and declares and rotates `spec` (environment "test").
  void Start(FamilySpec spec) {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    client_ = backend_->NewClient({.clock = &retry_clock_});
    registry_ = std::make_unique<Registry>(
        *client_, RegistryOptions{.environment = "test",
                                  .clock = &clock_,
                                  .poll = std::chrono::milliseconds(10)});
    ASSERT_TRUE(registry_->EnsureTables());
    spec.environment = "test";
    family_name_ = spec.name;
    ASSERT_TRUE(registry_->Declare(spec));
    Rotate();
    family_ = OpenFamily(*client_);
  }

  // The client borrows retry_clock_, which goes before the base's members.
  void TearDown() override {
    family_.reset();
    registry_.reset();
    client_.reset();
  }

  void Rotate() {
    auto r = registry_->Rotate(family_name_);
    ASSERT_TRUE(r) << r.error().ToString();
  }

  std::unique_ptr<FamilyClient> OpenFamily(DynamoDbClient& client, int retry_budget = 12) {
    auto fc = FamilyClient::Open(client, *registry_, family_name_,
                                 {.clock = &clock_, .batch = {.retry_budget = retry_budget}});
    EXPECT_TRUE(fc) << fc.error().ToString();
    return fc ? std::move(*fc) : nullptr;
  }

  ManualClock clock_;
  ManualClock retry_clock_;  // backoffs pass instantly
  std::unique_ptr<Registry> registry_;
  std::string family_name_;
  std::unique_ptr<FamilyClient> family_;
};

}  // namespace moe
