// Expressions: safe builders for DynamoDB condition, filter, key-condition,
// update and projection expressions.
//
// No caller ever splices a string into an expression: every attribute name
// becomes a `#nN` placeholder and every value a `:vN` placeholder. One
// Expressions context serves all expressions of one request, so a name or an
// equal value used twice shares one placeholder, and only what was rendered is
// emitted (DynamoDB rejects unused names and values).
//
//   using moe::expr::Attr;
//   moe::expr::Expressions ex;
//   MOE_TRY(req.condition_expression,
//           ex.Render(Attr("pk").NotExists() || Attr("version") < 7));
//   MOE_TRY(req.update_expression,
//           ex.Render(moe::expr::Update()
//                         .Set(Attr("version"), 7)
//                         .Add(Attr("count"), 1)));
//   ex.MoveInto(&req);  // fills expression_attribute_names / _values
//
//   // condition: attribute_not_exists(#n0) OR #n1 < :v0
//   // update:    SET #n1 = :v0 ADD #n2 :v1
//   // names {#n0: pk, #n1: version, #n2: count}, values {:v0: 7, :v1: 1}
//
// Paths: Attr("a.b") is ONE attribute whose name contains a dot; build nested
// paths with Attr("a").Field("b")[2], or parse the dotted convenience form
// with Path::Parse("a.b[2]").
//
// Syntax reference:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
//
// Thread safety: Path, Operand, Condition, KeyCondition, Update and Projection
// are immutable-once-built values; const methods are thread-safe. Expressions
// is not thread-safe.
#pragma once

#include <cassert>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "moe/result.h"
#include "moe/value.h"

namespace moe::expr {

// The placeholder maps; identical to moe::ExpressionNames and
// moe::ExpressionValues in model.h.
using Names = std::map<std::string, std::string, std::less<>>;  // "#n0" -> name
using Values = Map;                                              // ":v0" -> value

class Condition;
class Operand;
class Expressions;
namespace internal {
struct OperandNode;
struct ConditionNode;
}  // namespace internal

// ------------------------------------------------------------------- Path

// A document path: a top-level attribute name followed by map members and
// list indexes. Every name renders as its own placeholder.
class Path {
 public:
  // A map member name or a list index.
  using Element = std::variant<std::string, size_t>;

  // The top-level attribute `name`, taken literally: dots, brackets, spaces
  // and reserved words are part of the name.
  explicit Path(std::string name) { elements_.emplace_back(std::move(name)); }

  // Parses the dotted form "a.b[2].c": names separated by '.', list indexes
  // in brackets. A name is any non-empty run of characters other than '.',
  // '[' and ']'. Errors: kInvalidArgument for an empty text or name, a path
  // starting with an index, an unclosed or empty bracket, a non-digit index
  // or one above 2^31-1.
  static Result<Path> Parse(std::string_view text);

  // This path extended by the map member `name` (taken literally).
  Path Field(std::string name) const&;
  Path Field(std::string name) &&;
  // This path extended by the list element `index`.
  Path Index(size_t index) const&;
  Path Index(size_t index) &&;
  Path operator[](size_t index) const& { return Index(index); }
  Path operator[](size_t index) && { return std::move(*this).Index(index); }

  // Never empty; elements()[0] is always a name.
  const std::vector<Element>& elements() const { return elements_; }

  // "a.b[2]" with names unescaped: for error messages and logs, never for
  // building expressions.
  std::string DebugString() const;

  // Shorthands for the free condition functions below.
  Condition Exists() const;
  Condition NotExists() const;
  Condition AttributeType(Type type) const;
  Condition BeginsWith(Operand prefix) const;
  Condition Contains(Operand operand) const;
  Condition Between(Operand low, Operand high) const;
  Condition In(std::initializer_list<Operand> candidates) const;

 private:
  std::vector<Element> elements_;
};

// The top-level attribute `name`, taken literally (see Path::Path).
inline Path Attr(std::string name) { return Path(std::move(name)); }

// ---------------------------------------------------------------- Operand

// One side of a comparison or of an update assignment: a path, a value (any
// type moe::Value accepts, implicitly), or one of the functions below.
// Where each may appear is checked when rendering.
class Operand {
 public:
  Operand(Path path);  // NOLINT: implicit by design
  template <typename T>
    requires std::constructible_from<Value, T&&>
  Operand(T&& value) : Operand(std::in_place, Value(std::forward<T>(value))) {}  // NOLINT

 private:
  friend class Expressions;
  friend Operand Size(Path path);
  friend Operand IfNotExists(Path path, Operand fallback);
  friend Operand ListAppend(Operand first, Operand second);
  friend Operand Plus(Operand a, Operand b);
  friend Operand Minus(Operand a, Operand b);
  Operand(std::in_place_t, Value value);
  explicit Operand(std::shared_ptr<const internal::OperandNode> node) : node_(std::move(node)) {}

