#include "moe/family_journal.h"

#include <charconv>

#include "moe/journal_mirror.h"

namespace moe::mirror {

KinesisFamilyJournal::KinesisFamilyJournal(KinesisClient& kinesis, std::string stream,
                                           std::string version_attribute)
    : kinesis_(kinesis),
      stream_(std::move(stream)),
      version_attribute_(std::move(version_attribute)) {}

Status KinesisFamilyJournal::Append(const MirroredChange& change) {
  Change record{.table = change.primary_table, .key = change.key};
  record.version = std::chrono::duration_cast<std::chrono::microseconds>(
                       kinesis_.clock().Now().time_since_epoch())
                       .count();
  if (change.new_image) {
    record.image = *change.new_image;
    auto it = record.image.find(version_attribute_);
    if (it != record.image.end() && it->second.type() == Type::kN) {
      const std::string& text = it->second.n().text();
      std::from_chars(text.data(), text.data() + text.size(), record.version);
    }
  } else {
    record.deleted = true;
  }
  std::vector<kinesis::PutRecordsEntry> entries;
  for (const std::string& table : change.mirror_tables) {
    record.mirror_table = table;
    entries.push_back({PartitionKeyFor(change.key), EncodeChange(record)});
  }
  if (entries.empty()) return Ok();
  MOE_TRY(kinesis::PutAllResult put,
          kinesis_.PutRecordsAll(stream_, entries, {.max_in_flight = 1}));
  if (!put.failed.empty()) {
    return Error(ErrorCode::kRetriesExhausted,
                 std::to_string(put.failed.size()) + " of " + std::to_string(entries.size()) +
                     " journal records did not land: " + put.failed.front().error.ToString());
  }
  return Ok();
}

Status EnsureFamilyJournal(KinesisClient& kinesis, const FamilySpec& spec, int shards) {
  if (spec.mirror_mode != MirrorMode::kWriteBehind) {
    return Error::InvalidArgument("family '" + spec.name + "' mirrors in " +
                                  std::string(MirrorModeName(spec.mirror_mode)) +
                                  " mode; only WRITE_BEHIND families have a journal");
  }
  std::string stream = JournalStreamName(spec);
  auto created = kinesis.CreateStream({.stream_name = stream, .shard_count = shards});
  if (!created && created.error().code() != ErrorCode::kResourceInUse) return created.error();
  MOE_TRY_STATUS(kinesis.WaitUntilActive(stream));
  return Ok();
}

TrickleOptions FamilyTrickleOptions(const FamilySpec& spec) {
  return {.stream_name = JournalStreamName(spec),
          .mirror_table = "",
          .lease_table = JournalLeaseTableName(spec),
          .version_attribute = "_moe_ts"};
}

}  // namespace moe::mirror
