// moe demo, chapter 1: batch writes that lose nothing under throttling.
#include <chrono>
#include <cstdio>

#include "commands.h"
#include "demo.h"
#include "moe/batch.h"
#include "moe/credentials.h"
#include "moe/expression.h"
#include "moe/faulty_transport.h"
#include "moe/local.h"

namespace moe::cli {
namespace {

using Clock = std::chrono::steady_clock;


Status CreateTable(DynamoDbClient& client, const std::string& name) {
  CreateTableRequest create{.table_name = name};
  create.attribute_definitions = {{"owner", ScalarAttributeType::kS},
                                  {"seq", ScalarAttributeType::kN}};
  create.key_schema = {{"owner", KeyType::kHash}, {"seq", KeyType::kRange}};
  create.provisioned_throughput = ProvisionedThroughput{1000, 1000};
  MOE_TRY_STATUS(client.CreateTable(create));
  MOE_TRY_STATUS(
      client.WaitUntilActive(name, std::chrono::seconds(30), std::chrono::milliseconds(20)));
  return Ok();
}

Result<int64_t> CountItems(DynamoDbClient& client, const std::string& table) {
  int64_t count = 0;
  ScanRequest scan{.table_name = table, .select = Select::kCount};
  MOE_TRY_STATUS(client.ParallelScan(scan, 4, [&](int, ScanResponse& page) -> Status {
    count += page.count;
    return Ok();
  }));
  return count;
}

Item EventItem(int i) {
  return Item{{"owner", "owner#" + std::to_string(i % 10)},
              {"seq", i},
              {"kind", i % 3 == 0 ? "click" : "view"},
              {"amount", *Number::Parse(std::to_string(i) + ".05")},
              {"payload", std::string(300, static_cast<char>('a' + i % 26))}};
}

}  // namespace

bool BatchChapter(DemoContext& ctx) {
  constexpr int kItems = 20000;
  std::printf("== 1. Batch writes that lose nothing under throttling\n\n");
  auto start = Clock::now();
  std::shared_ptr<Transport> http = ctx.loopback;
  FaultOptions faults;
  faults.seed = 2026;
  faults.partial_batch = 0.30;
  faults.throttle = 0.05;
  faults.service_unavailable = 0.03;
  faults.reset_after_send = 0.02;
  auto faulty = std::make_shared<FaultyTransport>(*http, faults);
  auto plain = DemoClient(ctx, http);
  auto client = DemoClient(ctx, faulty);

  start = Clock::now();
  if (Status s = CreateTable(*plain, "naive_events"); !s) return !Fail(s.error());
  if (Status s = CreateTable(*plain, "moe_events"); !s) return !Fail(s.error());
  std::printf("[1] created tables naive_events and moe_events; waited for ACTIVE (%.0f ms)\n",
              MsSince(start));

  std::printf(
      "\n[2] Under load, DynamoDB answers BatchWriteItem with 200 OK and hands part of\n"
      "    the batch back in UnprocessedItems. Injected from here on: 30%% of batches\n"
      "    come back partial; 10%% of requests throttled, 503, or reset after sending.\n");

  // The naive loop: send each 25-item batch once, trust the 200, ignore UnprocessedItems.
  start = Clock::now();
  size_t sent = 0, ignored = 0, errors = 0;
  for (int i = 0; i < kItems; i += 25) {
    BatchWriteItemRequest batch;
    for (int j = i; j < i + 25 && j < kItems; ++j) {
      batch.request_items["naive_events"].push_back(
          WriteRequest{.put_item = EventItem(j), .delete_key = {}});
    }
    sent += batch.request_items["naive_events"].size();
    auto r = client->BatchWriteItem(batch);
    if (!r) {
      ++errors;
      continue;
    }
    for (auto& [table, left] : r->unprocessed_items) ignored += left.size();
  }
  auto naive_count = CountItems(*plain, "naive_events");
  if (!naive_count) return !Fail(naive_count.error());
  std::printf(
      "\n    naive loop (what the Ruby original did): %zu items sent in %.0f ms\n"
      "      -> %lld stored, %lld LOST without an error (%zu left in UnprocessedItems,\n"
      "         %zu batches failed even after the client's own retries)\n",
      sent, MsSince(start), static_cast<long long>(*naive_count),
      static_cast<long long>(kItems - *naive_count), ignored, errors);

  // moe's batch engine, same faults.
  start = Clock::now();
  ClientStats before = client->stats();
  BatchOptions options;
  options.max_in_flight = 8;
  options.base_delay = std::chrono::milliseconds(5);
  BatchWriter writer(*client, options);
  for (int i = 0; i < kItems; ++i) writer.Put("moe_events", EventItem(i));
  auto written = writer.Flush();
  if (!written) return !Fail(written.error());
  ClientStats after = client->stats();
  auto moe_count = CountItems(*plain, "moe_events");
  if (!moe_count) return !Fail(moe_count.error());
  std::printf(
      "\n    moe::BatchWriter, same faults: %zu items in %.0f ms, 8 requests in flight\n"
      "      -> %lld stored, %zu failed (each failure would come back with its item)\n"
      "      -> %zu BatchWriteItem calls, %zu entries re-sent from UnprocessedItems,\n"
      "         %llu retries of throttled/5xx/reset calls, %.0f write units consumed\n",
      static_cast<size_t>(kItems), MsSince(start), static_cast<long long>(*moe_count),
      written->failed.size(), written->requests, written->unprocessed_resends,
      static_cast<unsigned long long>(after.retries - before.retries),
      written->consumed_capacity["moe_events"]);

  // Read everything back through the batch getter, under the same faults.
  start = Clock::now();
  BatchGetter getter(*client, options);
  for (int i = 0; i < kItems; ++i)
    getter.Get("moe_events", {{"owner", "owner#" + std::to_string(i % 10)}, {"seq", i}});
  auto fetched = getter.Fetch();
  if (!fetched) return !Fail(fetched.error());
  size_t equal = 0;
  for (int i = 0; i < kItems; ++i) {
    if (fetched->outcomes[i].item && *fetched->outcomes[i].item == EventItem(i)) ++equal;
  }
  std::printf(
      "\n[3] moe::BatchGetter read all %d back in %.0f ms (%zu requests, %zu keys re-sent):\n"
      "      %zu of %d equal to what was written, exact decimals included\n",
      kItems, MsSince(start), fetched->requests, fetched->unprocessed_resends, equal, kItems);

  // One owner's items, by pages, in sort-key order.
  QueryRequest query{.table_name = "moe_events"};
  expr::Expressions ex;
  auto kc = ex.Render(expr::Key("owner") == "owner#3" && expr::Key("seq").Between(1000, 3999));
  if (!kc) return !Fail(kc.error());
  query.key_condition_expression = *kc;
  ex.MoveInto(&query);
  query.limit = 100;
  int pages = 0;
  int64_t items = 0, first = -1, last = -1;
  bool ordered = true;
  for (auto& page : client->QueryPages(query)) {
    if (!page) return !Fail(page.error());
    ++pages;
    for (const Item& item : page->items) {
      int64_t seq = *item.at("seq").n().ToInt64();
      if (last >= 0 && seq <= last) ordered = false;
      if (first < 0) first = seq;
      last = seq;
      ++items;
    }
  }
  std::printf(
      "\n[4] Query owner#3, seq BETWEEN 1000 AND 3999, 100 per page: %lld items over %d pages,\n"
      "    seq %lld..%lld, %s\n",
      static_cast<long long>(items), pages, static_cast<long long>(first),
      static_cast<long long>(last), ordered ? "in sort-key order" : "OUT OF ORDER");

  std::printf("\nfaults injected: %llu of %llu requests. Nothing written through moe was lost.\n",
              static_cast<unsigned long long>(faulty->total_faults()),
              static_cast<unsigned long long>(faulty->requests()));
  return *moe_count == kItems && written->failed.empty() &&
         equal == static_cast<size_t>(kItems) && ordered;
}

}  // namespace moe::cli
