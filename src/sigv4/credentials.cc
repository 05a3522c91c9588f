// Credentials providers and region/endpoint resolution.
#include "moe/credentials.h"

#include <cstdlib>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "sigv4/profile_file.h"

namespace moe {
namespace {

using sigv4::internal::Env;
using sigv4::internal::LoadProfileFile;
using sigv4::internal::Profile;
using sigv4::internal::ProfileFileKind;
using sigv4::internal::ResolvedProfileOptions;
using sigv4::internal::ResolveProfileOptions;

class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> GetCredentials() override {
    if (credentials_.access_key_id.empty() || credentials_.secret_access_key.empty()) {
      return Error::InvalidArgument(
          "static credentials: access key id and secret access key are required");
    }
    return credentials_;
  }

 private:
  const Credentials credentials_;
};

class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(GetenvFn getenv) : getenv_(std::move(getenv)) {}
  Result<Credentials> GetCredentials() override {
    std::optional<std::string> id = Env(getenv_, "AWS_ACCESS_KEY_ID");
    std::optional<std::string> secret = Env(getenv_, "AWS_SECRET_ACCESS_KEY");
    if (!id && !secret) {
      return Error::InvalidArgument(
          "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    }
    if (!id)
      return Error::InvalidArgument(
          "environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    if (!secret) {
      return Error::InvalidArgument(
          "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    }
    return Credentials{std::move(*id), std::move(*secret),
                       Env(getenv_, "AWS_SESSION_TOKEN").value_or("")};
  }

 private:
  const GetenvFn getenv_;
};

// The profile's credentials from one file, or nullopt when it has none.
Result<std::optional<Credentials>> CredentialsFromFile(const std::string& path,
                                                       ProfileFileKind kind,
                                                       const std::string& profile) {
  MOE_TRY(auto profiles, LoadProfileFile(path, kind));
  auto it = profiles.find(profile);
  if (it == profiles.end()) return std::optional<Credentials>();
  const Profile& p = it->second;
  auto get = [&](std::string_view key) -> std::string {
    auto v = p.find(key);
    return v == p.end() ? std::string() : v->second;
  };
  Credentials c{get("aws_access_key_id"), get("aws_secret_access_key"), get("aws_session_token")};
  if (c.access_key_id.empty() && c.secret_access_key.empty()) return std::optional<Credentials>();
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Error::InvalidArgument("profile '" + profile + "' in " + path + " has " +
                                  (c.access_key_id.empty()
                                       ? "aws_secret_access_key but no aws_access_key_id"
                                       : "aws_access_key_id but no aws_secret_access_key"));
  }
  return std::optional<Credentials>(std::move(c));
}

class ProfileProvider final : public CredentialsProvider {
 public:
  ProfileProvider(GetenvFn getenv, ProfileOptions options)
      : getenv_(std::move(getenv)), options_(std::move(options)) {}

  Result<Credentials> GetCredentials() override {
    ResolvedProfileOptions r = ResolveProfileOptions(getenv_, options_);
    MOE_TRY(auto from_credentials,
            CredentialsFromFile(r.credentials_file, ProfileFileKind::kCredentials, r.profile));
    if (from_credentials) return std::move(*from_credentials);
    MOE_TRY(auto from_config,
            CredentialsFromFile(r.config_file, ProfileFileKind::kConfig, r.profile));
    if (from_config) return std::move(*from_config);
    return Error::InvalidArgument(
        "profile '" + r.profile + "': no aws_access_key_id/aws_secret_access_key in " +
        (r.credentials_file.empty() ? "(no credentials file)" : r.credentials_file) + " or " +
        (r.config_file.empty() ? "(no config file)" : r.config_file));
  }

 private:
  const GetenvFn getenv_;
  const ProfileOptions options_;
};

class ChainProvider final : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<std::unique_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}

  Result<Credentials> GetCredentials() override {
    std::string why = "no credentials found: ";
    for (size_t i = 0; i < providers_.size(); ++i) {
      Result<Credentials> got = providers_[i]->GetCredentials();
      if (got) return got;
      if (i > 0) why += "; ";
      why += got.error().message();
    }
    return Error::InvalidArgument(std::move(why));
  }

 private:
  const std::vector<std::unique_ptr<CredentialsProvider>> providers_;
};

// A property of the profile in the config file, or nullopt.
Result<std::optional<std::string>> ConfigProperty(const GetenvFn& getenv,
                                                  const ProfileOptions& options,
                                                  std::string_view key) {
  ResolvedProfileOptions r = ResolveProfileOptions(getenv, options);
  MOE_TRY(auto profiles, LoadProfileFile(r.config_file, ProfileFileKind::kConfig));
  auto it = profiles.find(r.profile);
  if (it == profiles.end()) return std::optional<std::string>();
  auto v = it->second.find(key);
  if (v == it->second.end() || v->second.empty()) return std::optional<std::string>();
  return std::optional<std::string>(v->second);
}

}  // namespace

