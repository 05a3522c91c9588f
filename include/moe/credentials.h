// Credentials and where they come from: the AWS key pair (plus an optional
// session token) that signs every request, and the lookups that find the
// credentials, region and endpoint the way the AWS CLI and SDKs do.
//
//   moe::GetenvFn env = moe::ProcessEnvironment();
//   auto provider = moe::NewDefaultCredentialsChain(env);    // env, then profile
//   moe::Result<moe::Credentials> creds = provider->GetCredentials();
//   moe::Result<std::string> region = moe::ResolveRegion(env);
//   moe::Result<std::string> endpoint = moe::ResolveEndpoint("dynamodb", *region, env);
//
// Sources and precedence follow the AWS SDKs and Tools reference guide:
// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
// https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
//
// The environment is read only through the injected GetenvFn and files only
// through the paths it names, so tests never touch the process environment.
// No error message and no printed form ever contains a secret access key or a
// session token.
//
// Thread safety: Credentials is a value. The providers here read their
// sources on every GetCredentials() call and hold no mutable state, so they
// are safe for concurrent use (as long as the GetenvFn is).
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "moe/result.h"

namespace moe {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys

  // "Credentials{access_key_id=AKIDEXAMPLE, secret_access_key=<redacted>,
  // session_token=<redacted>|<none>}": the secret and the token never show.
  std::string ToString() const;

  friend bool operator==(const Credentials&, const Credentials&) = default;
};

// Prints ToString(), so gtest and logs never see a secret.
std::ostream& operator<<(std::ostream& os, const Credentials& credentials);

// Reads one environment variable; nullopt when unset. Empty values are
// treated as unset by every lookup in this header.
using GetenvFn = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment (std::getenv).
GetenvFn ProcessEnvironment();

// Where the shared config files are and which profile to use. Each empty
// field falls back as documented.
struct ProfileOptions {
  // Profile name. Default: $AWS_PROFILE, else "default".
  std::string profile;
  // Default: $AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials.
  std::string credentials_file;
  // Default: $AWS_CONFIG_FILE, else $HOME/.aws/config.
  std::string config_file;
};

class CredentialsProvider {
 public:
  CredentialsProvider() = default;
  CredentialsProvider(const CredentialsProvider&) = delete;
  CredentialsProvider& operator=(const CredentialsProvider&) = delete;
  virtual ~CredentialsProvider() = default;

  // The current credentials, or kInvalidArgument (not retryable) naming what
  // is missing or malformed. Never includes a secret in the message.
  virtual Result<Credentials> GetCredentials() = 0;
};

// Always returns `credentials`; kInvalidArgument if the key id or the secret
// is empty.
std::unique_ptr<CredentialsProvider> NewStaticCredentialsProvider(Credentials credentials);

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN.
// kInvalidArgument when either of the first two is unset.
std::unique_ptr<CredentialsProvider> NewEnvironmentCredentialsProvider(GetenvFn getenv);

// aws_access_key_id, aws_secret_access_key and aws_session_token of the
// profile, read from the credentials file ("[name]") and then the config file
// ("[profile name]", or "[default]"); the credentials file wins per profile.
// A missing file counts as empty. kInvalidArgument when the profile has no
// key pair, has only half of it, or a file is malformed (the message gives
// the file and line number, never the line's text).
std::unique_ptr<CredentialsProvider> NewProfileCredentialsProvider(GetenvFn getenv,
                                                                   ProfileOptions options = {});

// Environment, then profile: the first that succeeds wins. When both fail,
// kInvalidArgument listing why each did.
std::unique_ptr<CredentialsProvider> NewDefaultCredentialsChain(GetenvFn getenv,
                                                                ProfileOptions options = {});

// The region: AWS_REGION, then AWS_DEFAULT_REGION, then `region` of the
// profile in the config file. kInvalidArgument when none is set or the config
// file is malformed.
Result<std::string> ResolveRegion(const GetenvFn& getenv, const ProfileOptions& options = {});

// The endpoint URL for `service` (e.g. "dynamodb"): `explicit_endpoint` when
// not empty, then AWS_ENDPOINT_URL_<SERVICE> (service upper-cased, spaces and
// dashes as underscores), then AWS_ENDPOINT_URL, then `endpoint_url` of the
// profile in the config file, else "https://<service>.<region>.amazonaws.com".
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips the environment and profile
// steps. kInvalidArgument when the config file is malformed, or when the
// default is needed and `region` is empty.
Result<std::string> ResolveEndpoint(std::string_view service, std::string_view region,
                                    const GetenvFn& getenv, std::string_view explicit_endpoint = {},
                                    const ProfileOptions& options = {});

}  // namespace moe
