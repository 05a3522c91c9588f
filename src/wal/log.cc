// The write-ahead log: files, recovery, group commit and compaction.

#include "wal/log.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "wal/record.h"

namespace moe::wal {

namespace {

constexpr std::string_view kLockName = "LOCK";
constexpr std::string_view kSnapshotName = "snapshot";
constexpr std::string_view kSnapshotTmpName = "snapshot.tmp";
constexpr size_t kSnapshotChunk = size_t{1} << 20;

Error IoError(std::string_view what, const std::string& path, int err = errno) {
  return Error(ErrorCode::kIo, std::string(what) + " " + path + ": " + std::strerror(err));
}

std::string LogName(uint64_t generation) {
  char name[40];
  std::snprintf(name, sizeof(name), "wal-%012" PRIu64 ".log", generation);
  return name;
}

// The generation of a log file name, or nullopt for other names.
std::optional<uint64_t> LogGeneration(std::string_view name) {
  unsigned long long g;
  char tail[8];
  if (name.size() != 20 ||
      std::sscanf(std::string(name).c_str(), "wal-%12llu.%3s", &g, tail) != 2 ||
      std::string_view(tail) != "log") {
    return std::nullopt;
  }
  return g;
}

// A whole file mapped read-only; empty for an empty file.
class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IoError("cannot open", path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      Error e = IoError("cannot stat", path);
      ::close(fd);
      return e;
    }
    MappedFile f;
    f.size_ = static_cast<size_t>(st.st_size);
    if (f.size_ > 0) {
      void* p = ::mmap(nullptr, f.size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        Error e = IoError("cannot map", path);
        ::close(fd);
        return e;
      }
      f.data_ = static_cast<const char*>(p);
    }
    ::close(fd);
    return f;
  }
  MappedFile() = default;
  MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; }
  MappedFile& operator=(MappedFile&&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  std::string_view view() const { return {data_ == nullptr ? "" : data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

Status SyncFd(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return IoError("cannot fsync", path);
  return Ok();
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// Decodes and applies every entry of a kGroup payload.
Status ApplyGroup(std::string_view payload, const EntryFn& apply, int64_t* count) {
  payload.remove_prefix(1);
  while (!payload.empty()) {
    size_t before = payload.size();
    MOE_TRY_STATUS(apply(payload));
    if (payload.size() >= before)
      return Error(ErrorCode::kIo, "log entry decoder made no progress");
    ++*count;
  }
  return Ok();
}

// Writes snapshot records to a file in chunks of about kSnapshotChunk.
class FileSnapshotWriter final : public SnapshotWriter {
 public:
  FileSnapshotWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) { Reset(); }
  Status Add(std::string_view entry) override {
    chunk_.append(entry);
    ++count_;
    if (chunk_.size() >= kSnapshotChunk) return Flush();
    return Ok();
  }
  Status Flush() {
    if (chunk_.size() <= 1) return Ok();
    std::string record;
    AppendRecord(chunk_, record);
    Reset();
    return WriteAll(fd_, record, path_);
  }
  uint64_t count() const { return count_; }

 private:
  void Reset() {
    chunk_.clear();
    chunk_.push_back(static_cast<char>(RecordType::kGroup));
  }
  int fd_;
  std::string path_;
  std::string chunk_;
  uint64_t count_ = 0;
};

std::string Framed(RecordType type, uint64_t value) {
  std::string payload(1, static_cast<char>(type));
  PutU64(value, payload);
  std::string record;
  AppendRecord(payload, record);
  return record;
}

}  // namespace

// ------------------------------------------------------------ open

Result<std::unique_ptr<Log>> Log::Open(LogOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot create " + options.dir + ": " + ec.message());
  int dir_fd = ::open(options.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return IoError("cannot open", options.dir);
  std::string lock_path = options.dir + "/" + std::string(kLockName);
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) {
    Error e = IoError("cannot open", lock_path);
    ::close(dir_fd);
    return e;
  }
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(lock_fd);
    ::close(dir_fd);
    if (err == EWOULDBLOCK)
      return Error(ErrorCode::kIo, "data directory is in use: " + options.dir);
    return IoError("cannot lock", lock_path, err);
  }
  // From here the destructor closes the descriptors.
  std::unique_ptr<Log> w(new Log(std::move(options), dir_fd, lock_fd, 0));

  std::string snapshot = w->PathOf(kSnapshotName);
  if (::access(snapshot.c_str(), F_OK) == 0) {
    MOE_TRY(MappedFile f, MappedFile::Open(snapshot));
    size_t next;
    auto header = RecordAt(f.view(), 0, &next);
    uint64_t g;
    std::string_view rest = header ? header->substr(1) : std::string_view();
    if (!header || (*header)[0] != static_cast<char>(RecordType::kSnapshotHeader) ||
        !GetU64(rest, &g)) {
      return Error(ErrorCode::kIo, "corrupt snapshot " + snapshot + ": bad header");
    }
    w->generation_ = g;
    w->has_snapshot_ = true;
  }
  std::string log = w->LogPath();

  // Leftovers of an interrupted compaction.
  ::unlink(w->PathOf(kSnapshotTmpName).c_str());
  if (DIR* d = ::opendir(w->options_.dir.c_str())) {
    std::vector<std::string> stale;
    while (dirent* e = ::readdir(d)) {
      auto g = LogGeneration(e->d_name);
      if (g && *g != w->generation_) stale.push_back(e->d_name);
    }
    ::closedir(d);
    for (const std::string& name : stale) {
      std::string path = w->PathOf(name);
      struct stat st {};
      // A newer log is only ever empty (created before its snapshot was
      // renamed into place); a non-empty one means the snapshot is missing.
      if (*LogGeneration(name) > w->generation_ && ::stat(path.c_str(), &st) == 0 &&
          st.st_size > 0) {
        return Error(ErrorCode::kIo, "log " + path + " has no snapshot; refusing to open");
      }
      ::unlink(path.c_str());
    }
  }

  // Validate the log and truncate a torn tail.
  if (::access(log.c_str(), F_OK) == 0) {
    MOE_TRY(MappedFile f, MappedFile::Open(log));
    std::string_view data = f.view();
    size_t at = 0, next = 0;
    while (at < data.size()) {
      auto payload = RecordAt(data, at, &next);
      if (payload && (*payload)[0] == static_cast<char>(RecordType::kGroup)) {
        at = next;
        continue;
      }
      // Where could the next record start? A header that passes its own
      // checksum tells the extent of its record; the payload may contain
      // anything, so only search past it.
      size_t resume = at + 1;
      if (auto length = TrustedLengthAt(data, at)) resume = at + kHeaderSize + *length;
      if (payload || AnyValidRecordFrom(data, resume)) {
        return Error(ErrorCode::kIo,
                     "corrupt write-ahead log " + log + " at offset " + std::to_string(at));
      }
      break;  // torn tail
    }
    if (at < data.size()) {
      if (::truncate(log.c_str(), static_cast<off_t>(at)) != 0)
        return IoError("cannot truncate", log);
    }
    w->log_bytes_ = static_cast<int64_t>(at);
  }
  MOE_TRY_STATUS(w->OpenLog());
  MOE_TRY_STATUS(SyncFd(w->log_fd_, log));
  MOE_TRY_STATUS(SyncFd(w->dir_fd_, w->options_.dir));
  w->compact_at_ = w->options_.compaction_bytes;
  return w;
}

Log::Log(LogOptions options, int dir_fd, int lock_fd, uint64_t generation)
    : options_(std::move(options)), dir_fd_(dir_fd), lock_fd_(lock_fd), generation_(generation) {
  pending_.push_back(static_cast<char>(RecordType::kGroup));
}

Log::~Log() {
  if (log_fd_ >= 0) ::close(log_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

std::string Log::PathOf(std::string_view name) const {
  return options_.dir + "/" + std::string(name);
}
std::string Log::LogPath() const { return PathOf(LogName(generation_)); }

Status Log::OpenLog() {
  std::string path = LogPath();
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open", path);
  if (log_fd_ >= 0) ::close(log_fd_);
  log_fd_ = fd;
  return Ok();
}

// ------------------------------------------------------------ replay

Status Log::Replay(const EntryFn& apply) {
  if (has_snapshot_) {
    std::string path = PathOf(kSnapshotName);
    MOE_TRY(MappedFile f, MappedFile::Open(path));
    std::string_view data = f.view();
    size_t at = 0, next = 0;
    int64_t count = 0;
    bool ended = false;
    for (bool first = true; at < data.size() && !ended; first = false, at = next) {
      auto payload = RecordAt(data, at, &next);
      if (!payload) break;
      auto type = static_cast<RecordType>((*payload)[0]);
      if (first != (type == RecordType::kSnapshotHeader)) break;
      if (type == RecordType::kGroup) {
        MOE_TRY_STATUS(ApplyGroup(*payload, apply, &count));
      } else if (type == RecordType::kSnapshotEnd) {
        std::string_view rest = payload->substr(1);
        uint64_t expected;
        if (!GetU64(rest, &expected) || expected != static_cast<uint64_t>(count)) break;
        ended = true;
      } else if (type != RecordType::kSnapshotHeader) {
        break;
      }
    }
    if (!ended || at != data.size()) {
      return Error(ErrorCode::kIo, "corrupt snapshot " + path + " at offset " + std::to_string(at));
    }
  }
  std::string path = LogPath();
  MOE_TRY(MappedFile f, MappedFile::Open(path));
  std::string_view data = f.view();
  int64_t count = 0;
  for (size_t at = 0, next = 0; at < data.size(); at = next) {
    auto payload = RecordAt(data, at, &next);
    if (!payload) {
      return Error(ErrorCode::kIo,
                   "corrupt write-ahead log " + path + " at offset " + std::to_string(at));
    }
    MOE_TRY_STATUS(ApplyGroup(*payload, apply, &count));
  }
  return Ok();
}

// ------------------------------------------------------------ append

Status Log::Fail(Error error) {
  broken_ = error;
  return error;
}

Status Log::WriteAndSync(const std::string& record) {
  std::string path = LogPath();
  MOE_TRY_STATUS(WriteAll(log_fd_, record, path));
  if (::fdatasync(log_fd_) != 0) return IoError("cannot fdatasync", path);
  log_bytes_.fetch_add(static_cast<int64_t>(record.size()));
  records_.fetch_add(1);
  return Ok();
}

Status Log::Append(std::string_view entries) {
  if (entries.empty()) return Ok();
  std::string body(entries);

  std::unique_lock<std::mutex> lock(mu_);
  if (broken_) return *broken_;
  if (!options_.group_commit) {
    std::string record;
    body.insert(body.begin(), static_cast<char>(RecordType::kGroup));
    AppendRecord(body, record);
    Status s = WriteAndSync(record);
    if (!s) return Fail(s.error());
    return Ok();
  }
  pending_.append(body);
  uint64_t mine = ++enqueued_;
  while (durable_ < mine && !broken_) {
    if (writing_) {
      cv_.wait(lock);
      continue;
    }
    // Lead: write every pending group as one record.
    writing_ = true;
    std::string batch = std::move(pending_);
    pending_.assign(1, static_cast<char>(RecordType::kGroup));
    uint64_t upto = enqueued_;
    lock.unlock();
    std::string record;
    AppendRecord(batch, record);
    Status s = WriteAndSync(record);
    lock.lock();
    writing_ = false;
    if (s) {
      durable_ = upto;
    } else {
      broken_ = s.error();
    }
    cv_.notify_all();
  }
  if (durable_ >= mine) return Ok();
  return *broken_;
}

// ------------------------------------------------------------ compaction

bool Log::WantsCompaction() const { return log_bytes_.load() >= compact_at_.load(); }

Status Log::Compact(const std::function<Status(SnapshotWriter&)>& dump) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !writing_; });
  if (broken_) return *broken_;
  uint64_t next_generation = generation_ + 1;
  std::string tmp = PathOf(kSnapshotTmpName);
  std::string new_log = PathOf(LogName(next_generation));
  auto attempt = [&]() -> Status {
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return IoError("cannot create", tmp);
    FileSnapshotWriter sink(fd, tmp);
    Status s = WriteAll(fd, Framed(RecordType::kSnapshotHeader, next_generation), tmp);
    if (s) s = dump(sink);
    if (s) s = sink.Flush();
    if (s) s = WriteAll(fd, Framed(RecordType::kSnapshotEnd, sink.count()), tmp);
    if (s) s = SyncFd(fd, tmp);
    ::close(fd);
    MOE_TRY_STATUS(s);
    int log_fd = ::open(new_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return IoError("cannot create", new_log);
    s = SyncFd(log_fd, new_log);
    ::close(log_fd);
    MOE_TRY_STATUS(s);
    if (::rename(tmp.c_str(), PathOf(kSnapshotName).c_str()) != 0)
      return IoError("cannot rename", tmp);
    return Ok();
  };
  if (Status s = attempt(); !s) {
    ::unlink(tmp.c_str());
    ::unlink(new_log.c_str());
    compact_at_ = log_bytes_.load() * 2;  // retry later, not on every request
    return s;
  }
  // The new snapshot is in place: from now on the old log is superseded,
  // whatever happens next. Make the rename durable before deleting it.
  std::string old_log = LogPath();
  generation_ = next_generation;
  has_snapshot_ = true;
  Status s = SyncFd(dir_fd_, options_.dir);
  if (s) s = OpenLog();
  if (!s) return Fail(s.error());
  ::unlink(old_log.c_str());
  log_bytes_ = 0;
  compact_at_ = options_.compaction_bytes;
  return Ok();
}

}  // namespace moe::wal
