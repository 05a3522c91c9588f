#include "ddbexpr/key_condition.h"

#include <vector>

namespace moe::ddbexpr {
namespace {

Error Invalid(std::string message) { return Error::Validation(std::move(message)); }
Error InvalidOperator(std::string_view op) {
  return Invalid("Invalid operator used in KeyConditionExpression: " + std::string(op));
}

// The conjuncts of the expression, AND groups flattened (also parenthesized
// ones). Iterative: the tree's depth is bounded but need not be small.
std::vector<int> Conjuncts(const ConditionAst& ast) {
  std::vector<int> out;
  std::vector<int> stack = {ast.root};
  while (!stack.empty()) {
    int i = stack.back();
    stack.pop_back();
    const Node& n = ast.node(i);
    if (n.kind == Node::Kind::kAnd) {
      for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) stack.push_back(*it);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

// One "key op value" condition, normalized so that the key is on the left.
struct Term {
  std::string key;
  SortKeyCondition cond;
};

SortKeyCondition::Op Mirror(SortKeyCondition::Op op) {
  switch (op) {
    case SortKeyCondition::Op::kLt: return SortKeyCondition::Op::kGt;
    case SortKeyCondition::Op::kLe: return SortKeyCondition::Op::kGe;
    case SortKeyCondition::Op::kGt: return SortKeyCondition::Op::kLt;
    case SortKeyCondition::Op::kGe: return SortKeyCondition::Op::kLe;
    default: return op;
  }
}

// The key named by operand `i`, which must be a top-level path.
Result<std::string> KeyName(const ConditionAst& ast, int i) {
  const Node& n = ast.node(i);
  if (n.kind == Node::Kind::kFunction) return InvalidOperator(FunctionName(n.function));
  if (n.path.size() > 1) return Invalid("KeyConditionExpressions cannot have conditions on nested attributes");
  return n.path.front().name;
}

Result<Term> ToTerm(const ConditionAst& ast, const Node& n) {
  Term term;
  switch (n.kind) {
    case Node::Kind::kOr: return InvalidOperator("OR");
    case Node::Kind::kNot: return InvalidOperator("NOT");
    case Node::Kind::kIn: return InvalidOperator("IN");
    case Node::Kind::kCompare: {
      using Op = SortKeyCondition::Op;
      static constexpr Op kOps[] = {Op::kEq, Op::kEq, Op::kLt, Op::kLe, Op::kGt, Op::kGe};
      if (n.comparator == Comparator::kNe) return InvalidOperator("<>");
      const Node& a = ast.node(n.children[0]);
      const Node& b = ast.node(n.children[1]);
      for (const Node* side : {&a, &b}) {
        if (side->kind == Node::Kind::kFunction) return InvalidOperator(FunctionName(side->function));
      }
      if (a.kind == Node::Kind::kPath && b.kind == Node::Kind::kPath) {
        return Invalid("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
      }
      if (a.kind == Node::Kind::kValue && b.kind == Node::Kind::kValue) {
        return Invalid("Invalid condition in KeyConditionExpression: No key attribute specified");
      }
      const bool key_left = a.kind == Node::Kind::kPath;
      MOE_TRY(term.key, KeyName(ast, key_left ? n.children[0] : n.children[1]));
      term.cond.op = kOps[static_cast<size_t>(n.comparator)];
      if (!key_left) term.cond.op = Mirror(term.cond.op);
      term.cond.value = (key_left ? b : a).value;
      return term;
    }
    case Node::Kind::kBetween: {
      const Node& x = ast.node(n.children[0]);
      const Node& lo = ast.node(n.children[1]);
      const Node& hi = ast.node(n.children[2]);
      if (x.kind != Node::Kind::kPath) {
        return x.kind == Node::Kind::kFunction ? InvalidOperator(FunctionName(x.function))
                                               : Invalid("Invalid condition in KeyConditionExpression: "
                                                         "No key attribute specified");
      }
      if (lo.kind != Node::Kind::kValue || hi.kind != Node::Kind::kValue) {
        return Invalid("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
      }
      MOE_TRY(term.key, KeyName(ast, n.children[0]));
      term.cond.op = SortKeyCondition::Op::kBetween;
      term.cond.value = lo.value;
      term.cond.upper = hi.value;
      return term;
    }
    case Node::Kind::kFunction: {
      if (n.function != Function::kBeginsWith) return InvalidOperator(FunctionName(n.function));
      const Node& x = ast.node(n.children[0]);
      const Node& prefix = ast.node(n.children[1]);
      if (x.kind != Node::Kind::kPath || prefix.kind != Node::Kind::kValue) {
        return Invalid("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
      }
      MOE_TRY(term.key, KeyName(ast, n.children[0]));
      term.cond.op = SortKeyCondition::Op::kBeginsWith;
      term.cond.value = prefix.value;
      return term;
    }
    default: return Invalid("Query key condition not supported");
  }
}

}  // namespace

Result<KeyCondition> ExtractKeyCondition(const ConditionAst& ast, std::string_view hash_key,
                                         std::string_view range_key) {
  KeyCondition out;
  bool have_hash = false;
  for (int i : Conjuncts(ast)) {
    MOE_TRY(Term term, ToTerm(ast, ast.node(i)));
    if (term.key == hash_key) {
      if (have_hash) return Invalid("KeyConditionExpressions must only contain one condition per key");
      if (term.cond.op != SortKeyCondition::Op::kEq) return Invalid("Query key condition not supported");
      out.hash_value = std::move(term.cond.value);
      have_hash = true;
    } else if (!range_key.empty() && term.key == range_key) {
      if (out.range) return Invalid("KeyConditionExpressions must only contain one condition per key");
      out.range = std::move(term.cond);
    } else {
      return Invalid("Query key condition not supported");
    }
  }
  if (!have_hash) return Invalid("Query condition missed key schema element: " + std::string(hash_key));
  return out;
}

}  // namespace moe::ddbexpr
