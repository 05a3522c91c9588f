// Pieces the persistence strategies share: time in microseconds, fixed-width
// decimal keys, reserved attribute names, random suffixes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "moe/clock.h"
#include "moe/strategy.h"
#include "moe/value.h"

namespace moe::persistence {

int64_t Micros(Clock::TimePoint t);
Clock::TimePoint FromMicros(int64_t micros);

// `value` in decimal, zero-padded to `width` digits. Precondition: 0 <= value
// < 10^width.
std::string Padded(int64_t value, int width);
// The value of exactly `width` decimal digits; nullopt for anything else.
std::optional<int64_t> ParsePadded(std::string_view text, int width);

// Attribute names a caller may not set: the key names, and names starting
// with "_moe" (the family's version attribute and the strategies' own).
bool IsReserved(std::string_view name, const internal::KeyAttributeNames& keys);
// The first reserved attribute of `item`, or nullopt.
std::optional<std::string> FirstReserved(const Item& item,
                                         const internal::KeyAttributeNames& keys);
// `item` without its key attributes and "_moe*" attributes.
Item WithoutReserved(Item item, const internal::KeyAttributeNames& keys);

// `digits` lower-case hex digits from a process-wide seeded generator
// (std::random_device per call: ids are rare next to their writes).
std::string RandomHex(int digits);

}  // namespace moe::persistence
