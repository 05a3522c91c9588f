#include "ddbexpr/lexer.h"

namespace moe::ddbexpr {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '_'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Bytes in the UTF-8 sequence led by `c` (1 for ASCII and stray bytes), so a
// non-ASCII character is reported whole.
size_t Utf8Length(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF7) return 4;
  if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
  if (c >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view source) {
  std::vector<Token> tokens;
  tokens.reserve(source.size() / 2 + 1);
  const size_t n = source.size();
  size_t i = 0;
  auto push = [&](TokenKind kind, size_t start, size_t end) {
    tokens.push_back({kind, static_cast<uint32_t>(start), static_cast<uint32_t>(end - start)});
  };
  while (i < n) {
    const char c = source[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    const size_t start = i;
    if (IsWordChar(c)) {
      while (i < n && IsWordChar(source[i])) ++i;
      bool all_digits = true;
      for (size_t k = start; k < i; ++k) all_digits = all_digits && IsDigit(source[k]);
      if (all_digits) {
        push(TokenKind::kNumber, start, i);
      } else {
        push(IsAlpha(c) ? TokenKind::kName : TokenKind::kInvalid, start, i);
      }
      continue;
    }
    if (c == '#' || c == ':') {
      ++i;
      while (i < n && IsWordChar(source[i])) ++i;
      TokenKind kind = c == '#' ? TokenKind::kNamePlaceholder : TokenKind::kValuePlaceholder;
      push(i - start > 1 ? kind : TokenKind::kInvalid, start, i);
      continue;
    }
    TokenKind kind = TokenKind::kInvalid;
    size_t len = 1;
    const char next = i + 1 < n ? source[i + 1] : '\0';
    switch (c) {
      case '(': kind = TokenKind::kLParen; break;
      case ')': kind = TokenKind::kRParen; break;
      case '[': kind = TokenKind::kLBracket; break;
      case ']': kind = TokenKind::kRBracket; break;
      case ',': kind = TokenKind::kComma; break;
      case '.': kind = TokenKind::kDot; break;
      case '=': kind = TokenKind::kEq; break;
      case '+': kind = TokenKind::kPlus; break;
      case '-': kind = TokenKind::kMinus; break;
      case '<':
        if (next == '>') {
          kind = TokenKind::kNe;
          len = 2;
        } else if (next == '=') {
          kind = TokenKind::kLe;
          len = 2;
        } else {
          kind = TokenKind::kLt;
        }
        break;
      case '>':
        if (next == '=') {
          kind = TokenKind::kGe;
          len = 2;
        } else {
          kind = TokenKind::kGt;
        }
        break;
      default:
        len = Utf8Length(static_cast<unsigned char>(c));
        if (i + len > n) len = n - i;
        break;
    }
    i += len;
    push(kind, start, i);
  }
  push(TokenKind::kEof, n, n);
  return tokens;
}

std::string_view TokenText(std::string_view source, const Token& token) {
  if (token.kind == TokenKind::kEof) return "<EOF>";
  return source.substr(token.offset, token.length);
}

std::string_view NearContext(std::string_view source, const std::vector<Token>& tokens, size_t i) {
  const Token& cur = tokens[i];
  size_t begin = i > 0 ? tokens[i - 1].offset : cur.offset;
  size_t end = cur.offset + cur.length;
  if (cur.kind == TokenKind::kEof && i > 0) {
    end = tokens[i - 1].offset + tokens[i - 1].length;  // no trailing blanks
  } else if (cur.kind != TokenKind::kEof && i + 1 < tokens.size()) {
    const Token& next = tokens[i + 1];
    end = next.offset + next.length;
  }
  if (end < begin) end = begin;
  return source.substr(begin, end - begin);
}

bool IsKeyword(std::string_view text, std::string_view upper_keyword) {
  if (text.size() != upper_keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper_keyword[i]) return false;
  }
  return true;
}

}  // namespace moe::ddbexpr
