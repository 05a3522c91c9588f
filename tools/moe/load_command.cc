// moe load TABLE FILE: JSON lines through the batch engine.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "moe/batch.h"
#include "moe/json.h"

namespace moe::cli {
namespace {

struct LoadArgs {
  std::string table, file, failed_file;
  int in_flight = 8;
  bool keep_last = false;
  size_t chunk = 20000;
};

int Load(const GlobalOptions& g, const LoadArgs& a) {
  auto client = MakeClient(g);
  if (!client) return Fail(client.error());
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.file != "-") {
    file.open(a.file);
    if (!file) return Fail(Error(ErrorCode::kIo, "cannot open " + a.file));
    in = &file;
  }
  std::FILE* failed_out = stderr;
  if (!a.failed_file.empty()) {
    failed_out = std::fopen(a.failed_file.c_str(), "w");
    if (failed_out == nullptr) return Fail(Error(ErrorCode::kIo, "cannot write " + a.failed_file));
  }

  BatchOptions options;
  options.max_in_flight = a.in_flight;
  options.duplicates = a.keep_last ? DuplicatePolicy::kKeepLast : DuplicatePolicy::kReject;
  Progress progress("load " + a.table);
  size_t total_written = 0, total_failed = 0, requests = 0, line_no = 0;
  double capacity = 0;
  std::vector<size_t> lines;  // line number of each queued entry in this chunk

  auto flush = [&](BatchWriter& writer) -> Status {
    MOE_TRY(BatchWriteResult r, writer.Flush());
    total_written += r.succeeded;
    requests += r.requests;
    for (auto& [table, units] : r.consumed_capacity) capacity += units;
    for (const FailedWrite& f : r.failed) {
      ++total_failed;
      // Nothing is dropped: each failure goes out with its line and its item.
      std::fprintf(
          failed_out, "{\"line\":%zu,\"error\":\"%s\",\"item\":%s}\n", lines[f.index],
          std::string(f.error.type_name()).c_str(),
          FormatItem(g, f.request.put_item ? *f.request.put_item : *f.request.delete_key).c_str());
    }
    lines.clear();
    return Ok();
  };

  std::string line;
  BatchWriter writer(**client, options);
  while (std::getline(*in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto item = ParseItem(g, line);
    if (!item) {
      ++total_failed;
      std::fprintf(failed_out, "{\"line\":%zu,\"error\":\"%s\"}\n", line_no,
                   std::string(item.error().type_name()).c_str());
      continue;
    }
    writer.Put(a.table, std::move(*item));
    lines.push_back(line_no);
    if (lines.size() >= a.chunk) {
      if (Status s = flush(writer); !s) return Fail(s.error());
      progress.Update(total_written + total_failed, line_no);
    }
  }
  if (Status s = flush(writer); !s) return Fail(s.error());
  progress.Update(line_no, line_no);
  progress.Finish();
  if (failed_out != stderr) std::fclose(failed_out);
  std::printf(
      "{\"written\":%zu,\"failed\":%zu,\"requests\":%zu,\"consumed_capacity_units\":%.1f}\n",
      total_written, total_failed, requests, capacity);
  return total_failed == 0 ? 0 : 1;
}

}  // namespace

void RegisterLoadCommand(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<LoadArgs>();
  CLI::App* load = app.add_subcommand("load", "Write JSON-lines items through the batch engine");
  load->add_option("table", a->table, "Table name")->required();
  load->add_option("file", a->file, "JSON lines file, or - for stdin")->required();
  load->add_option("--in-flight", a->in_flight, "BatchWriteItem requests in flight (default 8)");
  load->add_flag("--keep-last", a->keep_last,
                 "Duplicate keys: keep the last line instead of rejecting");
  load->add_option("--failed", a->failed_file,
                   "Write failed items here as JSON lines (default: stderr)");
  load->callback([&g, &exit_code, a] { exit_code = Load(g, *a); });
}

}  // namespace moe::cli