  std::shared_ptr<const internal::OperandNode> node_;
};

// size(path): conditions only.
Operand Size(Path path);
// Update operands only (SET's right-hand side):
// if_not_exists(path, fallback); fallback is a value or a path.
Operand IfNotExists(Path path, Operand fallback);
// list_append(first, second); each a path, a List value or a function.
Operand ListAppend(Operand first, Operand second);
// a + b and a - b: only as the whole right-hand side of a SET, not nested.
Operand Plus(Operand a, Operand b);
Operand Minus(Operand a, Operand b);

// -------------------------------------------------------------- Condition

// A ConditionExpression or FilterExpression. Combine with &&, || and !
// (overloaded, so both sides are always built; nothing short-circuits).
// A default-constructed Condition is empty: it is dropped by && and ||, stays
// empty under !, and fails to render. That makes incremental building easy:
//   Condition c;  for (...) c = c && Attr(name) == v;
class Condition {
 public:
  Condition() = default;
  bool empty() const { return node_ == nullptr; }

  friend Condition operator&&(Condition a, Condition b);
  friend Condition operator||(Condition a, Condition b);
  friend Condition operator!(Condition c);

 private:
  friend class Expressions;
  explicit Condition(std::shared_ptr<const internal::ConditionNode> node) : node_(std::move(node)) {}
  static Condition Make(internal::ConditionNode node);

  std::shared_ptr<const internal::ConditionNode> node_;

  friend Condition operator==(Operand a, Operand b);
  friend Condition operator!=(Operand a, Operand b);
  friend Condition operator<(Operand a, Operand b);
  friend Condition operator<=(Operand a, Operand b);
  friend Condition operator>(Operand a, Operand b);
  friend Condition operator>=(Operand a, Operand b);
  friend Condition Between(Operand subject, Operand low, Operand high);
  friend Condition In(Operand subject, std::initializer_list<Operand> candidates);
  friend Condition In(Operand subject, std::span<const Value> candidates);
  friend Condition Exists(Path path);
  friend Condition NotExists(Path path);
  friend Condition AttributeType(Path path, Type type);
  friend Condition BeginsWith(Path path, Operand prefix);
  friend Condition Contains(Path path, Operand operand);
};

// Comparisons render as = <> < <= > >=.
Condition operator==(Operand a, Operand b);
Condition operator!=(Operand a, Operand b);
Condition operator<(Operand a, Operand b);
Condition operator<=(Operand a, Operand b);
Condition operator>(Operand a, Operand b);
Condition operator>=(Operand a, Operand b);
// subject BETWEEN low AND high.
Condition Between(Operand subject, Operand low, Operand high);
// subject IN (c1, c2, ...): 1 to 100 candidates (checked when rendering).
Condition In(Operand subject, std::initializer_list<Operand> candidates);
Condition In(Operand subject, std::span<const Value> candidates);
// attribute_exists / attribute_not_exists.
Condition Exists(Path path);
Condition NotExists(Path path);
// attribute_type(path, :v) with :v the type tag ("S", "NS", ...).
Condition AttributeType(Path path, Type type);
// begins_with(path, prefix) and contains(path, operand).
Condition BeginsWith(Path path, Operand prefix);
Condition Contains(Path path, Operand operand);

// ----------------------------------------------------------- KeyCondition

class KeyCondition;

// A key attribute in a KeyConditionExpression (a top-level name, literal).
class Key {
 public:
  explicit Key(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  friend KeyCondition operator==(const Key& key, Value value);
  friend KeyCondition operator<(const Key& key, Value value);
  friend KeyCondition operator<=(const Key& key, Value value);
  friend KeyCondition operator>(const Key& key, Value value);
  friend KeyCondition operator>=(const Key& key, Value value);
  KeyCondition Between(Value low, Value high) const;
  KeyCondition BeginsWith(Value prefix) const;

 private:
  std::string name_;
};

// A KeyConditionExpression: an equality on the partition key, optionally
// && one condition on the sort key. The shape is checked when rendering.
class KeyCondition {
 public:
  friend KeyCondition operator&&(KeyCondition a, KeyCondition b);

 private:
  friend class Key;
  friend class Expressions;
  enum class Op : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };
  struct Part {
    std::string name;
    Op op;
    std::vector<Value> values;  // one, or two for kBetween
  };
  explicit KeyCondition(Part part) { parts_.push_back(std::move(part)); }
  friend KeyCondition operator==(const Key& key, Value value);
  friend KeyCondition operator<(const Key& key, Value value);
  friend KeyCondition operator<=(const Key& key, Value value);
  friend KeyCondition operator>(const Key& key, Value value);
  friend KeyCondition operator>=(const Key& key, Value value);

