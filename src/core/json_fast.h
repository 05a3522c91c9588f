// The fast reader: simdjson's DOM (docs/json.md), for the bodies that carry
// many items (Query, Scan, GetItem and BatchGetItem responses).
//
// It only ever answers for input it fully understands; anything else (invalid
// JSON, a wrong type, a duplicate member, an attribute value the strict
// reader would reject) makes it return false/null, and the caller parses the
// same bytes again with the strict reader (core/json_reader.h), which decides
// and words the error. So the fast reader accepts exactly what the strict
// reader accepts, with the same result, and never produces an error itself.
// simdjson validates all of the input (UTF-8, strings, numbers, structure;
// unpaired surrogate escapes are errors) before anything is converted.
//
// Thread safety: each thread parses with its own parser; an Element is valid
// until the same thread's next Parse.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "moe/value.h"

namespace moe::internal::fast {

using Element = simdjson::dom::element;
using Object = simdjson::dom::object;

// The root of `json`, or null when simdjson rejects it. `json` needs no
// padding: it is copied into the parser's padded buffer.
std::optional<Element> Parse(std::string_view json);

// DynamoDB JSON {"name": {"S": "x"}, ...} -> Map, with the strict reader's
// depth rule; false means "ask the strict reader" (`out` is then partly
// filled). AttributeValue's `out` must hold a default-constructed Value.
bool AttributeMap(Object obj, int depth, Map* out);
bool AttributeValue(Element json, int depth, Value* out);

// A JSON null counts as absent, as in the strict model readers.
inline bool IsNull(Element e) { return e.type() == simdjson::dom::element_type::NULL_VALUE; }
// The strict readers' integer (an int64, or a double with an integral value).
bool Integer(Element e, int64_t* out);
bool Double(Element e, double* out);
bool String(Element e, std::string_view* out);

}  // namespace moe::internal::fast
