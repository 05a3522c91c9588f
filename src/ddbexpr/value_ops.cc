#include "ddbexpr/value_ops.h"

#include <string_view>

namespace moe::ddbexpr {
namespace {

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

}  // namespace

std::optional<int> CompareScalars(const Value& a, const Value& b) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case Type::kS: return Sign(std::string_view(a.s()).compare(b.s()));
    case Type::kN: return a.n().Compare(b.n());
    case Type::kB: return Sign(std::string_view(a.b().data).compare(b.b().data));
    default: return std::nullopt;
  }
}

const Value* Lookup(const Item& item, const Path& path) {
  auto top = item.find(path.front().name);
  if (top == item.end()) return nullptr;
  const Value* v = &top->second;
  for (size_t i = 1; i < path.size(); ++i) {
    const PathElement& step = path[i];
    if (step.is_index) {
      const List* list = v->get_if<List>();
      if (list == nullptr || step.index >= list->size()) return nullptr;
      v = &(*list)[step.index];
    } else {
      const Map* map = v->get_if<Map>();
      if (map == nullptr) return nullptr;
      auto it = map->find(step.name);
      if (it == map->end()) return nullptr;
      v = &it->second;
    }
  }
  return v;
}

std::optional<Type> TypeFromTag(std::string_view tag) {
  static constexpr Type kTypes[] = {Type::kS,  Type::kN, Type::kB,  Type::kBool, Type::kNull,
                                    Type::kL,  Type::kM, Type::kSS, Type::kNS,   Type::kBS};
  for (Type t : kTypes) {
    if (TypeTag(t) == tag) return t;
  }
  return std::nullopt;
}

}  // namespace moe::ddbexpr
