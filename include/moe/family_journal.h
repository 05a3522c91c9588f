// KinesisFamilyJournal: the journal behind table families' write-behind
// mirror mode (MirrorMode::kWriteBehind, moe/family_client.h). FamilyClient
// writes copy 1 and hands the change here; each mirror copy gets one change
// record on the stream (partition key = the item's key), and a
// TrickleConsumer with an empty `mirror_table` applies every record to the
// copy it names, at its capped rate. Protocol: docs/journal-mirror.md.
//
//   moe::mirror::KinesisFamilyJournal journal(*kinesis, "events_journal");
//   moe::FamilyClientOptions options{.journal = &journal};
//
// The change's version is the image's version attribute (FamilyClient's
// `_moe_ts`, microseconds of its clock), or the journal's clock for a delete.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <string>

#include "moe/family_client.h"
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

}  // namespace moe::mirror
