// The embedded DynamoDB-compatible engine: every operation the client covers,
// in memory or on disk, in-process (through the loopback transport) or served
// over HTTP by `moe serve`.
//
//   auto engine = moe::local::Engine::Open({});              // in memory
//   moe::ClientOptions options;
//   options.endpoint = "http://local";                      // not dialed
//   options.transport = moe::local::NewLoopbackTransport(**engine);
//   options.credentials =                                   // any key signs
//       moe::NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
//   auto client = moe::DynamoDbClient::Create(std::move(options));
//
// Thread safety: Engine is safe for concurrent use (see engine.h in
// src/local/ for the locking scheme).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "moe/clock.h"
#include "moe/result.h"
#include "moe/simulator.h"
#include "moe/transport.h"

namespace moe::local {

struct EngineOptions {
  // Time for table state transitions, TTL and capacity. Default: Clock::Real().
  // Borrowed; must outlive the engine.
  Clock* clock = nullptr;
  // Directory for durable storage; empty keeps everything in memory. With a
  // directory, a write is on disk (written and fdatasync'ed) before Handle
  // acknowledges it; see docs/storage.md. One engine per directory.
  // Default: empty (in memory).
  std::string data_dir;
  // With data_dir: the write-ahead log is rewritten as a snapshot once it
  // holds this many bytes. Default: 64 MiB.
  int64_t log_compaction_bytes = int64_t{64} << 20;
  // With data_dir: concurrent writers share one write + fdatasync (group
  // commit). Default: true.
  bool group_commit = true;
  // How long a new table stays CREATING (and UPDATING/DELETING). Default: 0
  // (immediately ACTIVE, as DynamoDB Local does).
  std::chrono::milliseconds table_transition{0};
  // Region and account in ARNs. Defaults: "us-east-1", "000000000000".
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  // The partition and throughput simulator (moe/simulator.h,
  // docs/simulator.md): item operations draw from simulated partitions and
  // are throttled as DynamoDB would throttle them. Default: off.
  SimulatorOptions simulate;
};

class Engine {
 public:
  // Errors: kIo when data_dir cannot be opened or its contents are corrupt.
  static Result<std::unique_ptr<Engine>> Open(EngineOptions options);

  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  virtual ~Engine() = default;

  // The one entry point: `operation` is the X-Amz-Target suffix ("PutItem"),
  // `body` the JSON request. Returns the JSON response body, or the Error
  // DynamoDB would answer with (kValidation, kResourceNotFound, ...;
  // kUnknownOperation for an operation it does not know). With the
  // simulator on, also kProvisionedThroughputExceeded (provisioned tables)
  // and kThrottling (on-demand), both retryable, with ThrottlingReasons.
  virtual Result<std::string> Handle(std::string_view operation, std::string_view body) = 0;

  // Deletes expired items of tables with TTL enabled, as of the clock's now.
  // Runs by itself in the background on a real clock; tests call it.
  virtual void SweepExpired() = 0;

  // The simulator's view of every table and GSI as of the clock's now:
  // partitions with their hash ranges, capacity, and per-second consumed and
  // throttled units, the way CloudWatch reports them. `enabled` is false
  // (and nothing else is filled) when EngineOptions::simulate is off.
  // Never fails.
  virtual SimulatorReport SimulatorMetrics() = 0;
};

// A Transport that hands requests to `engine` in-process: no socket, no
// thread hop; the callback runs before Send returns. Requests are routed by
// their x-amz-target header; errors come back as DynamoDB's HTTP error
// answers, so the client's normal error mapping applies. `engine` is
// borrowed and must outlive the transport.
std::unique_ptr<Transport> NewLoopbackTransport(Engine& engine);

}  // namespace moe::local