  std::vector<Part> parts_;
};

// ----------------------------------------------------------------- Update

// An UpdateExpression. Rendered as SET, REMOVE, ADD, DELETE clauses in that
// order, actions in call order within each clause:
//   SET #n0 = :v0, #n1 = #n1 + :v1 REMOVE #n2 ADD #n3 :v2 DELETE #n4 :v3
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
class Update {
 public:
  // SET path = value; value is a path, a value, IfNotExists, ListAppend,
  // or Plus/Minus of those.
  Update& Set(Path path, Operand value);
  // SET path = if_not_exists(path, value): writes only if absent.
  Update& SetIfNotExists(Path path, Operand value);
  // SET path = list_append(if_not_exists(path, :empty), :items), with :empty
  // an empty list, so it also works when the list does not exist yet.
  Update& Append(Path path, List items);
  // SET path = list_append(:items, if_not_exists(path, :empty)).
  Update& Prepend(Path path, List items);
  // REMOVE path.
  Update& Remove(Path path);
  // ADD path value: value must be a number or a non-empty set.
  Update& Add(Path path, Value value);
  // DELETE path set: removes the set's elements; a non-empty set.
  Update& Delete(Path path, Value set);

  bool empty() const { return actions_.empty(); }

 private:
  friend class Expressions;
  enum class Kind : uint8_t { kSet, kRemove, kAdd, kDelete };
  struct Action {
    Kind kind;
    Path path;
    std::optional<Operand> operand;
  };
  std::vector<Action> actions_;
};

// ------------------------------------------------------------- Projection

// A ProjectionExpression: the attributes to return, "#n0, #n1.#n2[3]".
class Projection {
 public:
  Projection() = default;
  Projection(std::initializer_list<Path> paths) : paths_(paths) {}
  Projection& Add(Path path) {
    paths_.push_back(std::move(path));
    return *this;
  }
  const std::vector<Path>& paths() const { return paths_; }

 private:
  std::vector<Path> paths_;
};

// ------------------------------------------------------------ Expressions

// The placeholder context of one request. Render each expression, then move
// the names and values into the request.
//
// Every Render returns the expression text, or kInvalidArgument (never
// retryable) when the expression would be rejected by DynamoDB:
//  - an empty Condition, Update or Projection, or an empty attribute name;
//  - a value that is or contains an empty set;
//  - IN with no or more than 100 candidates;
//  - an operand where DynamoDB does not allow it (size() in an update,
//    Plus/IfNotExists/ListAppend in a condition, nested Plus/Minus);
//  - for updates: ADD of a value that is not a number or a set, DELETE of a
//    non-set, two actions on overlapping paths (a and a.b, or a[0] twice);
//  - for projections: overlapping paths;
//  - for key conditions: not one or two parts, no equality, the same key
//    twice, a key value that is not S, N or B, begins_with on a number.
// A failed Render leaves the context as it was.
class Expressions {
 public:
  Result<std::string> Render(const Condition& condition);
  Result<std::string> Render(const KeyCondition& condition);
  Result<std::string> Render(const Update& update);
  Result<std::string> Render(const Projection& projection);

  // Placeholders used by everything rendered since construction or the last
  // MoveInto.
  const Names& names() const { return names_; }
  const Values& values() const { return values_; }

  // Moves names() and values() into req->expression_attribute_names and
  // req->expression_attribute_values (merging with entries already there)
  // and empties this context. Placeholder numbers keep counting, so later
  // renders never reuse a number already moved out. Requests without an
  // expression_attribute_values field (GetItem) take names only.
  // Precondition (asserted): the request's own placeholders do not collide
  // with #nN / :vN, and values() is empty when the request has no values.
  template <typename Req>
  void MoveInto(Req* req);

 private:
  struct Mark {
    size_t names;
    size_t values;
  };
  enum class Context : uint8_t { kCondition, kUpdateTop, kUpdateInner };

  Mark Save() const { return {next_name_, next_value_}; }
  void Rollback(Mark mark);
  Result<std::string> Finish(Mark mark, Result<std::string> rendered);

  std::string NamePlaceholder(const std::string& name);
  Result<std::string> ValuePlaceholder(const Value& value);
  Result<std::string> RenderPath(const Path& path);
  Result<std::string> RenderOperand(const Operand& operand, Context context);
  Status RenderCondition(const Condition& condition, int parent_precedence, std::string* out);
  Result<std::string> RenderKeyCondition(const KeyCondition& condition);
  Result<std::string> RenderUpdate(const Update& update);
  Result<std::string> RenderProjection(const Projection& projection);

  template <typename Map>
  static void Merge(Map* into, Map* from) {
    for (auto& [placeholder, entry] : *from) {
      auto [it, inserted] = into->try_emplace(placeholder, std::move(entry));
      assert(inserted || it->second == entry);  // a hand-written #nN / :vN clashed
      (void)it;
      (void)inserted;
    }
    from->clear();
  }

  Names names_;
  Values values_;
  std::map<std::string, std::string, std::less<>> name_index_;  // name -> "#nN"
  size_t next_name_ = 0;
  size_t next_value_ = 0;
};

template <typename Req>
void Expressions::MoveInto(Req* req) {
  Merge(&req->expression_attribute_names, &names_);
  if constexpr (requires { req->expression_attribute_values; }) {
    Merge(&req->expression_attribute_values, &values_);
  } else {
    assert(values_.empty());
    values_.clear();
  }
  name_index_.clear();
}

}  // namespace moe::expr
