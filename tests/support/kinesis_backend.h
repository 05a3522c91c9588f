// Where the Kinesis suites run, selected with MOE_TEST_KINESIS_BACKEND:
//   kinesalite  kinesalite (npm) on a free 127.0.0.1 port (the default)
//   local       the embedded journal (moe::kinesis::LocalStreams) in-process
// CTest registers each suite once per backend.
#pragma once

#include <memory>
#include <string>

#include "moe/kinesis.h"
#include "moe/kinesis_local.h"
#include "moe/result.h"

namespace moe {

class KinesisBackend {
 public:
  virtual ~KinesisBackend() = default;
  virtual std::string name() const = 0;
  // A client for this backend; `options` may set retries, clock, transport.
  virtual std::unique_ptr<KinesisClient> NewClient(ClientOptions options = {}) = 0;
  // The transport a client of this backend uses by default (to wrap in faults).
  virtual std::shared_ptr<Transport> NewTransport() = 0;
};

// `clock` (may be null) is the embedded journal's clock; kinesalite keeps real time.
Result<std::unique_ptr<KinesisBackend>> StartKinesisBackend(Clock* clock = nullptr);

}  // namespace moe
