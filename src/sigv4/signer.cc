// Signer: header signing and presigning, with a per-(date, secret) cache of
// derived signing keys so a signature costs two SHA-256 and one HMAC.
#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "moe/sigv4.h"
#include "sigv4/internal.h"

namespace moe::sigv4 {

using internal::EqualsIgnoreCase;

// A few derived keys, most recently added first out. Keys change once a day
// per secret, so a handful of slots covers key rotation and midnight.
class Signer::KeyCache {
 public:
  KeyCache() = default;
  KeyCache(const KeyCache&) = delete;
  KeyCache& operator=(const KeyCache&) = delete;
  ~KeyCache() {
    for (Entry& e : entries_) {
      OPENSSL_cleanse(e.secret.data(), e.secret.size());
      OPENSSL_cleanse(e.key.data(), e.key.size());
    }
  }

  bool Find(std::string_view date, std::string_view secret, std::array<uint8_t, 32>* key) {
    std::lock_guard lock(mu_);
    for (const Entry& e : entries_) {
      if (e.used && e.date == date && e.secret == secret) {
        *key = e.key;
        return true;
      }
    }
    return false;
  }

  void Put(std::string_view date, std::string_view secret, const std::array<uint8_t, 32>& key) {
    std::lock_guard lock(mu_);
    Entry& e = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    OPENSSL_cleanse(e.secret.data(), e.secret.size());
    e = Entry{std::string(date), std::string(secret), key, true};
  }

 private:
  struct Entry {
    std::string date;
    std::string secret;
    std::array<uint8_t, 32> key{};
    bool used = false;
  };
  std::mutex mu_;
  std::array<Entry, 4> entries_;
  size_t next_ = 0;
};

namespace {

void RemoveHeader(Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (EqualsIgnoreCase(h.first, name)) return &h.second;
  }
  return nullptr;
}

Status CheckCredentials(const Credentials& credentials) {
  if (credentials.access_key_id.empty())
    return Error::InvalidArgument("SigV4: empty access key id");
  if (credentials.secret_access_key.empty()) {
    return Error::InvalidArgument("SigV4: empty secret access key");
  }
  return Ok();
}

}  // namespace

Signer::Signer(std::string region, std::string service)
    : Signer(SignerOptions{.region = std::move(region), .service = std::move(service)}) {}

Signer::Signer(SignerOptions options)
    : options_(std::move(options)), cache_(std::make_unique<KeyCache>()) {}

Signer::~Signer() = default;

std::array<uint8_t, 32> Signer::SigningKey(std::string_view date, std::string_view secret) const {
  std::array<uint8_t, 32> key;
  if (cache_->Find(date, secret, &key)) return key;
  key = DeriveSigningKey(secret, date, options_.region, options_.service);
  cache_->Put(date, secret, key);
  return key;
}

