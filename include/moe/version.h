// The moe version, in one place (CMake's project() version is checked against it).
#pragma once

namespace moe {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace moe
