#include "ddbexpr/evaluator.h"

#include <string>
#include <string_view>

#include "ddbexpr/parser_base.h"
#include "ddbexpr/value_ops.h"

namespace moe::ddbexpr {
namespace {

// An operand's value: borrowed from the item or the tree, or computed
// (size()). Null `v` means missing.
struct Operand {
  const Value* borrowed = nullptr;
  std::optional<Value> computed;

  const Value* get() const { return computed ? &*computed : borrowed; }
};

class Evaluator {
 public:
  Evaluator(const ConditionAst& ast, const Item& item) : ast_(ast), item_(item) {}

  Result<bool> Condition(int i) {
    const Node& n = ast_.node(i);
    switch (n.kind) {
      case Node::Kind::kAnd:
        for (int child : n.children) {
          MOE_TRY(bool b, Condition(child));
          if (!b) return false;
        }
        return true;
      case Node::Kind::kOr:
        for (int child : n.children) {
          MOE_TRY(bool b, Condition(child));
          if (b) return true;
        }
        return false;
      case Node::Kind::kNot: {
        MOE_TRY(bool b, Condition(n.children[0]));
        return !b;
      }
      case Node::Kind::kCompare: {
        Operand a = Resolve(n.children[0]);
        Operand b = Resolve(n.children[1]);
        return Compare(n.comparator, a.get(), b.get());
      }
      case Node::Kind::kBetween: return Between(n);
      case Node::Kind::kIn: {
        Operand x = Resolve(n.children[0]);
        if (x.get() == nullptr) return false;
        for (size_t k = 1; k < n.children.size(); ++k) {
          Operand c = Resolve(n.children[k]);
          if (c.get() != nullptr && *c.get() == *x.get()) return true;
        }
        return false;
      }
      case Node::Kind::kFunction: return Function(n);
      case Node::Kind::kPath:
      case Node::Kind::kValue: break;  // the parser never puts an operand here
    }
    return false;
  }

 private:
  Operand Resolve(int i) {
    const Node& n = ast_.node(i);
    Operand out;
    switch (n.kind) {
      case Node::Kind::kPath: out.borrowed = Lookup(item_, n.path); break;
      case Node::Kind::kValue: out.borrowed = &n.value; break;
      case Node::Kind::kFunction:
        if (n.function == Function::kSize) {
          Operand arg = Resolve(n.children[0]);
          if (arg.get() == nullptr) break;
          std::optional<size_t> size = Size(*arg.get());
          if (size) out.computed = Value(Number(static_cast<uint64_t>(*size)));
        }
        break;
      default: break;
    }
    return out;
  }

  static std::optional<size_t> Size(const Value& v) {
    switch (v.type()) {
      case Type::kS: return v.s().size();
      case Type::kB: return v.b().data.size();
      case Type::kSS: return v.ss().size();
      case Type::kNS: return v.ns().size();
      case Type::kBS: return v.bs().size();
      case Type::kL: return v.l().size();
      case Type::kM: return v.m().size();
      default: return std::nullopt;
    }
  }

  static bool Compare(Comparator cmp, const Value* a, const Value* b) {
    if (cmp == Comparator::kEq) return a != nullptr && b != nullptr && *a == *b;
    if (cmp == Comparator::kNe) return !(a != nullptr && b != nullptr && *a == *b);
    if (a == nullptr || b == nullptr) return false;
    std::optional<int> order = CompareScalars(*a, *b);
    if (!order) return false;
    switch (cmp) {
      case Comparator::kLt: return *order < 0;
      case Comparator::kLe: return *order <= 0;
      case Comparator::kGt: return *order > 0;
      case Comparator::kGe: return *order >= 0;
      default: return false;
    }
  }

  Result<bool> Between(const Node& n) {
    Operand x = Resolve(n.children[0]);
    Operand lo = Resolve(n.children[1]);
    Operand hi = Resolve(n.children[2]);
    if (lo.get() == nullptr || hi.get() == nullptr) return false;
    std::optional<int> bounds = CompareScalars(*lo.get(), *hi.get());
    if (bounds && *bounds > 0) {
      return Invalid("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                     "lower bound operand: AttributeValue: " + AttributeValueText(*lo.get()) +
                     ", upper bound operand: AttributeValue: " + AttributeValueText(*hi.get()));
    }
    if (x.get() == nullptr) return false;
    std::optional<int> above_lo = CompareScalars(*x.get(), *lo.get());
    std::optional<int> below_hi = CompareScalars(*x.get(), *hi.get());
    return above_lo && below_hi && *above_lo >= 0 && *below_hi <= 0;
  }

  Result<bool> Function(const Node& n) {
    switch (n.function) {
      case Function::kAttributeExists:
        return Lookup(item_, ast_.node(n.children[0]).path) != nullptr;
      case Function::kAttributeNotExists:
        return Lookup(item_, ast_.node(n.children[0]).path) == nullptr;
      case Function::kAttributeType: {
        Operand tag = Resolve(n.children[1]);
        if (tag.get() == nullptr) return false;
        std::optional<Type> type = tag.get()->is(Type::kS) ? TypeFromTag(tag.get()->s()) : std::nullopt;
        if (!type) {
          return Invalid("Invalid attribute type name found; type: " +
                         (tag.get()->is(Type::kS) ? tag.get()->s() : std::string(TypeTag(tag.get()->type()))) +
                         ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
        const Value* v = Lookup(item_, ast_.node(n.children[0]).path);
        return v != nullptr && v->is(*type);
      }
      case Function::kBeginsWith: {
        Operand a = Resolve(n.children[0]);
        Operand b = Resolve(n.children[1]);
        if (a.get() == nullptr || b.get() == nullptr) return false;
        if (a.get()->is(Type::kS) && b.get()->is(Type::kS)) return std::string_view(a.get()->s()).starts_with(b.get()->s());
        if (a.get()->is(Type::kB) && b.get()->is(Type::kB)) {
          return std::string_view(a.get()->b().data).starts_with(b.get()->b().data);
        }
        return false;
      }
      case Function::kContains: {
        Operand a = Resolve(n.children[0]);
        Operand b = Resolve(n.children[1]);
        if (a.get() == nullptr || b.get() == nullptr) return false;
        return Contains(*a.get(), *b.get());
      }
      default:
        return false;  // size() and update functions never stand as conditions
    }
  }

  static bool Contains(const Value& haystack, const Value& needle) {
    switch (haystack.type()) {
      case Type::kS: return needle.is(Type::kS) && haystack.s().find(needle.s()) != std::string::npos;
      case Type::kB:
        return needle.is(Type::kB) && haystack.b().data.find(needle.b().data) != std::string::npos;
      case Type::kSS: return needle.is(Type::kS) && haystack.ss().contains(needle.s());
      case Type::kNS: return needle.is(Type::kN) && haystack.ns().contains(needle.n());
      case Type::kBS: return needle.is(Type::kB) && haystack.bs().contains(needle.b());
      case Type::kL:
        for (const Value& e : haystack.l()) {
          if (e == needle) return true;
        }
        return false;
      default: return false;
    }
  }

  Error Invalid(const std::string& message) const {
    return Error::Validation("Invalid " + std::string(KindName(ast_.kind)) + ": " + message);
  }

  const ConditionAst& ast_;
  const Item& item_;
};

}  // namespace

Result<bool> EvaluateCondition(const ConditionAst& ast, const Item& item) {
  if (ast.root < 0) return true;
  return Evaluator(ast, item).Condition(ast.root);
}

}  // namespace moe::ddbexpr