std::string Credentials::ToString() const {
  return "Credentials{access_key_id=" + access_key_id +
         ", secret_access_key=" + (secret_access_key.empty() ? "<none>" : "<redacted>") +
         ", session_token=" + (session_token.empty() ? "<none>" : "<redacted>") + "}";
}

std::ostream& operator<<(std::ostream& os, const Credentials& credentials) {
  return os << credentials.ToString();
}

GetenvFn ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::unique_ptr<CredentialsProvider> NewStaticCredentialsProvider(Credentials credentials) {
  return std::make_unique<StaticProvider>(std::move(credentials));
}

std::unique_ptr<CredentialsProvider> NewEnvironmentCredentialsProvider(GetenvFn getenv) {
  return std::make_unique<EnvironmentProvider>(std::move(getenv));
}

std::unique_ptr<CredentialsProvider> NewProfileCredentialsProvider(GetenvFn getenv,
                                                                   ProfileOptions options) {
  return std::make_unique<ProfileProvider>(std::move(getenv), std::move(options));
}

std::unique_ptr<CredentialsProvider> NewDefaultCredentialsChain(GetenvFn getenv,
                                                                ProfileOptions options) {
  std::vector<std::unique_ptr<CredentialsProvider>> chain;
  chain.push_back(NewEnvironmentCredentialsProvider(getenv));
  chain.push_back(NewProfileCredentialsProvider(std::move(getenv), std::move(options)));
  return std::make_unique<ChainProvider>(std::move(chain));
}

Result<std::string> ResolveRegion(const GetenvFn& getenv, const ProfileOptions& options) {
  if (auto v = Env(getenv, "AWS_REGION")) return *v;
  if (auto v = Env(getenv, "AWS_DEFAULT_REGION")) return *v;
  MOE_TRY(auto region, ConfigProperty(getenv, options, "region"));
  if (region) return *region;
  return Error::InvalidArgument(
      "no region: set AWS_REGION or AWS_DEFAULT_REGION, or `region` in the profile's config");
}

Result<std::string> ResolveEndpoint(std::string_view service, std::string_view region,
                                    const GetenvFn& getenv, std::string_view explicit_endpoint,
                                    const ProfileOptions& options) {
  if (!explicit_endpoint.empty()) return std::string(explicit_endpoint);
  std::string ignore = Env(getenv, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").value_or("");
  bool use_configured = !(ignore == "true" || ignore == "TRUE" || ignore == "True");
  if (use_configured) {
    std::string var = "AWS_ENDPOINT_URL_";
    for (char c : service) {
      if (c == ' ' || c == '-') c = '_';
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      var.push_back(c);
    }
    if (auto v = Env(getenv, var)) return *v;
    if (auto v = Env(getenv, "AWS_ENDPOINT_URL")) return *v;
    MOE_TRY(auto endpoint, ConfigProperty(getenv, options, "endpoint_url"));
    if (endpoint) return *endpoint;
  }
  if (region.empty()) return Error::InvalidArgument("no endpoint: the region is empty");
  return "https://" + std::string(service) + "." + std::string(region) + ".amazonaws.com";
}

}  // namespace moe
