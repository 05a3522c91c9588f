#include "server/response.h"

#include <charconv>
#include <cstring>

#include "server/crc32.h"

namespace moe::server::internal {

namespace {

void Put(Buffer* out, std::string_view s) { out->Append(s); }

void PutNumber(Buffer* out, uint64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out->Append({digits, static_cast<size_t>(end - digits)});
}

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Request Entity Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

ResponseWriter::ResponseWriter(uint64_t seed) {
  // DynamoDB's request ids are 52 upper-case alphanumerics; ours are a
  // random per-writer prefix and a counter in hex.
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  uint64_t state = seed;
  for (char& c : id_prefix_) c = kAlphabet[SplitMix64(&state) % 36];
}

std::string_view ResponseWriter::DateLine() {
  time_t now = time(nullptr);
  if (now != date_second_) {
    date_second_ = now;
    struct tm tm;
    gmtime_r(&now, &tm);
    char text[64];
    size_t n = strftime(text, sizeof text, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    date_line_.assign(text, n);
  }
  return date_line_;
}

void ResponseWriter::Write(const Response& r, Buffer* out) {
  // Reserve once so the appends below do not reallocate.
  out->PrepareWrite(r.body.size() + r.extra_headers.size() + 320);
  Put(out, "HTTP/1.1 ");
  PutNumber(out, static_cast<uint64_t>(r.status));
  Put(out, " ");
  Put(out, ReasonPhrase(r.status));
  Put(out, "\r\n");
  if (r.amz_headers) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    char id[kRequestIdSize];
    std::memcpy(id, id_prefix_, sizeof id_prefix_);
    uint64_t n = ++counter_;
    for (int i = 15; i >= 0; --i, n >>= 4) id[sizeof id_prefix_ + i] = kHex[n & 15];
    Put(out, "x-amzn-RequestId: ");
    Put(out, {id, sizeof id});
    Put(out, "\r\nx-amz-crc32: ");
    PutNumber(out, Crc32(r.body));
    Put(out, "\r\n");
  }
  Put(out, DateLine());
  if (!r.content_type.empty()) {
    Put(out, "Content-Type: ");
    Put(out, r.content_type);
    Put(out, "\r\n");
  }
  Put(out, "Content-Length: ");
  PutNumber(out, r.body.size());
  Put(out, "\r\n");
  if (r.close) Put(out, "Connection: close\r\n");
  Put(out, r.extra_headers);
  Put(out, "\r\n");
  Put(out, r.body);
}

}  // namespace moe::server::internal
