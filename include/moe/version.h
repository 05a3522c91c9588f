// The moe version, in one place (CMake's project() version is checked against it).
//
//   std::printf("moe %s\n", moe::kVersion);   // "0.1.0"
//
// Thread safety: a compile-time constant.
#pragma once

namespace moe {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace moe
