#include "partitioning/key_condition.h"

#include <cctype>
#include <vector>

namespace moe::partitioning::internal {
namespace {

bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '#' || c == ':' ||
         c == '.' || c == '-';
}

// Splits into name-like tokens and single punctuation characters; spaces drop.
std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (NameChar(s[i])) {
      size_t j = i;
      while (j < s.size() && NameChar(s[j])) ++j;
      out.push_back(s.substr(i, j - i));
      i = j;
    } else {
      out.push_back(s.substr(i, 1));
      ++i;
    }
  }
  return out;
}

bool IsHashKey(std::string_view token, const ExpressionNames& names, std::string_view hash_key) {
  if (!token.empty() && token[0] == '#') {
    auto it = names.find(token);
    return it != names.end() && it->second == hash_key;
  }
  return token == hash_key;
}

}  // namespace

std::optional<std::string> HashKeyPlaceholder(std::string_view expression,
                                              const ExpressionNames& names,
                                              std::string_view hash_key) {
  std::vector<std::string_view> t = Tokens(expression);
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    if (t[i] != "=") continue;
    // "<=" and ">=" arrive as two tokens; a lone "=" has no '<' '>' '!' before it.
    if (t[i - 1] == "<" || t[i - 1] == ">") continue;
    if (IsHashKey(t[i - 1], names, hash_key) && t[i + 1].starts_with(':')) {
      return std::string(t[i + 1]);
    }
    if (IsHashKey(t[i + 1], names, hash_key) && t[i - 1].starts_with(':')) {
      return std::string(t[i - 1]);
    }
  }
  return std::nullopt;
}

}  // namespace moe::partitioning::internal
