// Wal: the durable Journal of the embedded engine: its mutations
// (mutation_codec.h) in a write-ahead log plus snapshots in the data
// directory. The files, the guarantees (every acknowledged group fdatasync'ed,
// groups atomic, group commit), recovery and compaction are those of
// wal::Log (wal/log.h), which the embedded Kinesis journal shares.
//
// Thread safety: Append is safe for concurrent use; Replay and Compact must
// not run concurrently with anything else (the engine guarantees it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "local/journal.h"
#include "moe/result.h"
#include "wal/log.h"

namespace moe::local {

// The data directory, the compaction size and group commit: the log's own
// options (wal/log.h).
using WalOptions = wal::LogOptions;

class Wal final : public Journal {
 public:
  // Errors: wal::Log::Open's (kIo, "data directory is in use", ...).
  static Result<std::unique_ptr<Wal>> Open(WalOptions options);

  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Errors: kIo when writing or syncing fails; the log is then unusable and
  // every later Append fails too (the state on disk is unknown).
  Status Append(std::span<const Mutation> group) override;
  // Applies the snapshot, then the log. Errors: kIo for a damaged snapshot
  // or record; the errors of `apply`.
  Status Replay(const std::function<Status(const Mutation&)>& apply) override;
  bool WantsCompaction() const override { return log_->WantsCompaction(); }
  Status Compact(const std::function<Status(SnapshotSink&)>& dump) override;

  // For tests and diagnostics.
  std::string LogPath() const { return log_->LogPath(); }
  int64_t LogBytes() const { return log_->LogBytes(); }
  // Records written to the log since Open, and fdatasyncs issued.
  int64_t records_written() const { return log_->records_written(); }

 private:
  explicit Wal(std::unique_ptr<wal::Log> log) : log_(std::move(log)) {}
  std::unique_ptr<wal::Log> log_;
};

}  // namespace moe::local
