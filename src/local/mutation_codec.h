// The compact encoding of Mutations, the entries of the engine's write-ahead
// log (wal.h; framing in wal/record.h). Each encoding is self-delimiting, so a
// group record holds several back to back.
//
// Thread safety: stateless functions, safe for concurrent use.
#pragma once

#include <string>
#include <string_view>

#include "local/journal.h"
#include "moe/result.h"

namespace moe::local {

// Appends the encoding of `m` to `out`.
void EncodeMutation(const Mutation& m, std::string& out);
// Decodes one mutation from the front of `in` and advances it.
// Errors: kIo (malformed bytes, which a valid checksum makes a format bug).
Result<Mutation> DecodeMutation(std::string_view& in);

}  // namespace moe::local
