#include "kinesis_local/hash_key.h"

#include <openssl/evp.h>

#include <algorithm>

namespace moe::kinesis::internal {

namespace {
constexpr HashKey kMax = ~HashKey{0};
}

HashKey HashOfPartitionKey(std::string_view partition_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(partition_key.data(), partition_key.size(), digest, &size, EVP_md5(), nullptr);
  HashKey key = 0;
  for (unsigned int i = 0; i < size && i < 16; ++i) key = (key << 8) | digest[i];
  return key;
}

std::string HashKeyToString(HashKey key) {
  if (key == 0) return "0";
  std::string out;
  while (key != 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(key % 10)));
    key /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::optional<HashKey> HashKeyFromString(std::string_view text) {
  if (text.empty() || text.size() > 39) return std::nullopt;
  HashKey key = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    HashKey digit = static_cast<HashKey>(c - '0');
    if (key > (kMax - digit) / 10) return std::nullopt;
    key = key * 10 + digit;
  }
  return key;
}

HashKey ShardStart(int index, int count) {
  HashKey width = kMax / static_cast<HashKey>(count);
  return width * static_cast<HashKey>(index) + static_cast<HashKey>(index);
}

HashKey ShardEnd(int index, int count) {
  return index + 1 == count ? kMax : ShardStart(index + 1, count) - 1;
}

}  // namespace moe::kinesis::internal
