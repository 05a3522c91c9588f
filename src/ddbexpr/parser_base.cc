#include "ddbexpr/parser_base.h"

#include <limits>

#include "ddbexpr/parser.h"
#include "ddbexpr/reserved_words.h"
#include "moe/json.h"

namespace moe::ddbexpr {

std::string_view KindName(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kCondition: return "ConditionExpression";
    case ExpressionKind::kFilter: return "FilterExpression";
    case ExpressionKind::kKeyCondition: return "KeyConditionExpression";
    case ExpressionKind::kUpdate: return "UpdateExpression";
    case ExpressionKind::kProjection: return "ProjectionExpression";
  }
  return "Expression";
}

std::string AttributeValueText(const Value& v) {
  std::string text;
  switch (v.type()) {
    case Type::kS: text = v.s(); break;
    case Type::kN: text = v.n().text(); break;
    case Type::kB: text = Base64Encode(v.b().data); break;
    case Type::kBool: text = v.boolean() ? "true" : "false"; break;
    case Type::kNull: text = "true"; break;
    default: {
      // Containers: the value part of its DynamoDB JSON, {"L":[...]} -> [...].
      std::string json = ToDynamoJson(v);
      size_t colon = json.find(':');
      text = colon == std::string::npos ? json : json.substr(colon + 1, json.size() - colon - 2);
      break;
    }
  }
  return "{" + std::string(TypeTag(v.type())) + ":" + text + "}";
}

std::string_view UpdateTypeName(Type type) {
  switch (type) {
    case Type::kS: return "STRING";
    case Type::kN: return "NUMBER";
    case Type::kB: return "BINARY";
    case Type::kBool: return "BOOLEAN";
    case Type::kNull: return "NULL";
    case Type::kL: return "LIST";
    case Type::kM: return "MAP";
    case Type::kSS: return "STRING_SET";
    case Type::kNS: return "NUMBER_SET";
    case Type::kBS: return "BINARY_SET";
  }
  return "UNKNOWN";
}

ParserBase::ParserBase(std::string_view source, ExpressionKind kind, PlaceholderTracker& tracker)
    : source_(source), kind_(kind), tracker_(tracker) {}

Status ParserBase::CheckSource() const {
  if (source_.size() > kMaxExpressionBytes) {
    return Invalid("Expression size has exceeded the maximum allowed size");
  }
  for (char c : source_) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return Ok();
  }
  return Invalid("The expression can not be empty;");
}

TokenKind ParserBase::KindAt(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < tokens_.size() ? tokens_[i].kind : TokenKind::kEof;
}

bool ParserBase::Expect(TokenKind kind) {
  if (stopped()) return false;
  if (CurKind() != kind) {
    SyntaxError();
    return false;
  }
  Advance();
  return true;
}

void ParserBase::SyntaxError() {
  if (stopped()) return;
  std::string message = "Syntax error; token: \"";
  message += TokenText(source_, Cur());
  message += "\", near: \"";
  message += NearContext(source_, tokens_, pos_);
  message += "\"";
  stop_ = Invalid(message);
}

void ParserBase::DeferError(Defer category, std::string message) {
  auto& slot = deferred_[static_cast<size_t>(category)];
  if (!slot) slot = std::move(message);
}

bool ParserBase::Enter() {
  if (stopped()) return false;
  if (++depth_ > kMaxNestingDepth) {
    stop_ = Invalid("The expression is nested too deeply; maximum nesting depth: " +
                    std::to_string(kMaxNestingDepth));
    return false;
  }
  return true;
}

bool ParserBase::CountOperator() {
  if (stopped()) return false;
  if (++operators_ > kMaxOperators) {
    stop_ = Invalid("The expression contains too many operators; operator count: " +
                    std::to_string(operators_));
    return false;
  }
  return true;
}

bool ParserBase::ParsePathElementName(Path* path) {
  if (CurKind() == TokenKind::kName) {
    std::string_view name = CurText();
    if (IsReservedWord(name)) {
      DeferError(Defer::kReserved, "Attribute name is a reserved keyword; reserved keyword: " + std::string(name));
    }
    path->push_back(PathElement::Name(std::string(name)));
    Advance();
    return true;
  }
  if (CurKind() == TokenKind::kNamePlaceholder) {
    std::string_view placeholder = CurText();
    const std::string* name = tracker_.FindName(placeholder);
    if (name == nullptr) {
      DeferError(Defer::kPlaceholder,
            "An expression attribute name used in the document path is not defined; attribute name: " +
                std::string(placeholder));
    }
    path->push_back(PathElement::Name(name ? *name : std::string(placeholder), std::string(placeholder)));
    Advance();
    return true;
  }
  SyntaxError();
  return false;
}

