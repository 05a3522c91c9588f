// The DynamoDB-JSON codec ({"S":"x"}, {"N":"1"}, {"B":"base64"} ...) and the
// conversion between items and plain JSON documents.
//
//   std::string wire = moe::ToDynamoJson(item);          // {"pk":{"S":"a"}}
//   moe::Result<moe::Item> back = moe::ParseDynamoJson(wire);
//   moe::Result<moe::Item> doc = moe::ItemFromPlainJson(R"({"pk":"a","n":1.50})");
//   std::string plain = moe::ItemToPlainJson(*doc);      // {"n":1.50,"pk":"a"}
//
// Plain JSON numbers become N exactly as written (never through double);
// arrays become L, objects M. In the other direction sets become arrays and
// binary a base64 string, so plain JSON does not round-trip B/SS/NS/BS.
// Thread safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>

#include "moe/result.h"
#include "moe/value.h"

namespace moe {

// Serializes an item (a map of attribute values) as DynamoDB JSON.
std::string ToDynamoJson(const Item& item);
// Serializes one attribute value: {"S":"x"}.
std::string ToDynamoJson(const Value& value);

// Parses DynamoDB JSON for an item or one value. Errors: kValidation with a
// message naming what is wrong (bad JSON, unknown type tag, bad number,
// bad base64, empty or duplicate set members, nesting deeper than 32 levels).
Result<Item> ParseDynamoJson(std::string_view json);
Result<Value> ParseDynamoJsonValue(std::string_view json);

// Plain JSON object <-> item. Errors: kValidation (not a JSON object, bad JSON,
// numbers out of DynamoDB's range).
Result<Item> ItemFromPlainJson(std::string_view json);
std::string ItemToPlainJson(const Item& item);
std::string ValueToPlainJson(const Value& value);

// Standard base64 (RFC 4648, with padding). Decode errors: kValidation.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace moe
