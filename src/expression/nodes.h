// The immutable trees behind Operand and Condition (private to the module).
#pragma once

#include <variant>
#include <vector>

#include "moe/expression.h"

namespace moe::expr::internal {

struct SizeOf {
  Path path;
};
struct IfNotExistsOf {
  Path path;
  Operand fallback;
};
struct ListAppendOf {
  Operand first;
  Operand second;
};
struct Arithmetic {
  char op;  // '+' or '-'
  Operand a;
  Operand b;
};

struct OperandNode {
  std::variant<Path, Value, SizeOf, IfNotExistsOf, ListAppendOf, Arithmetic> v;
};

enum class Comparator : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Compare {
  Comparator op;
  Operand a;
  Operand b;
};
struct BetweenOf {
  Operand subject;
  Operand low;
  Operand high;
};
struct InOf {
  Operand subject;
  std::vector<Operand> candidates;
};
enum class Function : uint8_t { kExists, kNotExists, kBeginsWith, kContains };
struct Call {
  Function function;
  Path path;
  std::optional<Operand> argument;  // begins_with, contains
};
struct TypeOf {
  Path path;
  Type type;
};
struct AndOf {
  Condition a;
  Condition b;
};
struct OrOf {
  Condition a;
  Condition b;
};
struct NotOf {
  Condition c;
};

struct ConditionNode {
  std::variant<Compare, BetweenOf, InOf, Call, TypeOf, AndOf, OrOf, NotOf> v;
};

}  // namespace moe::expr::internal
