// `moe seq add|save|list|read` and `moe ts put|range`: the persistence
// strategies (sequence.h, timeseries.h) over a table family, for inspection
// and scripting. Items and events are JSON lines.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli.h"
#include "commands.h"
#include "moe/family_journal.h"
#include "moe/registry.h"
#include "moe/sequence.h"
#include "moe/timeseries.h"

namespace moe::cli {
namespace {

struct StrategyArgs {
  std::string env, family, owner, id, payload, key, data, at, from, to, token, period = "DAY";
  std::vector<std::string> items;
  bool create = false, descending = false;
  int64_t after = 0, count = -1, ttl = 0;
  int page_size = 0, limit = 0;
};

// "2026-11-25T13:00:00Z" (fractional seconds allowed) or seconds since the
// epoch ("1793493000", "1793493000.25").
Result<Clock::TimePoint> ParseTime(const std::string& text) {
  using namespace std::chrono;
  int y, mo, d, h, mi;
  double s;
  char z = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%lf%c", &y, &mo, &d, &h, &mi, &s, &z) == 7 &&
      z == 'Z') {
    year_month_day day{year(y), month(mo), std::chrono::day(d)};
    if (!day.ok()) return Error::InvalidArgument("not a date: " + text);
    return Clock::TimePoint(sys_days(day).time_since_epoch() + hours(h) + minutes(mi) +
                            round<microseconds>(duration<double>(s)));
  }
  char* end = nullptr;
  double epoch = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0') {
    return Error::InvalidArgument("expected YYYY-MM-DDTHH:MM:SSZ or epoch seconds, got '" +
                                  text + "'");
  }
  return Clock::TimePoint(round<microseconds>(duration<double>(epoch)));
}

// "2026-11-25T13:00:00.123456Z".
std::string FormatTime(Clock::TimePoint t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd(day);
  hh_mm_ss<microseconds> hms(duration_cast<microseconds>(t - day));
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count()));
  return text;
}

// The family, opened through the registry; with --create, declared from the
// strategy's example and rotated first when it does not exist yet. A
// WRITE_BEHIND family writes copy 1 and its journal (MakeKinesisClient).
struct Opened {
  std::unique_ptr<DynamoDbClient> client;
  std::unique_ptr<Registry> registry;
  std::unique_ptr<KinesisClient> kinesis;
  std::unique_ptr<mirror::KinesisFamilyJournal> journal;
  std::unique_ptr<FamilyClient> family;
};

Result<Opened> OpenFamily(const GlobalOptions& g, const StrategyArgs& a,
                          const Strategy& strategy) {
  Opened o;
  MOE_TRY(o.client, MakeClient(g));
  o.registry = std::make_unique<Registry>(*o.client, RegistryOptions{.environment = a.env});
  if (a.create) {
    MOE_TRY_STATUS(o.registry->EnsureTables());
    auto state = o.registry->Load(a.family);
    if (!state && state.error().code() != ErrorCode::kResourceNotFound) return state.error();
    if (!state) {
      auto period = PeriodFromName(a.period);
      if (!period) return Error::InvalidArgument("--period: NONE, HOUR, DAY, WEEK or MONTH");
      FamilySpec spec = strategy.ExampleSpec(a.family, *period);
      spec.environment = a.env;
      MOE_TRY(state, o.registry->Declare(spec));
    }
    if (!state->write_period) MOE_TRY_STATUS(o.registry->Rotate(a.family));
  }
  MOE_TRY(FamilyState state, o.registry->Load(a.family));
  FamilyClientOptions options;
  if (state.spec.mirror_mode == MirrorMode::kWriteBehind) {
    MOE_TRY(o.kinesis, MakeKinesisClient(g));
    MOE_TRY_STATUS(mirror::EnsureFamilyJournal(*o.kinesis, state.spec));
    o.journal =
        std::make_unique<mirror::KinesisFamilyJournal>(*o.kinesis, JournalStreamName(state.spec));
    options.journal = o.journal.get();
  }
  MOE_TRY(o.family, FamilyClient::Open(*o.client, *o.registry, a.family, std::move(options)));
  return o;
}

Item InfoItem(const SequenceInfo& info) {
  return {{"owner", info.owner},          {"id", info.id},
          {"count", info.count},          {"created_at", FormatTime(info.created_at)},
          {"saved_at", FormatTime(info.saved_at)}, {"payload", info.payload}};
}

// Items from the arguments, or JSON lines on stdin when there are none.
Result<std::vector<Item>> InputItems(const GlobalOptions& g, const std::vector<std::string>& args) {
  std::vector<Item> items;
  auto parse = [&](const std::string& text) -> Status {
    MOE_TRY(Item item, ParseItem(g, text));
    items.push_back(std::move(item));
    return Ok();
  };
  for (const std::string& text : args) MOE_TRY_STATUS(parse(text));
  if (args.empty()) {
    for (std::string line; std::getline(std::cin, line);) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) MOE_TRY_STATUS(parse(line));
    }
  }
  return items;
}

