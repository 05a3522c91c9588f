#include "server/crc32.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

namespace moe::server::internal {
namespace {

uint32_t Reference(std::string_view s, uint32_t crc = 0) {
  return static_cast<uint32_t>(
      crc32(crc, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

TEST(Crc32Test, KnownValue) {
  EXPECT_EQ(Crc32("123456789"), 0xcbf43926u);
  EXPECT_EQ(Crc32(""), 0u);
}

// Every length from 0 to 1100 (each side of the folding thresholds, every
// tail length) and misaligned starts agree with zlib, as does continuing a CRC.
TEST(Crc32Test, EqualsZlibForEveryLengthAndAlignment) {
  std::mt19937 rng(42);
  std::string buf(1200, '\0');
  for (char& c : buf) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 4; ++offset) {
    for (size_t n = 0; n + offset <= 1100; ++n) {
      std::string_view s(buf.data() + offset, n);
      ASSERT_EQ(Crc32(s), Reference(s)) << "offset " << offset << " length " << n;
    }
  }
  std::string big(300000, '\0');
  for (char& c : big) c = static_cast<char>(rng());
  EXPECT_EQ(Crc32(big), Reference(big));
  EXPECT_EQ(Crc32(std::string_view(big).substr(1000), Crc32(std::string_view(big).substr(0, 1000))),
            Reference(big));
}

}  // namespace
}  // namespace moe::server::internal
