#include "sigv4/profile_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sigv4/internal.h"

namespace moe::sigv4::internal {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Error Malformed(std::string_view path, int line, std::string_view problem) {
  return Error::InvalidArgument(std::string(path) + ":" + std::to_string(line) + ": " +
                                std::string(problem));
}

}  // namespace

Result<ProfileMap> ParseProfileFile(std::string_view text, ProfileFileKind kind,
                                    std::string_view path) {
  ProfileMap profiles;
  Profile* current = nullptr;
  bool in_section = false;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos)
        return Malformed(path, line_no, "section header without ']'");
      std::string_view after = Trim(line.substr(close + 1));
      if (!after.empty() && after.front() != '#' && after.front() != ';') {
        return Malformed(path, line_no, "text after a section header");
      }
      std::string_view name = Trim(line.substr(1, close - 1));
      if (name.empty()) return Malformed(path, line_no, "empty section name");
      in_section = true;
      current = nullptr;
      if (kind == ProfileFileKind::kCredentials) {
        current = &profiles[std::string(name)];
      } else if (name == "default") {
        current = &profiles["default"];
      } else if (name.starts_with("profile ") || name.starts_with("profile\t")) {
        std::string_view profile = Trim(name.substr(8));
        if (profile.empty()) return Malformed(path, line_no, "empty profile name");
        current = &profiles[std::string(profile)];
      }
      continue;
    }
    // Indented lines belong to a sub-property ("s3 =\n  key = value").
    if (raw.front() == ' ' || raw.front() == '\t') continue;
    if (!in_section) return Malformed(path, line_no, "property outside any section");
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return Malformed(path, line_no, "expected 'name = value'");
    std::string_view key = Trim(line.substr(0, eq));
    if (key.empty()) return Malformed(path, line_no, "property without a name");
    if (current != nullptr) (*current)[Lower(key)] = std::string(Trim(line.substr(eq + 1)));
  }
  return profiles;
}

Result<ProfileMap> LoadProfileFile(const std::string& path, ProfileFileKind kind) {
  if (path.empty()) return ProfileMap{};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ProfileMap{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kInvalidArgument, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error(ErrorCode::kInvalidArgument, "cannot read " + path);
  return ParseProfileFile(text.str(), kind, path);
}

std::optional<std::string> Env(const GetenvFn& getenv, std::string_view name) {
  if (!getenv) return std::nullopt;
  std::optional<std::string> v = getenv(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

ResolvedProfileOptions ResolveProfileOptions(const GetenvFn& getenv,
                                             const ProfileOptions& options) {
  std::optional<std::string> home = Env(getenv, "HOME");
  auto expand = [&](std::string p) {
    if (home && (p == "~" || p.starts_with("~/"))) p = *home + p.substr(1);
    return p;
  };
  auto pick = [&](const std::string& given, std::string_view var,
                  std::string_view leaf) -> std::string {
    if (!given.empty()) return expand(given);
    if (auto v = Env(getenv, var)) return expand(*v);
    if (home) return *home + "/.aws/" + std::string(leaf);
    return {};
  };
  ResolvedProfileOptions out;
  out.profile =
      !options.profile.empty() ? options.profile : Env(getenv, "AWS_PROFILE").value_or("default");
  out.credentials_file =
      pick(options.credentials_file, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  out.config_file = pick(options.config_file, "AWS_CONFIG_FILE", "config");
  return out;
}

}  // namespace moe::sigv4::internal