bool ParserBase::ParsePath(Path* path) {
  if (!ParsePathElementName(path)) return false;
  while (true) {
    if (CurKind() == TokenKind::kDot) {
      Advance();
      if (!ParsePathElementName(path)) return false;
    } else if (CurKind() == TokenKind::kLBracket) {
      Advance();
      if (CurKind() != TokenKind::kNumber) {
        SyntaxError();
        return false;
      }
      // Saturates: an index past any list reads as missing and appends on SET.
      size_t index = 0;
      for (char c : CurText()) {
        size_t digit = static_cast<size_t>(c - '0');
        index = index > (std::numeric_limits<uint32_t>::max() - digit) / 10
                    ? std::numeric_limits<uint32_t>::max()
                    : index * 10 + digit;
      }
      Advance();
      if (!Expect(TokenKind::kRBracket)) return false;
      path->push_back(PathElement::Index(index));
    } else {
      return true;
    }
  }
}

bool ParserBase::ParseValuePlaceholder(Node* node) {
  if (CurKind() != TokenKind::kValuePlaceholder) {
    SyntaxError();
    return false;
  }
  std::string_view placeholder = CurText();
  node->kind = Node::Kind::kValue;
  node->placeholder = std::string(placeholder);
  if (const Value* v = tracker_.FindValue(placeholder)) {
    node->value = *v;
  } else {
    DeferError(Defer::kPlaceholder,
          "An expression attribute value used in expression is not defined; attribute value: " +
              std::string(placeholder));
  }
  Advance();
  return true;
}

void ParserBase::CheckOverlap(std::vector<Path>& seen, const Path& path) {
  for (const Path& other : seen) {
    size_t common = std::min(other.size(), path.size());
    bool diverged = false;
    for (size_t i = 0; i < common && !diverged; ++i) {
      if (other[i].is_index != path[i].is_index) {
        DeferError(Defer::kOverlap,
              "Two document paths conflict with each other; must remove or rewrite one of these paths; "
              "path one: " + PathToMessage(other) + ", path two: " + PathToMessage(path));
        diverged = true;
      } else if (!(other[i] == path[i])) {
        diverged = true;
      }
    }
    if (!diverged) {
      DeferError(Defer::kOverlap,
            "Two document paths overlap with each other; must remove or rewrite one of these paths; "
            "path one: " + PathToMessage(other) + ", path two: " + PathToMessage(path));
    }
  }
  seen.push_back(path);
}

Status ParserBase::Finish() const {
  if (stop_) return *stop_;
  for (const auto& message : deferred_) {
    if (message) return Invalid(*message);
  }
  return Ok();
}

Error ParserBase::Invalid(std::string_view message) const {
  std::string text = "Invalid ";
  text += KindName(kind_);
  text += ": ";
  text += message;
  return Error::Validation(std::move(text));
}

}  // namespace moe::ddbexpr

namespace moe::ddbexpr {

std::optional<Function> LookupFunction(std::string_view name) {
  static constexpr std::pair<std::string_view, Function> kFunctions[] = {
      {"attribute_exists", Function::kAttributeExists},
      {"attribute_not_exists", Function::kAttributeNotExists},
      {"attribute_type", Function::kAttributeType},
      {"begins_with", Function::kBeginsWith},
      {"contains", Function::kContains},
      {"size", Function::kSize},
      {"if_not_exists", Function::kIfNotExists},
      {"list_append", Function::kListAppend},
  };
  for (const auto& [fname, f] : kFunctions) {
    if (fname == name) return f;
  }
  return std::nullopt;
}

size_t FunctionArity(Function f) {
  switch (f) {
    case Function::kAttributeExists:
    case Function::kAttributeNotExists:
    case Function::kSize: return 1;
    default: return 2;
  }
}

bool IsConditionFunction(Function f) {
  switch (f) {
    case Function::kAttributeExists:
    case Function::kAttributeNotExists:
    case Function::kAttributeType:
    case Function::kBeginsWith:
    case Function::kContains: return true;
    default: return false;
  }
}

std::string_view FunctionName(Function f) {
  switch (f) {
    case Function::kAttributeExists: return "attribute_exists";
    case Function::kAttributeNotExists: return "attribute_not_exists";
    case Function::kAttributeType: return "attribute_type";
    case Function::kBeginsWith: return "begins_with";
    case Function::kContains: return "contains";
    case Function::kSize: return "size";
    case Function::kIfNotExists: return "if_not_exists";
    case Function::kListAppend: return "list_append";
    case Function::kPlus: return "+";
    case Function::kMinus: return "-";
  }
  return "?";
}

std::string_view ComparatorText(Comparator c) {
  switch (c) {
    case Comparator::kEq: return "=";
    case Comparator::kNe: return "<>";
    case Comparator::kLt: return "<";
    case Comparator::kLe: return "<=";
    case Comparator::kGt: return ">";
    case Comparator::kGe: return ">=";
  }
  return "?";
}

}  // namespace moe::ddbexpr
