// Log: a write-ahead log plus snapshots in one directory, over opaque,
// self-delimiting entries whose codec belongs to the user. The embedded
// engine keeps its mutations in one (local/wal.h); the embedded Kinesis
// journal keeps its streams and records in another (kinesis_local).
//
// Files in the directory:
//   LOCK                  flock(LOCK_EX) held while open: a second process
//                         (or a second Open in this one) gets kIo.
//   snapshot              optional; the whole state at some point, as records
//                         (record.h): [kSnapshotHeader: generation g]
//                         [kGroup ...]* [kSnapshotEnd: entry count].
//   wal-<g>.log           the log that follows snapshot generation g (g = 0
//                         without a snapshot): kGroup records, appended.
//
// Guarantees: Append returns Ok only after the group's record was written and
// fdatasync'ed, so every acknowledged group survives a process kill and (as
// far as the file system honors fdatasync) a power loss. A record is atomic:
// a group is replayed entirely or not at all. With group commit, the groups
// of concurrent appenders form one record and share one write + fdatasync (a
// leader writes, followers wait on a condition variable); their Appends all
// return once that record is durable.
//
// Recovery (Open + Replay): the snapshot must be intact (it was fsync'ed
// before being renamed into place); the log is read record by record. A bad
// record (short, bad checksum) after which no valid record follows is the
// torn tail of a write that was never acknowledged: it is truncated away. A
// bad record followed by a valid one is damage to acknowledged data: kIo
// naming the file and offset; nothing is skipped silently.
//
// Compaction: once the log exceeds `compaction_bytes`, the user quiesces and
// calls Compact, which writes snapshot.tmp (generation g+1), fsyncs it,
// creates an empty wal-<g+1>.log, renames snapshot.tmp to snapshot, fsyncs
// the directory and only then deletes wal-<g>.log. A crash at any step
// leaves either the old snapshot + old log or the new snapshot + new log;
// Open deletes leftovers (snapshot.tmp, logs of other generations that are
// superseded or empty).
//
// Thread safety: Append is safe for concurrent use; Replay and Compact must
// not run concurrently with anything else (the user guarantees it).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "moe/result.h"

namespace moe::wal {

struct LogOptions {
  // The directory; created when missing.
  std::string dir;
  // WantsCompaction once the log holds this many bytes. Default: 64 MiB.
  int64_t compaction_bytes = int64_t{64} << 20;
  // Concurrent Appends share one write + fdatasync. Default: true.
  bool group_commit = true;
};

// Decodes one entry from the front of `in`, advances `in` past it, and
// applies it. Errors stop the replay and are returned as they are.
using EntryFn = std::function<Status(std::string_view& in)>;

// Receives the whole state as encoded entries while the user is quiesced.
class SnapshotWriter {
 public:
  virtual ~SnapshotWriter() = default;
  // `entry`: one encoded entry, as EntryFn will decode it.
  virtual Status Add(std::string_view entry) = 0;
};

class Log {
 public:
  // Locks the directory, removes compaction leftovers and truncates a torn
  // tail of the log. Errors: kIo ("data directory is in use", unreadable
  // files, a log damaged before its tail).
  static Result<std::unique_ptr<Log>> Open(LogOptions options);
  ~Log();

  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  // Makes `entries` (one group: one or more encoded entries, back to back)
  // durable. An empty group is Ok and writes nothing. Errors: kIo when
  // writing or syncing fails; the log is then unusable and every later
  // Append fails too (the state on disk is unknown).
  Status Append(std::string_view entries);
  // Feeds the snapshot's entries, then the log's, in order, to `apply`
  // (called until each record's payload is used up). Errors: kIo for a
  // damaged snapshot or record; the errors of `apply`.
  Status Replay(const EntryFn& apply);
  bool WantsCompaction() const;
  // Replaces the log by a snapshot: `dump` feeds the full state to the
  // writer. No Append may run concurrently. Errors: kIo; the log then stays
  // as it was.
  Status Compact(const std::function<Status(SnapshotWriter&)>& dump);

  // For tests and diagnostics.
  std::string LogPath() const;
  int64_t LogBytes() const { return log_bytes_.load(); }
  // Records written to the log since Open, and fdatasyncs issued.
  int64_t records_written() const { return records_.load(); }

 private:
  Log(LogOptions options, int dir_fd, int lock_fd, uint64_t generation);

  std::string PathOf(std::string_view name) const;
  Status OpenLog();
  Status WriteAndSync(const std::string& record);
  Status Fail(Error error);

  LogOptions options_;
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

}  // namespace moe::wal
