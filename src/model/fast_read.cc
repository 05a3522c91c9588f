#include "model/fast_read.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/json_fast.h"

namespace moe::internal {
namespace {

using fast::Element;
using fast::Object;

// The strict readers take the first of repeated members; rather than mirror
// that, a repeated known member sends the body to the strict reader.
class Seen {
 public:
  // False when `bit` was seen before.
  bool First(int bit) {
    uint32_t mask = 1u << bit;
    if (seen_ & mask) return false;
    seen_ |= mask;
    return true;
  }

 private:
  uint32_t seen_ = 0;
};

// A root that is a JSON object, or null.
std::optional<Object> Root(std::string_view json) {
  std::optional<Element> root = fast::Parse(json);
  Object obj;
  if (!root || root->get_object().get(obj) != simdjson::SUCCESS) return std::nullopt;
  return obj;
}

bool Items(Element e, std::vector<Item>* out) {
  simdjson::dom::array array;
  if (e.get_array().get(array) != simdjson::SUCCESS) return false;
  out->reserve(out->size() + array.size());
  for (Element element : array) {
    Object obj;
    if (element.get_object().get(obj) != simdjson::SUCCESS) return false;
    if (!fast::AttributeMap(obj, 0, &out->emplace_back())) return false;
  }
  return true;
}

bool OptionalMap(Element e, std::optional<Map>* out) {
  if (fast::IsNull(e)) return true;
  Object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) return false;
  return fast::AttributeMap(obj, 0, &out->emplace());
}

// TableName and the three totals; Table and the per-index maps are left to
// the strict reader.
bool Capacity(Element e, ConsumedCapacity* out) {
  Object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) return false;
  Seen seen;
  for (auto [name, v] : obj) {
    if (name == "TableName") {
      std::string_view s;
      if (!seen.First(0)) return false;
      if (fast::IsNull(v)) continue;
      if (!fast::String(v, &s)) return false;
      out->table_name.assign(s);
    } else if (name == "CapacityUnits" || name == "ReadCapacityUnits" ||
               name == "WriteCapacityUnits") {
      int bit = name[0] == 'C' ? 1 : name[0] == 'R' ? 2 : 3;
      if (!seen.First(bit)) return false;
      if (fast::IsNull(v)) continue;
      double* d = bit == 1   ? &out->capacity_units
                  : bit == 2 ? &out->read_capacity_units
                             : &out->write_capacity_units;
      if (!fast::Double(v, d)) return false;
    } else if (name == "Table" || name == "LocalSecondaryIndexes" ||
               name == "GlobalSecondaryIndexes") {
      if (!fast::IsNull(v)) return false;
      if (!seen.First(name[0] == 'T' ? 4 : name[0] == 'L' ? 5 : 6)) return false;
    }
  }
  return true;
}

bool OptionalCapacity(Element e, std::optional<ConsumedCapacity>* out) {
  if (fast::IsNull(e)) return true;
  return Capacity(e, &out->emplace());
}

bool CapacityList(Element e, std::vector<ConsumedCapacity>* out) {
  if (fast::IsNull(e)) return true;
  simdjson::dom::array array;
  if (e.get_array().get(array) != simdjson::SUCCESS) return false;
  for (Element c : array) {
    if (!Capacity(c, &out->emplace_back())) return false;
  }
  return true;
}

}  // namespace

std::optional<QueryResponse> FastQueryResponse(std::string_view json) {
  std::optional<Object> root = Root(json);
  if (!root) return std::nullopt;
  QueryResponse out;
  Seen seen;
  for (auto [name, v] : *root) {
    bool ok = true;
    if (name == "Items") {
      ok = seen.First(0) && (fast::IsNull(v) || Items(v, &out.items));
    } else if (name == "Count") {
      ok = seen.First(1) && (fast::IsNull(v) || fast::Integer(v, &out.count));
    } else if (name == "ScannedCount") {
      ok = seen.First(2) && (fast::IsNull(v) || fast::Integer(v, &out.scanned_count));
    } else if (name == "LastEvaluatedKey") {
      ok = seen.First(3) && OptionalMap(v, &out.last_evaluated_key);
    } else if (name == "ConsumedCapacity") {
      ok = seen.First(4) && OptionalCapacity(v, &out.consumed_capacity);
    }
    if (!ok) return std::nullopt;
  }
  return out;
}

