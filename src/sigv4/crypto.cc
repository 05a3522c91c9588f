// SHA-256 through OpenSSL 3's EVP digest API, and HMAC-SHA256 built on it.
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "moe/sigv4.h"
#include "sigv4/internal.h"

namespace moe::sigv4 {
namespace {

using Digest = std::array<uint8_t, 32>;
constexpr size_t kBlock = 64;  // SHA-256 block size

// SHA-256, fetched once. An explicit fetch skips OpenSSL 3's implicit
// per-call algorithm lookup, which is a large share of hashing a few hundred
// bytes. Immutable after the thread-safe initialization.
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

Digest Sha256(std::string_view a, std::string_view b = {}) {
  Digest out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, Sha256Md(), nullptr);
  EVP_DigestUpdate(ctx, a.data(), a.size());
  if (!b.empty()) EVP_DigestUpdate(ctx, b.data(), b.size());
  EVP_DigestFinal_ex(ctx, out.data(), nullptr);
  EVP_MD_CTX_free(ctx);
  return out;
}

// RFC 2104 HMAC over two digests; OpenSSL's one-shot HMAC() costs several
// times more for messages this short.
Digest Hmac(std::string_view key, std::string_view data) {
  std::array<char, kBlock> ipad{}, opad{};
  Digest hashed_key;
  if (key.size() > kBlock) {
    hashed_key = Sha256(key);
    key = std::string_view(reinterpret_cast<const char*>(hashed_key.data()), hashed_key.size());
  }
  for (size_t i = 0; i < kBlock; ++i) {
    char k = i < key.size() ? key[i] : 0;
    ipad[i] = static_cast<char>(k ^ 0x36);
    opad[i] = static_cast<char>(k ^ 0x5c);
  }
  Digest inner = Sha256(std::string_view(ipad.data(), kBlock), data);
  Digest out = Sha256(std::string_view(opad.data(), kBlock),
                      std::string_view(reinterpret_cast<const char*>(inner.data()), inner.size()));
  OPENSSL_cleanse(ipad.data(), ipad.size());
  OPENSSL_cleanse(opad.data(), opad.size());
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

std::string Sha256Hex(std::string_view data) { return Hex(Sha256(data)); }

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
