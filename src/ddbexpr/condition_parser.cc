// Condition, filter and key-condition expressions:
//
//   condition := or
//   or        := and (OR and)*
//   and       := not (AND not)*
//   not       := NOT not | primary
//   primary   := '(' condition-or-operand ')' [tail] | operand [tail]
//   tail      := comparator operand | BETWEEN operand AND operand
//              | IN '(' operand (',' operand)* ')'
//   operand   := path | :value | name '(' operand (',' operand)* ')' | '(' operand ')'
//
// A parenthesized group may hold a bare operand ("(a) = :v"), so primary
// parses the group first and decides afterwards; a bare path or value where a
// condition is needed is a syntax error at the token that follows it.
#include <string>

#include "ddbexpr/parser.h"
#include "ddbexpr/parser_base.h"
#include "ddbexpr/value_ops.h"

namespace moe::ddbexpr {
namespace {

class ConditionParser : public ParserBase {
 public:
  using ParserBase::ParserBase;

  Result<ConditionAst> Run() {
    MOE_TRY_STATUS(CheckSource());
    tokens_ = Tokenize(source_);
    int root = ParseOr();
    if (!stopped()) RequireCondition(root);
    if (!stopped() && CurKind() != TokenKind::kEof) SyntaxError();
    MOE_TRY_STATUS(Finish());
    ConditionAst ast;
    ast.kind = kind_;
    ast.nodes = std::move(nodes_);
    ast.root = root;
    return ast;
  }

 private:
  int Add(Node node) {
    nodes_.push_back(std::move(node));
    parenthesized_.push_back(false);
    return static_cast<int>(nodes_.size() - 1);
  }
  Node& At(int i) { return nodes_[static_cast<size_t>(i)]; }

  // A condition is needed where `i` stands: a bare path or value there is a
  // syntax error at the current token; size() is a misused function.
  void RequireCondition(int i) {
    const Node& n = At(i);
    if (n.kind == Node::Kind::kPath || n.kind == Node::Kind::kValue) {
      SyntaxError();
    } else if (n.kind == Node::Kind::kFunction && !IsConditionFunction(n.function)) {
      DeferError(Defer::kMisusedFunction, "The function is not allowed to be used this way in an expression; "
                                          "function: " + std::string(FunctionName(n.function)));
    }
  }

  // An operand is needed where `i` stands: boolean functions are misused.
  void RequireOperand(int i) {
    const Node& n = At(i);
    if (n.kind == Node::Kind::kFunction && IsConditionFunction(n.function)) {
      DeferError(Defer::kMisusedFunction, "The function is not allowed to be used this way in an expression; "
                                          "function: " + std::string(FunctionName(n.function)));
    }
  }

  int ParseOr() { return ParseChain("OR", Node::Kind::kOr); }
  int ParseAnd() { return ParseChain("AND", Node::Kind::kAnd); }

  // and/or, flattened into one n-ary node so that long chains stay shallow.
  int ParseChain(std::string_view keyword, Node::Kind kind) {
    const bool is_or = kind == Node::Kind::kOr;
    int first = is_or ? ParseAnd() : ParseNot();
    if (stopped() || !CurIsKeyword(keyword)) return first;
    RequireCondition(first);
    Node chain;
    chain.kind = kind;
    chain.children.push_back(first);
    while (!stopped() && CurIsKeyword(keyword)) {
      if (!CountOperator()) return -1;
      Advance();
      int next = is_or ? ParseAnd() : ParseNot();
      if (stopped()) return -1;
      RequireCondition(next);
      chain.children.push_back(next);
    }
    return stopped() ? -1 : Add(std::move(chain));
  }

  int ParseNot() {
    if (!CurIsKeyword("NOT")) return ParsePrimary();
    // "NOT (" nests once: the parenthesis counts, not the NOT.
    const bool counts = KindAt(1) != TokenKind::kLParen;
    if (!CountOperator() || (counts && !Enter())) return -1;
    Advance();
    int child = ParseNot();
    if (counts) Leave();
    if (stopped()) return -1;
    RequireCondition(child);
    Node n;
    n.kind = Node::Kind::kNot;
    n.children.push_back(child);
    return Add(std::move(n));
  }

