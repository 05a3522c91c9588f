// The batch engine's retry loop, driven by scripted replies instead of a
// server: every entry ends either succeeded or reported, never lost.
#include "client/batch_driver.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace moe::internal {
namespace {

using Reply = BatchDriver::Reply;

struct Script {
  // Decides the reply for each request; called in send order.
  std::function<Reply(const std::vector<size_t>&, int call)> reply;
  std::vector<std::vector<size_t>> sent;
};

struct Outcome {
  std::map<size_t, Error> failed;
  size_t resent = 0;
  std::vector<std::vector<size_t>> sent;
};

Outcome Drive(size_t entries, BatchOptions options, Script script, Clock& clock) {
  Outcome out;
  BatchDriver driver(options, clock);
  std::vector<size_t> indices(entries);
  for (size_t i = 0; i < entries; ++i) indices[i] = i;
  int calls = 0;
  out.resent = driver.Run(
      indices,
      [](std::deque<size_t>& ready) {
        std::vector<size_t> batch;
        while (!ready.empty() && batch.size() < 25) {
          batch.push_back(ready.front());
          ready.pop_front();
        }
        return batch;
      },
      [&](const std::vector<size_t>& batch, std::function<void(Reply)> done) {
        out.sent.push_back(batch);
        done(script.reply(batch, calls++));  // inline, as the loopback transport does
      },
      [&](size_t i, Error e) { out.failed.emplace(i, std::move(e)); }, entries);
  return out;
}

BatchOptions Seeded() {
  BatchOptions o;
  o.jitter_seed = 3;
  return o;
}

TEST(BatchDriverTest, ResendsUnprocessedUntilDone) {
  ManualClock clock;
  // Every request of two or more entries leaves its last one unprocessed.
  auto out = Drive(100, Seeded(), {[](const std::vector<size_t>& b, int) {
                     if (b.size() < 2) return Reply{};
                     return Reply{std::nullopt, {b.back()}};
                   }},
                   clock);
  EXPECT_TRUE(out.failed.empty());
  EXPECT_GT(out.resent, 0u);
  std::map<size_t, int> times;
  for (const auto& b : out.sent)
    for (size_t i : b) ++times[i];
  EXPECT_EQ(times.size(), 100u);
  EXPECT_GT(clock.total_slept(), Clock::Duration::zero());  // it backed off between rounds
}

TEST(BatchDriverTest, GivesUpOnlyAfterTheBudgetAndReportsEverything) {
  ManualClock clock;
  BatchOptions o = Seeded();
  o.retry_budget = 5;
  // The service never processes anything.
  auto out = Drive(60, o, {[](const std::vector<size_t>& b, int) {
                     return Reply{std::nullopt, b};
                   }},
                   clock);
  ASSERT_EQ(out.failed.size(), 60u);
  for (const auto& [i, e] : out.failed) EXPECT_EQ(e.code(), ErrorCode::kRetriesExhausted);
}

TEST(BatchDriverTest, ProgressResetsTheBudget) {
  ManualClock clock;
  BatchOptions o = Seeded();
  o.retry_budget = 2;
  o.max_in_flight = 1;
  // Each request processes exactly one entry: slow, but always progress.
  auto out = Drive(40, o, {[](const std::vector<size_t>& b, int) {
                     return Reply{std::nullopt, std::vector<size_t>(b.begin() + 1, b.end())};
                   }},
                   clock);
  EXPECT_TRUE(out.failed.empty());
}

TEST(BatchDriverTest, RetryableErrorsAreRetriedWholeRequests) {
  ManualClock clock;
  auto out = Drive(50, Seeded(), {[](const std::vector<size_t>&, int call) {
                     if (call % 3 == 0)
                       return Reply{Error(ErrorCode::kProvisionedThroughputExceeded, "slow"), {}};
                     return Reply{};
                   }},
                   clock);
  EXPECT_TRUE(out.failed.empty());
  EXPECT_GT(out.sent.size(), 2u);
}

TEST(BatchDriverTest, SplitsARejectedRequestToIsolateTheBadEntry) {
  ManualClock clock;
  auto out = Drive(25, Seeded(), {[](const std::vector<size_t>& b, int) {
                     bool bad = std::find(b.begin(), b.end(), size_t{17}) != b.end();
                     return bad ? Reply{Error::Validation("bad item"), {}} : Reply{};
                   }},
                   clock);
  ASSERT_EQ(out.failed.size(), 1u);
  EXPECT_EQ(out.failed.begin()->first, 17u);
  // Halving: log2(25) rounds, not one request per entry.
  EXPECT_LE(out.sent.size(), 12u);
}

TEST(BatchDriverTest, OtherErrorsFailTheWholeRequestWithoutSplitting) {
  ManualClock clock;
  auto out =
      Drive(30, Seeded(), {[](const std::vector<size_t>& b, int) {
              return b.front() == 0 ? Reply{Error::ResourceNotFound("no table"), {}} : Reply{};
            }},
            clock);
  EXPECT_EQ(out.failed.size(), 25u);
  EXPECT_EQ(out.sent.size(), 2u);
}

}  // namespace
}  // namespace moe::internal
