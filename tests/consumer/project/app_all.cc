// The umbrella target moe::moe (every module): a table family on the embedded
// engine, a sequence saved through the Sequence strategy and read back, and a
// write-sharded key, through the installed headers and libraries only.
// Prints "consumer all ok: <tables> <items read> <shards>".
#include <cstdio>
#include <memory>
#include <utility>

#include "moe/client.h"
#include "moe/local.h"
#include "moe/registry.h"
#include "moe/sequence.h"
#include "moe/sharding.h"

namespace {

moe::Status Run(moe::DynamoDbClient& client) {
  moe::Registry registry(client);
  MOE_TRY_STATUS(registry.EnsureTables());
  MOE_TRY_STATUS(registry.Declare(moe::SequenceStrategy().ExampleSpec("runs", moe::Period::kNone)));
  MOE_TRY_STATUS(registry.Rotate("runs"));
  MOE_TRY(auto family, moe::FamilyClient::Open(client, registry, "runs"));
  MOE_TRY(auto sequences, moe::Sequences::Open(client, *family));
  moe::Collector run = sequences->NewSequence("owner");
  for (int i = 1; i <= 30; ++i) MOE_TRY_STATUS(run.Add({{"step", i}}));
  MOE_TRY(moe::SequenceInfo saved, run.Save({}));
  MOE_TRY(moe::SequenceReader reader, sequences->Read(saved));
  size_t read = 0;
  while (!reader.done()) {
    MOE_TRY(std::vector<moe::Item> chunk, reader.Next());
    read += chunk.size();
  }
  MOE_TRY(moe::ListTablesResponse tables, client.ListTables({}));
  auto policy = moe::partitioning::NewRandomSuffixPolicy(moe::partitioning::ShardHistory(4), 0);
  std::printf("consumer all ok: %zu %zu %zu\n", tables.table_names.size(), read,
              policy->AllKeys("hot").size());
  return moe::Ok();
}

}  // namespace

int main() {
  auto engine = moe::local::Engine::Open({});
  if (!engine) return std::fprintf(stderr, "%s\n", engine.error().ToString().c_str()), 1;
  moe::ClientOptions options;
  options.endpoint = "http://local.invalid";
  options.transport = moe::local::NewLoopbackTransport(**engine);
  options.credentials = moe::NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
  auto client = moe::DynamoDbClient::Create(std::move(options));
  if (!client) return std::fprintf(stderr, "%s\n", client.error().ToString().c_str()), 1;
  if (moe::Status s = Run(**client); !s) return std::fprintf(stderr, "%s\n", s.error().ToString().c_str()), 1;
  return 0;
}
