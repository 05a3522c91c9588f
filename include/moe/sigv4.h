// AWS Signature Version 4: signing requests (Authorization header or
// presigned query string) and verifying them on the server side.
//
//   moe::sigv4::Signer signer("us-east-1", "dynamodb");
//   moe::HttpRequest req{.url = "https://dynamodb.us-east-1.amazonaws.com/", .body = "{}"};
//   req.headers.push_back({"x-amz-target", "DynamoDB_20120810.ListTables"});
//   moe::Status s = signer.Sign(req, creds, clock.Now());   // adds host, x-amz-date, Authorization
//
//   // In a server:
//   moe::Status ok = moe::sigv4::Verify(req, lookup_secret, clock.Now());
//
// The rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// Presigning: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
// The intermediate steps (canonical request, string to sign, signature) are
// exposed so tests can check them byte for byte against the published vectors.
//
// Thread safety: Signer is safe for concurrent use; its only mutable state is
// the signing-key cache, guarded by a mutex. The free functions are pure.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "moe/clock.h"
#include "moe/credentials.h"
#include "moe/result.h"
#include "moe/transport.h"

namespace moe::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

struct SignerOptions {
  // Region and service of the credential scope, e.g. "us-east-1", "dynamodb".
  // Both required; no default.
  std::string region;
  std::string service;
  // Remove "." and ".." segments and collapse duplicate slashes in the path
  // before encoding it. Default: true (S3 wants false).
  bool normalize_path = true;
  // Percent-encode the path as it appears in the URL, so an already-encoded
  // path ends up encoded twice, as every service but S3 expects. When false
  // the path is decoded and encoded once. Default: true.
  bool double_encode_path = true;
  // Add an x-amz-content-sha256 header holding the payload hash, and sign it
  // (header signing only). Default: false; DynamoDB does not need it.
  bool add_content_sha256_header = false;
  // Include the session token in what is signed. When false the token is
  // still sent (header or query) but added after signing, which a few
  // services require. Default: true.
  bool sign_session_token = true;
};

// What one signature was computed from, for tests and debugging.
struct SigningSteps {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;         // lower-case hex
  std::string signed_headers;    // "host;x-amz-date"
  std::string credential_scope;  // "20150830/us-east-1/service/aws4_request"
};

class Signer {
 public:
  Signer(std::string region, std::string service);
  explicit Signer(SignerOptions options);
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;
  ~Signer();

  const SignerOptions& options() const { return options_; }

  // Signs `request` in place for time `now`: adds a Host header derived from
  // the URL when absent, X-Amz-Security-Token when the credentials carry a
  // session token, X-Amz-Date, x-amz-content-sha256 when configured, and
  // Authorization (an existing Authorization, X-Amz-Date or token header is
  // replaced). When the request already carries x-amz-content-sha256, its
  // value is used as the payload hash. Every header except authorization,
  // user-agent, x-amzn-trace-id, expect and connection is signed.
  // `steps`, when given, receives the intermediate strings.
  // Errors: kInvalidArgument (unparseable URL, empty key id or secret).
  Status Sign(HttpRequest& request, const Credentials& credentials, Clock::TimePoint now,
              SigningSteps* steps = nullptr) const;

  // Presigns `request` for `expires` (1 s to 7 days) by appending X-Amz-Algorithm,
  // X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires,
  // X-Amz-Security-Token (when a session token is present) and X-Amz-Signature
  // to the URL's query string (which must not carry them already). The
  // payload hash is that of the body.
  // Errors: kInvalidArgument.
  Status Presign(HttpRequest& request, const Credentials& credentials, Clock::TimePoint now,
                 std::chrono::seconds expires, SigningSteps* steps = nullptr) const;

 private:
  class KeyCache;
  std::array<uint8_t, 32> SigningKey(std::string_view date, std::string_view secret) const;

  SignerOptions options_;
  std::unique_ptr<KeyCache> cache_;
};

// --- The steps, as pure functions -------------------------------------------

// "20150830T123600Z" (UTC, seconds truncated).
std::string FormatAmzDate(Clock::TimePoint t);
// Parses "YYYYMMDDTHHMMSSZ"; nullopt when malformed or out of range.
std::optional<Clock::TimePoint> ParseAmzDate(std::string_view s);

// Percent-encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/' when
// `keep_slash`), with upper-case hex.
std::string UriEncode(std::string_view s, bool keep_slash);
// Decodes %XX escapes; a '%' not followed by two hex digits stays literal.
std::string UriDecode(std::string_view s);

// The canonical URI of a raw URL path (see SignerOptions). "" becomes "/".
std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode);
// The canonical query string of a raw query (without '?'): each name and
// value decoded then encoded, pairs sorted by name then value.
std::string CanonicalQueryString(std::string_view query);
// A header value trimmed, with each run of whitespace (including the line
// breaks of a folded value) replaced by one space.
std::string CanonicalHeaderValue(std::string_view value);

// "20150830/us-east-1/dynamodb/aws4_request"
std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service);
// kAlgorithm \n amz_date \n scope \n hex(sha256(canonical_request))
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
// HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
std::array<uint8_t, 32> DeriveSigningKey(std::string_view secret, std::string_view date8,
                                         std::string_view region, std::string_view service);
// hex(HMAC-SHA256(key, string_to_sign))
std::string ComputeSignature(const std::array<uint8_t, 32>& key, std::string_view string_to_sign);
// hex(SHA-256(data))
std::string Sha256Hex(std::string_view data);

// --- Verification (server side) ---------------------------------------------

// Returns the secret access key for an access key id, or nullopt if unknown.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

struct VerifyOptions {
  // How far the request's date may be from `now`. Default: 15 minutes.
  std::chrono::seconds allowed_skew = std::chrono::minutes(15);
  // Must match how clients sign. Defaults: as SignerOptions.
  bool normalize_path = true;
  bool double_encode_path = true;
};

// Checks the request's SigV4 signature, from its Authorization header or, when
// there is none, its presigned query string. Region and service are taken
// from the credential scope. The payload hash is always recomputed from the
// body. Errors use DynamoDB's types and wording:
//   kMissingAuthenticationToken  no Authorization header and no presigned query;
//   kIncompleteSignature         malformed Authorization / query parameters;
//   kUnrecognizedClient          unknown access key id;
//   kInvalidSignature            signature mismatch, or the date is outside
//                                now ± allowed_skew ("Signature expired: ..." /
//                                "Signature not yet current: ..."), or a
//                                presigned request is past X-Amz-Expires.
// None is retryable as is. Signatures are compared in constant time.
Status Verify(const HttpRequest& request, const SecretLookup& lookup_secret, Clock::TimePoint now,
              const VerifyOptions& options);
Status Verify(const HttpRequest& request, const SecretLookup& lookup_secret, Clock::TimePoint now,
              std::chrono::seconds allowed_skew = std::chrono::minutes(15));

}  // namespace moe::sigv4
