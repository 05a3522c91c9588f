// The partition observer: a moe::CallObserver that feeds a HeatTracker and a
// RateLimiter from a client's own traffic, so partition heat is measured and
// throughput adapted without touching the calling code.
//
//   auto heat = std::make_shared<moe::partitioning::HeatTracker>();
//   auto limiter = std::make_shared<moe::partitioning::RateLimiter>();
//   moe::ClientOptions options;
//   options.observer = moe::partitioning::NewPartitionObserver(
//       {.heat = heat, .limiter = limiter, .hash_keys = {{"orders", "pk"}}});
//   ... calls with ReturnConsumedCapacity TOTAL or INDEXES ...
//   heat->Top(10);     // keys "orders/<partition key>", heaviest first
//
// Before each attempt it asks the limiter for the estimated units of the
// attempt's table (or index) and direction, in its lane, and the client waits
// as told (AWS "adaptive" retry mode, moe's way: per table and index). After
// each attempt it reads the table, index and partition keys from the request,
// the units from the response's ConsumedCapacity (or `default_units` when the
// response has none), and throttling errors, and feeds both.
//
// Keys are tracked as "<table>/<partition key text>" (KeyText: S as is, N
// canonical, B base64). The partition key attribute of a table comes from
// `hash_keys`, from DescribeTable/CreateTable answers that pass through the
// client, or from a one-attribute Key; a PutItem to a table whose key is not
// known yet is counted for the limiter but not for heat.
//
// Thread safety: safe for concurrent use (the client calls it from several
// threads).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "moe/client.h"
#include "moe/effectiveness_report.h"
#include "moe/heat_tracker.h"
#include "moe/rate_limiter.h"
#include "moe/result.h"

namespace moe::partitioning {

struct ObserverOptions {
  // Where heat goes. Default: none (no heat tracking).
  std::shared_ptr<HeatTracker> heat;
  // The shared limiter. Default: none (no client-side rate limiting).
  std::shared_ptr<RateLimiter> limiter;
  // Per-second load by key bucket, for the report's heat map when the server
  // reports none; a throttled attempt counts its estimated units as refused.
  // Default: none.
  std::shared_ptr<LoadRecorder> load;
  // The lane of every call of this client. Default: foreground.
  Lane lane = Lane::kForeground;
  // Partition key attribute by table ("orders") or index ("orders/by_user").
  // Default: empty (learned as described above).
  std::map<std::string, std::string> hash_keys;
  // Units assumed for an attempt whose response carries no ConsumedCapacity
  // (the request did not ask for it). Default: 1.
  double default_units = 1.0;
};

std::shared_ptr<CallObserver> NewPartitionObserver(ObserverOptions options);

// Reads `table`'s provisioned capacity with DescribeTable and declares it to
// `limiter` (table and each GSI, read and write). On-demand tables declare
// nothing. Errors: DescribeTable's (kResourceNotFound, ...; retryable as
// they say).
Status LoadCapacity(DynamoDbClient& client, RateLimiter& limiter, const std::string& table);

}  // namespace moe::partitioning