std::optional<GetItemResponse> FastGetItemResponse(std::string_view json) {
  std::optional<Object> root = Root(json);
  if (!root) return std::nullopt;
  GetItemResponse out;
  Seen seen;
  for (auto [name, v] : *root) {
    bool ok = true;
    if (name == "Item") {
      ok = seen.First(0) && OptionalMap(v, &out.item);
    } else if (name == "ConsumedCapacity") {
      ok = seen.First(1) && OptionalCapacity(v, &out.consumed_capacity);
    }
    if (!ok) return std::nullopt;
  }
  return out;
}

std::optional<BatchGetItemResponse> FastBatchGetItemResponse(std::string_view json) {
  std::optional<Object> root = Root(json);
  if (!root) return std::nullopt;
  BatchGetItemResponse out;
  Seen seen;
  for (auto [name, v] : *root) {
    bool ok = true;
    if (name == "Responses") {
      ok = seen.First(0);
      Object tables;
      if (ok && !fast::IsNull(v)) {
        ok = v.get_object().get(tables) == simdjson::SUCCESS;
        for (auto it = tables.begin(); ok && it != tables.end(); ++it) {
          std::vector<Item> items;
          ok = Items(it.value(), &items);
          out.responses.insert_or_assign(std::string(it.key()), std::move(items));
        }
      }
    } else if (name == "UnprocessedKeys") {
      // Only an empty map here; keys to retry go through the strict reader.
      Object keys;
      ok = seen.First(1) &&
           (fast::IsNull(v) || (v.get_object().get(keys) == simdjson::SUCCESS && keys.size() == 0));
    } else if (name == "ConsumedCapacity") {
      ok = seen.First(2) && CapacityList(v, &out.consumed_capacity);
    }
    if (!ok) return std::nullopt;
  }
  return out;
}

namespace {

// A request of TableName, the attribute map `map_name` (into out->*map) and
// the members `other` reads (it returns false for a member it does not
// know, or for a bad value: ask the strict reader).
template <typename Req, typename Other>
std::optional<Req> PlainItemRequest(std::string_view json, std::string_view map_name, Map Req::*map,
                                    Other other) {
  std::optional<Object> root = Root(json);
  if (!root) return std::nullopt;
  Req out;
  Seen seen;
  for (auto [name, v] : *root) {
    bool ok = false;
    if (name == "TableName") {
      std::string_view s;
      ok = seen.First(0) && fast::String(v, &s);
      if (ok) out.table_name.assign(s);
    } else if (name == map_name) {
      Object obj;
      ok = seen.First(1) && v.get_object().get(obj) == simdjson::SUCCESS &&
           fast::AttributeMap(obj, 0, &(out.*map));
    } else {
      ok = other(name, v, seen, out);
    }
    if (!ok) return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<PutItemRequest> FastPutItemRequest(std::string_view json) {
  return PlainItemRequest(json, "Item", &PutItemRequest::item,
                          [](std::string_view, Element, Seen&, PutItemRequest&) { return false; });
}

std::optional<GetItemRequest> FastGetItemRequest(std::string_view json) {
  return PlainItemRequest(
      json, "Key", &GetItemRequest::key,
      [](std::string_view name, Element v, Seen& seen, GetItemRequest& out) {
        return name == "ConsistentRead" && seen.First(2) &&
               v.get_bool().get(out.consistent_read) == simdjson::SUCCESS;
      });
}

}  // namespace moe::internal
