#include "sigv4/vectors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json_reader.h"

#ifndef MOE_SIGV4_TESTDATA
#error "MOE_SIGV4_TESTDATA must name shared/testdata/sigv4"
#endif

namespace moe::sigv4::testing {
namespace {

Result<std::string> ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::string VectorRoot() { return MOE_SIGV4_TESTDATA; }

std::vector<std::string> ListVectorCases() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(VectorRoot(), ec)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "context.json")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<HttpRequest> ParseRawRequest(std::string_view text) {
  size_t line_end = text.find('\n');
  std::string_view request_line = text.substr(0, line_end);
  size_t first = request_line.find(' ');
  size_t last = request_line.rfind(' ');
  if (first == std::string_view::npos || last <= first)
    return Error::InvalidArgument("bad request line");
  HttpRequest req;
  req.method = std::string(request_line.substr(0, first));
  std::string target(request_line.substr(first + 1, last - first - 1));
  size_t pos = line_end == std::string_view::npos ? text.size() : line_end + 1;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) {
      req.body = std::string(text.substr(std::min(pos, text.size())));
      break;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (req.headers.empty()) return Error::InvalidArgument("continuation before any header");
      req.headers.back().second.append("\n").append(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Error::InvalidArgument("header without ':'");
    req.headers.emplace_back(std::string(line.substr(0, colon)),
                             std::string(line.substr(colon + 1)));
  }
  std::string host;
  for (const auto& [name, value] : req.headers) {
    if (name.size() == 4 && (name == "Host" || name == "host" || name == "HOST")) host = value;
  }
  if (host.empty()) return Error::InvalidArgument("no Host header");
  req.url = "https://" + host + target;
  return req;
}

Result<std::string> VectorCase::File(std::string_view file) const {
  return ReadAll(std::filesystem::path(VectorRoot()) / name / file);
}

Result<VectorCase> LoadVectorCase(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(VectorRoot()) / name;
  MOE_TRY(std::string json, ReadAll(dir / "context.json"));
  moe::internal::JsonDocument doc;
  MOE_TRY_STATUS(moe::internal::ParseJson(json, &doc));
  VectorCase c;
  c.name = name;
  auto str = [&](const moe::internal::JsonValue& obj, const char* key) -> std::string {
    auto it = obj.FindMember(key);
    return it != obj.MemberEnd() && it->value.IsString()
               ? std::string(moe::internal::View(it->value))
               : "";
  };
  auto boolean = [&](const char* key, bool fallback) {
    auto it = doc.FindMember(key);
    return it != doc.MemberEnd() && it->value.IsBool() ? it->value.GetBool() : fallback;
  };
  if (!doc.IsObject() || !doc.HasMember("credentials"))
    return Error::InvalidArgument(name + ": no credentials");
  const auto& creds = doc["credentials"];
  c.credentials = Credentials{str(creds, "access_key_id"), str(creds, "secret_access_key"),
                              str(creds, "token")};
  c.region = str(doc, "region");
  c.service = str(doc, "service");
  c.normalize = boolean("normalize", true);
  c.sign_body = boolean("sign_body", false);
  c.omit_session_token = boolean("omit_session_token", false);
  c.expires = std::chrono::seconds(
      doc.HasMember("expiration_in_seconds") ? doc["expiration_in_seconds"].GetInt() : 0);
  std::string stamp = str(doc, "timestamp");  // 2015-08-30T12:36:00Z
  std::erase_if(stamp, [](char ch) { return ch == '-' || ch == ':'; });
  std::optional<Clock::TimePoint> time = ParseAmzDate(stamp);
  if (!time) return Error::InvalidArgument(name + ": bad timestamp");
  c.time = *time;
  MOE_TRY(std::string raw, ReadAll(dir / "request.txt"));
  MOE_TRY(c.request, ParseRawRequest(raw));
  return c;
}

}  // namespace moe::sigv4::testing
