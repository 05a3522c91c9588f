// Wal: the durable Journal of the embedded engine, a write-ahead log plus
// snapshots in one data directory.
//
// Files in the directory:
//   LOCK                  flock(LOCK_EX) held while open: a second process
//                         (or a second Open in this one) gets kIo.
//   snapshot              optional; the whole state at some point, as records
//                         (wal_format.h): [kSnapshotHeader: generation g]
//                         [kGroup ...]* [kSnapshotEnd: mutation count].
//   wal-<g>.log           the log that follows snapshot generation g (g = 0
//                         without a snapshot): kGroup records, appended.
//
// Guarantees: Append returns Ok only after the group's record was written and
// fdatasync'ed, so every acknowledged write survives a process kill and (as
// far as the file system honors fdatasync) a power loss. A record is atomic:
// a group (a transaction, a batch) is replayed entirely or not at all. With
// group commit, the groups of concurrent appenders form one record and share
// one write + fdatasync (a leader writes, followers wait on a condition
// variable); their Appends all return once that record is durable.
//
// Recovery (Open + Replay): the snapshot must be intact (it was fsync'ed
// before being renamed into place); the log is read record by record. A bad
// record (short, bad checksum) after which no valid record follows is the
// torn tail of a write that was never acknowledged: it is truncated away. A
// bad record followed by a valid one is damage to acknowledged data: kIo
// naming the file and offset; nothing is skipped silently.
//
// Compaction: once the log exceeds `compaction_bytes`, the engine quiesces
// and calls Compact, which writes snapshot.tmp (generation g+1), fsyncs it,
// creates an empty wal-<g+1>.log, renames snapshot.tmp to snapshot, fsyncs
// the directory and only then deletes wal-<g>.log. A crash at any step
// leaves either the old snapshot + old log or the new snapshot + new log;
// Open deletes leftovers (snapshot.tmp, logs of other generations that are
// superseded or empty).
//
// Thread safety: Append is safe for concurrent use; Replay and Compact must
// not run concurrently with anything else (the engine guarantees it).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "local/journal.h"
#include "moe/result.h"

namespace moe::local {

struct WalOptions {
  // The data directory; created when missing.
  std::string dir;
  // Compact once the log holds this many bytes. Default: 64 MiB.
  int64_t compaction_bytes = int64_t{64} << 20;
  // Concurrent Appends share one write + fdatasync. Default: true.
  bool group_commit = true;
};

class Wal final : public Journal {
 public:
  // Locks the directory, removes compaction leftovers and truncates a torn
  // tail of the log. Errors: kIo ("data directory is in use", unreadable
  // files, a log damaged before its tail).
  static Result<std::unique_ptr<Wal>> Open(WalOptions options);
  ~Wal() override;

  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Errors: kIo when writing or syncing fails; the log is then unusable and
  // every later Append fails too (the state on disk is unknown).
  Status Append(std::span<const Mutation> group) override;
  // Applies the snapshot, then the log. Errors: kIo for a damaged snapshot
  // or record; the errors of `apply`.
  Status Replay(const std::function<Status(const Mutation&)>& apply) override;
  bool WantsCompaction() const override;
  Status Compact(const std::function<Status(SnapshotSink&)>& dump) override;

  // For tests and diagnostics.
  std::string LogPath() const;
  int64_t LogBytes() const { return log_bytes_.load(); }
  // Records written to the log since Open, and fdatasyncs issued.
  int64_t records_written() const { return records_.load(); }

 private:
  Wal(WalOptions options, int dir_fd, int lock_fd, uint64_t generation);

  std::string PathOf(std::string_view name) const;
  Status OpenLog();
  Status WriteAndSync(const std::string& record);
  Status Fail(Error error);

  WalOptions options_;
  int dir_fd_ = -1;
  int lock_fd_ = -1;
  int log_fd_ = -1;
  uint64_t generation_ = 0;
  bool has_snapshot_ = false;

  std::atomic<int64_t> log_bytes_{0};
  std::atomic<int64_t> compact_at_{0};
  std::atomic<int64_t> records_{0};

  // Group commit: groups wait in `pending_` (one kGroup payload) for the
  // leader, the one Append that is writing (`writing_`).
  std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;
  uint64_t enqueued_ = 0;  // groups added to pending_ so far
  uint64_t durable_ = 0;   // groups durable so far
  bool writing_ = false;
  std::optional<Error> broken_;
};

}  // namespace moe::local
