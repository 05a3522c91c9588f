// Building paths, operands, conditions, key conditions and updates. Nothing
// here validates; Expressions::Render does (render.cc).
#include <charconv>
#include <cstdint>

#include "expression/nodes.h"
#include "moe/expression.h"

namespace moe::expr {

// ------------------------------------------------------------------- Path

namespace {

Error ParseError(std::string_view text, std::string_view why) {
  return Error::InvalidArgument("invalid attribute path \"" + std::string(text) + "\": " +
                                std::string(why));
}

bool IsNameChar(char c) { return c != '.' && c != '[' && c != ']'; }

}  // namespace

Result<Path> Path::Parse(std::string_view text) {
  size_t i = 0;
  auto read_name = [&]() -> std::string {
    size_t start = i;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    return std::string(text.substr(start, i - start));
  };
  if (text.empty()) return ParseError(text, "empty");
  std::string first = read_name();
  if (first.empty()) return ParseError(text, "must start with an attribute name");
  Path path(std::move(first));
  while (i < text.size()) {
    char c = text[i++];
    if (c == '.') {
      std::string name = read_name();
      if (name.empty()) return ParseError(text, "empty name after '.'");
      path.elements_.emplace_back(std::move(name));
    } else if (c == '[') {
      size_t close = text.find(']', i);
      if (close == std::string_view::npos) return ParseError(text, "unclosed '['");
      std::string_view digits = text.substr(i, close - i);
      if (digits.empty()) return ParseError(text, "empty list index");
      uint32_t index = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (end != digits.data() + digits.size() || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        return ParseError(text, "list index must be decimal digits");
      }
      if (ec == std::errc::result_out_of_range || index > INT32_MAX) {
        return ParseError(text, "list index too large");
      }
      path.elements_.emplace_back(static_cast<size_t>(index));
      i = close + 1;
    } else {
      return ParseError(text, "unexpected '" + std::string(1, c) + "'");
    }
  }
  return path;
}

Path Path::Field(std::string name) const& { return Path(*this).Field(std::move(name)); }
Path Path::Field(std::string name) && {
  elements_.emplace_back(std::move(name));
  return std::move(*this);
}
Path Path::Index(size_t index) const& { return Path(*this).Index(index); }
Path Path::Index(size_t index) && {
  elements_.emplace_back(index);
  return std::move(*this);
}

std::string Path::DebugString() const {
  std::string out;
  for (const Element& e : elements_) {
    if (const auto* name = std::get_if<std::string>(&e)) {
      if (!out.empty()) out += '.';
      out += *name;
    } else {
      out += '[' + std::to_string(std::get<size_t>(e)) + ']';
    }
  }
  return out;
}

Condition Path::Exists() const { return expr::Exists(*this); }
Condition Path::NotExists() const { return expr::NotExists(*this); }
Condition Path::AttributeType(Type type) const { return expr::AttributeType(*this, type); }
Condition Path::BeginsWith(Operand prefix) const { return expr::BeginsWith(*this, std::move(prefix)); }
Condition Path::Contains(Operand operand) const { return expr::Contains(*this, std::move(operand)); }
Condition Path::Between(Operand low, Operand high) const {
  return expr::Between(*this, std::move(low), std::move(high));
}
Condition Path::In(std::initializer_list<Operand> candidates) const { return expr::In(*this, candidates); }

// ---------------------------------------------------------------- Operand

namespace {
template <typename T>
std::shared_ptr<const internal::OperandNode> OperandOf(T&& part) {
  return std::make_shared<const internal::OperandNode>(internal::OperandNode{std::forward<T>(part)});
}
}  // namespace

Operand::Operand(Path path) : node_(OperandOf(std::move(path))) {}
Operand::Operand(std::in_place_t, Value value) : node_(OperandOf(std::move(value))) {}

Operand Size(Path path) { return Operand(OperandOf(internal::SizeOf{std::move(path)})); }
Operand IfNotExists(Path path, Operand fallback) {
  return Operand(OperandOf(internal::IfNotExistsOf{std::move(path), std::move(fallback)}));
}
Operand ListAppend(Operand first, Operand second) {
  return Operand(OperandOf(internal::ListAppendOf{std::move(first), std::move(second)}));
}
Operand Plus(Operand a, Operand b) {
  return Operand(OperandOf(internal::Arithmetic{'+', std::move(a), std::move(b)}));
}
Operand Minus(Operand a, Operand b) {
  return Operand(OperandOf(internal::Arithmetic{'-', std::move(a), std::move(b)}));
}

// -------------------------------------------------------------- Condition

Condition Condition::Make(internal::ConditionNode node) {
  return Condition(std::make_shared<const internal::ConditionNode>(std::move(node)));
}

Condition operator&&(Condition a, Condition b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return Condition::Make({internal::AndOf{std::move(a), std::move(b)}});
}
Condition operator||(Condition a, Condition b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return Condition::Make({internal::OrOf{std::move(a), std::move(b)}});
}
Condition operator!(Condition c) {
  if (c.empty()) return c;
  return Condition::Make({internal::NotOf{std::move(c)}});
}

namespace {
using internal::Comparator;
}  // namespace

Condition operator==(Operand a, Operand b) {
  return Condition::Make({internal::Compare{Comparator::kEq, std::move(a), std::move(b)}});
}
Condition operator!=(Operand a, Operand b) {
  return Condition::Make({internal::Compare{Comparator::kNe, std::move(a), std::move(b)}});
}
Condition operator<(Operand a, Operand b) {
  return Condition::Make({internal::Compare{Comparator::kLt, std::move(a), std::move(b)}});
}
Condition operator<=(Operand a, Operand b) {
  return Condition::Make({internal::Compare{Comparator::kLe, std::move(a), std::move(b)}});
}
Condition operator>(Operand a, Operand b) {
  return Condition::Make({internal::Compare{Comparator::kGt, std::move(a), std::move(b)}});
}
Condition operator>=(Operand a, Operand b) {
  return Condition::Make({internal::Compare{Comparator::kGe, std::move(a), std::move(b)}});
}

Condition Between(Operand subject, Operand low, Operand high) {
  return Condition::Make({internal::BetweenOf{std::move(subject), std::move(low), std::move(high)}});
}
Condition In(Operand subject, std::initializer_list<Operand> candidates) {
  return Condition::Make({internal::InOf{std::move(subject), std::vector<Operand>(candidates)}});
}
Condition In(Operand subject, std::span<const Value> candidates) {
  return Condition::Make(
      {internal::InOf{std::move(subject), std::vector<Operand>(candidates.begin(), candidates.end())}});
}
Condition Exists(Path path) {
  return Condition::Make({internal::Call{internal::Function::kExists, std::move(path), std::nullopt}});
}
Condition NotExists(Path path) {
  return Condition::Make({internal::Call{internal::Function::kNotExists, std::move(path), std::nullopt}});
}
Condition AttributeType(Path path, Type type) {
  return Condition::Make({internal::TypeOf{std::move(path), type}});
}
Condition BeginsWith(Path path, Operand prefix) {
  return Condition::Make({internal::Call{internal::Function::kBeginsWith, std::move(path), std::move(prefix)}});
}
Condition Contains(Path path, Operand operand) {
  return Condition::Make({internal::Call{internal::Function::kContains, std::move(path), std::move(operand)}});
}

// ----------------------------------------------------------- KeyCondition

KeyCondition operator==(const Key& key, Value value) {
  return KeyCondition({key.name(), KeyCondition::Op::kEq, {std::move(value)}});
}
KeyCondition operator<(const Key& key, Value value) {
  return KeyCondition({key.name(), KeyCondition::Op::kLt, {std::move(value)}});
}
KeyCondition operator<=(const Key& key, Value value) {
  return KeyCondition({key.name(), KeyCondition::Op::kLe, {std::move(value)}});
}
KeyCondition operator>(const Key& key, Value value) {
  return KeyCondition({key.name(), KeyCondition::Op::kGt, {std::move(value)}});
}
KeyCondition operator>=(const Key& key, Value value) {
  return KeyCondition({key.name(), KeyCondition::Op::kGe, {std::move(value)}});
}
KeyCondition Key::Between(Value low, Value high) const {
  return KeyCondition({name_, KeyCondition::Op::kBetween, {std::move(low), std::move(high)}});
}
KeyCondition Key::BeginsWith(Value prefix) const {
  return KeyCondition({name_, KeyCondition::Op::kBeginsWith, {std::move(prefix)}});
}

KeyCondition operator&&(KeyCondition a, KeyCondition b) {
  for (auto& part : b.parts_) a.parts_.push_back(std::move(part));
  return a;
}

// ----------------------------------------------------------------- Update

Update& Update::Set(Path path, Operand value) {
  actions_.push_back({Kind::kSet, std::move(path), std::move(value)});
  return *this;
}
Update& Update::SetIfNotExists(Path path, Operand value) {
  Operand fallback = IfNotExists(path, std::move(value));
  return Set(std::move(path), std::move(fallback));
}
Update& Update::Append(Path path, List items) {
  Operand merged = ListAppend(IfNotExists(path, List{}), std::move(items));
  return Set(std::move(path), std::move(merged));
}
Update& Update::Prepend(Path path, List items) {
  Operand merged = ListAppend(std::move(items), IfNotExists(path, List{}));
  return Set(std::move(path), std::move(merged));
}
Update& Update::Remove(Path path) {
  actions_.push_back({Kind::kRemove, std::move(path), std::nullopt});
  return *this;
}
Update& Update::Add(Path path, Value value) {
  actions_.push_back({Kind::kAdd, std::move(path), Operand(std::move(value))});
  return *this;
}
Update& Update::Delete(Path path, Value set) {
  actions_.push_back({Kind::kDelete, std::move(path), Operand(std::move(set))});
  return *this;
}

}  // namespace moe::expr
