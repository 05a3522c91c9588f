// Rendering expressions to text with #nN / :vN placeholders, and the checks
// that turn what DynamoDB would reject into kInvalidArgument before sending.
#include <algorithm>

#include "expression/nodes.h"
#include "moe/expression.h"

namespace moe::expr {

namespace {

constexpr size_t kMaxInCandidates = 100;

// Condition precedence, loosest first; see "Precedence in conditions" in
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
constexpr int kPrecedenceOr = 1;
constexpr int kPrecedenceAnd = 2;
constexpr int kPrecedenceNot = 3;
constexpr int kPrecedenceAtom = 4;

Error Invalid(std::string message) { return Error::InvalidArgument(std::move(message)); }

bool ContainsEmptySet(const Value& v) {
  switch (v.type()) {
    case Type::kSS: return v.ss().empty();
    case Type::kNS: return v.ns().empty();
    case Type::kBS: return v.bs().empty();
    case Type::kL:
      return std::any_of(v.l().begin(), v.l().end(), ContainsEmptySet);
    case Type::kM:
      return std::any_of(v.m().begin(), v.m().end(), [](const auto& kv) { return ContainsEmptySet(kv.second); });
    default: return false;
  }
}

bool IsSet(const Value& v) { return v.is(Type::kSS) || v.is(Type::kNS) || v.is(Type::kBS); }

// DynamoDB rejects two actions (or projected attributes) where one path is a
// prefix of the other ("overlap") or where they use the same prefix as both a
// map and a list ("conflict").
Status CheckNoOverlap(std::string_view what, const std::vector<const Path*>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    for (size_t j = i + 1; j < paths.size(); ++j) {
      const auto& a = paths[i]->elements();
      const auto& b = paths[j]->elements();
      size_t n = std::min(a.size(), b.size());
      size_t k = 0;
      while (k < n && a[k] == b[k]) ++k;
      std::string pair = paths[i]->DebugString() + " and " + paths[j]->DebugString();
      if (k == n) return Invalid(std::string(what) + ": two document paths overlap: " + pair);
      if (a[k].index() != b[k].index()) {
        return Invalid(std::string(what) + ": two document paths conflict: " + pair);
      }
    }
  }
  return Ok();
}

std::string_view ComparatorText(internal::Comparator op) {
  switch (op) {
    case internal::Comparator::kEq: return " = ";
    case internal::Comparator::kNe: return " <> ";
    case internal::Comparator::kLt: return " < ";
    case internal::Comparator::kLe: return " <= ";
    case internal::Comparator::kGt: return " > ";
    case internal::Comparator::kGe: return " >= ";
  }
  return " = ";
}

int PrecedenceOf(const internal::ConditionNode& node) {
  if (std::holds_alternative<internal::OrOf>(node.v)) return kPrecedenceOr;
  if (std::holds_alternative<internal::AndOf>(node.v)) return kPrecedenceAnd;
  if (std::holds_alternative<internal::NotOf>(node.v)) return kPrecedenceNot;
  return kPrecedenceAtom;
}

}  // namespace

// ------------------------------------------------------------ bookkeeping

void Expressions::Rollback(Mark mark) {
  for (size_t i = mark.names; i < next_name_; ++i) {
    auto it = names_.find("#n" + std::to_string(i));
    if (it == names_.end()) continue;
    name_index_.erase(it->second);
    names_.erase(it);
  }
  for (size_t i = mark.values; i < next_value_; ++i) values_.erase(":v" + std::to_string(i));
  next_name_ = mark.names;
  next_value_ = mark.values;
}

Result<std::string> Expressions::Finish(Mark mark, Result<std::string> rendered) {
  if (!rendered) Rollback(mark);
  return rendered;
}

std::string Expressions::NamePlaceholder(const std::string& name) {
  if (auto it = name_index_.find(name); it != name_index_.end()) return it->second;
  std::string placeholder = "#n" + std::to_string(next_name_++);
  names_.emplace(placeholder, name);
  name_index_.emplace(name, placeholder);
  return placeholder;
}

