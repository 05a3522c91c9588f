#include "ddbexpr/update.h"

#include <algorithm>
#include <optional>
#include <set>

#include "ddbexpr/projection.h"
#include "ddbexpr/value_ops.h"

namespace moe::ddbexpr {
namespace {

Error MissingOperand() {
  return Error::Validation("The provided expression refers to an attribute that does not exist in the item");
}
Error WrongType() { return Error::Validation("An operand in the update expression has an incorrect data type"); }
Error InvalidPath() {
  return Error::Validation("The document path provided in the update expression is invalid for update");
}

bool IsSet(const Value& v) { return v.is(Type::kSS) || v.is(Type::kNS) || v.is(Type::kBS); }

// The SET right-hand side, read from the original item. Recursion follows
// the operand tree, which the parser's nesting bound limits.
Result<Value> EvalOperand(const UpdateAst& ast, int i, const Item& item) {
  const Node& n = ast.node(i);
  switch (n.kind) {
    case Node::Kind::kValue: return n.value;
    case Node::Kind::kPath: {
      const Value* v = Lookup(item, n.path);
      if (v == nullptr) return MissingOperand();
      return *v;
    }
    case Node::Kind::kFunction: break;
    default: return WrongType();
  }
  switch (n.function) {
    case Function::kIfNotExists: {
      if (const Value* v = Lookup(item, ast.node(n.children[0]).path)) return *v;
      return EvalOperand(ast, n.children[1], item);
    }
    case Function::kListAppend: {
      MOE_TRY(Value a, EvalOperand(ast, n.children[0], item));
      MOE_TRY(Value b, EvalOperand(ast, n.children[1], item));
      if (!a.is(Type::kL) || !b.is(Type::kL)) return WrongType();
      List out = std::move(a.l());
      out.insert(out.end(), b.l().begin(), b.l().end());
      return Value(std::move(out));
    }
    case Function::kPlus:
    case Function::kMinus: {
      MOE_TRY(Value a, EvalOperand(ast, n.children[0], item));
      MOE_TRY(Value b, EvalOperand(ast, n.children[1], item));
      if (!a.is(Type::kN) || !b.is(Type::kN)) return WrongType();
      MOE_TRY(Number r, n.function == Function::kPlus ? a.n().Plus(b.n()) : a.n().Minus(b.n()));
      return Value(std::move(r));
    }
    default: return WrongType();
  }
}

// Where a path's last element lives: a map (the item itself at the top) or a
// list, plus the key or index inside it.
struct Slot {
  Map* map = nullptr;
  List* list = nullptr;
  const PathElement* last = nullptr;

