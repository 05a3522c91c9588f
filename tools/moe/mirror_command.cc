// moe mirror trickle / lag: the journal mirror's consumer and its lag
// (include/moe/journal_mirror.h, docs/journal-mirror.md).
#include <unistd.h>

#include <cstdio>

#include "commands.h"
#include "moe/credentials.h"
#include "moe/journal_mirror.h"
#include "moe/kinesis.h"
#include "moe/kinesis_local.h"

namespace moe::cli {
namespace {

struct MirrorArgs {
  std::string stream, table, lease_table = std::string(mirror::kDefaultLeaseTable);
  std::string consumer_id, kinesis_endpoint;
  double max_wcu = 0;
  int batch = 500;
  bool until_caught_up = false;
};

// The embedded journal with its loopback, so a client made for it owns it.
class OwnedStreamsTransport final : public Transport {
 public:
  OwnedStreamsTransport()
      : streams_(kinesis::LocalStreams::Create({})),
        loopback_(kinesis::NewLoopbackTransport(*streams_)) {}
  void Send(HttpRequest request, Callback done) override {
    loopback_->Send(std::move(request), std::move(done));
  }

 private:
  std::unique_ptr<kinesis::LocalStreams> streams_;
  std::unique_ptr<Transport> loopback_;
};

// Kinesis from --kinesis-endpoint or the AWS rules (AWS_ENDPOINT_URL_KINESIS,
// ...); with "local:" the embedded journal of this process.
Result<std::unique_ptr<KinesisClient>> MakeKinesisClient(const GlobalOptions& g,
                                                         const MirrorArgs& a) {
  ClientOptions options;
  options.endpoint = a.kinesis_endpoint;
  options.region = g.region;
  options.profile = g.profile;
  std::string endpoint = a.kinesis_endpoint;
  if (endpoint.empty()) endpoint = ProcessEnvironment()("AWS_ENDPOINT_URL_KINESIS").value_or("");
  if (endpoint.empty() && g.endpoint.rfind("local:", 0) == 0) endpoint = "local:";
  if (endpoint.rfind("local:", 0) == 0) {
    options.endpoint = "http://local.invalid";
    options.transport = std::make_shared<OwnedStreamsTransport>();
    options.credentials = NewStaticCredentialsProvider({"AKIDLOCAL", "local-secret", ""});
  }
  return KinesisClient::Create(std::move(options));
}

int Trickle(const GlobalOptions& g, const MirrorArgs& a) {
  auto dynamo = MakeClient(g);
  if (!dynamo) return Fail(dynamo.error());
  auto kinesis = MakeKinesisClient(g, a);
  if (!kinesis) return Fail(kinesis.error());
  mirror::TrickleConsumer consumer(**dynamo, **kinesis,
                                   {.stream_name = a.stream,
                                    .mirror_table = a.table,
                                    .lease_table = a.lease_table,
                                    .consumer_id = a.consumer_id,
                                    .max_wcu = a.max_wcu,
                                    .batch_limit = a.batch});
  if (Status s = consumer.CreateLeaseTable(); !s) return Fail(s.error());
  bool tty = ::isatty(2) != 0;
  Clock& clock = (*dynamo)->clock();
  for (;;) {
    auto round = consumer.RunOnce();
    if (!round && !round.error().retryable()) return Fail(round.error());
    mirror::ConsumerStats s = consumer.stats();
    if (tty) {
      std::fprintf(stderr, "\rmirror %s -> %s: shards %zu  read %llu  applied %llu  stale %llu  "
                   "WCU %.0f ",
                   a.stream.c_str(), a.table.c_str(), round ? round->shards_owned : 0,
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
  std::printf("{\"read\":%llu,\"applied\":%llu,\"stale\":%llu,\"wcu\":%.1f}\n",
              static_cast<unsigned long long>(s.records_read),
              static_cast<unsigned long long>(s.applied), static_cast<unsigned long long>(s.stale),
              s.wcu_spent);
  if (Status released = consumer.ReleaseLeases(); !released) return Fail(released.error());
  return 0;
}

int Lag(const GlobalOptions& g, const MirrorArgs& a) {
  auto dynamo = MakeClient(g);
  if (!dynamo) return Fail(dynamo.error());
  auto kinesis = MakeKinesisClient(g, a);
  if (!kinesis) return Fail(kinesis.error());
  auto lag = mirror::MeasureLag(**dynamo, **kinesis, a.stream, a.lease_table);
  if (!lag) return Fail(lag.error());
  for (const mirror::ShardLag& shard : *lag) {
    std::printf("{\"shard\":\"%s\",\"owner\":\"%s\",\"checkpoint\":\"%s\",\"records_behind\":%zu%s,"
                "\"seconds_behind\":%.3f}\n",
                shard.shard_id.c_str(), shard.owner.c_str(), shard.checkpoint.c_str(),
                shard.records_behind, shard.capped ? ",\"capped\":true" : "",
                shard.seconds_behind);
  }
  return 0;
}

}  // namespace

void RegisterMirrorCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<MirrorArgs>();
  CLI::App* mirror = app.add_subcommand("mirror", "The write-behind journal mirror");
  mirror->require_subcommand(1);
  mirror->add_option("--kinesis-endpoint", a->kinesis_endpoint,
                     "Kinesis endpoint (default: AWS_ENDPOINT_URL_KINESIS, ...; local: for the "
                     "embedded journal)");
  mirror->add_option("--lease-table", a->lease_table, "Lease and checkpoint table");

  CLI::App* trickle =
      mirror->add_subcommand("trickle", "Apply the stream to the mirror table at a capped rate");
  trickle->add_option("--stream", a->stream, "Stream name")->required();
  trickle->add_option("--table", a->table, "Mirror table")->required();
  trickle->add_option("--max-wcu", a->max_wcu, "Write capacity per second for the mirror (0: no cap)");
  trickle->add_option("--consumer-id", a->consumer_id, "Name in the lease table (default: random)");
  trickle->add_option("--batch", a->batch, "Records per GetRecords (default 500)");
  trickle->add_flag("--until-caught-up", a->until_caught_up, "Exit once a round reads nothing");
  trickle->callback([&g, &exit_code, a] { exit_code = Trickle(g, *a); });

  CLI::App* lag = mirror->add_subcommand("lag", "Records and seconds behind, per shard");
  lag->add_option("--stream", a->stream, "Stream name")->required();
  lag->callback([&g, &exit_code, a] { exit_code = Lag(g, *a); });
}

}  // namespace moe::cli
