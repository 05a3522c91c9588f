#include "moe/json.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>
#include <vector>

#include "core/json_fast.h"
#include "core/json_reader.h"
#include "core/json_writer.h"

namespace moe {
namespace internal {

// ---------------------------------------------------------------- writing

namespace {

// The length of the prefix of `s` that needs no escaping: no control byte,
// '"' or '\\'. Sixteen bytes per step with SSE2 (every x86-64 has it); the
// profile of a 1000-item Query showed the byte loop as 45% of its CPU.
size_t CleanPrefix(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  // Bytes below 0x20: signed compare after flipping the sign bit, so that
  // bytes >= 0x80 (UTF-8) count as large.
  const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i limit = _mm_set1_epi8(static_cast<char>(0x20 ^ 0x80));
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                               _mm_cmplt_epi8(_mm_xor_si128(v, flip), limit));
    int mask = _mm_movemask_epi8(bad);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') break;
  }
  return i;
}

}  // namespace

void JsonWriter::AppendQuoted(std::string_view s) {
  size_t clean = CleanPrefix(s);
  if (clean == s.size()) {
    // Nothing to escape (the usual case): one copy, no per-byte appends.
    size_t at = out_->size();
    size_t size = at + s.size() + 2;
    // g++ 12's resize_and_overwrite may pass the grown capacity, not `size`.
    out_->resize_and_overwrite(size, [&](char* p, size_t) {
      p[at] = '"';
      std::memcpy(p + at + 1, s.data(), s.size());
      p[size - 1] = '"';
      return size;
    });
    return;
  }
  AppendEscaped(s, clean);
}

