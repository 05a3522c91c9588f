// A table family: one table per day, two mirrored copies, three days kept.
// The registry (in DynamoDB itself) says which tables are live; rotation
// creates tomorrow's tables ahead of time and drops expired ones; writes go
// to both copies of today's period; reads find the newest version of a key
// and queries merge every readable day behind one token.
//
// The clock here is a manual one, so five days pass in a moment; in
// production leave RegistryOptions::clock unset and run `moe family rotate`
// (or Registry::Rotate) from cron every few minutes, on as many hosts as you
// like: they agree.
//
//   family_rotation local:    # or an endpoint URL
#include <cstdio>
#include <string>

#include "connect.h"
#include "moe/family_client.h"
#include "moe/json.h"
#include "moe/registry.h"

namespace {

using namespace std::chrono_literals;

moe::FamilySpec Events() {
  moe::FamilySpec spec;
  spec.name = "events";
  spec.environment = "example";  // tables example_events_<day>_<copy>
  spec.attribute_definitions = {{"user", moe::ScalarAttributeType::kS},
                                {"ts", moe::ScalarAttributeType::kN}};
  spec.key_schema = {{"user", moe::KeyType::kHash}, {"ts", moe::KeyType::kRange}};
  spec.period = moe::Period::kDay;
  spec.copies = 2;     // every write goes to both
  spec.retention = 3;  // today and the two days before
  spec.precreate = 1;  // tomorrow's tables exist before midnight
  return spec;         // on-demand capacity by default
}

moe::Status Run(moe::DynamoDbClient& client) {
  moe::ManualClock clock(moe::ManualClock::FromUnixSeconds(1795565100));  // 2026-11-25T00:05Z
  moe::Registry registry(client, {.environment = "example", .clock = &clock});
  MOE_TRY_STATUS(registry.EnsureTables());
  MOE_TRY_STATUS(registry.Declare(Events()));

  std::unique_ptr<moe::FamilyClient> events;
  for (int day = 0; day < 5; ++day, clock.Advance(24h)) {
    MOE_TRY(moe::RotationReport r, registry.Rotate("events"));
    if (!events) {
      MOE_TRY(events, moe::FamilyClient::Open(client, registry, "events", {.clock = &clock}));
    }
    MOE_TRY_STATUS(events->Refresh());  // normally automatic (refresh_interval)
    std::printf("day %s: epoch %lld, %zu tables created, %zu dropped\n",
                r.state.write_period->ToString().c_str(), static_cast<long long>(r.state.epoch),
                r.created.size(), r.dropped.size());
    for (int i = 0; i < 3; ++i) {
      moe::Item event{{"user", "ada"}, {"ts", day * 10 + i}, {"day", day}};
      MOE_TRY(moe::MirroredWrite w, events->Put({.item = event}));
      if (!w.all_written()) std::printf("  a copy missed a write; recorded for repair\n");
    }
  }
  clock.Advance(-24h);

  // Every readable day, merged by ts, two per page; the token resumes it.
  moe::QueryRequest q{.key_condition_expression = "#u = :u",
                      .expression_attribute_names = {{"#u", "user"}},
                      .expression_attribute_values = {{":u", "ada"}}};
  std::optional<std::string> token;
  do {
    MOE_TRY(auto merged, events->Query(q, token, moe::MergedQueryOptions{.page_size = 4}));
    MOE_TRY(moe::MergedPage page, merged->NextPage());
    std::string line;
    for (const moe::Item& item : page.items) line += " " + item.at("ts").n().text();
    std::printf("page:%s\n", line.c_str());
    token = page.next_token;
  } while (token);

  MOE_TRY(moe::FamilyGet got, events->Get({.key = {{"user", "ada"}, {"ts", 41}}}));
  std::printf("get ts=41: %s from %s\n", got.item ? moe::ItemToPlainJson(*got.item).c_str() : "-",
              got.table.c_str());
  return moe::Ok();
}

}  // namespace

int main(int argc, char** argv) { return examples::Main(argc, argv, Run); }
