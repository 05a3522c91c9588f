// CRC-32 as zlib computes it (the polynomial of gzip and of DynamoDB's
// x-amz-crc32 header), fast on large bodies: on x86-64 CPUs with carry-less
// multiplication (PCLMULQDQ) it folds 64 bytes per step, as in Intel's "Fast
// CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction"
// (2009); elsewhere, and for short inputs and tails, it is zlib's crc32.
//
// Thread safety: a pure function.
#pragma once

#include <cstdint>
#include <string_view>

namespace moe::server::internal {

// Equal to zlib's crc32(crc, data, size): continues `crc` (0 to start).
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

}  // namespace moe::server::internal
