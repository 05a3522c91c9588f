#include "cli.h"

#include <unistd.h>

#include "core/json_reader.h"
#include "moe/json.h"

namespace moe::cli {

Result<std::unique_ptr<DynamoDbClient>> MakeClient(const GlobalOptions& g) {
  ClientOptions options;
  options.endpoint = g.endpoint;
  options.region = g.region;
  options.profile = g.profile;
  return DynamoDbClient::Create(std::move(options));
}

Result<Item> ParseItem(const GlobalOptions& g, const std::string& json) {
  return g.ddb_json ? ParseDynamoJson(json) : ItemFromPlainJson(json);
}

Result<Map> ParseValues(const GlobalOptions& g, const std::string& json) {
  if (json.empty()) return Map{};
  return ParseItem(g, json);
}

Result<std::map<std::string, std::string, std::less<>>> ParseNames(const std::string& json) {
  std::map<std::string, std::string, std::less<>> names;
  if (json.empty()) return names;
  internal::JsonDocument doc;
  MOE_TRY_STATUS(internal::ParseJson(json, &doc));
  if (!doc.IsObject()) return Error::InvalidArgument("--names must be a JSON object of strings");
  for (const auto& m : doc.GetObject()) {
    if (!m.value.IsString()) return Error::InvalidArgument("--names must be a JSON object of strings");
    names.emplace(internal::View(m.name), internal::View(m.value));
  }
  return names;
}

std::string FormatItem(const GlobalOptions& g, const Item& item) {
  return g.ddb_json ? ToDynamoJson(item) : ItemToPlainJson(item);
}

int Fail(const Error& error) {
  std::fprintf(stderr, "moe: %s\n", error.ToString().c_str());
  return 1;
}

Progress::Progress(std::string label) : label_(std::move(label)), tty_(::isatty(2) != 0) {}

void Progress::Update(size_t done, size_t total) {
  if (!tty_ || total == 0) return;
  int percent = static_cast<int>(done * 100 / total);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  constexpr int kWidth = 30;
  int filled = percent * kWidth / 100;
  std::fprintf(stderr, "\r%s [%s%s] %3d%% %zu/%zu", label_.c_str(), std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), percent, done, total);
  std::fflush(stderr);
}

void Progress::Finish() {
  if (tty_ && last_percent_ >= 0) std::fprintf(stderr, "\n");
}

}  // namespace moe::cli
