// The engine's Journal on wal::Log: mutations encoded as log entries.

#include "local/wal.h"

#include "local/mutation_codec.h"

namespace moe::local {

namespace {

// Encodes the mutations of a snapshot as log entries.
class EncodingSink final : public SnapshotSink {
 public:
  explicit EncodingSink(wal::SnapshotWriter& writer) : writer_(writer) {}
  Status Add(const Mutation& m) override {
    entry_.clear();
    EncodeMutation(m, entry_);
    return writer_.Add(entry_);
  }

 private:
  wal::SnapshotWriter& writer_;
  std::string entry_;
};

}  // namespace

Result<std::unique_ptr<Wal>> Wal::Open(WalOptions options) {
  MOE_TRY(std::unique_ptr<wal::Log> log,
          wal::Log::Open(std::move(options)));
  return std::unique_ptr<Wal>(new Wal(std::move(log)));
}

Status Wal::Append(std::span<const Mutation> group) {
  if (group.empty()) return Ok();
  std::string entries;
  for (const Mutation& m : group) EncodeMutation(m, entries);
  return log_->Append(entries);
}

Status Wal::Replay(const std::function<Status(const Mutation&)>& apply) {
  return log_->Replay([&](std::string_view& in) -> Status {
    MOE_TRY(Mutation m, DecodeMutation(in));
    return apply(m);
  });
}

Status Wal::Compact(const std::function<Status(SnapshotSink&)>& dump) {
  return log_->Compact([&](wal::SnapshotWriter& writer) -> Status {
    EncodingSink sink(writer);
    return dump(sink);
  });
}

}  // namespace moe::local
