// Canonical printing of the syntax trees (ast.h).
#include <string>

#include "ddbexpr/ast.h"

namespace moe::ddbexpr {
namespace {

void AppendPath(const Path& path, std::string& out) {
  for (size_t i = 0; i < path.size(); ++i) {
    const PathElement& e = path[i];
    if (e.is_index) {
      out += '[';
      out += std::to_string(e.index);
      out += ']';
      continue;
    }
    if (i > 0) out += '.';
    out += e.placeholder.empty() ? e.name : e.placeholder;
  }
}

// Binding strength, for parenthesizing: OR < AND < NOT < everything else.
int Precedence(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kOr: return 1;
    case Node::Kind::kAnd: return 2;
    case Node::Kind::kNot: return 3;
    default: return 4;
  }
}

template <typename Ast>
class Printer {
 public:
  explicit Printer(const Ast& ast) : ast_(ast) {}

  void Print(int i, std::string& out) const {
    const Node& n = ast_.node(i);
    switch (n.kind) {
      case Node::Kind::kPath: AppendPath(n.path, out); return;
      case Node::Kind::kValue: out += n.placeholder; return;
      case Node::Kind::kFunction:
        if (n.function == Function::kPlus || n.function == Function::kMinus) {
          PrintOperand(n.children[0], out);
          out += n.function == Function::kPlus ? " + " : " - ";
          PrintOperand(n.children[1], out);
          return;
        }
        out += FunctionName(n.function);
        out += '(';
        PrintList(n.children, 0, out);
        out += ')';
        return;
      case Node::Kind::kCompare:
        Print(n.children[0], out);
        out += ' ';
        out += ComparatorText(n.comparator);
        out += ' ';
        Print(n.children[1], out);
        return;
      case Node::Kind::kBetween:
        Print(n.children[0], out);
        out += " BETWEEN ";
        Print(n.children[1], out);
        out += " AND ";
        Print(n.children[2], out);
        return;
      case Node::Kind::kIn:
        Print(n.children[0], out);
        out += " IN (";
        PrintList(n.children, 1, out);
        out += ')';
        return;
      case Node::Kind::kAnd:
      case Node::Kind::kOr: {
        const char* op = n.kind == Node::Kind::kAnd ? " AND " : " OR ";
        for (size_t k = 0; k < n.children.size(); ++k) {
          if (k > 0) out += op;
          PrintChild(n, n.children[k], out);
        }
        return;
      }
      case Node::Kind::kNot:
        out += "NOT ";
        PrintChild(n, n.children[0], out);
        return;
    }
  }

 private:
  // Parenthesizes a child that binds no tighter than its parent (a nested
  // AND inside AND only arises from explicit parentheses, so keep them).
  void PrintChild(const Node& parent, int child, std::string& out) const {
    const bool parens = Precedence(ast_.node(child)) <= Precedence(parent);
    if (parens) out += '(';
    Print(child, out);
    if (parens) out += ')';
  }

  void PrintList(const std::vector<int>& items, size_t from, std::string& out) const {
    for (size_t k = from; k < items.size(); ++k) {
      if (k > from) out += ", ";
      PrintOperand(items[k], out);
    }
  }

  // "x + y" nested as an operand needs parentheses to read back.
  void PrintOperand(int i, std::string& out) const {
    const Node& n = ast_.node(i);
    const bool parens =
        n.kind == Node::Kind::kFunction && (n.function == Function::kPlus || n.function == Function::kMinus);
    if (parens) out += '(';
    Print(i, out);
    if (parens) out += ')';
  }

  const Ast& ast_;
};

}  // namespace

std::string PathToSource(const Path& path) {
  std::string out;
  AppendPath(path, out);
  return out;
}

std::string PathToMessage(const Path& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ", ";
    if (path[i].is_index) {
      out += "[" + std::to_string(path[i].index) + "]";
    } else {
      out += path[i].name;
    }
  }
  out += ']';
  return out;
}

std::string ToString(const ConditionAst& ast) {
  std::string out;
  if (ast.root >= 0) Printer<ConditionAst>(ast).Print(ast.root, out);
  return out;
}

std::string ToString(const UpdateAst& ast) {
  static constexpr std::string_view kClauses[] = {"SET", "REMOVE", "ADD", "DELETE"};
  std::string out;
  Printer<UpdateAst> printer(ast);
  // Actions of one clause are contiguous (each clause appears once).
  for (size_t i = 0; i < ast.actions.size(); ++i) {
    const UpdateAction& a = ast.actions[i];
    const bool first_of_clause = i == 0 || ast.actions[i - 1].kind != a.kind;
    if (first_of_clause) {
      if (i > 0) out += ' ';
      out += kClauses[static_cast<size_t>(a.kind)];
      out += ' ';
    } else {
      out += ", ";
    }
    AppendPath(a.path, out);
    if (a.kind == UpdateAction::Kind::kSet) out += " = ";
    if (a.kind == UpdateAction::Kind::kAdd || a.kind == UpdateAction::Kind::kDelete) out += ' ';
    if (a.operand >= 0) printer.Print(a.operand, out);
  }
  return out;
}

std::string ToString(const ProjectionAst& ast) {
  std::string out;
  for (size_t i = 0; i < ast.paths.size(); ++i) {
    if (i > 0) out += ", ";
    AppendPath(ast.paths[i], out);
  }
  return out;
}

}  // namespace moe::ddbexpr
