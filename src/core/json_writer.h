// JsonWriter: appends compact JSON to a string. Used by every serializer in
// moe (codec, protocol model, engine responses); no DOM, no allocation beyond
// the output string.
//
// The writer tracks commas itself; callers emit keys and values in order:
//   JsonWriter w(&out);
//   w.BeginObject(); w.Key("TableName"); w.String(name); w.EndObject();
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "moe/value.h"

namespace moe::internal {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject() {
    Separate();
    out_->push_back('{');
    first_ = true;
  }
  void EndObject() {
    out_->push_back('}');
    first_ = false;
  }
  void BeginArray() {
    Separate();
    out_->push_back('[');
    first_ = true;
  }
  void EndArray() {
    out_->push_back(']');
    first_ = false;
  }
  void Key(std::string_view key) {
    Separate();
    AppendQuoted(key);
    out_->push_back(':');
    first_ = true;  // the value that follows takes no comma
  }
  void String(std::string_view s) {
    Separate();
    AppendQuoted(s);
  }
  void Int(int64_t v);
  void Uint(uint64_t v);
  void Double(double v);
  void Bool(bool v) {
    Separate();
    out_->append(v ? "true" : "false");
  }
  void Null() {
    Separate();
    out_->append("null");
  }
  // Writes already-serialized JSON (a number's text, a nested document).
  void Raw(std::string_view json) {
    Separate();
    out_->append(json);
  }

  // A DynamoDB-JSON attribute value and a map of them.
  void AttributeValue(const Value& v);
  void AttributeMap(const Map& m);
  // Plain JSON form of a value (see json.h).
  void PlainValue(const Value& v);

  std::string* out() { return out_; }

 private:
  void Separate() {
    if (!first_) out_->push_back(',');
    first_ = false;
  }
  void AppendQuoted(std::string_view s);
  // The slow path of AppendQuoted: s[first_escape] is the first byte to escape.
  void AppendEscaped(std::string_view s, size_t first_escape);

  std::string* out_;
  bool first_ = true;
};

}  // namespace moe::internal
