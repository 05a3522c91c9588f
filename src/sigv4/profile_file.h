// The AWS shared config and credentials files (INI dialect):
// https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
// Pure functions over files; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "moe/credentials.h"
#include "moe/result.h"

namespace moe::sigv4::internal {

// Properties of each profile, keys lower-cased.
using Profile = std::map<std::string, std::string, std::less<>>;
using ProfileMap = std::map<std::string, Profile, std::less<>>;

enum class ProfileFileKind { kCredentials, kConfig };

// Parses file text. In kConfig, "[profile name]" and "[default]" are profiles
// and other sections (sso-session, services) are skipped. Lines that start
// with whitespace continue a sub-property and are skipped. Errors:
// kInvalidArgument "<path>:<line>: <problem>", never quoting the line.
Result<ProfileMap> ParseProfileFile(std::string_view text, ProfileFileKind kind,
                                    std::string_view path);

// Reads and parses `path`; a missing file is an empty map.
Result<ProfileMap> LoadProfileFile(const std::string& path, ProfileFileKind kind);

// Which profile and files `options` means once the environment is applied.
struct ResolvedProfileOptions {
  std::string profile;
  std::string credentials_file;  // empty when neither set nor derivable from HOME
  std::string config_file;
};
ResolvedProfileOptions ResolveProfileOptions(const GetenvFn& getenv, const ProfileOptions& options);

// An environment variable, with empty values treated as unset.
std::optional<std::string> Env(const GetenvFn& getenv, std::string_view name);

}  // namespace moe::sigv4::internal
