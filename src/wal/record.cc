// Record framing of the write-ahead log.

#include "wal/record.h"

#include <array>
#include <bit>
#include <cstring>

namespace moe::wal {

namespace {

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

uint32_t LoadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = std::byteswap(v);
  return v;
}

}  // namespace

uint32_t Crc32c(std::string_view data, uint32_t crc) {
  crc = ~crc;
  for (unsigned char b : data) crc = kCrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return ~crc;
}

void PutU32(uint32_t v, std::string& out) {
  if constexpr (std::endian::native == std::endian::big) v = std::byteswap(v);
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}

void PutU64(uint64_t v, std::string& out) {
  PutU32(static_cast<uint32_t>(v), out);
  PutU32(static_cast<uint32_t>(v >> 32), out);
}

bool GetU64(std::string_view& in, uint64_t* v) {
  uint32_t lo, hi;
  if (!GetU32(in, &lo) || !GetU32(in, &hi)) return false;
  *v = (static_cast<uint64_t>(hi) << 32) | lo;
  return true;
}

void AppendRecord(std::string_view payload, std::string& out) {
  size_t start = out.size();
  PutU32(static_cast<uint32_t>(payload.size()), out);
  PutU32(Crc32c(std::string_view(out).substr(start, 4)), out);
  PutU32(Crc32c(payload), out);
  out.append(payload);
}

std::optional<std::string_view> RecordAt(std::string_view data, size_t offset, size_t* next) {
  if (offset > data.size() || data.size() - offset < kHeaderSize) return std::nullopt;
  const char* h = data.data() + offset;
  uint32_t length = LoadU32(h);
  if (length == 0 || LoadU32(h + 4) != Crc32c(std::string_view(h, 4))) return std::nullopt;
  if (data.size() - offset - kHeaderSize < length) return std::nullopt;
  std::string_view payload = data.substr(offset + kHeaderSize, length);
  if (LoadU32(h + 8) != Crc32c(payload)) return std::nullopt;
  *next = offset + kHeaderSize + length;
  return payload;
}

std::optional<uint32_t> TrustedLengthAt(std::string_view data, size_t offset) {
  if (offset > data.size() || data.size() - offset < kHeaderSize) return std::nullopt;
  const char* h = data.data() + offset;
  if (LoadU32(h + 4) != Crc32c(std::string_view(h, 4))) return std::nullopt;
  return LoadU32(h);
}

bool AnyValidRecordFrom(std::string_view data, size_t from) {
  size_t next;
  for (size_t at = from; at + kHeaderSize <= data.size(); ++at) {
    if (RecordAt(data, at, &next)) return true;
  }
  return false;
}

void PutString(std::string_view s, std::string& out) {
  PutU32(static_cast<uint32_t>(s.size()), out);
  out.append(s);
}

bool GetU32(std::string_view& in, uint32_t* v) {
  if (in.size() < 4) return false;
  *v = LoadU32(in.data());
  in.remove_prefix(4);
  return true;
}

bool GetString(std::string_view& in, std::string_view* s) {
  uint32_t n;
  if (!GetU32(in, &n) || in.size() < n) return false;
  *s = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}

}  // namespace moe::wal
