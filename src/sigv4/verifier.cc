// Server-side SigV4 verification with DynamoDB's error types and wording.
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/sigv4.h"
#include "sigv4/internal.h"

namespace moe::sigv4 {
namespace {

using internal::EqualsIgnoreCase;

constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details.";

Error Incomplete(std::string message) {
  return {ErrorCode::kIncompleteSignature, std::move(message)};
}
Error Invalid(std::string message) { return {ErrorCode::kInvalidSignature, std::move(message)}; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (EqualsIgnoreCase(h.first, name)) return &h.second;
  }
  return nullptr;
}

// What the request claims: who signed, when, what, and the signature.
struct Claim {
  std::string credential;  // "AKID/20150830/us-east-1/service/aws4_request"
  std::string signed_headers;
  std::string signature;
  std::string amz_date;
  std::optional<std::chrono::seconds> expires;  // presigned only
  std::vector<std::string> canonical_queries;   // candidates, tried in order
};

Result<Claim> ClaimFromAuthorization(const HttpRequest& request, std::string_view auth,
                                     std::string_view query) {
  std::string_view rest = Trim(auth);
  size_t space = rest.find(' ');
  std::string_view algorithm = rest.substr(0, space);
  if (algorithm != kAlgorithm) {
    return Incomplete("Unsupported AWS 'algorithm': '" + std::string(algorithm) + "'");
  }
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  Claim claim;
  bool have_credential = false, have_signed = false, have_signature = false;
  // Components are separated by commas and/or whitespace, as AWS parses them.
  while (!rest.empty()) {
    size_t end = rest.find_first_of(", \t");
    std::string_view part = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Incomplete(
          "'" + std::string(part) +
          "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
          std::string(auth) + "'.");
    }
    std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "Credential") {
      claim.credential = value;
      have_credential = true;
    } else if (key == "SignedHeaders") {
      claim.signed_headers = value;
      have_signed = true;
    } else if (key == "Signature") {
      claim.signature = value;
      have_signature = true;
    }
  }
  const std::string* date = FindHeader(request.headers, "x-amz-date");
  std::string missing;
  if (!have_credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!have_signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!have_signed) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (date == nullptr) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) return Incomplete(missing + "Authorization=" + std::string(auth));
  claim.amz_date = *date;
  claim.canonical_queries.push_back(CanonicalQueryString(query));
  return claim;
}

// The presigned parameters, decoded; the canonical query is the rest of the
// query without X-Amz-Signature (and, as a fallback, without the token, for
// signers that add the token after signing).
Result<Claim> ClaimFromQuery(std::string_view query) {
  Claim claim;
  std::string algorithm, expires;
  std::string with_token, without_token;
  bool have[6] = {};
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view param = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (param.empty()) continue;
    size_t eq = param.find('=');
    std::string name = UriDecode(param.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : UriDecode(param.substr(eq + 1));
    if (name == "X-Amz-Signature") {
      claim.signature = value;
      have[0] = true;
      continue;
    }
    auto append = [&](std::string& q) {
      if (!q.empty()) q.push_back('&');
      q.append(param);
    };
    append(with_token);
    if (name != "X-Amz-Security-Token") append(without_token);
    if (name == "X-Amz-Algorithm") algorithm = value, have[1] = true;
    if (name == "X-Amz-Credential") claim.credential = value, have[2] = true;
    if (name == "X-Amz-Date") claim.amz_date = value, have[3] = true;
    if (name == "X-Amz-SignedHeaders") claim.signed_headers = value, have[4] = true;
    if (name == "X-Amz-Expires") expires = value, have[5] = true;
  }
  static constexpr std::string_view kNames[] = {"X-Amz-Signature",     "X-Amz-Algorithm",
                                                "X-Amz-Credential",    "X-Amz-Date",
                                                "X-Amz-SignedHeaders", "X-Amz-Expires"};
  std::string missing;
  for (size_t i = 0; i < 6; ++i) {
    if (!have[i])
      missing += "AWS query-string parameters must include '" + std::string(kNames[i]) + "'. ";
  }
  if (!missing.empty()) return Incomplete(missing + "Re-examine the query-string parameters.");
  if (algorithm != kAlgorithm)
    return Incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'");
  int64_t seconds = 0;
  bool digits =
      !expires.empty() && expires.size() <= 7 &&
      std::all_of(expires.begin(), expires.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) seconds = std::stoll(expires);
  if (!digits || seconds > 604800) {
    return Incomplete(
        "X-Amz-Expires must be a whole number of seconds, at most 604800 (one week).");
  }
  claim.expires = std::chrono::seconds(seconds);
  claim.canonical_queries.push_back(CanonicalQueryString(with_token));
  if (without_token != with_token)
    claim.canonical_queries.push_back(CanonicalQueryString(without_token));
  return claim;
}

std::string SkewText(std::chrono::seconds skew) {
  if (skew.count() % 60 == 0) return std::to_string(skew.count() / 60) + " min.";
  return std::to_string(skew.count()) + " sec.";
}

