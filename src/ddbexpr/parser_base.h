// The machinery shared by the three expression parsers: token cursor, error
// bookkeeping in DynamoDB's precedence, nesting and operator budgets, and the
// document-path / value-placeholder productions every grammar uses.
//
// Errors come in two strengths. A syntax error or an exceeded limit stops the
// parse at once. Semantic errors (reserved word, undefined placeholder, bad
// function use ...) are deferred: the parse goes on so that a later syntax
// error still wins, as in DynamoDB, and among deferred errors the lowest
// category wins.
//
// Thread safety: one parser per parse; not shared.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddbexpr/ast.h"
#include "ddbexpr/lexer.h"
#include "ddbexpr/placeholders.h"
#include "moe/result.h"

namespace moe::ddbexpr {

std::optional<Function> LookupFunction(std::string_view name);

class ParserBase {
 public:
  ParserBase(std::string_view source, ExpressionKind kind, PlaceholderTracker& tracker);

 protected:
  // Deferred error categories, lowest reported first.
  enum class Defer : uint8_t {
    kRedundantParens,
    kUnknownFunction,
    kMisusedFunction,
    kReserved,
    kSection,
    kPlaceholder,
    kOperandCount,
    kDistinct,
    kOverlap,
    kType,
    kCount,  // number of categories
  };

  // Size and emptiness, checked before tokenizing.
  Status CheckSource() const;

  const Token& Cur() const { return tokens_[pos_]; }
  TokenKind CurKind() const { return tokens_[pos_].kind; }
  TokenKind KindAt(size_t ahead) const;
  std::string_view CurText() const { return TokenText(source_, Cur()); }
  bool CurIsKeyword(std::string_view upper) const {
    return CurKind() == TokenKind::kName && IsKeyword(CurText(), upper);
  }
  void Advance() {
    if (CurKind() != TokenKind::kEof) ++pos_;
  }
  // Consumes a token of `kind`, or records a syntax error there.
  bool Expect(TokenKind kind);

  bool stopped() const { return stop_.has_value(); }
  // Records a syntax error at the current token (the first one wins).
  void SyntaxError();
  void DeferError(Defer category, std::string message);
  // Nesting budget: false (and stopped) once kMaxNestingDepth is exceeded.
  bool Enter();
  void Leave() { --depth_; }
  // Operator budget: false (and stopped) at the 301st operator or function.
  bool CountOperator();

  // document_path := (name | #name) ('.' (name | #name) | '[' digits ']')*
  // Precondition: the current token is a kName or kNamePlaceholder.
  bool ParsePath(Path* path);
  // Resolves the current kValuePlaceholder into `node` (kind kValue).
  bool ParseValuePlaceholder(Node* node);

  // function_call := name '(' arg (',' arg)* ')'. Fills `call` (kind
  // kFunction, one child per argument, each parsed by `parse_arg`, which
  // returns a node index) and `name`; returns false when parsing stopped.
  // An unknown function is a deferred error and leaves call->function unset.
  // Precondition: the current token is a kName followed by '('.
  template <typename ParseArg>
  bool ParseCall(Node* call, std::string* name, bool* known, ParseArg parse_arg) {
    *name = std::string(CurText());
    if (!CountOperator() || !Enter()) return false;
    Advance();  // name
    Advance();  // '('
    call->kind = Node::Kind::kFunction;
    while (true) {
      int arg = parse_arg();
      if (stopped()) return false;
      call->children.push_back(arg);
      if (CurKind() != TokenKind::kComma) break;
      Advance();
    }
    if (!Expect(TokenKind::kRParen)) return false;
    Leave();
    std::optional<Function> f = LookupFunction(*name);
    *known = f.has_value();
    if (*known) {
      call->function = *f;
    } else {
      DeferError(Defer::kUnknownFunction, "Invalid function name; function: " + *name);
    }
    return true;
  }

  // The parse's outcome: a stop, else the most important deferred error.
  Status Finish() const;
  // "Invalid <Kind>: <message>"
  Error Invalid(std::string_view message) const;

  // Overlap/conflict check of `path` against `seen`, deferring DynamoDB's
  // "Two document paths overlap ..." errors; then appends it.
  void CheckOverlap(std::vector<Path>& seen, const Path& path);

  std::string_view source_;
  ExpressionKind kind_;
  PlaceholderTracker& tracker_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;

 private:
  bool ParsePathElementName(Path* path);

  std::optional<Error> stop_;
  std::optional<std::string> deferred_[static_cast<size_t>(Defer::kCount)];
  int depth_ = 0;
  int operators_ = 0;
};

// DynamoDB's rendering of a value in messages: "{N:5}", "{S:abc}".
std::string AttributeValueText(const Value& v);
// The operand-type names of update-expression messages: "STRING", "NUMBER" ...
std::string_view UpdateTypeName(Type type);

}  // namespace moe::ddbexpr

namespace moe::ddbexpr {

// The function named `name` (case-sensitive, as DynamoDB), if any, and the
// number of operands it takes.
std::optional<Function> LookupFunction(std::string_view name);
size_t FunctionArity(Function f);
// Functions that yield a boolean (conditions), as opposed to values.
bool IsConditionFunction(Function f);

}  // namespace moe::ddbexpr