Status SeqAdd(const GlobalOptions& g, const StrategyArgs& a) {
  MOE_TRY(Opened o, OpenFamily(g, a, SequenceStrategy()));
  MOE_TRY(auto seqs, Sequences::Open(*o.client, *o.family));
  MOE_TRY(std::vector<Item> items, InputItems(g, a.items));
  MOE_TRY(Collector c, a.id.empty() && a.after == 0 ? Result<Collector>(seqs->NewSequence(a.owner))
                                                    : seqs->Resume(a.owner, a.id, a.after));
  for (Item& item : items) MOE_TRY_STATUS(c.Add(std::move(item)));
  MOE_TRY_STATUS(c.Flush());
  std::puts(FormatItem(g, {{"owner", a.owner}, {"id", c.id()}, {"count", c.count()}}).c_str());
  return Ok();
}

Status SeqSave(const GlobalOptions& g, const StrategyArgs& a) {
  MOE_TRY(Opened o, OpenFamily(g, a, SequenceStrategy()));
  MOE_TRY(auto seqs, Sequences::Open(*o.client, *o.family, {.consistent_reads = true}));
  MOE_TRY(Item payload, a.payload.empty() ? Result<Item>(Item{}) : ParseItem(g, a.payload));
  MOE_TRY(Collector c, seqs->Resume(a.owner, a.id, a.count));
  MOE_TRY(SequenceInfo info, c.Save(std::move(payload)));
  std::puts(FormatItem(g, InfoItem(info)).c_str());
  return Ok();
}

// Prints the pages `next(token)` returns as JSON lines: every page, or with
// --page-size one page and its next_token; --limit stops early.
struct Page {
  std::vector<Item> lines;
  std::optional<std::string> next_token;
};
template <typename Next>
Status PrintPages(const GlobalOptions& g, const StrategyArgs& a, Next next) {
  std::optional<std::string> token;
  if (!a.token.empty()) token = a.token;
  int printed = 0;
  do {
    MOE_TRY(Page page, next(token));
    for (const Item& line : page.lines) {
      if (a.limit > 0 && printed == a.limit) return Ok();
      std::puts(FormatItem(g, line).c_str());
      ++printed;
    }
    token = std::move(page.next_token);
    if (a.page_size > 0) {
      if (token) std::puts(FormatItem(g, {{"next_token", *token}}).c_str());
      return Ok();
    }
  } while (token);
  return Ok();
}

Status SeqList(const GlobalOptions& g, const StrategyArgs& a) {
  MOE_TRY(Opened o, OpenFamily(g, a, SequenceStrategy()));
  MOE_TRY(auto seqs, Sequences::Open(*o.client, *o.family));
  return PrintPages(g, a, [&](const std::optional<std::string>& token) -> Result<Page> {
    MOE_TRY(Collection list, seqs->List(a.owner, token, a.page_size > 0 ? a.page_size : 100));
    MOE_TRY(SequencePage page, list.NextPage());
    Page out{.next_token = std::move(page.next_token)};
    for (const SequenceInfo& info : page.sequences) out.lines.push_back(InfoItem(info));
    return out;
  });
}

Status SeqRead(const GlobalOptions& g, const StrategyArgs& a) {
  MOE_TRY(Opened o, OpenFamily(g, a, SequenceStrategy()));
  MOE_TRY(auto seqs, Sequences::Open(*o.client, *o.family));
  MOE_TRY(std::optional<SequenceInfo> info, seqs->Find(a.owner, a.id));
  if (!info) return Error::ResourceNotFound("sequence " + a.id + " of " + a.owner + " is not saved");
  MOE_TRY(SequenceReader reader, seqs->Read(std::move(*info)));
  while (!reader.done()) {
    MOE_TRY(std::vector<Item> chunk, reader.Next());
    for (const Item& item : chunk) std::puts(FormatItem(g, item).c_str());
  }
  return Ok();
}

Status TsPut(const GlobalOptions& g, const StrategyArgs& a) {
  MOE_TRY(Opened o, OpenFamily(g, a, TimeSeriesStrategy()));
  TimeSeriesOptions options;
  if (a.ttl > 0) options.ttl = std::chrono::seconds(a.ttl);
  MOE_TRY(auto series, TimeSeries::Open(*o.client, *o.family, options));
  MOE_TRY(Item data, ParseItem(g, a.data));
  MOE_TRY(Clock::TimePoint at, a.at.empty() ? Result<Clock::TimePoint>(o.client->clock().Now())
                                            : ParseTime(a.at));
  MOE_TRY(std::string id, series->Append(a.key, at, std::move(data), a.id));
  std::puts(FormatItem(g, {{"key", a.key}, {"at", FormatTime(at)}, {"id", id}}).c_str());
  return Ok();
}

