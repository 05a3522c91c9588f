#include "ddbexpr/projection.h"

#include <map>
#include <optional>
#include <string>

namespace moe::ddbexpr {
namespace {

// The selected part of one value: all of it, or some map keys, or some list
// elements.
struct Selection {
  bool whole = false;
  std::map<std::string, Selection, std::less<>> fields;
  std::map<size_t, Selection> elements;
};

// Recursion follows the value's own nesting, which DynamoDB bounds (32).
std::optional<Value> Render(const Value& v, const Selection& s) {
  if (s.whole) return v;
  if (!s.fields.empty()) {
    const Map* m = v.get_if<Map>();
    if (m == nullptr) return std::nullopt;
    Map out;
    for (const auto& [name, sub] : s.fields) {
      auto it = m->find(name);
      if (it == m->end()) continue;
      if (std::optional<Value> r = Render(it->second, sub)) out.emplace(name, std::move(*r));
    }
    if (out.empty()) return std::nullopt;
    return Value(std::move(out));
  }
  if (!s.elements.empty()) {
    const List* l = v.get_if<List>();
    if (l == nullptr) return std::nullopt;
    List out;
    for (const auto& [index, sub] : s.elements) {
      if (index >= l->size()) break;
      if (std::optional<Value> r = Render((*l)[index], sub)) out.push_back(std::move(*r));
    }
    if (out.empty()) return std::nullopt;
    return Value(std::move(out));
  }
  return std::nullopt;
}

}  // namespace

Item ProjectPaths(const Item& item, const std::vector<Path>& paths) {
  std::map<std::string, Selection, std::less<>> top;
  for (const Path& path : paths) {
    Selection* s = &top[path.front().name];
    for (size_t i = 1; i < path.size() && !s->whole; ++i) {
      s = path[i].is_index ? &s->elements[path[i].index] : &s->fields[path[i].name];
    }
    s->whole = true;
  }
  Item out;
  for (const auto& [name, selection] : top) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (std::optional<Value> r = Render(it->second, selection)) out.emplace(name, std::move(*r));
  }
  return out;
}

Item Project(const Item& item, const ProjectionAst& projection) { return ProjectPaths(item, projection.paths); }

}  // namespace moe::ddbexpr
