#include "ddbexpr/placeholders.h"

#include <string>

namespace moe::ddbexpr {
namespace {

template <typename MapT>
std::string Unused(const MapT* defined, const std::set<std::string, std::less<>>& used) {
  std::string keys;
  if (defined == nullptr) return keys;
  for (const auto& [key, unused_value] : *defined) {
    if (used.contains(key)) continue;
    if (!keys.empty()) keys += ", ";
    keys += key;
  }
  return keys;
}

}  // namespace

const std::string* PlaceholderTracker::FindName(std::string_view placeholder) {
  if (names_ == nullptr) return nullptr;
  auto it = names_->find(placeholder);
  if (it == names_->end()) return nullptr;
  used_names_.emplace(placeholder);
  return &it->second;
}

const Value* PlaceholderTracker::FindValue(std::string_view placeholder) {
  if (values_ == nullptr) return nullptr;
  auto it = values_->find(placeholder);
  if (it == values_->end()) return nullptr;
  used_values_.emplace(placeholder);
  return &it->second;
}

Status PlaceholderTracker::CheckAllUsed() const {
  if (std::string keys = Unused(names_, used_names_); !keys.empty()) {
    return Error::Validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" +
                             keys + "}");
  }
  if (std::string keys = Unused(values_, used_values_); !keys.empty()) {
    return Error::Validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" +
                             keys + "}");
  }
  return Ok();
}

}  // namespace moe::ddbexpr