Status TsRange(const GlobalOptions& g, const StrategyArgs& a) {
  MOE_TRY(Opened o, OpenFamily(g, a, TimeSeriesStrategy()));
  MOE_TRY(auto series, TimeSeries::Open(*o.client, *o.family));
  MOE_TRY(Clock::TimePoint from, a.from.empty() ? Result<Clock::TimePoint>(Clock::TimePoint{})
                                                : ParseTime(a.from));
  MOE_TRY(Clock::TimePoint to, a.to.empty() ? Result<Clock::TimePoint>(o.client->clock().Now() +
                                                                       std::chrono::hours(1))
                                            : ParseTime(a.to));
  RangeOptions options{.page_size = a.page_size > 0 ? a.page_size : 100,
                       .descending = a.descending};
  return PrintPages(g, a, [&](const std::optional<std::string>& token) -> Result<Page> {
    options.token = token;
    MOE_TRY(EventPage page, series->Range(a.key, from, to, options));
    Page out{.next_token = std::move(page.next_token)};
    for (const Event& e : page.events) {
      out.lines.push_back({{"key", e.key}, {"at", FormatTime(e.at)}, {"id", e.id},
                           {"data", e.data}});
    }
    return out;
  });
}

using Runner = Status (*)(const GlobalOptions&, const StrategyArgs&);

CLI::App* Add(CLI::App* parent, GlobalOptions& g, int& exit_code,
              std::shared_ptr<StrategyArgs> a, const char* name, const char* help, Runner run) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("family", a->family, "Family name")->required();
  cmd->callback([&g, &exit_code, a, run] {
    Status s = run(g, *a);
    exit_code = s ? 0 : Fail(s.error());
  });
  return cmd;
}

void Paging(CLI::App* cmd, StrategyArgs& a) {
  cmd->add_option("--limit", a.limit, "Stop after this many");
  cmd->add_option("--page-size", a.page_size, "Print one page of this size and its next_token");
  cmd->add_option("--token", a.token, "Resume from a next_token");
}

void Common(CLI::App* group, StrategyArgs& a) {
  group->require_subcommand(1);
  group->add_option("--env", a.env, "Environment of the registry tables; default: none");
  group->add_flag("--create", a.create,
                  "Declare the family from the strategy's example and rotate it, if needed");
  group->add_option("--period", a.period, "Period of a family made by --create (default DAY)");
}

}  // namespace

void RegisterStrategyCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<StrategyArgs>();
  CLI::App* seq = app.add_subcommand("seq", "Sequence strategy: an owner's sequences of items");
  Common(seq, *a);
  CLI::App* add = Add(seq, g, exit_code, a, "add",
                      "Write items (JSON arguments, or JSON lines on stdin); prints id and count",
                      SeqAdd);
  add->add_option("owner", a->owner, "Owner id")->required();
  add->add_option("items", a->items, "Items as JSON (default: JSON lines on stdin)");
  add->add_option("--id", a->id, "Continue this sequence (default: a new one)");
  add->add_option("--after", a->after, "Items the sequence already has (numbering continues)");
  CLI::App* save = Add(seq, g, exit_code, a, "save",
                       "Check items 1..count exist, then publish the sequence", SeqSave);
  save->add_option("owner", a->owner, "Owner id")->required();
  save->add_option("id", a->id, "Sequence id")->required();
  save->add_option("--count", a->count, "Number of items")->required();
  save->add_option("--payload", a->payload, "Metadata payload as JSON");
  CLI::App* list = Add(seq, g, exit_code, a, "list", "An owner's sequences, newest first", SeqList);
  list->add_option("owner", a->owner, "Owner id")->required();
  Paging(list, *a);
  CLI::App* read = Add(seq, g, exit_code, a, "read", "A sequence's items, in order", SeqRead);
  read->add_option("owner", a->owner, "Owner id")->required();
  read->add_option("id", a->id, "Sequence id")->required();

  CLI::App* ts = app.add_subcommand("ts", "Time-series strategy: events per key over periods");
  Common(ts, *a);
  CLI::App* put = Add(ts, g, exit_code, a, "put", "Append one event", TsPut);
  put->add_option("key", a->key, "Series key")->required();
  put->add_option("data", a->data, "Event attributes as JSON")->required();
  put->add_option("--at", a->at, "Event time, YYYY-MM-DDTHH:MM:SSZ or epoch seconds (default now)");
  put->add_option("--id", a->id, "Event id (default: random)");
  put->add_option("--ttl", a->ttl, "Seconds after the event time when it expires (TTL attribute)");
  CLI::App* range = Add(ts, g, exit_code, a, "range", "A key's events in [from, to)", TsRange);
  range->add_option("key", a->key, "Series key")->required();
  range->add_option("--from", a->from, "Start, inclusive (default: the epoch)");
  range->add_option("--to", a->to, "End, exclusive (default: an hour from now)");
  range->add_flag("--desc", a->descending, "Newest first");
  Paging(range, *a);
}

}  // namespace moe::cli
