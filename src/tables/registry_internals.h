// Registry operations shared by registry.cc and rotation.cc (not public).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moe/registry.h"

namespace moe {

class RegistryInternals {
 public:
  // Compare-and-set rounds before a caller gives up with
  // kConditionalCheckFailed.
  static constexpr int kMaxAttempts = 8;

  // One copy's record; nullopt when the family is not declared there.
  static Result<std::optional<FamilyState>> LoadCopy(Registry& r, int copy,
                                                     std::string_view family);
  // Copy 1's record (kResourceNotFound when undeclared), with copies that
  // are behind brought forward (failures become warnings).
  static Result<FamilyState> LoadAndSync(Registry& r, std::string_view family,
                                         std::vector<std::string>* warnings);
  // Writes `next` as version expected+1 (or 1 when expected is nullopt) on
  // copy 1 only if copy 1 is still at `expected`, then on the other copies
  // unless they are already newer. Sets next.version and next.updated_at.
  // Errors: kConditionalCheckFailed when another writer got there first.
  static Status CompareAndSet(Registry& r, FamilyState& next,
                              std::optional<int64_t> expected_version,
                              std::vector<std::string>* warnings);
  // Brings one mirror copy forward to `state` unless it is already newer.
  static Status PutCopy(Registry& r, int copy, const FamilyState& state);

  static DynamoDbClient& client(Registry& r) { return r.client_; }
  static const RegistryOptions& options(Registry& r) { return r.options_; }
  static Clock& clock(Registry& r) { return *r.clock_; }
};

Error NotDeclared(std::string_view family);

}  // namespace moe
