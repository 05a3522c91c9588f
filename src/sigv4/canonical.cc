// The canonicalization rules of SigV4: URI and query encoding, path
// normalization, header folding, dates, and the canonical request layout.
#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "moe/sigv4.h"
#include "sigv4/internal.h"

namespace moe::sigv4 {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 3986 section 5.2.4 dot-segment removal, plus collapsing empty segments.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> kept;
  bool trailing_slash = false;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(pos, slash - pos);
    bool last = slash == path.size();
    if (seg.empty() || seg == ".") {
      trailing_slash = last;
    } else if (seg == "..") {
      if (!kept.empty()) kept.pop_back();
      trailing_slash = last;
    } else {
      kept.push_back(seg);
      trailing_slash = false;
    }
    pos = slash + 1;
  }
  std::string out;
  out.reserve(path.size() + 1);
  for (std::string_view seg : kept) out.append("/").append(seg);
  if (out.empty() || trailing_slash) out.push_back('/');
  return out;
}

void AppendTwoDigits(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

std::string UriEncode(std::string_view s, bool keep_slash) {
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xf]);
    }
  }
  return out;
}

std::string UriDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode) {
  if (path.empty()) return "/";
  std::string normalized = normalize ? NormalizePath(path) : std::string(path);
  return double_encode ? UriEncode(normalized, true) : UriEncode(UriDecode(normalized), true);
}

std::string CanonicalQueryString(std::string_view query) {
  if (query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> params;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view param = query.substr(pos, amp - pos);
    if (!param.empty()) {
      size_t eq = param.find('=');
      std::string_view name = param.substr(0, eq);
      std::string_view value =
          eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
      params.emplace_back(UriEncode(UriDecode(name), false), UriEncode(UriDecode(value), false));
    }
    pos = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(name).append("=").append(value);
  }
  return out;
}

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string FormatAmzDate(Clock::TimePoint t) {
  using namespace std::chrono;
  auto secs = floor<seconds>(t);
  auto day = floor<days>(secs);
  year_month_day ymd{day};
  hh_mm_ss hms{secs - day};
  std::string out;
  out.reserve(16);
  int year = static_cast<int>(ymd.year());
  AppendTwoDigits(out, static_cast<unsigned>(year / 100));
  AppendTwoDigits(out, static_cast<unsigned>(year % 100));
  AppendTwoDigits(out, static_cast<unsigned>(ymd.month()));
  AppendTwoDigits(out, static_cast<unsigned>(ymd.day()));
  out.push_back('T');
  AppendTwoDigits(out, static_cast<unsigned>(hms.hours().count()));
  AppendTwoDigits(out, static_cast<unsigned>(hms.minutes().count()));
  AppendTwoDigits(out, static_cast<unsigned>(hms.seconds().count()));
  out.push_back('Z');
  return out;
}

std::optional<Clock::TimePoint> ParseAmzDate(std::string_view s) {
  using namespace std::chrono;
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  auto num = [&](size_t pos, size_t len) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(9, 2), mi = num(11, 2), se = num(13, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) {
    return std::nullopt;
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  auto tp = sys_days(ymd) + hours(h) + minutes(mi) + seconds(se);
  // Years the clock's nanoseconds cannot hold (before 1678, after 2262) are
  // out of range; converting them would overflow.
  constexpr seconds kLimit = duration_cast<seconds>(Clock::Duration::max());
  if (tp.time_since_epoch() >= kLimit || tp.time_since_epoch() <= -kLimit) return std::nullopt;
  return time_point_cast<Clock::Duration>(tp);
}

std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service) {
  std::string out;
  out.reserve(date8.size() + region.size() + service.size() + 16);
  out.append(date8).append("/").append(region).append("/").append(service).append("/aws4_request");
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out;
  out.reserve(kAlgorithm.size() + amz_date.size() + scope.size() + 67);
  out.append(kAlgorithm).append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out.append(Sha256Hex(canonical_request));
  return out;
}

namespace internal {

std::optional<UrlParts> SplitUrl(std::string_view url) {
  size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  UrlParts parts;
  parts.scheme = url.substr(0, colon);
  size_t auth_begin = colon + 3;
  size_t auth_end = url.find_first_of("/?#", auth_begin);
  if (auth_end == std::string_view::npos) auth_end = url.size();
  std::string_view authority = url.substr(auth_begin, auth_end - auth_begin);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (authority.empty()) return std::nullopt;
  parts.authority = authority;
  size_t fragment = url.find('#', auth_end);
  std::string_view rest =
      url.substr(auth_end, fragment == std::string_view::npos ? url.npos : fragment - auth_end);
  parts.path_begin = auth_end;
  size_t q = rest.find('?');
  if (q == std::string_view::npos) {
    parts.path = rest;
  } else {
    parts.path = rest.substr(0, q);
    parts.query = rest.substr(q + 1);
    parts.has_query = true;
  }
  return parts;
}

std::string HostHeaderFor(const UrlParts& url) {
  std::string_view host = url.authority;
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos) {
    std::string_view port = host.substr(colon + 1);
    if ((EqualsIgnoreCase(url.scheme, "https") && port == "443") ||
        (EqualsIgnoreCase(url.scheme, "http") && port == "80") || port.empty()) {
      host = host.substr(0, colon);
    }
  }
  return std::string(host);
}

bool IsUnsignedHeader(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" ||
         lower_name == "x-amzn-trace-id" || lower_name == "expect" || lower_name == "connection";
}

CanonicalHeaders JoinCanonicalHeaders(const Headers& headers, std::vector<NamedIndex> selected) {
  std::stable_sort(selected.begin(), selected.end(),
                   [](const NamedIndex& a, const NamedIndex& b) { return a.name < b.name; });
  CanonicalHeaders out;
  for (size_t i = 0; i < selected.size(); ++i) {
    bool continues = i > 0 && selected[i].name == selected[i - 1].name;
    if (continues) {
      out.block.push_back(',');
    } else {
      if (i > 0) out.block.push_back('\n');
      if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
      out.signed_headers.append(selected[i].name);
      out.block.append(selected[i].name).push_back(':');
    }
    out.block.append(CanonicalHeaderValue(headers[selected[i].index].second));
  }
  if (!selected.empty()) out.block.push_back('\n');
  return out;
}

std::string AssembleCanonicalRequest(std::string_view method, std::string_view canonical_uri,
                                     std::string_view canonical_query,
                                     const CanonicalHeaders& headers,
                                     std::string_view signed_headers,
                                     std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() + headers.block.size() +
              signed_headers.size() + payload_hash.size() + 8);
  out.append(method).append("\n").append(canonical_uri).append("\n").append(canonical_query);
  out.append("\n").append(headers.block).append("\n").append(signed_headers).append("\n");
  out.append(payload_hash);
  return out;
}

}  // namespace internal
}  // namespace moe::sigv4
