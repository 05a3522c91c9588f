// Update expressions:
//
//   update     := clause+                      (each of the four at most once)
//   clause     := SET set (',' set)* | REMOVE path (',' path)*
//               | ADD path :value (',' path :value)* | DELETE path :value (...)*
//   set        := path '=' value
//   value      := operand [('+' | '-') operand]
//   operand    := path | :value | function '(' operand (',' operand)* ')' | '(' value ')'
//   function   := if_not_exists | list_append
#include <string>

#include "ddbexpr/parser.h"
#include "ddbexpr/parser_base.h"

namespace moe::ddbexpr {
namespace {

class UpdateParser : public ParserBase {
 public:
  UpdateParser(std::string_view source, PlaceholderTracker& tracker)
      : ParserBase(source, ExpressionKind::kUpdate, tracker) {}

  Result<UpdateAst> Run() {
    MOE_TRY_STATUS(CheckSource());
    tokens_ = Tokenize(source_);
    bool seen[4] = {false, false, false, false};
    while (!stopped() && CurKind() != TokenKind::kEof) {
      static constexpr std::string_view kClauses[] = {"SET", "REMOVE", "ADD", "DELETE"};
      int clause = -1;
      for (int i = 0; i < 4; ++i) {
        if (CurIsKeyword(kClauses[i])) clause = i;
      }
      if (clause < 0) {
        SyntaxError();
        break;
      }
      if (seen[clause]) {
        DeferError(Defer::kSection, "The \"" + std::string(kClauses[clause]) +
                                        "\" section can only be used once in an update expression;");
      }
      seen[clause] = true;
      Advance();
      ParseClause(static_cast<UpdateAction::Kind>(clause));
    }
    MOE_TRY_STATUS(Finish());
    return std::move(ast_);
  }

 private:
  int Add(Node node) {
    ast_.operands.push_back(std::move(node));
    return static_cast<int>(ast_.operands.size() - 1);
  }
  Node& At(int i) { return ast_.operands[static_cast<size_t>(i)]; }

  void ParseClause(UpdateAction::Kind kind) {
    do {
      UpdateAction action;
      action.kind = kind;
      if (CurKind() != TokenKind::kName && CurKind() != TokenKind::kNamePlaceholder) {
        SyntaxError();
        return;
      }
      if (!ParsePath(&action.path)) return;
      switch (kind) {
        case UpdateAction::Kind::kSet:
          if (!Expect(TokenKind::kEq)) return;
          action.operand = ParseValue();
          break;
        case UpdateAction::Kind::kRemove:
          break;
        case UpdateAction::Kind::kAdd:
        case UpdateAction::Kind::kDelete: {
          Node value;
          if (!ParseValuePlaceholder(&value)) return;
          CheckAddDeleteType(kind, value);
          action.operand = Add(std::move(value));
          break;
        }
      }
      if (stopped()) return;
      CheckOverlap(paths_, action.path);
      ast_.actions.push_back(std::move(action));
      if (CurKind() != TokenKind::kComma) return;
      Advance();
    } while (!stopped());
  }

  void CheckAddDeleteType(UpdateAction::Kind kind, const Node& value) {
    const Type t = value.value.type();
    const bool is_set = t == Type::kSS || t == Type::kNS || t == Type::kBS;
    if (value.placeholder.empty() || is_set || (kind == UpdateAction::Kind::kAdd && t == Type::kN)) return;
    // An undefined placeholder has already deferred a more important error.
    DeferError(Defer::kType, "Incorrect operand type for operator or function; operator: " +
                                 std::string(kind == UpdateAction::Kind::kAdd ? "ADD" : "DELETE") +
                                 ", operand type: " + std::string(UpdateTypeName(t)));
  }

  // operand [('+' | '-') operand]
  int ParseValue() {
    int lhs = ParseOperand();
    if (stopped()) return -1;
    if (CurKind() != TokenKind::kPlus && CurKind() != TokenKind::kMinus) return lhs;
    Node n;
    n.kind = Node::Kind::kFunction;
    n.function = CurKind() == TokenKind::kPlus ? Function::kPlus : Function::kMinus;
    if (!CountOperator()) return -1;
    Advance();
    int rhs = ParseOperand();
    if (stopped()) return -1;
    n.children = {lhs, rhs};
    CheckOperandTypes(n, Type::kN);
    return Add(std::move(n));
  }

  int ParseOperand() {
    switch (CurKind()) {
      case TokenKind::kLParen: {
        if (!Enter()) return -1;
        Advance();
        int inner = ParseValue();
        if (stopped() || !Expect(TokenKind::kRParen)) return -1;
        Leave();
        return inner;
      }
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
    if (!ParseCall(&n, &name, &known, [this] { return ParseOperand(); })) return -1;
    if (!known) return Add(std::move(n));
    const Function f = n.function;
    if (f != Function::kIfNotExists && f != Function::kListAppend) {
      DeferError(Defer::kMisusedFunction, "The function is not allowed in an update expression; function: " + name);
      return Add(std::move(n));
    }
    if (n.children.size() != 2) {
      DeferError(Defer::kOperandCount,
                 "Incorrect number of operands for operator or function; operator or function: " + name +
                     ", number of operands: " + std::to_string(n.children.size()));
      return Add(std::move(n));
    }
    if (f == Function::kIfNotExists && At(n.children[0]).kind != Node::Kind::kPath) {
      DeferError(Defer::kType, "Operator or function requires a document path; operator or function: " + name);
    }
    if (f == Function::kListAppend) CheckOperandTypes(n, Type::kL);
    return Add(std::move(n));
  }

  // Values known at parse time must have the type the operator works on.
  void CheckOperandTypes(const Node& n, Type wanted) {
    for (int arg : n.children) {
      const Node& a = At(arg);
      if (a.kind != Node::Kind::kValue || a.value.is(wanted)) continue;
      if (a.placeholder.empty()) continue;
      DeferError(Defer::kType, "Incorrect operand type for operator or function; operator or function: " +
                                   std::string(FunctionName(n.function)) +
                                   ", operand type: " + std::string(TypeTag(a.value.type())));
      return;
    }
  }

  UpdateAst ast_;
  std::vector<Path> paths_;
};

}  // namespace

Result<UpdateAst> ParseUpdate(std::string_view expression, PlaceholderTracker& tracker) {
  return UpdateParser(expression, tracker).Run();
}

}  // namespace moe::ddbexpr