void JsonWriter::AppendEscaped(std::string_view s, size_t first_escape) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string& out = *out_;
  out.reserve(out.size() + s.size() + 8);
  out.push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (size_t i = first_escape; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void JsonWriter::Int(int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  Raw(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void JsonWriter::Uint(uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  Raw(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void JsonWriter::Double(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  Raw(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void JsonWriter::AttributeValue(const Value& v) {
  // The scalar types most items consist of, in two appends and the string.
  if (v.is(Type::kS) || v.is(Type::kN)) {
    Separate();
    out_->append(v.is(Type::kS) ? std::string_view(R"({"S":)") : std::string_view(R"({"N":)"));
    AppendQuoted(v.is(Type::kS) ? std::string_view(v.s()) : std::string_view(v.n().text()));
    out_->push_back('}');
    return;
  }
  BeginObject();
  Key(TypeTag(v.type()));
  switch (v.type()) {
    case Type::kS:
    case Type::kN:
      break;  // above
    case Type::kB:
      String(Base64Encode(v.b().data));
      break;
    case Type::kBool:
      Bool(v.boolean());
      break;
    case Type::kNull:
      Bool(true);
      break;
    case Type::kL:
      BeginArray();
      for (const Value& e : v.l()) AttributeValue(e);
      EndArray();
      break;
    case Type::kM:
      AttributeMap(v.m());
      break;
    case Type::kSS:
      BeginArray();
      for (const std::string& s : v.ss()) String(s);
      EndArray();
      break;
    case Type::kNS:
      BeginArray();
      for (const Number& n : v.ns()) String(n.text());
      EndArray();
      break;
    case Type::kBS:
      BeginArray();
      for (const Bytes& b : v.bs()) String(Base64Encode(b.data));
      EndArray();
      break;
  }
  EndObject();
}

void JsonWriter::AttributeMap(const Map& m) {
  BeginObject();
  for (const auto& [name, v] : m) {
    Key(name);
    AttributeValue(v);
  }
  EndObject();
}

void JsonWriter::PlainValue(const Value& v) {
  switch (v.type()) {
    case Type::kS:
      String(v.s());
      break;
    case Type::kN:
      Raw(v.n().text());
      break;
    case Type::kB:
      String(Base64Encode(v.b().data));
      break;
    case Type::kBool:
      Bool(v.boolean());
      break;
    case Type::kNull:
      Null();
      break;
    case Type::kL:
      BeginArray();
      for (const Value& e : v.l()) PlainValue(e);
      EndArray();
      break;
    case Type::kM:
      BeginObject();
      for (const auto& [name, e] : v.m()) {
        Key(name);
        PlainValue(e);
      }
      EndObject();
      break;
    case Type::kSS:
      BeginArray();
      for (const std::string& s : v.ss()) String(s);
      EndArray();
      break;
    case Type::kNS:
      BeginArray();
      for (const Number& n : v.ns()) Raw(n.text());
      EndArray();
      break;
    case Type::kBS:
      BeginArray();
      for (const Bytes& b : v.bs()) String(Base64Encode(b.data));
      EndArray();
      break;
  }
}

// ---------------------------------------------------------------- reading

namespace {

// kParseValidateEncodingFlag checks the raw bytes, but rapidjson 1.1.0 turns
// an escaped lone low surrogate ("\udc00") into the three bytes of a
// surrogate code point (ED B0 80), which are not UTF-8: such a string could
// be stored and then never written back as valid JSON. Surrogates are the
// only code points whose UTF-8 form starts ED A0..ED BF.
bool HasSurrogate(std::string_view s) {
  for (size_t i = s.find('\xED'); i != std::string_view::npos && i + 1 < s.size();
       i = s.find('\xED', i + 1)) {
    if (static_cast<unsigned char>(s[i + 1]) >= 0xA0) return true;
  }
  return false;
}

// Whether any string or member name in `root` holds a surrogate; iterative,
// as documents may nest arbitrarily deep here.
bool HasSurrogate(const JsonValue& root) {
  std::vector<const JsonValue*> pending{&root};
  while (!pending.empty()) {
    const JsonValue& v = *pending.back();
    pending.pop_back();
    if (v.IsString()) {
      if (HasSurrogate(View(v))) return true;
    } else if (v.IsArray()) {
      for (const JsonValue& e : v.GetArray()) pending.push_back(&e);
    } else if (v.IsObject()) {
      for (const auto& m : v.GetObject()) {
        if (HasSurrogate(View(m.name))) return true;
        pending.push_back(&m.value);
      }
    }
  }
  return false;
}

Error InvalidEncoding() {
  return Error(ErrorCode::kSerialization,
               "Invalid JSON: Invalid encoding in string (unpaired surrogate escape).");
}

}  // namespace

namespace {

struct Scratch {
  static constexpr size_t kBytes = 32 * 1024;
  alignas(16) char buffer[kBytes];
  bool busy = false;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

ScratchDocument::Pool* ScratchDocument::ClaimScratch() {
  Scratch& scratch = ThreadScratch();
  if (scratch.busy) return nullptr;
  scratch.busy = true;
  return &pool_.emplace(scratch.buffer, Scratch::kBytes);
}

ScratchDocument::~ScratchDocument() {
  if (pool_) ThreadScratch().busy = false;
}

Status ParseJson(std::string_view json, JsonDocument* doc) {
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  doc->Parse<kFlags>(json.data(), json.size());
  if (doc->HasParseError()) {
    return Error(ErrorCode::kSerialization,
                 std::string("Invalid JSON: ") + rapidjson::GetParseError_En(doc->GetParseError()) +
                     " at offset " + std::to_string(doc->GetErrorOffset()));
  }
  if (HasSurrogate(*doc)) return InvalidEncoding();
  return Ok();
}

namespace {

Error TooDeep() {
  return Error::Validation(
      "Nesting Levels have exceeded supported limits: Attribute value nesting level exceeded 32");
}

Result<Number> NumberFrom(const JsonValue& v) {
  if (!v.IsString()) return Error::Validation("Invalid attribute value: N must be a string");
  return Number::Parse(View(v));
}

Result<Bytes> BytesFrom(const JsonValue& v) {
  if (!v.IsString()) return Error::Validation("Invalid attribute value: B must be a base64 string");
  MOE_TRY(std::string raw, Base64Decode(View(v)));
  return Bytes(std::move(raw));
}

template <typename Set, typename Convert>
Result<Value> SetFrom(const JsonValue& v, std::string_view tag, Convert convert) {
  if (!v.IsArray())
    return Error::Validation(std::string("Invalid attribute value: ") + std::string(tag) +
                             " must be an array");
  if (v.Empty()) {
    std::string_view kind = tag == "SS" ? "string" : tag == "NS" ? "number" : "binary";
    return Error::Validation("One or more parameter values were invalid: An " + std::string(kind) +
                             " set  may not be empty");
  }
  Set set;
  for (const JsonValue& e : v.GetArray()) {
    MOE_TRY(auto member, convert(e));
    if (!set.insert(std::move(member)).second) {
      return Error::Validation("One or more parameter values were invalid: Input collection " +
                               std::string(tag) + " contains duplicates.");
    }
  }
  return Value(std::move(set));
}

}  // namespace

Result<Value> AttributeValueFromJson(const JsonValue& json, int depth) {
  if (depth > kMaxDepth) return TooDeep();
  if (!json.IsObject() || json.MemberCount() != 1) {
    return Error::Validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes");
  }
  const auto& member = *json.MemberBegin();
  std::string_view tag = View(member.name);
  const JsonValue& v = member.value;
  if (tag == "S") {
    if (!v.IsString()) return Error::Validation("Invalid attribute value: S must be a string");
    return Value(std::string(View(v)));
  }
  if (tag == "N") {
    MOE_TRY(Number n, NumberFrom(v));
    return Value(std::move(n));
  }
  if (tag == "B") {
    MOE_TRY(Bytes b, BytesFrom(v));
    return Value(std::move(b));
  }
  if (tag == "BOOL") {
    if (!v.IsBool()) return Error::Validation("Invalid attribute value: BOOL must be a boolean");
    return Value(v.GetBool());
  }
  if (tag == "NULL") {
    if (!v.IsBool() || !v.GetBool()) {
      return Error::Validation(
          "One or more parameter values were invalid: Null attribute value types must have the "
          "value of true");
    }
    return Value(nullptr);
  }
  if (tag == "L") {
    if (!v.IsArray()) return Error::Validation("Invalid attribute value: L must be an array");
    List list;
    list.reserve(v.Size());
    for (const JsonValue& e : v.GetArray()) {
      MOE_TRY(Value item, AttributeValueFromJson(e, depth + 1));
      list.push_back(std::move(item));
    }
    return Value(std::move(list));
  }
  if (tag == "M") {
    MOE_TRY(Map m, AttributeMapFromJson(v, depth + 1));
    return Value(std::move(m));
  }
  if (tag == "SS") {
    return SetFrom<StringSet>(v, tag, [](const JsonValue& e) -> Result<std::string> {
      if (!e.IsString())
        return Error::Validation("Invalid attribute value: SS members must be strings");
      return std::string(View(e));
    });
  }
  if (tag == "NS") return SetFrom<NumberSet>(v, tag, NumberFrom);
  if (tag == "BS") return SetFrom<BinarySet>(v, tag, BytesFrom);
  return Error::Validation("Supplied AttributeValue has an unknown datatype: " + std::string(tag));
}

Result<Map> AttributeMapFromJson(const JsonValue& json, int depth) {
  if (depth > kMaxDepth) return TooDeep();
  if (!json.IsObject()) return Error::Validation("Expected a map of attribute values");
  Map m;
  for (const auto& member : json.GetObject()) {
    MOE_TRY(Value v, AttributeValueFromJson(member.value, depth));
    std::string_view name = View(member.name);
    // moe and DynamoDB write the names of a map in order: append in O(1).
    if (m.empty() || m.rbegin()->first < name) {
      m.emplace_hint(m.end(), name, std::move(v));
    } else {
      m.insert_or_assign(std::string(name), std::move(v));
    }
  }
  return m;
}

}  // namespace internal

using internal::JsonDocument;
using internal::JsonWriter;

std::string ToDynamoJson(const Item& item) {
  std::string out;
  JsonWriter(&out).AttributeMap(item);
  return out;
}

std::string ToDynamoJson(const Value& value) {
  std::string out;
  JsonWriter(&out).AttributeValue(value);
  return out;
}

// The fast reader answers for the input it fully understands; the strict
// reader decides the rest (core/json_fast.h).
Result<Item> ParseDynamoJson(std::string_view json) {
  if (std::optional<internal::fast::Element> root = internal::fast::Parse(json)) {
    internal::fast::Object obj;
    Item item;
    if (root->get_object().get(obj) == simdjson::SUCCESS &&
        internal::fast::AttributeMap(obj, 0, &item)) {
      return item;
    }
  }
  internal::ScratchDocument scratch;
  JsonDocument& doc = scratch.doc();
  MOE_TRY_STATUS(internal::ParseJson(json, &doc));
  return internal::AttributeMapFromJson(doc);
}

Result<Value> ParseDynamoJsonValue(std::string_view json) {
  if (std::optional<internal::fast::Element> root = internal::fast::Parse(json)) {
    Value value;
    if (internal::fast::AttributeValue(*root, 0, &value)) return value;
  }
  internal::ScratchDocument scratch;
  JsonDocument& doc = scratch.doc();
  MOE_TRY_STATUS(internal::ParseJson(json, &doc));
  return internal::AttributeValueFromJson(doc);
}

namespace {

// SAX handler that builds a Value from plain JSON. Numbers arrive as raw text
// (kParseNumbersAsStringsFlag), so they become exact N values.
class PlainJsonBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, PlainJsonBuilder> {
 public:
  bool Null() { return Add(Value(nullptr)); }
  bool Bool(bool b) { return Add(Value(b)); }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    auto n = Number::Parse(std::string_view(s, len));
    if (!n) {
      error_ = std::move(n).error();
      return false;
    }
    return Add(Value(std::move(n).value()));
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    if (internal::HasSurrogate(std::string_view(s, len))) return Fail(internal::InvalidEncoding());
    return Add(Value(std::string(s, len)));
  }
  bool StartObject() { return Push(Value(Map{})); }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (internal::HasSurrogate(std::string_view(s, len))) return Fail(internal::InvalidEncoding());
    stack_.back().key.assign(s, len);
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return Pop(); }
  bool StartArray() { return Push(Value(List{})); }
  bool EndArray(rapidjson::SizeType) { return Pop(); }

  Value& root() { return root_; }
  std::optional<Error>& error() { return error_; }

 private:
  struct Frame {
    Value container;
    std::string key;
  };

  bool Fail(Error e) {
    error_ = std::move(e);
    return false;
  }
  bool Add(Value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return true;
    }
    Frame& top = stack_.back();
    if (top.container.type() == Type::kL) {
      top.container.l().push_back(std::move(v));
    } else {
      top.container.m().insert_or_assign(std::move(top.key), std::move(v));
    }
    return true;
  }
  bool Push(Value container) {
    if (static_cast<int>(stack_.size()) > internal::kMaxDepth) {
      error_ = Error::Validation(
          "Nesting Levels have exceeded supported limits: document nesting level exceeded 32");
      return false;
    }
    stack_.push_back(Frame{std::move(container), {}});
    return true;
  }
  bool Pop() {
    Value done = std::move(stack_.back().container);
    stack_.pop_back();
    return Add(std::move(done));
  }

  std::vector<Frame> stack_;
  Value root_;
  std::optional<Error> error_;
};

}  // namespace

Result<Item> ItemFromPlainJson(std::string_view json) {
  PlainJsonBuilder builder;
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(json.data(), json.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                              rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::ParseResult ok = reader.Parse<kFlags>(in, builder);
  if (builder.error()) return std::move(*builder.error());
  if (!ok) {
    return Error(ErrorCode::kSerialization, std::string("Invalid JSON: ") +
                                                rapidjson::GetParseError_En(ok.Code()) +
                                                " at offset " + std::to_string(ok.Offset()));
  }
  if (builder.root().type() != Type::kM)
    return Error::Validation("Expected a JSON object for an item");
  return std::move(builder.root().m());
}

std::string ItemToPlainJson(const Item& item) { return ValueToPlainJson(Value(item)); }

std::string ValueToPlainJson(const Value& value) {
  std::string out;
  JsonWriter(&out).PlainValue(value);
  return out;
}

// ---------------------------------------------------------------- base64

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t n = byte(i) << 16;
    if (rest == 2) n |= byte(i + 1) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  auto decode = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0)
    return Error::Validation("Invalid Base64 value: length is not a multiple of 4");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + static_cast<size_t>(k)];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0 || (v[k] = decode(c)) < 0) return Error::Validation("Invalid Base64 value");
      }
    }
    uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                 (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

}  // namespace moe
