// The syntax trees of DynamoDB's expression language: condition, filter and
// key-condition expressions (ConditionAst), update expressions (UpdateAst)
// and projection expressions (ProjectionAst).
//
// Trees are produced by the parsers in parser.h with every placeholder
// already resolved: a path element keeps the attribute name it stands for
// (and the "#n" it was written as, for printing), a value operand keeps a
// copy of the moe::Value behind ":v". A tree is therefore self-contained and
// outlives the request maps it was parsed against.
//
// Condition nodes live in one arena (a vector indexed by int) so that deep or
// wide expressions cost no per-node allocation beyond the vector and nothing
// recurses deeper than the parser's nesting bound.
//
// Thread safety: value types; const methods are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "moe/value.h"

namespace moe::ddbexpr {

// Which request parameter an expression came from; it names the expression
// in every error message ("Invalid <kind>: ...").
enum class ExpressionKind : uint8_t { kCondition, kFilter, kKeyCondition, kUpdate, kProjection };

// "ConditionExpression", "FilterExpression", "KeyConditionExpression",
// "UpdateExpression", "ProjectionExpression".
std::string_view KindName(ExpressionKind kind);

// One step of a document path: a map key or a list index.
struct PathElement {
  std::string name;         // resolved attribute name (empty for an index)
  std::string placeholder;  // "#n" when written through a placeholder, else empty
  size_t index = 0;         // list index, when is_index
  bool is_index = false;

  static PathElement Name(std::string name, std::string placeholder = {}) {
    return {std::move(name), std::move(placeholder), 0, false};
  }
  static PathElement Index(size_t i) { return {{}, {}, i, true}; }
  friend bool operator==(const PathElement& a, const PathElement& b) {
    return a.is_index == b.is_index && (a.is_index ? a.index == b.index : a.name == b.name);
  }
};

// A document path; never empty, and its first element is always a name.
using Path = std::vector<PathElement>;

// "a.b[2]" with placeholders as written (for printing) ...
std::string PathToSource(const Path& path);
// ... and DynamoDB's form in error messages: "[a, b, [2]]", resolved names.
std::string PathToMessage(const Path& path);

enum class Comparator : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
std::string_view ComparatorText(Comparator c);  // "=", "<>", "<", ...

enum class Function : uint8_t {
  kAttributeExists,
  kAttributeNotExists,
  kAttributeType,
  kBeginsWith,
  kContains,
  kSize,
  kIfNotExists,  // update expressions only
  kListAppend,   // update expressions only
  kPlus,         // SET a = x + y
  kMinus,        // SET a = x - y
};
std::string_view FunctionName(Function f);  // "attribute_exists", ..., "+", "-"

// One node of the condition/operand arena.
struct Node {
  enum class Kind : uint8_t {
    kPath,      // operand: a document path
    kValue,     // operand: an ExpressionAttributeValue
    kFunction,  // function call or +/-; children are its arguments
    kCompare,   // children[0] <comparator> children[1]
    kBetween,   // children[0] BETWEEN children[1] AND children[2]
    kIn,        // children[0] IN (children[1..])
    kAnd,       // n-ary, at least two children
    kOr,        // n-ary, at least two children
    kNot,       // one child
  };

  Kind kind = Kind::kPath;
  Comparator comparator = Comparator::kEq;  // kCompare
  Function function = Function::kSize;      // kFunction
  Path path;                                // kPath
  Value value;                              // kValue
  std::string placeholder;                  // kValue: ":v" as written
  std::vector<int> children;                // indexes into the arena

  bool IsOperand() const { return kind == Kind::kPath || kind == Kind::kValue || kind == Kind::kFunction; }
};

// A parsed condition, filter or key-condition expression.
struct ConditionAst {
  ExpressionKind kind = ExpressionKind::kCondition;
  std::vector<Node> nodes;
  int root = -1;

  const Node& node(int i) const { return nodes[static_cast<size_t>(i)]; }
};

// A parsed update expression. Operand trees (the right-hand side of SET) live
// in `operands`, an arena like ConditionAst's.
struct UpdateAction {
  enum class Kind : uint8_t { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  Path path;
  int operand = -1;  // SET: root of the value tree; ADD/DELETE: a kValue node
};

struct UpdateAst {
  std::vector<UpdateAction> actions;  // in clause order, SET before REMOVE etc. as written
  std::vector<Node> operands;

  const Node& node(int i) const { return operands[static_cast<size_t>(i)]; }
};

// A parsed projection expression: the listed paths, pairwise non-overlapping.
struct ProjectionAst {
  std::vector<Path> paths;
};

// Canonical source text of a tree: placeholders as written, single spaces,
// parentheses only where precedence needs them. Parsing the result against
// the same placeholders yields an equal tree.
std::string ToString(const ConditionAst& ast);
std::string ToString(const UpdateAst& ast);
std::string ToString(const ProjectionAst& ast);

}  // namespace moe::ddbexpr
