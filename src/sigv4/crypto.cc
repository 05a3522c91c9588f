// SHA-256 and HMAC-SHA256 through OpenSSL 3's non-deprecated one-shot calls.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "moe/sigv4.h"
#include "sigv4/internal.h"

namespace moe::sigv4 {
namespace {

using Digest = std::array<uint8_t, 32>;

Digest Hmac(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

std::string_view AsView(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string Hex(const Digest& d) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(d.size() * 2, '\0');
  for (size_t i = 0; i < d.size(); ++i) {
    out[2 * i] = kDigits[d[i] >> 4];
    out[2 * i + 1] = kDigits[d[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return Hex(out);
}

std::array<uint8_t, 32> DeriveSigningKey(std::string_view secret, std::string_view date8,
                                         std::string_view region, std::string_view service) {
  std::string k_secret;
  k_secret.reserve(4 + secret.size());
  k_secret.append("AWS4").append(secret);
  Digest k = Hmac(k_secret, date8);
  OPENSSL_cleanse(k_secret.data(), k_secret.size());
  k = Hmac(AsView(k), region);
  k = Hmac(AsView(k), service);
  return Hmac(AsView(k), "aws4_request");
}

std::string ComputeSignature(const std::array<uint8_t, 32>& key, std::string_view string_to_sign) {
  return Hex(Hmac(AsView(key), string_to_sign));
}

namespace internal {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The length of a hex signature is public; only the content must not leak.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace internal
}  // namespace moe::sigv4