Result<std::string> Expressions::ValuePlaceholder(const Value& value) {
  if (ContainsEmptySet(value)) return Invalid("a set value must not be empty");
  // Values have equality but no order or hash; a request holds few values.
  for (const auto& [placeholder, existing] : values_) {
    if (existing == value) return placeholder;
  }
  std::string placeholder = ":v" + std::to_string(next_value_++);
  values_.emplace(placeholder, value);
  return placeholder;
}

// ---------------------------------------------------------- paths, operands

Result<std::string> Expressions::RenderPath(const Path& path) {
  std::string out;
  for (const Path::Element& e : path.elements()) {
    if (const auto* name = std::get_if<std::string>(&e)) {
      if (name->empty()) return Invalid("attribute names must not be empty");
      if (!out.empty()) out += '.';
      out += NamePlaceholder(*name);
    } else {
      out += '[' + std::to_string(std::get<size_t>(e)) + ']';
    }
  }
  return out;
}

Result<std::string> Expressions::RenderOperand(const Operand& operand, Context context) {
  const internal::OperandNode& node = *operand.node_;
  if (const auto* path = std::get_if<Path>(&node.v)) return RenderPath(*path);
  if (const auto* value = std::get_if<Value>(&node.v)) return ValuePlaceholder(*value);
  if (const auto* size = std::get_if<internal::SizeOf>(&node.v)) {
    if (context != Context::kCondition) return Invalid("size() is only allowed in conditions");
    MOE_TRY(std::string p, RenderPath(size->path));
    return "size(" + p + ")";
  }
  if (context == Context::kCondition) {
    return Invalid("if_not_exists, list_append, + and - are only allowed in update expressions");
  }
  if (const auto* f = std::get_if<internal::IfNotExistsOf>(&node.v)) {
    MOE_TRY(std::string p, RenderPath(f->path));
    MOE_TRY(std::string fallback, RenderOperand(f->fallback, Context::kUpdateInner));
    return "if_not_exists(" + p + ", " + fallback + ")";
  }
  if (const auto* f = std::get_if<internal::ListAppendOf>(&node.v)) {
    MOE_TRY(std::string first, RenderOperand(f->first, Context::kUpdateInner));
    MOE_TRY(std::string second, RenderOperand(f->second, Context::kUpdateInner));
    return "list_append(" + first + ", " + second + ")";
  }
  const auto& arithmetic = std::get<internal::Arithmetic>(node.v);
  if (context != Context::kUpdateTop) {
    return Invalid("+ and - must be the whole right-hand side of a SET action");
  }
  MOE_TRY(std::string a, RenderOperand(arithmetic.a, Context::kUpdateInner));
  MOE_TRY(std::string b, RenderOperand(arithmetic.b, Context::kUpdateInner));
  return a + ' ' + arithmetic.op + ' ' + b;
}

// -------------------------------------------------------------- conditions