  int ParsePrimary() {
    int lhs;
    if (CurKind() == TokenKind::kLParen) {
      if (!Enter()) return -1;
      Advance();
      int inner = ParseOr();
      if (stopped() || !Expect(TokenKind::kRParen)) return -1;
      Leave();
      if (parenthesized_[static_cast<size_t>(inner)]) {
        DeferError(Defer::kRedundantParens, "The expression has redundant parentheses;");
      }
      parenthesized_[static_cast<size_t>(inner)] = true;
      if (!At(inner).IsOperand()) return inner;
      lhs = inner;
    } else {
      lhs = ParseOperand();
      if (stopped()) return -1;
    }
    return ParseTail(lhs);
  }

  std::optional<Comparator> CurComparator() const {
    switch (CurKind()) {
      case TokenKind::kEq: return Comparator::kEq;
      case TokenKind::kNe: return Comparator::kNe;
      case TokenKind::kLt: return Comparator::kLt;
      case TokenKind::kLe: return Comparator::kLe;
      case TokenKind::kGt: return Comparator::kGt;
      case TokenKind::kGe: return Comparator::kGe;
      default: return std::nullopt;
    }
  }

  int ParseTail(int lhs) {
    if (std::optional<Comparator> cmp = CurComparator()) {
      if (!CountOperator()) return -1;
      Advance();
      int rhs = ParseOperandParens();
      if (stopped()) return -1;
      RequireOperand(lhs);
      RequireOperand(rhs);
      CheckDistinct(ComparatorText(*cmp), lhs, rhs);
      Node n;
      n.kind = Node::Kind::kCompare;
      n.comparator = *cmp;
      n.children = {lhs, rhs};
      return Add(std::move(n));
    }
    if (CurIsKeyword("BETWEEN")) {
      if (!CountOperator()) return -1;
      Advance();
      int lo = ParseOperandParens();
      if (stopped()) return -1;
      if (!CurIsKeyword("AND")) {
        SyntaxError();
        return -1;
      }
      Advance();
      int hi = ParseOperandParens();
      if (stopped()) return -1;
      for (int i : {lhs, lo, hi}) RequireOperand(i);
      CheckBetweenBounds(lo, hi);
      Node n;
      n.kind = Node::Kind::kBetween;
      n.children = {lhs, lo, hi};
      return Add(std::move(n));
    }
    if (CurIsKeyword("IN")) {
      if (!CountOperator()) return -1;
      Advance();
      if (!Expect(TokenKind::kLParen)) return -1;
      Node n;
      n.kind = Node::Kind::kIn;
      n.children.push_back(lhs);
      RequireOperand(lhs);
      while (true) {
        int item = ParseOperandParens();
        if (stopped()) return -1;
        RequireOperand(item);
        n.children.push_back(item);
        if (CurKind() != TokenKind::kComma) break;
        Advance();
      }
      if (!Expect(TokenKind::kRParen)) return -1;
      if (n.children.size() - 1 > kMaxInOperands) {
        DeferError(Defer::kOperandCount, "The IN operator is provided with too many operands; number of operands: " +
                                             std::to_string(n.children.size() - 1));
      }
      return Add(std::move(n));
    }
    return lhs;  // a bare operand; the caller decides whether that is allowed
  }

  // operand, optionally wrapped in parentheses ("(size(a))").
  int ParseOperandParens() {
    if (CurKind() != TokenKind::kLParen) return ParseOperand();
    if (!Enter()) return -1;
    Advance();
    int inner = ParseOperandParens();
    if (stopped() || !Expect(TokenKind::kRParen)) return -1;
    Leave();
    if (parenthesized_[static_cast<size_t>(inner)]) {
      DeferError(Defer::kRedundantParens, "The expression has redundant parentheses;");
    }
    parenthesized_[static_cast<size_t>(inner)] = true;
    return inner;
  }

  int ParseOperand() {
    switch (CurKind()) {
      case TokenKind::kValuePlaceholder: {
        Node n;
        if (!ParseValuePlaceholder(&n)) return -1;
        return Add(std::move(n));
      }
      case TokenKind::kName:
        if (KindAt(1) == TokenKind::kLParen) return ParseFunction();
        [[fallthrough]];
      case TokenKind::kNamePlaceholder: {
        Node n;
        n.kind = Node::Kind::kPath;
        if (!ParsePath(&n.path)) return -1;
        return Add(std::move(n));
      }
      default:
        SyntaxError();
        return -1;
    }
  }

