// Tokenizer shared by every expression parser. Splits the whole expression
// up front (linear, no backtracking); characters that can start no token
// become kInvalid tokens so that the parser reports them as DynamoDB does:
// `Syntax error; token: "<tok>", near: "<prev tok next>"`.
//
// Thread safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace moe::ddbexpr {

enum class TokenKind : uint8_t {
  kName,              // [A-Za-z][A-Za-z0-9_]*  (also keywords and function names)
  kNumber,            // [0-9]+                 (list indexes)
  kNamePlaceholder,   // #[A-Za-z0-9_]+
  kValuePlaceholder,  // :[A-Za-z0-9_]+
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kEq,
  kNe,  // <>
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kInvalid,  // anything else: a stray character, a word starting with '_' ...
  kEof,
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  uint32_t offset = 0;  // byte offset in the expression
  uint32_t length = 0;
};

// Tokens of `source`, always ending with one kEof token. Whitespace
// (space, tab, CR, LF) separates tokens and is otherwise dropped.
std::vector<Token> Tokenize(std::string_view source);

// The text of `tokens[i]` ("<EOF>" for the end).
std::string_view TokenText(std::string_view source, const Token& token);

// DynamoDB's "near" context for a syntax error at tokens[i]: the source from
// the start of the previous token to the end of the next one.
std::string_view NearContext(std::string_view source, const std::vector<Token>& tokens, size_t i);

// Case-insensitive keyword test for a kName token ("and", "AND", "And").
bool IsKeyword(std::string_view text, std::string_view upper_keyword);

}  // namespace moe::ddbexpr
