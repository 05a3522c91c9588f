// Sequences: an owner has many sequences, each an ordered list of items plus
// a payload, stored with the Sequence strategy (include/moe/sequence.h) in
// one table family with no index. Add items (flushed in batches), Save (the
// sequence becomes visible only then, all at once), list the owner's
// sequences newest first, and read one back in order.
//
//   sequence local:    # or an endpoint URL
#include <cstdio>
#include <string>

#include "connect.h"
#include "moe/json.h"
#include "moe/registry.h"
#include "moe/sequence.h"

namespace {

moe::Status Run(moe::DynamoDbClient& client) {
  // The family: declared once (normally `moe family declare`), rotated so
  // its table exists. NONE: one table, no rotation.
  moe::Registry registry(client);
  MOE_TRY_STATUS(registry.EnsureTables());
  MOE_TRY_STATUS(registry.Declare(moe::SequenceStrategy().ExampleSpec("runs", moe::Period::kNone)));
  MOE_TRY_STATUS(registry.Rotate("runs"));
  MOE_TRY(auto family, moe::FamilyClient::Open(client, registry, "runs"));
  MOE_TRY(auto sequences, moe::Sequences::Open(client, *family));

  // Write: items are numbered 1, 2, ... and flushed every 100.
  moe::Collector run = sequences->NewSequence("user#42");
  for (int i = 1; i <= 101; ++i) {
    MOE_TRY_STATUS(run.Add({{"step", i}, {"loss", *moe::Number::Parse("0.5")}}));
  }
  MOE_TRY(moe::SequenceInfo saved, run.Save({{"model", "small"}}));
  std::printf("saved: %s, %lld items\n", saved.id.c_str(), static_cast<long long>(saved.count));

  // List the owner's sequences, newest first, a page at a time.
  MOE_TRY(moe::Collection list, sequences->List("user#42"));
  while (!list.done()) {
    MOE_TRY(moe::SequencePage page, list.NextPage());
    for (const moe::SequenceInfo& s : page.sequences) {
      std::printf("listed: %s count %lld payload %s\n", s.id.c_str(),
                  static_cast<long long>(s.count), moe::ItemToPlainJson(s.payload).c_str());
    }
  }

  // Read it back in order: one Query over the item range, in chunks.
  MOE_TRY(moe::SequenceReader reader, sequences->Read(saved));
  size_t read = 0;
  while (!reader.done()) {
    MOE_TRY(std::vector<moe::Item> chunk, reader.Next());
    if (read == 0) std::printf("first: %s\n", moe::ItemToPlainJson(chunk.front()).c_str());
    read += chunk.size();
  }
  std::printf("read: %zu items\n", read);
  return moe::Ok();
}

}  // namespace

int main(int argc, char** argv) { return examples::Main(argc, argv, Run); }
