// JournalWriter: commit to the primary under a version condition, then
// append the change to the stream.

#include <algorithm>
#include <charconv>

#include "moe/journal_mirror.h"

namespace moe::mirror {

namespace {

int64_t VersionOf(const std::optional<Item>& item, const std::string& attribute) {
  if (!item) return 0;
  auto it = item->find(attribute);
  if (it == item->end() || it->second.type() != Type::kN) return 0;
  const std::string& text = it->second.n().text();
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size() ? v : 0;
}

int64_t NowMicros(Clock& clock) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace

JournalWriter::JournalWriter(DynamoDbClient& dynamo, KinesisClient& kinesis,
                             JournalWriterOptions options)
    : dynamo_(dynamo),
      kinesis_(kinesis),
      options_(std::move(options)),
      key_names_(options_.key_names) {}

Result<const KeyNames*> JournalWriter::Keys() {
  std::lock_guard lock(keys_mu_);
  if (!key_names_) {
    MOE_TRY(key_names_, DescribeKeyNames(dynamo_, options_.primary_table));
  }
  return &*key_names_;
}

Result<JournalWrite> JournalWriter::Put(Item item) {
  MOE_TRY(const KeyNames* names, Keys());
  MOE_TRY(Item key, ExtractKey(item, *names));
  return Write(key, std::move(item));
}

Result<JournalWrite> JournalWriter::Delete(const Item& key) {
  MOE_TRY(const KeyNames* names, Keys());
  MOE_TRY(Item exact, ExtractKey(key, *names));
  return Write(exact, std::nullopt);
}

Result<JournalWrite> JournalWriter::Write(const Item& key, std::optional<Item> item) {
  const std::string& attr = options_.version_attribute;
  Change change{.table = options_.primary_table, .mirror_table = options_.mirror_table, .key = key};
  for (int attempt = 0;; ++attempt) {
    MOE_TRY(GetItemResponse current,
            dynamo_.GetItem({.table_name = options_.primary_table,
                             .key = key,
                             .consistent_read = true,
                             .projection_expression = "#v",
                             .expression_attribute_names = {{"#v", attr}}}));
    int64_t previous = VersionOf(current.item, attr);
    // Versions grow per key; the clock keeps them growing across a delete,
    // which forgets the previous version.
    change.version = std::max(previous + 1, NowMicros(dynamo_.clock()));
    ExpressionNames names{{"#v", attr}};
    ExpressionValues values;
    std::string condition = "attribute_not_exists(#v)";
    if (current.item && current.item->contains(attr)) {
      condition = "#v = :previous";
      values.emplace(":previous", current.item->at(attr));
    }
    Status written;
    if (item) {
      (*item)[attr] = Value(change.version);
      auto put = dynamo_.PutItem({.table_name = options_.primary_table,
                                  .item = *item,
                                  .condition_expression = condition,
                                  .expression_attribute_names = names,
                                  .expression_attribute_values = values});
      if (!put) written = std::move(put).error();
    } else {
      auto del = dynamo_.DeleteItem({.table_name = options_.primary_table,
                                     .key = key,
                                     .condition_expression = condition,
                                     .expression_attribute_names = names,
                                     .expression_attribute_values = values});
      if (!del) written = std::move(del).error();
    }
    if (written) break;
    if (written.error().code() != ErrorCode::kConditionalCheckFailed ||
        attempt >= options_.max_conflict_retries) {
      return written.error();
    }
  }
  change.deleted = !item.has_value();
  if (item) change.image = std::move(*item);
  auto appended = kinesis_.PutRecord({.stream_name = options_.stream_name,
                                      .partition_key = PartitionKeyFor(key),
                                      .data = EncodeChange(change)});
  if (!appended) {
    Error e = std::move(appended).error();
    return Error(e.code(), "committed to " + options_.primary_table + " at version " +
                               std::to_string(change.version) + " but not journaled to " +
                               options_.stream_name + " (write the key again): " + e.ToString());
  }
  return JournalWrite{change.version, std::move(appended->shard_id),
                      std::move(appended->sequence_number)};
}

}  // namespace moe::mirror