Status Expressions::RenderCondition(const Condition& condition, int parent_precedence, std::string* out) {
  if (condition.empty()) return Invalid("empty condition");
  const internal::ConditionNode& node = *condition.node_;
  int precedence = PrecedenceOf(node);
  bool parens = precedence < parent_precedence;
  if (parens) *out += '(';
  if (const auto* c = std::get_if<internal::Compare>(&node.v)) {
    MOE_TRY(std::string a, RenderOperand(c->a, Context::kCondition));
    MOE_TRY(std::string b, RenderOperand(c->b, Context::kCondition));
    *out += a;
    *out += ComparatorText(c->op);
    *out += b;
  } else if (const auto* c = std::get_if<internal::BetweenOf>(&node.v)) {
    MOE_TRY(std::string s, RenderOperand(c->subject, Context::kCondition));
    MOE_TRY(std::string lo, RenderOperand(c->low, Context::kCondition));
    MOE_TRY(std::string hi, RenderOperand(c->high, Context::kCondition));
    *out += s + " BETWEEN " + lo + " AND " + hi;
  } else if (const auto* c = std::get_if<internal::InOf>(&node.v)) {
    if (c->candidates.empty() || c->candidates.size() > kMaxInCandidates) {
      return Invalid("IN takes 1 to 100 candidates, not " + std::to_string(c->candidates.size()));
    }
    MOE_TRY(std::string s, RenderOperand(c->subject, Context::kCondition));
    *out += s + " IN (";
    for (size_t i = 0; i < c->candidates.size(); ++i) {
      MOE_TRY(std::string candidate, RenderOperand(c->candidates[i], Context::kCondition));
      if (i > 0) *out += ", ";
      *out += candidate;
    }
    *out += ')';
  } else if (const auto* c = std::get_if<internal::Call>(&node.v)) {
    static constexpr std::string_view kNames[] = {"attribute_exists(", "attribute_not_exists(",
                                                  "begins_with(", "contains("};
    MOE_TRY(std::string p, RenderPath(c->path));
    *out += kNames[static_cast<int>(c->function)];
    *out += p;
    if (c->argument) {
      MOE_TRY(std::string arg, RenderOperand(*c->argument, Context::kCondition));
      *out += ", " + arg;
    }
    *out += ')';
  } else if (const auto* c = std::get_if<internal::TypeOf>(&node.v)) {
    MOE_TRY(std::string p, RenderPath(c->path));
    MOE_TRY(std::string tag, ValuePlaceholder(Value(std::string(TypeTag(c->type)))));
    *out += "attribute_type(" + p + ", " + tag + ")";
  } else if (const auto* c = std::get_if<internal::AndOf>(&node.v)) {
    MOE_TRY_STATUS(RenderCondition(c->a, kPrecedenceAnd, out));
    *out += " AND ";
    MOE_TRY_STATUS(RenderCondition(c->b, kPrecedenceAnd, out));
  } else if (const auto* c = std::get_if<internal::OrOf>(&node.v)) {
    MOE_TRY_STATUS(RenderCondition(c->a, kPrecedenceOr, out));
    *out += " OR ";
    MOE_TRY_STATUS(RenderCondition(c->b, kPrecedenceOr, out));
  } else {
    *out += "NOT ";
    MOE_TRY_STATUS(RenderCondition(std::get<internal::NotOf>(node.v).c, kPrecedenceNot, out));
  }
  if (parens) *out += ')';
  return Ok();
}

Result<std::string> Expressions::Render(const Condition& condition) {
  Mark mark = Save();
  std::string out;
  Status status = RenderCondition(condition, 0, &out);
  if (!status) {
    Rollback(mark);
    return std::move(status).error();
  }
  return out;
}

// ---------------------------------------------------------- key conditions

Result<std::string> Expressions::RenderKeyCondition(const KeyCondition& condition) {
  using Op = KeyCondition::Op;
  std::vector<const KeyCondition::Part*> parts;
  for (const auto& part : condition.parts_) parts.push_back(&part);
  if (parts.empty() || parts.size() > 2) {
    return Invalid("a key condition is one equality on the partition key and at most one sort key "
                   "condition; got " + std::to_string(parts.size()) + " conditions");
  }
  // The partition key equality goes first.
  if (parts.size() == 2 && parts[0]->op != Op::kEq) std::swap(parts[0], parts[1]);
  if (parts[0]->op != Op::kEq) return Invalid("a key condition needs an equality on the partition key");
  if (parts.size() == 2 && parts[0]->name == parts[1]->name) {
    return Invalid("a key condition names the key \"" + parts[0]->name + "\" twice");
  }
  std::string out;
  for (const KeyCondition::Part* part : parts) {
    for (const Value& v : part->values) {
      if (!v.is(Type::kS) && !v.is(Type::kN) && !v.is(Type::kB)) {
        return Invalid("key values must be strings, numbers or binary (key \"" + part->name + "\")");
      }
      if (part->op == Op::kBeginsWith && v.is(Type::kN)) {
        return Invalid("begins_with needs a string or binary prefix (key \"" + part->name + "\")");
      }
    }
    if (!out.empty()) out += " AND ";
    if (part->name.empty()) return Invalid("attribute names must not be empty");
    std::string name = NamePlaceholder(part->name);
    MOE_TRY(std::string v0, ValuePlaceholder(part->values[0]));
    switch (part->op) {
      case Op::kEq: out += name + " = " + v0; break;
      case Op::kLt: out += name + " < " + v0; break;
      case Op::kLe: out += name + " <= " + v0; break;
      case Op::kGt: out += name + " > " + v0; break;
      case Op::kGe: out += name + " >= " + v0; break;
      case Op::kBeginsWith: out += "begins_with(" + name + ", " + v0 + ")"; break;
      case Op::kBetween: {
        MOE_TRY(std::string v1, ValuePlaceholder(part->values[1]));
        out += name + " BETWEEN " + v0 + " AND " + v1;
        break;
      }
    }
  }
  return out;
}

