// The Sequence strategy's reads: one sequence's metadata, an owner's
// sequences (Collection) and a sequence's items (SequenceReader).
#include "moe/sequence.h"
#include "persistence/common.h"
#include "persistence/sequence_codec.h"

namespace moe {

Result<std::optional<SequenceInfo>> Sequences::Find(const std::string& owner,
                                                    const std::string& id) {
  MOE_TRY(FamilyGet got, family_.Get({.key = {{keys_.hash, owner},
                                              {keys_.range, SequenceRangeKey(0, id)}},
                                      .consistent_read = options_.consistent_reads}));
  if (!got.item || persistence::IsTombstone(*got.item)) return std::optional<SequenceInfo>();
  MOE_TRY(SequenceInfo info, persistence::DecodeMetadata(*got.item, keys_));
  return std::optional<SequenceInfo>(std::move(info));
}

Result<Collection> Sequences::List(const std::string& owner,
                                   std::optional<std::string_view> token, int page_size) {
  QueryRequest q{.key_condition_expression = "#h = :o AND begins_with(#r, :p)",
                 .filter_expression = "attribute_not_exists(#a)",
                 .expression_attribute_names = {{"#h", keys_.hash},
                                                {"#r", keys_.range},
                                                {"#a", std::string(persistence::kAbandoned)}},
                 .expression_attribute_values = {{":o", owner},
                                                 {":p", persistence::MetadataPrefix()}},
                 .scan_index_forward = false,
                 .consistent_read = options_.consistent_reads};
  MOE_TRY(auto merged, family_.Query(std::move(q), token,
                                     MergedQueryOptions{.page_size = page_size,
                                                        .distinct_keys = true}));
  return Collection(keys_, std::move(merged));
}

Result<SequencePage> Collection::NextPage() {
  MOE_TRY(MergedPage page, query_->NextPage());
  SequencePage out{.next_token = std::move(page.next_token)};
  for (const Item& item : page.items) {
    MOE_TRY(SequenceInfo info, persistence::DecodeMetadata(item, keys_));
    out.sequences.push_back(std::move(info));
  }
  return out;
}

Result<SequenceReader> Sequences::Read(SequenceInfo info) {
  QueryRequest q{.key_condition_expression = "#h = :o AND #r BETWEEN :first AND :last",
                 .expression_attribute_names = {{"#h", keys_.hash}, {"#r", keys_.range}},
                 .expression_attribute_values = {{":o", info.owner},
                                                 {":first", SequenceRangeKey(1, info.id)},
                                                 {":last", SequenceRangeKey(info.count, info.id)}},
                 .consistent_read = options_.consistent_reads};
  std::unique_ptr<MergedQuery> query;
  if (info.count > 0) {
    MOE_TRY(query, family_.Query(std::move(q), std::nullopt,
                                 MergedQueryOptions{.page_size = options_.read_chunk,
                                                    .distinct_keys = true}));
  }
  return SequenceReader(keys_, std::move(info), std::move(query));
}

Result<std::vector<Item>> Sequences::ReadAll(const std::string& owner, const std::string& id) {
  MOE_TRY(std::optional<SequenceInfo> info, Find(owner, id));
  if (!info) return Error::ResourceNotFound("sequence " + id + " of " + owner + " is not saved");
  MOE_TRY(SequenceReader reader, Read(std::move(*info)));
  std::vector<Item> items;
  items.reserve(reader.info().count);
  while (!reader.done()) {
    MOE_TRY(std::vector<Item> chunk, reader.Next());
    std::move(chunk.begin(), chunk.end(), std::back_inserter(items));
  }
  return items;
}

Result<std::vector<Item>> SequenceReader::Next() {
  auto missing = [&] {
    return Error::ResourceNotFound("item " + std::to_string(next_) + " of saved sequence " +
                                   info_.id + " is in no read period");
  };
  std::vector<Item> items;
  while (!done() && items.empty()) {
    if (query_->done()) return missing();
    MOE_TRY(MergedPage page, query_->NextPage());
    for (Item& item : page.items) {
      const Value& range = item.at(keys_.range);
      auto parsed = persistence::ParseSequenceRangeKey(
          range.is(Type::kS) ? std::string_view(range.s()) : std::string_view());
      if (!parsed || parsed->n != next_) return missing();
      ++next_;
      items.push_back(persistence::WithoutReserved(std::move(item), keys_));
    }
  }
  return items;
}

}  // namespace moe
