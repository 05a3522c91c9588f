// `moe family declare|status|rotate|gc|diff|repair|shards`: the registry and
// its rotation, diff and repair, and the shard history of a sharded family,
// from the command line. Output is JSON.
#include <time.h>

#include <fstream>
#include <sstream>

#include "cli.h"
#include "commands.h"
#include "core/json_writer.h"
#include "moe/json.h"
#include "moe/registry.h"
#include "moe/repair.h"

namespace moe::cli {
namespace {

using internal::JsonWriter;

struct FamilyArgs {
  std::string env;   // registry environment
  std::string now;   // simulated time for rotate/gc, "YYYY-MM-DDTHH:MM:SSZ"
  std::string file;
  std::string name;
  std::string period;
  int raise = 0;  // shards --raise
  bool dry_run = false;
  bool archive = false;
  int segments = 4;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<Clock::TimePoint> ParseUtc(const std::string& text) {
  struct tm tm = {};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') {
    return Error::InvalidArgument("--now: expected YYYY-MM-DDTHH:MM:SSZ, got '" + text + "'");
  }
  return Clock::TimePoint(std::chrono::seconds(timegm(&tm)));
}

// Runs `body` with a client and a registry; prints its JSON or the error.
template <typename Body>
int WithRegistry(const GlobalOptions& g, const FamilyArgs& args, Body body) {
  auto client = MakeClient(g);
  if (!client) return Fail(client.error());
  std::optional<ManualClock> fixed;
  RegistryOptions options{.environment = args.env};
  if (!args.now.empty()) {
    auto at = ParseUtc(args.now);
    if (!at) return Fail(at.error());
    fixed.emplace(*at);
    options.clock = &*fixed;
  }
  Registry registry(**client, options);
  Result<std::string> out = body(**client, registry);
  if (!out) return Fail(out.error());
  std::puts(out->c_str());
  return 0;
}

void WriteStrings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.Key(key);
  w.BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

void WriteState(JsonWriter& w, const FamilyState& s) {
  w.Key("Family");
  w.String(s.spec.name);
  w.Key("Version");
  w.Int(s.version);
  w.Key("Epoch");
  w.Int(s.epoch);
  w.Key("WritePeriod");
  if (s.write_period) {
    w.String(s.write_period->ToString());
  } else {
    w.Null();
  }
  w.Key("WriteTables");
  w.BeginArray();
  for (const std::string& t : s.WriteTables()) w.String(t);
  w.EndArray();
  w.Key("Shards");
  if (s.shards) {
    w.String(s.shards->ToString());
  } else {
    w.Null();
  }
}

// `moe family shards`: the recorded shard history, one object per generation.
std::string ShardsJson(const FamilyState& s) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("Family");
  w.String(s.spec.name);
  w.Key("Version");
  w.Int(s.version);
  w.Key("ShardCount");
  if (s.shards) {
    w.Int(s.shards->current());
  } else {
    w.Null();
  }
  w.Key("Shards");
  if (s.shards) {
    w.String(s.shards->ToString());
  } else {
    w.Null();
  }
  w.Key("Generations");
  w.BeginArray();
  if (s.shards) {
    for (const partitioning::ShardGeneration& g : s.shards->generations()) {
      w.BeginObject();
      w.Key("ShardCount");
      w.Int(g.shard_count);
      w.Key("Since");
      w.Int(g.since_unix_seconds);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return out;
}

Result<std::string> Status(DynamoDbClient& client, Registry& registry, const std::string& name) {
  MOE_TRY(FamilyState s, registry.Load(name));
  MOE_TRY(std::vector<RepairRecord> repairs, registry.PendingRepairs(name));
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteState(w, s);
  w.Key("Periods");
  w.BeginArray();
  for (PeriodIndex p : s.periods) {
    w.BeginObject();
    w.Key("Period");
    w.String(p.ToString());
    w.Key("Role");
    w.String(!s.write_period ? "pending"
             : p == *s.write_period ? "write"
             : p > *s.write_period  ? "ahead"
                                    : "read");
    w.Key("Tables");
    w.BeginArray();
    for (const std::string& t : s.Tables(p)) {
      w.BeginObject();
      w.Key("TableName");
      w.String(t);
      auto d = client.DescribeTable({.table_name = t});
      if (d) {
        w.Key("TableStatus");
        w.String(ToString(d->table.table_status));
        w.Key("ItemCount");
        w.Int(d->table.item_count);
        w.Key("TableSizeBytes");
        w.Int(d->table.table_size_bytes);
      } else {
        w.Key("Error");
        w.String(d.error().ToString());
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("PendingRepairs");
  w.Int(static_cast<int64_t>(repairs.size()));
  w.EndObject();
  return out;
}

std::string RotationJson(const RotationReport& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteState(w, r.state);
  w.Key("RegistryChanged");
  w.Bool(r.registry_changed);
  w.Key("EpochFlipped");
  w.Bool(r.epoch_flipped);
  WriteStrings(w, "Created", r.created);
  WriteStrings(w, "Dropped", r.dropped);
  WriteStrings(w, "Scaled", r.scaled);
  WriteStrings(w, "Warnings", r.warnings);
  w.EndObject();
  return out;
}

Result<PeriodIndex> PeriodArg(const FamilyState& s, const std::string& text) {
  std::optional<PeriodIndex> p = PeriodIndex::Parse(s.spec.period, text);
  if (!p) {
    return Error::InvalidArgument("'" + text + "' is not a " +
                                  std::string(PeriodName(s.spec.period)) + " period");
  }
  return *p;
}

Result<std::string> Diff(DynamoDbClient& client, Registry& registry, const FamilyArgs& args) {
  MOE_TRY(FamilyState s, registry.Load(args.name));
  MOE_TRY(PeriodIndex p, PeriodArg(s, args.period));
  Progress progress("diff " + args.name + " " + args.period);
  DiffOptions options{.segments = args.segments,
                      .progress = [&](uint64_t done, uint64_t total) { progress.Update(done, total); }};
  MOE_TRY(DiffReport d, DiffPeriod(client, s, p, options));
  progress.Finish();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteStrings(w, "Tables", d.tables);
  w.Key("ItemCounts");
  w.BeginArray();
  for (uint64_t n : d.item_counts) w.Uint(n);
  w.EndArray();
  w.Key("InAgreement");
  w.Bool(d.in_agreement());
  w.Key("DifferingKeys");
  w.Uint(d.differing_keys);
  w.Key("Entries");
  w.BeginArray();
  for (const DiffEntry& e : d.entries) {
    w.BeginObject();
    w.Key("Key");
    w.Raw(ItemToPlainJson(e.key));
    WriteStrings(w, "MissingFrom", e.missing_from);
    w.Key("ValuesDiffer");
    w.Bool(e.values_differ);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

Result<std::string> Repair(DynamoDbClient& client, Registry& registry, const FamilyArgs& args) {
  MOE_TRY(FamilyState s, registry.Load(args.name));
  MOE_TRY(PeriodIndex p, PeriodArg(s, args.period));
  Progress progress("repair " + args.name + " " + args.period);
  RepairOptions options;
  options.diff.segments = args.segments;
  options.progress = [&](uint64_t done, uint64_t total) { progress.Update(done, total); };
  MOE_TRY(RepairReport r, RepairPeriod(client, registry, s, p, options));
  progress.Finish();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("RecordsReplayed");
  w.Uint(r.records_replayed);
  w.Key("KeysMended");
  w.Uint(r.keys_mended);
  w.Key("ItemsWritten");
  w.Uint(r.items_written);
  w.Key("ItemsDeleted");
  w.Uint(r.items_deleted);
  WriteStrings(w, "Errors", r.errors);
  w.EndObject();
  if (!r.complete()) std::fprintf(stderr, "moe: repair incomplete; run it again\n");
  return out;
}

}  // namespace

void RegisterFamilyCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto args = std::make_shared<FamilyArgs>();
  CLI::App* family =
      app.add_subcommand("family", "Table families: declare, rotate, inspect, diff and repair");
  family->require_subcommand(1);
  family->add_option("--env", args->env,
                     "Environment of the registry tables (<env>_moe_registry_N); default: the "
                     "declaration's Environment for declare, else none");
  auto add_now = [&](CLI::App* cmd) {
    cmd->add_option("--now", args->now, "Act as of this UTC time (YYYY-MM-DDTHH:MM:SSZ)");
  };

  CLI::App* declare = family->add_subcommand("declare", "Register a family from a JSON file");
  declare->add_option("file", args->file, "Declaration (docs/families.md)")->required();
  declare->callback([&, args, family] {
    auto text = ReadFile(args->file);
    if (!text) {
      exit_code = Fail(text.error());
      return;
    }
    auto spec = ParseFamilySpec(*text);
    if (!spec) {
      exit_code = Fail(spec.error());
      return;
    }
    FamilyArgs a = *args;
    if (family->get_option("--env")->count() == 0) a.env = spec->environment;
    exit_code = WithRegistry(g, a, [&](DynamoDbClient&, Registry& r) -> Result<std::string> {
      MOE_TRY_STATUS(r.EnsureTables());
      MOE_TRY(FamilyState s, r.Declare(*spec));
      std::string out;
      JsonWriter w(&out);
      w.BeginObject();
      WriteState(w, s);
      w.EndObject();
      return out;
    });
  });

  CLI::App* status = family->add_subcommand("status", "Live tables, epoch, sizes, pending repairs");
  status->add_option("name", args->name, "Family name")->required();
  status->callback([&, args] {
    exit_code = WithRegistry(g, *args, [&](DynamoDbClient& c, Registry& r) {
      return Status(c, r, args->name);
    });
  });

  CLI::App* rotate = family->add_subcommand(
      "rotate", "Pre-create, wait ACTIVE, flip the epoch, drop past retention, scale");
  rotate->add_option("name", args->name, "Family name")->required();
  rotate->add_flag("--dry-run", args->dry_run, "Print the plan, change nothing");
  rotate->add_flag("--archive", args->archive, "Leave expired tables in place (released)");
  add_now(rotate);
  rotate->callback([&, args] {
    exit_code = WithRegistry(g, *args, [&](DynamoDbClient&, Registry& r) -> Result<std::string> {
      MOE_TRY(RotationReport report,
              r.Rotate(args->name, {.dry_run = args->dry_run, .archive = args->archive}));
      return RotationJson(report);
    });
  });

  CLI::App* gc = family->add_subcommand("gc", "Drop tables past retention (and orphans)");
  gc->add_option("name", args->name, "Family name")->required();
  gc->add_flag("--dry-run", args->dry_run, "Print the plan, change nothing");
  gc->add_flag("--archive", args->archive, "Leave expired tables in place (released)");
  add_now(gc);
  gc->callback([&, args] {
    exit_code = WithRegistry(g, *args, [&](DynamoDbClient&, Registry& r) -> Result<std::string> {
      MOE_TRY(RotationReport report, r.Rotate(args->name, {.dry_run = args->dry_run,
                                                            .archive = args->archive,
                                                            .collect_only = true}));
      return RotationJson(report);
    });
  });

  CLI::App* shards = family->add_subcommand(
      "shards", "The shard history of a write-sharded family; --raise records more shards");
  shards->add_option("name", args->name, "Family name")->required();
  shards->add_option("--raise", args->raise,
                     "Record at least N shards (the first record: since the epoch; a raise: "
                     "from 90 s on, once every writer has re-read the registry)");
  add_now(shards);
  shards->callback([&, args] {
    exit_code = WithRegistry(g, *args, [&](DynamoDbClient&, Registry& r) -> Result<std::string> {
      if (args->raise != 0) {
        MOE_TRY(FamilyState s, r.RaiseShards(args->name, args->raise));
        return ShardsJson(s);
      }
      MOE_TRY(FamilyState s, r.Load(args->name));
      return ShardsJson(s);
    });
  });

  for (bool repair : {false, true}) {
    CLI::App* cmd = family->add_subcommand(
        repair ? "repair" : "diff",
        repair ? "Bring a period's copies into agreement (newest wins)"
               : "Compare a period's copies: missing and differing items");
    cmd->add_option("name", args->name, "Family name")->required();
    cmd->add_option("period", args->period, "Period, e.g. 2026-11-25")->required();
    cmd->add_option("--segments", args->segments, "Parallel scan segments per copy (default 4)");
    cmd->callback([&, args, repair] {
      exit_code = WithRegistry(g, *args, [&](DynamoDbClient& c, Registry& r) {
        return repair ? Repair(c, r, *args) : Diff(c, r, *args);
      });
    });
  }
}

}  // namespace moe::cli
