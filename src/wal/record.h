// The bytes of a write-ahead log and of its snapshots (see log.h for the file
// layout and the guarantees): record framing with CRC-32C, and the
// little-endian primitives the entry codecs build on.
//
// A record is
//   [u32 length][u32 crc32c(length bytes)][u32 crc32c(payload)][payload]
// all little-endian; length > 0 is the payload size. The header has its own
// checksum so that a damaged length is recognized as damage instead of being
// trusted (a trusted bad length could make acknowledged records look like a
// torn tail). A zero-filled region never parses as a record.
//
// A payload starts with its RecordType byte. A kGroup payload is a sequence
// of encoded entries (their codec belongs to the log's user: the engine's
// mutations, the embedded Kinesis journal's records), one or more committed
// groups (group commit writes the groups of one batch as one record, so a
// batch is atomic on disk).
//
// Thread safety: stateless functions, safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace moe::wal {

inline constexpr size_t kHeaderSize = 12;

enum class RecordType : uint8_t {
  kGroup = 1,           // entries
  kSnapshotHeader = 2,  // u64 generation of the log that follows the snapshot
  kSnapshotEnd = 3,     // u64 number of entries in the snapshot
};

// CRC-32C (Castagnoli), extending `crc` (0 to start).
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);

// Appends one framed record holding `payload` (non-empty) to `out`.
void AppendRecord(std::string_view payload, std::string& out);

// The payload of the valid record at `offset` of `data`, and in `*next` the
// offset after it; nullopt when no valid record starts there (short, bad
// header checksum, length past the end, bad payload checksum).
std::optional<std::string_view> RecordAt(std::string_view data, size_t offset, size_t* next);

// The payload length in the header at `offset` when that header passes its
// own checksum (the payload itself may still be short or damaged).
std::optional<uint32_t> TrustedLengthAt(std::string_view data, size_t offset);

// Whether a valid record starts at any offset >= `from`. Used to tell a torn
// tail (nothing valid follows) from damage in the middle of a log.
bool AnyValidRecordFrom(std::string_view data, size_t from);

// Little-endian integers and length-prefixed strings ([u32 size][bytes]).
// The readers take from the front of `in` and advance it; false when too short.
void PutU32(uint32_t v, std::string& out);
void PutU64(uint64_t v, std::string& out);
void PutString(std::string_view s, std::string& out);
bool GetU32(std::string_view& in, uint32_t* v);
bool GetU64(std::string_view& in, uint64_t* v);
bool GetString(std::string_view& in, std::string_view* s);

}  // namespace moe::wal
