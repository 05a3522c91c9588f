// moe mirror trickle / lag: the journal mirror's consumer and its lag
// (include/moe/journal_mirror.h, docs/journal-mirror.md). Given a family,
// the stream, lease table and mirror tables come from its declaration
// (JournalStreamName, JournalLeaseTableName in moe/family.h); --stream,
// --lease-table and --table override them or serve plain JournalWriter tables.
#include <unistd.h>

#include <cstdio>

#include "commands.h"
#include "moe/family_journal.h"
#include "moe/journal_mirror.h"
#include "moe/kinesis.h"
#include "moe/registry.h"

namespace moe::cli {
namespace {

struct MirrorArgs {
  std::string family, env;
  std::string stream, table, lease_table;
  std::string consumer_id;
  double max_wcu = 0;
  int batch = 500;
  bool until_caught_up = false;
};

// The consumer's options: the family's journal when one is named, then the
// explicit flags over it.
Result<mirror::TrickleOptions> ResolveOptions(DynamoDbClient& dynamo, const MirrorArgs& a) {
  mirror::TrickleOptions options;
  if (!a.family.empty()) {
    Registry registry(dynamo, {.environment = a.env});
    MOE_TRY(FamilyState state, registry.Load(a.family));
    if (state.spec.mirror_mode != MirrorMode::kWriteBehind) {
      return Error::InvalidArgument("family '" + a.family + "' mirrors in " +
                                    std::string(MirrorModeName(state.spec.mirror_mode)) +
                                    " mode; only WRITE_BEHIND families have a journal");
    }
    options = mirror::FamilyTrickleOptions(state.spec);
  } else if (a.stream.empty()) {
    return Error::InvalidArgument("name a FAMILY, or a journal with --stream");
  }
  if (!a.stream.empty()) options.stream_name = a.stream;
  if (!a.table.empty()) options.mirror_table = a.table;
  if (!a.lease_table.empty()) options.lease_table = a.lease_table;
  options.consumer_id = a.consumer_id;
  options.max_wcu = a.max_wcu;
  options.batch_limit = a.batch;
  return options;
}

int Trickle(const GlobalOptions& g, const MirrorArgs& a) {
  auto dynamo = MakeClient(g);
  if (!dynamo) return Fail(dynamo.error());
  auto kinesis = MakeKinesisClient(g);
  if (!kinesis) return Fail(kinesis.error());
  auto options = ResolveOptions(**dynamo, a);
  if (!options) return Fail(options.error());
  std::string target = options->mirror_table.empty() ? "every copy" : options->mirror_table;
  mirror::TrickleConsumer consumer(**dynamo, **kinesis, *options);
  if (Status s = consumer.CreateLeaseTable(); !s) return Fail(s.error());
  bool tty = ::isatty(2) != 0;
  Clock& clock = (*dynamo)->clock();
  for (;;) {
    auto round = consumer.RunOnce();
    if (!round && !round.error().retryable()) return Fail(round.error());
    mirror::ConsumerStats s = consumer.stats();
    if (tty) {
      std::fprintf(stderr,
                   "\rmirror %s -> %s: shards %zu  read %llu  applied %llu  stale %llu  "
                   "WCU %.0f ",
                   options->stream_name.c_str(), target.c_str(), round ? round->shards_owned : 0,
                   static_cast<unsigned long long>(s.records_read),
                   static_cast<unsigned long long>(s.applied),
                   static_cast<unsigned long long>(s.stale), s.wcu_spent);
      std::fflush(stderr);
    }
    bool idle = round && round->records_read == 0;
    if (idle && a.until_caught_up) break;
    if (idle || !round) clock.SleepFor(std::chrono::seconds(1));
  }
  if (tty) std::fprintf(stderr, "\n");
  mirror::ConsumerStats s = consumer.stats();
  std::printf("{\"stream\":\"%s\",\"read\":%llu,\"applied\":%llu,\"stale\":%llu,\"wcu\":%.1f}\n",
              options->stream_name.c_str(), static_cast<unsigned long long>(s.records_read),
              static_cast<unsigned long long>(s.applied), static_cast<unsigned long long>(s.stale),
              s.wcu_spent);
  if (Status released = consumer.ReleaseLeases(); !released) return Fail(released.error());
  return 0;
}

int Lag(const GlobalOptions& g, const MirrorArgs& a) {
  auto dynamo = MakeClient(g);
  if (!dynamo) return Fail(dynamo.error());
  auto kinesis = MakeKinesisClient(g);
  if (!kinesis) return Fail(kinesis.error());
  auto options = ResolveOptions(**dynamo, a);
  if (!options) return Fail(options.error());
  auto lag = mirror::MeasureLag(**dynamo, **kinesis, options->stream_name, options->lease_table);
  if (!lag) return Fail(lag.error());
  for (const mirror::ShardLag& shard : *lag) {
    std::printf(
        "{\"shard\":\"%s\",\"owner\":\"%s\",\"checkpoint\":\"%s\",\"records_behind\":%zu%s,"
        "\"seconds_behind\":%.3f}\n",
        shard.shard_id.c_str(), shard.owner.c_str(), shard.checkpoint.c_str(), shard.records_behind,
        shard.capped ? ",\"capped\":true" : "", shard.seconds_behind);
  }
  return 0;
}

void AddJournalOptions(CLI::App* cmd, MirrorArgs& a) {
  cmd->add_option("family", a.family,
                  "A WRITE_BEHIND family: its journal stream, lease table and copies");
  cmd->add_option("--env", a.env, "Registry environment (prefix of the manager tables)");
  cmd->add_option("--stream", a.stream, "Stream name (default: the family's journal)");
  cmd->add_option("--lease-table", a.lease_table,
                  "Lease and checkpoint table (default: the family's, else moe_mirror_leases)");
}

}  // namespace

void RegisterMirrorCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<MirrorArgs>();
  CLI::App* mirror = app.add_subcommand("mirror", "The write-behind journal mirror");
  mirror->require_subcommand(1);

  CLI::App* trickle = mirror->add_subcommand(
      "trickle", "Apply the journal to the mirror copies at a capped rate, with progress");
  AddJournalOptions(trickle, *a);
  trickle->add_option("--table", a->table,
                      "Apply only the records meant for this mirror table (default: every copy)");
  trickle->add_option("--max-wcu", a->max_wcu,
                      "Write capacity per second for the mirror (0: no cap)");
  trickle->add_option("--consumer-id", a->consumer_id, "Name in the lease table (default: random)");
  trickle->add_option("--batch", a->batch, "Records per GetRecords (default 500)");
  trickle->add_flag("--until-caught-up", a->until_caught_up, "Exit once a round reads nothing");
  trickle->callback([&g, &exit_code, a] { exit_code = Trickle(g, *a); });

  CLI::App* lag = mirror->add_subcommand("lag", "Records and seconds behind, per shard");
  AddJournalOptions(lag, *a);
  lag->callback([&g, &exit_code, a] { exit_code = Lag(g, *a); });
}

}  // namespace moe::cli