  Value* Get() const {
    if (map != nullptr) {
      auto it = map->find(last->name);
      return it == map->end() ? nullptr : &it->second;
    }
    return last->index < list->size() ? &(*list)[last->index] : nullptr;
  }
  void Put(Value v) const {
    if (map != nullptr) {
      (*map)[last->name] = std::move(v);
    } else if (last->index < list->size()) {
      (*list)[last->index] = std::move(v);
    } else {
      list->push_back(std::move(v));  // past the end appends
    }
  }
  void Erase() const {
    if (map != nullptr) {
      map->erase(last->name);
    } else if (last->index < list->size()) {
      list->erase(list->begin() + static_cast<std::ptrdiff_t>(last->index));
    }
  }
};

// The slot of `path` in `item`; the parent must exist and be a map (for a
// name) or a list (for an index).
Result<Slot> Locate(Item& item, const Path& path) {
  Slot slot;
  slot.last = &path.back();
  if (path.size() == 1) {
    slot.map = &item;
    return slot;
  }
  auto top = item.find(path.front().name);
  if (top == item.end()) return InvalidPath();
  Value* v = &top->second;
  for (size_t i = 1; i + 1 < path.size(); ++i) {
    const PathElement& step = path[i];
    if (step.is_index) {
      if (!v->is(Type::kL) || step.index >= v->l().size()) return InvalidPath();
      v = &v->l()[step.index];
    } else {
      if (!v->is(Type::kM)) return InvalidPath();
      auto it = v->m().find(step.name);
      if (it == v->m().end()) return InvalidPath();
      v = &it->second;
    }
  }
  if (slot.last->is_index) {
    if (!v->is(Type::kL)) return InvalidPath();
    slot.list = &v->l();
  } else {
    if (!v->is(Type::kM)) return InvalidPath();
    slot.map = &v->m();
  }
  return slot;
}

template <typename S>
S Union(const S& a, const S& b) {
  S out = a;
  out.insert(b.begin(), b.end());
  return out;
}
template <typename S>
S Difference(const S& a, const S& b) {
  S out = a;
  for (const auto& e : b) out.erase(e);
  return out;
}

Result<std::optional<Value>> AddTo(const Value* existing, const Value& operand) {
  if (existing == nullptr) return std::optional<Value>(operand);  // a missing number starts at 0
  if (existing->type() != operand.type()) return WrongType();
  switch (operand.type()) {
    case Type::kN: {
      MOE_TRY(Number sum, existing->n().Plus(operand.n()));
      return std::optional<Value>(Value(std::move(sum)));
    }
    case Type::kSS: return std::optional<Value>(Value(Union(existing->ss(), operand.ss())));
    case Type::kNS: return std::optional<Value>(Value(Union(existing->ns(), operand.ns())));
    case Type::kBS: return std::optional<Value>(Value(Union(existing->bs(), operand.bs())));
    default: return WrongType();
  }
}

// nullopt: the set became empty and the attribute goes away.
Result<std::optional<Value>> DeleteFrom(const Value& existing, const Value& operand) {
  if (existing.type() != operand.type() || !IsSet(operand)) return WrongType();
  Value out;
  bool empty = false;
  switch (operand.type()) {
    case Type::kSS: {
      StringSet s = Difference(existing.ss(), operand.ss());
      empty = s.empty();
      out = std::move(s);
      break;
    }
    case Type::kNS: {
      NumberSet s = Difference(existing.ns(), operand.ns());
      empty = s.empty();
      out = std::move(s);
      break;
    }
    default: {
      BinarySet s = Difference(existing.bs(), operand.bs());
      empty = s.empty();
      out = std::move(s);
      break;
    }
  }
  if (empty) return std::optional<Value>();
  return std::optional<Value>(std::move(out));
}

// REMOVE order, a total order on paths: along a shared prefix, higher list
// indexes first, so that every index refers to the list as it was before the
// update.
bool RemoveBefore(const UpdateAction* a, const UpdateAction* b) {
  const Path& x = a->path;
  const Path& y = b->path;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (x[i] == y[i]) continue;
    if (x[i].is_index && y[i].is_index) return x[i].index > y[i].index;
    if (!x[i].is_index && !y[i].is_index) return x[i].name < y[i].name;
    return !x[i].is_index;
  }
  return x.size() < y.size();
}

}  // namespace

Result<Item> ApplyUpdate(const UpdateAst& ast, Item item) {
  std::vector<Value> set_values;
  std::vector<const UpdateAction*> removes;
  for (const UpdateAction& action : ast.actions) {
    if (action.kind == UpdateAction::Kind::kSet) {
      MOE_TRY(Value v, EvalOperand(ast, action.operand, item));
      set_values.push_back(std::move(v));
    } else if (action.kind == UpdateAction::Kind::kRemove) {
      removes.push_back(&action);
    }
  }
  std::stable_sort(removes.begin(), removes.end(), RemoveBefore);

  size_t next_set = 0;
  for (const UpdateAction& action : ast.actions) {
    if (action.kind != UpdateAction::Kind::kSet) continue;
    MOE_TRY(Slot slot, Locate(item, action.path));
    slot.Put(std::move(set_values[next_set++]));
  }
  for (const UpdateAction* action : removes) {
    MOE_TRY(Slot slot, Locate(item, action->path));
    slot.Erase();
  }
  for (const UpdateAction& action : ast.actions) {
    if (action.kind != UpdateAction::Kind::kAdd && action.kind != UpdateAction::Kind::kDelete) continue;
    const Value& operand = ast.node(action.operand).value;
    MOE_TRY(Slot slot, Locate(item, action.path));
    const Value* existing = slot.Get();
    if (action.kind == UpdateAction::Kind::kAdd) {
      MOE_TRY(std::optional<Value> sum, AddTo(existing, operand));
      slot.Put(std::move(*sum));
    } else if (existing != nullptr) {
      MOE_TRY(std::optional<Value> rest, DeleteFrom(*existing, operand));
      if (rest) {
        slot.Put(std::move(*rest));
      } else {
        slot.Erase();
      }
    }
  }
  return item;
}

std::vector<std::string> UpdatedTopLevelNames(const UpdateAst& ast) {
  std::set<std::string> names;
  for (const UpdateAction& action : ast.actions) names.insert(action.path.front().name);
  return {names.begin(), names.end()};
}

std::vector<Path> UpdatedPaths(const UpdateAst& ast) {
  std::vector<Path> paths;
  paths.reserve(ast.actions.size());
  for (const UpdateAction& action : ast.actions) paths.push_back(action.path);
  return paths;
}

Item ProjectUpdated(const Item& item, const UpdateAst& ast) { return ProjectPaths(item, UpdatedPaths(ast)); }

}  // namespace moe::ddbexpr