Status Signer::Sign(HttpRequest& request, const Credentials& credentials, Clock::TimePoint now,
                    SigningSteps* steps) const {
  MOE_TRY_STATUS(CheckCredentials(credentials));
  auto url = internal::SplitUrl(request.url);
  if (!url)
    return Error::InvalidArgument("SigV4: the request URL is not absolute (scheme://host/path)");

  Headers& headers = request.headers;
  RemoveHeader(headers, "authorization");
  RemoveHeader(headers, "x-amz-date");
  RemoveHeader(headers, "x-amz-security-token");
  if (FindHeader(headers, "host") == nullptr)
    headers.emplace_back("Host", internal::HostHeaderFor(*url));

  std::string amz_date = FormatAmzDate(now);
  std::string_view date8 = std::string_view(amz_date).substr(0, 8);
  if (!credentials.session_token.empty()) {
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  headers.emplace_back("X-Amz-Date", amz_date);
  std::string payload_hash;
  if (const std::string* given = FindHeader(headers, "x-amz-content-sha256")) {
    payload_hash = *given;
  } else {
    payload_hash = Sha256Hex(request.body);
    if (options_.add_content_sha256_header)
      headers.emplace_back("x-amz-content-sha256", payload_hash);
  }

  bool sign_token = options_.sign_session_token;
  internal::CanonicalHeaders canonical_headers =
      internal::BuildCanonicalHeaders(headers, [sign_token](std::string_view name) {
        return !internal::IsUnsignedHeader(name) && (sign_token || name != "x-amz-security-token");
      });
  std::string canonical_request = internal::AssembleCanonicalRequest(
      request.method, CanonicalUri(url->path, options_.normalize_path, options_.double_encode_path),
      CanonicalQueryString(url->query), canonical_headers, canonical_headers.signed_headers,
      payload_hash);
  std::string scope = CredentialScope(date8, options_.region, options_.service);
  std::string string_to_sign = StringToSign(amz_date, scope, canonical_request);
  std::string signature =
      ComputeSignature(SigningKey(date8, credentials.secret_access_key), string_to_sign);

  std::string authorization;
  authorization.reserve(kAlgorithm.size() + credentials.access_key_id.size() + scope.size() +
                        canonical_headers.signed_headers.size() + signature.size() + 48);
  authorization.append(kAlgorithm).append(" Credential=").append(credentials.access_key_id);
  authorization.append("/").append(scope).append(", SignedHeaders=");
  authorization.append(canonical_headers.signed_headers).append(", Signature=").append(signature);
  headers.emplace_back("Authorization", std::move(authorization));

  if (steps != nullptr) {
    *steps =
        SigningSteps{std::move(canonical_request), std::move(string_to_sign), std::move(signature),
                     std::move(canonical_headers.signed_headers), std::move(scope)};
  }
  return Ok();
}

Status Signer::Presign(HttpRequest& request, const Credentials& credentials, Clock::TimePoint now,
                       std::chrono::seconds expires, SigningSteps* steps) const {
  MOE_TRY_STATUS(CheckCredentials(credentials));
  if (expires < std::chrono::seconds(1) || expires > std::chrono::seconds(604800)) {
    return Error::InvalidArgument("SigV4: presign expiry must be between 1 second and 7 days");
  }
  auto url = internal::SplitUrl(request.url);
  if (!url)
    return Error::InvalidArgument("SigV4: the request URL is not absolute (scheme://host/path)");
  if (FindHeader(request.headers, "host") == nullptr) {
    request.headers.emplace_back("Host", internal::HostHeaderFor(*url));
  }

  std::string amz_date = FormatAmzDate(now);
  std::string_view date8 = std::string_view(amz_date).substr(0, 8);
  std::string scope = CredentialScope(date8, options_.region, options_.service);
  internal::CanonicalHeaders canonical_headers = internal::BuildCanonicalHeaders(
      request.headers, [](std::string_view name) { return !internal::IsUnsignedHeader(name); });

  // The auth parameters in the order the URL carries them; the canonical
  // query sorts them anyway.
  std::string auth_query = "X-Amz-Algorithm=";
  auth_query.append(kAlgorithm);
  auth_query.append("&X-Amz-Credential=")
      .append(UriEncode(credentials.access_key_id + "/" + scope, false));
  auth_query.append("&X-Amz-Date=").append(amz_date);
  auth_query.append("&X-Amz-SignedHeaders=")
      .append(UriEncode(canonical_headers.signed_headers, false));
  auth_query.append("&X-Amz-Expires=").append(std::to_string(expires.count()));
  std::string token_param;
  if (!credentials.session_token.empty()) {
    token_param = "&X-Amz-Security-Token=" + UriEncode(credentials.session_token, false);
  }

  std::string signed_query(url->query);
  if (!signed_query.empty()) signed_query.push_back('&');
  signed_query.append(auth_query);
  if (options_.sign_session_token) signed_query.append(token_param);

  std::string canonical_request = internal::AssembleCanonicalRequest(
      request.method, CanonicalUri(url->path, options_.normalize_path, options_.double_encode_path),
      CanonicalQueryString(signed_query), canonical_headers, canonical_headers.signed_headers,
      Sha256Hex(request.body));
  std::string string_to_sign = StringToSign(amz_date, scope, canonical_request);
  std::string signature =
      ComputeSignature(SigningKey(date8, credentials.secret_access_key), string_to_sign);

  // Insert before any fragment.
  size_t insert_at =
      url->path_begin + url->path.size() + (url->has_query ? 1 + url->query.size() : 0);
  std::string addition = url->has_query ? (url->query.empty() ? "" : "&") : "?";
  addition.append(auth_query).append(token_param).append("&X-Amz-Signature=").append(signature);
  request.url.insert(insert_at, addition);

  if (steps != nullptr) {
    *steps =
        SigningSteps{std::move(canonical_request), std::move(string_to_sign), std::move(signature),
                     std::move(canonical_headers.signed_headers), std::move(scope)};
  }
  return Ok();
}

}  // namespace moe::sigv4
