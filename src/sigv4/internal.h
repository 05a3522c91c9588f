// Private helpers shared by the signer and the verifier: URL splitting,
// header canonicalization and the assembly of a canonical request.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ascii.h"
#include "moe/transport.h"

namespace moe::sigv4::internal {

// The parts of an absolute URL "scheme://authority/path?query#fragment".
struct UrlParts {
  std::string_view scheme;
  std::string_view authority;  // host[:port], userinfo removed
  std::string_view path;       // may be empty
  std::string_view query;      // without '?'; may be empty
  bool has_query = false;      // a '?' was present
  size_t path_begin = 0;       // offset of the path in the URL
};

// nullopt when `url` has no "scheme://" or no host.
std::optional<UrlParts> SplitUrl(std::string_view url);

// The Host header value for a URL: the authority without a default port.
std::string HostHeaderFor(const UrlParts& url);

// ASCII lower-case / case-insensitive equality.
inline std::string Lower(std::string_view s) { return moe::internal::AsciiLowered(s); }
using moe::internal::EqualsIgnoreCase;

// Headers never signed because proxies and transports rewrite them.
bool IsUnsignedHeader(std::string_view lower_name);

struct CanonicalHeaders {
  std::string block;           // "name:value\n" per header, sorted
  std::string signed_headers;  // "name1;name2"
};

// Canonical form of the headers whose lower-cased name passes `include`.
// Duplicate names are joined with ',' in their order of appearance.
template <typename Include>
CanonicalHeaders BuildCanonicalHeaders(const Headers& headers, Include include);

// method \n uri \n query \n headers-block \n signed \n payload_hash
std::string AssembleCanonicalRequest(std::string_view method, std::string_view canonical_uri,
                                     std::string_view canonical_query,
                                     const CanonicalHeaders& headers,
                                     std::string_view signed_headers,
                                     std::string_view payload_hash);

// Compares in time independent of where the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Implementation detail of BuildCanonicalHeaders.
struct NamedIndex {
  std::string name;
  size_t index;
};
CanonicalHeaders JoinCanonicalHeaders(const Headers& headers, std::vector<NamedIndex> selected);

template <typename Include>
CanonicalHeaders BuildCanonicalHeaders(const Headers& headers, Include include) {
  std::vector<NamedIndex> selected;
  selected.reserve(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) {
    std::string name = Lower(headers[i].first);
    if (include(std::string_view(name))) selected.push_back({std::move(name), i});
  }
  return JoinCanonicalHeaders(headers, std::move(selected));
}

}  // namespace moe::sigv4::internal
