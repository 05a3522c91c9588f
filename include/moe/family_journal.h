// KinesisFamilyJournal: the journal behind table families' write-behind
// mirror mode (MirrorMode::kWriteBehind, moe/family_client.h). FamilyClient
// writes copy 1 and hands the change here; each mirror copy gets one change
// record on the stream (partition key = the item's key), and a
// TrickleConsumer with an empty `mirror_table` applies every record to the
// copy it names, at its capped rate. Protocol: docs/journal-mirror.md.
//
//   MOE_TRY_STATUS(moe::mirror::EnsureFamilyJournal(*kinesis, spec));
//   moe::mirror::KinesisFamilyJournal journal(*kinesis, moe::JournalStreamName(spec));
//   moe::FamilyClientOptions options{.journal = &journal};
//   ...
//   moe::mirror::TrickleConsumer consumer(*dynamo, *kinesis, FamilyTrickleOptions(spec));
//
// A family's stream and lease table are named by its declaration
// (JournalStreamName, JournalLeaseTableName in moe/family.h), so writers,
// consumers and `moe mirror trickle|lag FAMILY` find them from the family.
//
// The change's version is the image's version attribute (FamilyClient's
// `_moe_ts`, microseconds of its clock), or the journal's clock for a delete.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <string>

#include "moe/family.h"
#include "moe/family_client.h"
#include "moe/journal_mirror.h"
#include "moe/kinesis.h"

namespace moe::mirror {

class KinesisFamilyJournal final : public MirrorJournal {
 public:
  // Borrows `kinesis`, which must outlive the journal.
  KinesisFamilyJournal(KinesisClient& kinesis, std::string stream,
                       std::string version_attribute = "_moe_ts");

  // Appends one record per mirror table (PutRecordsAll, in order). Errors:
  // the Kinesis client's, or kRetriesExhausted naming how many records did
  // not land (a retry appends them all again; replays are harmless).
  Status Append(const MirroredChange& change) override;

 private:
  KinesisClient& kinesis_;
  const std::string stream_;
  const std::string version_attribute_;
};

// Creates the family's journal stream (JournalStreamName) with `shards`
// shards when it does not exist, and waits until it is ACTIVE. Idempotent.
// Errors: kInvalidArgument when the family is not in WRITE_BEHIND mode; the
// Kinesis client's; kTimeout waiting.
Status EnsureFamilyJournal(KinesisClient& kinesis, const FamilySpec& spec, int shards = 1);

// The consumer options of the family's journal: its stream and lease table
// (moe/family.h), FamilyClient's version attribute ("_moe_ts"), and no
// mirror table (each record goes to the copy it names). The caller adds the
// rate cap, consumer id, hook and clock.
TrickleOptions FamilyTrickleOptions(const FamilySpec& spec);

}  // namespace moe::mirror