Result<std::string> Expressions::Render(const KeyCondition& condition) {
  Mark mark = Save();
  return Finish(mark, RenderKeyCondition(condition));
}

// ----------------------------------------------------------------- updates

Result<std::string> Expressions::RenderUpdate(const Update& update) {
  using Kind = Update::Kind;
  if (update.empty()) return Invalid("empty update expression");
  std::vector<const Path*> targets;
  for (const auto& action : update.actions_) targets.push_back(&action.path);
  MOE_TRY_STATUS(CheckNoOverlap("update expression", targets));

  static constexpr std::pair<Kind, std::string_view> kClauses[] = {
      {Kind::kSet, "SET "}, {Kind::kRemove, "REMOVE "}, {Kind::kAdd, "ADD "}, {Kind::kDelete, "DELETE "}};
  std::string out;
  for (const auto& [kind, keyword] : kClauses) {
    bool first = true;
    for (const auto& action : update.actions_) {
      if (action.kind != kind) continue;
      if (first) {
        if (!out.empty()) out += ' ';
        out += keyword;
      } else {
        out += ", ";
      }
      first = false;
      MOE_TRY(std::string path, RenderPath(action.path));
      out += path;
      if (kind == Kind::kRemove) continue;
      const Operand& operand = *action.operand;
      if (kind == Kind::kSet) {
        MOE_TRY(std::string value, RenderOperand(operand, Context::kUpdateTop));
        out += " = " + value;
        continue;
      }
      // ADD and DELETE take a value (built from Value, so always one).
      const Value& value = std::get<Value>(operand.node_->v);
      if (kind == Kind::kAdd && !value.is(Type::kN) && !IsSet(value)) {
        return Invalid("ADD takes a number or a set (path " + action.path.DebugString() + ")");
      }
      if (kind == Kind::kDelete && !IsSet(value)) {
        return Invalid("DELETE takes a set (path " + action.path.DebugString() + ")");
      }
      MOE_TRY(std::string placeholder, ValuePlaceholder(value));
      out += ' ' + placeholder;
    }
  }
  return out;
}

Result<std::string> Expressions::Render(const Update& update) {
  Mark mark = Save();
  return Finish(mark, RenderUpdate(update));
}

// ------------------------------------------------------------- projections

Result<std::string> Expressions::RenderProjection(const Projection& projection) {
  if (projection.paths().empty()) return Invalid("empty projection");
  std::vector<const Path*> paths;
  for (const Path& p : projection.paths()) paths.push_back(&p);
  MOE_TRY_STATUS(CheckNoOverlap("projection expression", paths));
  std::string out;
  for (const Path& p : projection.paths()) {
    MOE_TRY(std::string rendered, RenderPath(p));
    if (!out.empty()) out += ", ";
    out += rendered;
  }
  return out;
}

Result<std::string> Expressions::Render(const Projection& projection) {
  Mark mark = Save();
  return Finish(mark, RenderProjection(projection));
}

}  // namespace moe::expr
