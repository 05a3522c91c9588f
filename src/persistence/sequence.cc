// The Sequence strategy: its description, the store, and the Collector.
#include "moe/sequence.h"

#include "persistence/common.h"
#include "persistence/sequence_codec.h"

namespace moe {

using persistence::DigestText;
using persistence::ItemDigest;

KeyLayout SequenceStrategy::Layout() const {
  return {.hash = "owner id (S)",
          .range = "(S) \"m.<sequence id>\" = metadata; \"i.<sequence id>.<n>\" = item n, "
                   "1..count, zero-padded to 10 digits; id = \"<creation µs, 16 digits>-<8 hex>\"",
          .attributes = {"metadata: count (N), saved_at (N, µs), digest (S), payload (M)",
                         "items: the caller's attributes",
                         "tombstone of a cleaned sequence: abandoned (BOOL)"}};
}

std::vector<AccessPattern> SequenceStrategy::AccessPatterns() const {
  return {
      {.name = "append items (Collector::Add, flushed every batch_limit)",
       .request = "BatchWriteItem, 25 puts per request, to every copy",
       .cost = "ceil(item size / 1 KB) WCU per item and copy"},
      {.name = "save a sequence (Collector::Save)",
       .request = "PutItem \"m.<id>\" if attribute_not_exists (and a consistent GetItem per "
                  "read period first when the sequence began before the write period)",
       .cost = "ceil(metadata size / 1 KB) WCU per copy (+ 1 RCU per read period)"},
      {.name = "list an owner's sequences, newest first (Sequences::List)",
       .request = "Query owner = :o AND begins_with(sk, \"m.\"), descending, per read period",
       .cost = "ceil(metadata bytes per page / 4 KB) x 0.5 RCU (eventually consistent), at "
               "least 0.5 RCU per read period"},
      {.name = "read a sequence's items in order (SequenceReader)",
       .request = "Query owner = :o AND sk BETWEEN \"i.<id>.1\" AND \"i.<id>.<count>\", per "
                  "read period",
       .cost = "ceil(item bytes per page / 4 KB) x 0.5 RCU (eventually consistent)"},
      {.name = "clean abandoned items (Sequences::Clean)",
       .request = "Query the owner's keys per period (keys only) + tombstone PutItem + "
                  "BatchWriteItem deletes",
       .cost = "ceil(bytes of the owner's items / 4 KB) x 1 RCU + 1 WCU per deleted item and copy"},
  };
}

Status SequenceStrategy::CheckFamily(const FamilySpec& spec) const {
  MOE_TRY_STATUS(internal::RequireKeys(name(), spec, ScalarAttributeType::kS,
                                       ScalarAttributeType::kS));
  return Ok();
}

FamilySpec SequenceStrategy::ExampleSpec(std::string family, Period period) const {
  FamilySpec spec;
  spec.name = std::move(family);
  spec.attribute_definitions = {{"owner", ScalarAttributeType::kS},
                                {"sk", ScalarAttributeType::kS}};
  spec.key_schema = {{"owner", KeyType::kHash}, {"sk", KeyType::kRange}};
  spec.period = period;
  return spec;
}

Sequences::Sequences(DynamoDbClient& client, FamilyClient& family, SequenceOptions options,
                     internal::KeyAttributeNames keys, Clock& clock)
    : client_(client),
      family_(family),
      options_(std::move(options)),
      keys_(std::move(keys)),
      clock_(clock) {}

Result<std::unique_ptr<Sequences>> Sequences::Open(DynamoDbClient& client, FamilyClient& family,
                                                   SequenceOptions options) {
  if (options.batch_limit < 1 || options.read_chunk < 1) {
    return Error::InvalidArgument("batch_limit and read_chunk must be at least 1");
  }
  MOE_TRY(FamilyState state, family.State());
  MOE_TRY(auto keys, internal::RequireKeys("sequence", state.spec, ScalarAttributeType::kS,
                                           ScalarAttributeType::kS));
  Clock& clock = options.clock != nullptr ? *options.clock : client.clock();
  return std::unique_ptr<Sequences>(
      new Sequences(client, family, std::move(options), std::move(keys), clock));
}

Collector Sequences::NewSequence(std::string owner) {
  return Collector(*this, std::move(owner), persistence::NewSequenceId(clock_.Now()), 0);
}

Result<Collector> Sequences::Resume(std::string owner, std::string id,
                                    int64_t already_written) {
  if (!persistence::SequenceIdTime(id)) {
    return Error::InvalidArgument("'" + id + "' is not a sequence id");
  }
  if (already_written < 0) return Error::InvalidArgument("already_written must be >= 0");
  return Collector(*this, std::move(owner), std::move(id), already_written);
}

Collector::Collector(Sequences& store, std::string owner, std::string id,
                     int64_t already_written)
    : store_(&store),
      owner_(std::move(owner)),
      id_(std::move(id)),
      already_written_(already_written),
      count_(already_written) {}

Status Collector::Add(Item item) {
  if (auto reserved = persistence::FirstReserved(item, store_->keys_)) {
    return Error::InvalidArgument("attribute '" + *reserved +
                                  "' is reserved (a key name, or starts with _moe)");
  }
  ++count_;
  digest_ += ItemDigest(count_, item);
  item[store_->keys_.hash] = owner_;
  item[store_->keys_.range] = SequenceRangeKey(count_, id_);
  pending_.push_back(std::move(item));
  if (pending_.size() >= static_cast<size_t>(store_->options_.batch_limit)) return Flush();
  return Ok();
}

Status Collector::Flush() {
  if (pending_.empty()) return Ok();
  std::vector<WriteRequest> writes;
  writes.reserve(pending_.size());
  for (const Item& item : pending_) writes.push_back({.put_item = item});
  MOE_TRY(MirroredBatch batch, store_->family_.BatchWrite(std::move(writes)));
  // Copy 1 decides: what it lacks stays queued. A mirror's misses are
  // recorded for repair by the family client.
  const std::vector<FailedWrite>& failed = batch.copies.front().failed;
  if (failed.empty()) {
    pending_.clear();
    return Ok();
  }
  std::vector<Item> left;
  for (const FailedWrite& f : failed) left.push_back(std::move(pending_[f.index]));
  size_t total = pending_.size();
  pending_ = std::move(left);
  const Error& first = failed.front().error;
  return Error(first.code(), std::to_string(pending_.size()) + " of " + std::to_string(total) +
                                 " items not written (kept queued): " + first.message());
}

Result<SequenceInfo> Collector::Save(Item payload) {
  MOE_TRY_STATUS(Flush());
  const internal::KeyAttributeNames& keys = store_->keys_;
  SequenceInfo info{.owner = owner_,
                    .id = id_,
                    .count = count_,
                    .created_at = *persistence::SequenceIdTime(id_),
                    // As stored (µs), so this Save and a re-run return equal metadata.
                    .saved_at = std::chrono::floor<std::chrono::microseconds>(store_->clock_.Now()),
                    .payload = std::move(payload)};
  uint64_t digest = digest_;
  if (already_written_ > 0) {  // items written elsewhere: they must all be there
    SequenceInfo written = info;
    written.count = already_written_;
    MOE_TRY(SequenceReader reader, store_->Read(std::move(written)));
    int64_t n = 0;
    while (!reader.done()) {
      MOE_TRY(std::vector<Item> chunk, reader.Next());
      for (const Item& item : chunk) digest += ItemDigest(++n, item);
    }
  }
  info.digest = DigestText(digest);
  // A stored metadata item settles it: the same items make this a re-run.
  auto settle = [&](const Item& stored) -> Result<SequenceInfo> {
    if (persistence::IsTombstone(stored)) {
      return Error(ErrorCode::kConditionalCheckFailed,
                   "sequence " + id_ + " was cleaned as abandoned; start a new one");
    }
    MOE_TRY(SequenceInfo saved, persistence::DecodeMetadata(stored, keys));
    if (saved.count != info.count || saved.digest != info.digest) {
      return Error(ErrorCode::kConditionalCheckFailed,
                   "sequence " + id_ + " is already saved with other items");
    }
    return saved;
  };
  auto load = [&] {
    return store_->family_.Get(
        {.key = {{keys.hash, owner_}, {keys.range, SequenceRangeKey(0, id_)}},
         .consistent_read = true});
  };
  // A sequence begun before the write period may have been saved (or
  // tombstoned) in an older period, which the condition below cannot see.
  MOE_TRY(FamilyState state, store_->family_.State());
  if (info.created_at < state.write_period->Start()) {
    MOE_TRY(FamilyGet stored, load());
    if (stored.item) return settle(*stored.item);
  }

  auto put = store_->family_.Put({.item = persistence::EncodeMetadata(info, keys),
                                  .condition_expression = "attribute_not_exists(#r)",
                                  .expression_attribute_names = {{"#r", keys.range}}});
  if (put) return info;
  if (put.error().code() != ErrorCode::kConditionalCheckFailed) return std::move(put).error();
  // Saved before (a re-run), or lost a race with another run or with Clean.
  MOE_TRY(FamilyGet stored, load());
  if (!stored.item) return std::move(put).error();
  return settle(*stored.item);
}

}  // namespace moe