  int ParseFunction() {
    Node n;
    std::string name;
    bool known = false;
    if (!ParseCall(&n, &name, &known, [this] { return ParseOperandParens(); })) return -1;
    if (!known) return Add(std::move(n));
    const Function f = n.function;
    if (f == Function::kIfNotExists || f == Function::kListAppend) {
      DeferError(Defer::kMisusedFunction, "The function is not allowed in a condition expression; function: " + name);
      return Add(std::move(n));
    }
    for (int arg : n.children) RequireOperand(arg);
    CheckFunction(name, n);
    return Add(std::move(n));
  }

  void CheckFunction(const std::string& name, const Node& n) {
    if (n.children.size() != FunctionArity(n.function)) {
      DeferError(Defer::kOperandCount,
                 "Incorrect number of operands for operator or function; operator or function: " + name +
                     ", number of operands: " + std::to_string(n.children.size()));
      return;
    }
    if (n.children.size() == 2) CheckDistinct(name, n.children[0], n.children[1]);
    const Node& first = At(n.children[0]);
    auto type_error = [&](Type t) {
      DeferError(Defer::kType, "Incorrect operand type for operator or function; operator or function: " + name +
                                   ", operand type: " + std::string(TypeTag(t)));
    };
    switch (n.function) {
      case Function::kAttributeExists:
      case Function::kAttributeNotExists:
      case Function::kAttributeType:
        if (first.kind != Node::Kind::kPath) {
          DeferError(Defer::kType, "Operator or function requires a document path; operator or function: " + name);
          return;
        }
        if (n.function == Function::kAttributeType) {
          const Node& tag = At(n.children[1]);
          if (tag.kind != Node::Kind::kValue) return;
          if (!tag.value.is(Type::kS)) return type_error(tag.value.type());
          if (!TypeFromTag(tag.value.s())) {
            DeferError(Defer::kType, "Invalid attribute type name found; type: " + tag.value.s() +
                                         ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
          }
        }
        return;
      case Function::kBeginsWith:
        for (int arg : n.children) {
          const Node& a = At(arg);
          if (a.kind == Node::Kind::kValue && !a.value.is(Type::kS) && !a.value.is(Type::kB)) {
            return type_error(a.value.type());
          }
        }
        return;
      case Function::kSize:
        if (first.kind == Node::Kind::kValue &&
            (first.value.is(Type::kN) || first.value.is(Type::kBool) || first.value.is(Type::kNull))) {
          return type_error(first.value.type());
        }
        return;
      default:
        return;
    }
  }

  // DynamoDB rejects "a = a", "begins_with(a, a)" ...
  void CheckDistinct(std::string_view op, int lhs, int rhs) {
    const Node& a = At(lhs);
    const Node& b = At(rhs);
    if (a.kind != Node::Kind::kPath || b.kind != Node::Kind::kPath || a.path != b.path) return;
    DeferError(Defer::kDistinct,
               "The first operand must be distinct from the remaining operands for this operator or function; "
               "operator: " + std::string(op) + ", first operand: " + PathToMessage(a.path));
  }

  // Bounds known at parse time must be of one type and in order.
  void CheckBetweenBounds(int lo_index, int hi_index) {
    const Node& lo = At(lo_index);
    const Node& hi = At(hi_index);
    if (lo.kind != Node::Kind::kValue || hi.kind != Node::Kind::kValue) return;
    std::string bounds = "lower bound operand: AttributeValue: " + AttributeValueText(lo.value) +
                         ", upper bound operand: AttributeValue: " + AttributeValueText(hi.value);
    if (lo.value.type() != hi.value.type()) {
      DeferError(Defer::kType, "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
      return;
    }
    std::optional<int> order = CompareScalars(lo.value, hi.value);
    if (order && *order > 0) {
      DeferError(Defer::kType,
                 "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
    }
  }

  std::vector<Node> nodes_;
  std::vector<bool> parenthesized_;
};

}  // namespace

Result<ConditionAst> ParseCondition(std::string_view expression, ExpressionKind kind, PlaceholderTracker& tracker) {
  return ConditionParser(expression, kind, tracker).Run();
}

}  // namespace moe::ddbexpr