Status CheckTime(const Claim& claim, Clock::TimePoint signed_at, Clock::TimePoint now,
                 std::chrono::seconds skew) {
  auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  if (signed_at > now_s + skew) {
    return Invalid("Signature not yet current: " + claim.amz_date + " is still later than " +
                   FormatAmzDate(now_s + skew) + " (" + FormatAmzDate(now_s) + " + " +
                   SkewText(skew) + ")");
  }
  std::chrono::seconds window = claim.expires ? *claim.expires : skew;
  if (signed_at < now_s - window) {
    return Invalid("Signature expired: " + claim.amz_date + " is now earlier than " +
                   FormatAmzDate(now_s - window) + " (" + FormatAmzDate(now_s) + " - " +
                   SkewText(window) + ")");
  }
  return Ok();
}

}  // namespace

Status Verify(const HttpRequest& request, const SecretLookup& lookup_secret, Clock::TimePoint now,
              std::chrono::seconds allowed_skew) {
  return Verify(request, lookup_secret, now, VerifyOptions{.allowed_skew = allowed_skew});
}

Status Verify(const HttpRequest& request, const SecretLookup& lookup_secret, Clock::TimePoint now,
              const VerifyOptions& options) {
  auto url = internal::SplitUrl(request.url);
  if (!url) return Incomplete("The request URL is not absolute.");
  const std::string* auth = FindHeader(request.headers, "authorization");
  bool presigned =
      auth == nullptr && (url->query.find("X-Amz-Signature=") != std::string_view::npos ||
                          url->query.find("X-Amz-Credential=") != std::string_view::npos ||
                          url->query.find("X-Amz-Algorithm=") != std::string_view::npos);
  if (auth == nullptr && !presigned) {
    return Error(ErrorCode::kMissingAuthenticationToken, "Request is missing Authentication Token");
  }
  Result<Claim> parsed =
      presigned ? ClaimFromQuery(url->query) : ClaimFromAuthorization(request, *auth, url->query);
  if (!parsed) return std::move(parsed).error();
  const Claim& claim = *parsed;

  // Credential = AKID/date/region/service/aws4_request; the key id has no '/'.
  std::vector<std::string_view> scope_parts;
  std::string_view cred = claim.credential;
  for (size_t pos = 0;;) {
    size_t slash = cred.find('/', pos);
    scope_parts.push_back(
        cred.substr(pos, slash == std::string_view::npos ? cred.npos : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  if (scope_parts.size() != 5 || scope_parts[0].empty() || scope_parts[1].size() != 8 ||
      scope_parts[2].empty() || scope_parts[3].empty()) {
    return Incomplete("Credential should be scoped to a valid region, not '" + claim.credential +
                      "'.");
  }
  if (scope_parts[4] != "aws4_request") {
    return Incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                      std::string(scope_parts[4]) + "'.");
  }
  std::optional<Clock::TimePoint> signed_at = ParseAmzDate(claim.amz_date);
  if (!signed_at) {
    return Incomplete("Date must be in ISO-8601 'basic format'. Got '" + claim.amz_date +
                      "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  std::string_view date8 = std::string_view(claim.amz_date).substr(0, 8);
  if (scope_parts[1] != date8) {
    return Invalid(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '" +
        std::string(scope_parts[1]) + "' != '" + std::string(date8) + "', from '" + claim.amz_date +
        "'.");
  }
  MOE_TRY_STATUS(CheckTime(claim, *signed_at, now, options.allowed_skew));

  std::optional<std::string> secret = lookup_secret ? lookup_secret(scope_parts[0]) : std::nullopt;
  if (!secret) {
    return Error(ErrorCode::kUnrecognizedClient,
                 "The security token included in the request is invalid.");
  }

  std::vector<std::string_view> signed_names;
  std::string_view names = claim.signed_headers;
  for (size_t pos = 0; pos <= names.size();) {
    size_t semi = names.find(';', pos);
    if (semi == std::string_view::npos) semi = names.size();
    signed_names.push_back(names.substr(pos, semi - pos));
    pos = semi + 1;
  }
  if (std::find(signed_names.begin(), signed_names.end(), "host") == signed_names.end()) {
    return Invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  internal::CanonicalHeaders headers =
      internal::BuildCanonicalHeaders(request.headers, [&](std::string_view name) {
        return std::find(signed_names.begin(), signed_names.end(), name) != signed_names.end();
      });
  std::string uri = CanonicalUri(url->path, options.normalize_path, options.double_encode_path);
  std::string payload_hash = Sha256Hex(request.body);
  std::string scope = CredentialScope(date8, scope_parts[2], scope_parts[3]);
  std::array<uint8_t, 32> key = DeriveSigningKey(*secret, date8, scope_parts[2], scope_parts[3]);
  bool match = false;
  for (const std::string& query : claim.canonical_queries) {
    std::string canonical = internal::AssembleCanonicalRequest(request.method, uri, query, headers,
                                                               claim.signed_headers, payload_hash);
    std::string expected = ComputeSignature(key, StringToSign(claim.amz_date, scope, canonical));
    match |= internal::ConstantTimeEquals(expected, claim.signature);
  }
  if (!match) return Invalid(std::string(kMismatch));
  return Ok();
}

}  // namespace moe::sigv4
