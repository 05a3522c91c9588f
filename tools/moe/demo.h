// moe demo, in chapters: each shows one capability on the embedded engine
// (in-process, through the loopback transport: no server, no AWS account).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "moe/client.h"
#include "moe/local.h"

namespace moe::cli {

struct DemoContext {
  local::Engine* engine = nullptr;
  std::shared_ptr<Transport> loopback;  // straight into the engine
  std::string endpoint = "http://embedded.invalid";
};

// A client of the demo engine over `transport`, with fast local backoff.
// `clock` (optional) drives its retries and waiters.
std::unique_ptr<DynamoDbClient> DemoClient(const DemoContext& ctx,
                                           std::shared_ptr<Transport> transport,
                                           moe::Clock* clock = nullptr);

double MsSince(std::chrono::steady_clock::time_point start);

// Each chapter prints its story and returns true when every claim it made
// held (the demo's exit code says whether moe kept its promises).
bool BatchChapter(DemoContext& ctx);
bool FamilyChapter(DemoContext& ctx);
bool SequenceChapter(DemoContext& ctx);
bool PartitionChapter(DemoContext& ctx);
bool MirrorChapter(DemoContext& ctx);

}  // namespace moe::cli
