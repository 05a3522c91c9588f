#include "core/json_fast.h"

#include <cmath>
#include <memory>
#include <tuple>
#include <utility>

#include "core/json_reader.h"  // kMaxDepth
#include "moe/json.h"          // Base64Decode

namespace moe::internal::fast {
namespace {

using simdjson::dom::element_type;

// Bodies up to this size reuse the thread's parser and its buffers; larger
// ones get a parser of their own, so a thread does not keep a huge one.
constexpr size_t kReusedParserLimit = 4 << 20;

simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

thread_local std::unique_ptr<simdjson::dom::parser> large_parser;

// Builds the value where it will live: `out` holds a default (NULL) Value,
// which has nothing to release, so no temporary is moved in.
template <typename... Args>
void Emplace(Value* out, Args&&... args) {
  std::destroy_at(out);
  std::construct_at(out, std::forward<Args>(args)...);
}

bool Bytes(Element e, moe::Bytes* out) {
  std::string_view text;
  if (e.get_string().get(text) != simdjson::SUCCESS) return false;
  Result<std::string> raw = Base64Decode(text);
  if (!raw) return false;
  out->data = std::move(raw).value();
  return true;
}

bool NumberFrom(Element e, Number* out) {
  std::string_view text;
  if (e.get_string().get(text) != simdjson::SUCCESS) return false;
  Result<Number> n = Number::Parse(text);
  if (!n) return false;
  *out = std::move(n).value();
  return true;
}

// SS, NS, BS: a non-empty array of distinct members.
template <typename Set, typename Convert>
bool SetFrom(Element e, Value* out, Convert convert) {
  simdjson::dom::array array;
  if (e.get_array().get(array) != simdjson::SUCCESS || array.size() == 0) return false;
  Set set;
  for (Element member : array) {
    typename Set::value_type v;
    if (!convert(member, &v) || !set.insert(std::move(v)).second) return false;
  }
  *out = Value(std::move(set));
  return true;
}

}  // namespace

std::optional<Element> Parse(std::string_view json) {
  simdjson::dom::parser* parser = &ThreadParser();
  large_parser.reset();
  if (json.size() > kReusedParserLimit) {
    large_parser = std::make_unique<simdjson::dom::parser>();
    parser = large_parser.get();
  }
  Element root;
  // realloc_if_needed: the bytes are copied into the parser's padded buffer.
  if (parser->parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return root;
}

bool String(Element e, std::string_view* out) {
  return e.get_string().get(*out) == simdjson::SUCCESS;
}

bool Integer(Element e, int64_t* out) {
  switch (e.type()) {
    case element_type::INT64:
      return e.get_int64().get(*out) == simdjson::SUCCESS;
    case element_type::DOUBLE: {
      double d = 0;
      if (e.get_double().get(d) != simdjson::SUCCESS) return false;
      if (std::trunc(d) != d || std::fabs(d) >= 9.2e18) return false;
      *out = static_cast<int64_t>(d);
      return true;
    }
    default:
      return false;
  }
}

bool Double(Element e, double* out) { return e.get_double().get(*out) == simdjson::SUCCESS; }

bool AttributeValue(Element json, int depth, Value* out) {
  if (depth > kMaxDepth) return false;
  Object obj;
  if (json.get_object().get(obj) != simdjson::SUCCESS || obj.size() != 1) return false;
  auto member = obj.begin();
  std::string_view tag = member.key();
  Element v = member.value();
  switch (tag.size()) {
    case 1:
      switch (tag[0]) {
        case 'S': {
          std::string_view s;
          if (!String(v, &s)) return false;
          Emplace(out, s);
          return true;
        }
        case 'N': {
          std::string_view text;
          if (!String(v, &text)) return false;
          Result<Number> n = Number::Parse(text);
          if (!n) return false;
          Emplace(out, std::move(*n));
          return true;
        }
        case 'B': {
          moe::Bytes b;
          if (!Bytes(v, &b)) return false;
          *out = Value(std::move(b));
          return true;
        }
        case 'L': {
          simdjson::dom::array array;
          if (v.get_array().get(array) != simdjson::SUCCESS) return false;
          Emplace(out, List{});
          List& list = out->l();
          list.reserve(array.size());
          for (Element e : array) {
            if (!AttributeValue(e, depth + 1, &list.emplace_back())) return false;
          }
          return true;
        }
        case 'M': {
          Object m;
          if (v.get_object().get(m) != simdjson::SUCCESS) return false;
          Emplace(out, Map{});
          return AttributeMap(m, depth + 1, &out->m());
        }
      }
      return false;
    case 2:
      if (tag == "SS") {
        return SetFrom<StringSet>(v, out, [](Element e, std::string* s) {
          std::string_view view;
          if (!String(e, &view)) return false;
          s->assign(view);
          return true;
        });
      }
      if (tag == "NS") return SetFrom<NumberSet>(v, out, NumberFrom);
      if (tag == "BS") return SetFrom<BinarySet>(v, out, Bytes);
      return false;
    case 4: {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS) return false;
      if (tag == "BOOL") {
        *out = Value(b);
        return true;
      }
      if (tag == "NULL" && b) {
        *out = Value(nullptr);
        return true;
      }
      return false;
    }
  }
  return false;
}

bool AttributeMap(Object obj, int depth, Map* out) {
  if (depth > kMaxDepth) return false;
  for (auto [name, json] : obj) {
    // moe and DynamoDB write the names of a map in order, so the hint makes
    // each insert O(1); the value is built in its node. A repeated name is
    // left to the strict reader (which keeps the last value).
    size_t size = out->size();
    auto it = out->emplace_hint(out->end(), std::piecewise_construct, std::forward_as_tuple(name),
                                std::forward_as_tuple());
    if (out->size() == size || !AttributeValue(json, depth, &it->second)) return false;
  }
  return true;
}

}  // namespace moe::internal::fast
