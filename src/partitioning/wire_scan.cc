#include "partitioning/wire_scan.h"

#include "moe/json.h"
#include "moe/sharding.h"
#include "partitioning/key_condition.h"

namespace moe::partitioning::internal {
namespace {

constexpr size_t kBad = std::string_view::npos;

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  return i;
}

// End (one past) of the string starting at s[i] == '"'.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return kBad;
}

// End of the JSON value starting at s[i].
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return kBad;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '"') {
        i = SkipString(s, i);
        if (i == kBad) return kBad;
        --i;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return kBad;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
         s[i] != '\n' && s[i] != '\r' && s[i] != '\t') {
    ++i;
  }
  return i;
}

// Calls fn(raw) for each element of a JSON array.
bool ForEachElement(std::string_view json, const std::function<bool(std::string_view)>& fn) {
  size_t i = SkipSpace(json, 0);
  if (i >= json.size() || json[i] != '[') return false;
  i = SkipSpace(json, i + 1);
  if (i < json.size() && json[i] == ']') return true;
  while (i < json.size()) {
    size_t end = SkipValue(json, i);
    if (end == kBad) return false;
    if (!fn(json.substr(i, end - i))) return false;
    i = SkipSpace(json, end);
    if (i < json.size() && json[i] == ']') return true;
    if (i >= json.size() || json[i] != ',') return false;
    i = SkipSpace(json, i + 1);
  }
  return false;
}

std::string KeyTextOf(std::string_view raw_value) {
  Result<Value> v = ParseDynamoJsonValue(raw_value);
  return v ? KeyText(*v) : std::string();
}

// The partition key text of an Item or Key object.
std::string KeyOf(std::string_view object, const std::string& hash_key, bool single_is_key) {
  if (!hash_key.empty()) {
    std::optional<std::string_view> raw = Member(object, hash_key);
    return raw ? KeyTextOf(*raw) : std::string();
  }
  if (!single_is_key) return {};
  std::string_view only;
  int members = 0;
  ForEachMember(object, [&](std::string_view, std::string_view raw) {
    only = raw;
    return ++members <= 1;
  });
  return members == 1 ? KeyTextOf(only) : std::string();
}

// {"TableName":..., "Key"|"Item":...} as in single-item and transaction operations.
Target ItemTarget(std::string_view object, const HashKeyLookup& hash_key) {
  Target t;
  if (auto name = Member(object, "TableName")) t.table = std::string(PlainString(*name).value_or(""));
  if (auto item = Member(object, "Item")) {
    t.key = KeyOf(*item, hash_key(t.table), false);
  } else if (auto key = Member(object, "Key")) {
    t.key = KeyOf(*key, hash_key(t.table), true);
  }
  return t;
}

Target QueryTarget(std::string_view body, const HashKeyLookup& hash_key) {
  Target t;
  if (auto name = Member(body, "TableName")) t.table = std::string(PlainString(*name).value_or(""));
  if (auto index = Member(body, "IndexName")) t.index = std::string(PlainString(*index).value_or(""));
  std::string key_attr = hash_key(t.index.empty() ? t.table : t.table + "/" + t.index);
  auto condition = Member(body, "KeyConditionExpression");
  auto condition_text = condition ? PlainString(*condition) : std::nullopt;
  if (key_attr.empty() || !condition_text) return t;
  ExpressionNames names;
  if (auto raw = Member(body, "ExpressionAttributeNames")) {
    ForEachMember(*raw, [&](std::string_view n, std::string_view v) {
      if (auto s = PlainString(v)) names.emplace(std::string(n), std::string(*s));
      return true;
    });
  }
  std::optional<std::string> placeholder = HashKeyPlaceholder(*condition_text, names, key_attr);
  auto values = Member(body, "ExpressionAttributeValues");
  if (!placeholder || !values) return t;
  if (auto raw = Member(*values, *placeholder)) t.key = KeyTextOf(*raw);
  return t;
}

}  // namespace

bool ForEachMember(std::string_view json,
                   const std::function<bool(std::string_view, std::string_view)>& fn) {
  size_t i = SkipSpace(json, 0);
  if (i >= json.size() || json[i] != '{') return false;
  i = SkipSpace(json, i + 1);
  if (i < json.size() && json[i] == '}') return true;
  while (i < json.size() && json[i] == '"') {
    size_t name_end = SkipString(json, i);
    if (name_end == kBad) return false;
    std::string_view name = json.substr(i + 1, name_end - i - 2);
    i = SkipSpace(json, name_end);
    if (i >= json.size() || json[i] != ':') return false;
    i = SkipSpace(json, i + 1);
    size_t end = SkipValue(json, i);
    if (end == kBad) return false;
    if (!fn(name, json.substr(i, end - i))) return false;
    i = SkipSpace(json, end);
    if (i < json.size() && json[i] == '}') return true;
    if (i >= json.size() || json[i] != ',') return false;
    i = SkipSpace(json, i + 1);
  }
  return false;
}

std::optional<std::string_view> Member(std::string_view json, std::string_view name) {
  std::optional<std::string_view> found;
  ForEachMember(json, [&](std::string_view n, std::string_view raw) {
    if (n == name) found = raw;
    return !found;
  });
  return found;
}

std::optional<std::string_view> PlainString(std::string_view raw) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return std::nullopt;
  std::string_view inner = raw.substr(1, raw.size() - 2);
  if (inner.find('\\') != std::string_view::npos) return std::nullopt;
  return inner;
}

RequestView ReadRequest(std::string_view operation, std::string_view body,
                        const HashKeyLookup& hash_key) {
  RequestView view;
  bool read = operation == "GetItem" || operation == "Query" || operation == "Scan" ||
              operation == "BatchGetItem" || operation == "TransactGetItems";
  view.direction = read ? Direction::kRead : Direction::kWrite;
  if (operation == "PutItem" || operation == "GetItem" || operation == "UpdateItem" ||
      operation == "DeleteItem") {
    view.targets.push_back(ItemTarget(body, hash_key));
  } else if (operation == "Query") {
    view.targets.push_back(QueryTarget(body, hash_key));
  } else if (operation == "Scan") {
    Target t;
    if (auto name = Member(body, "TableName")) t.table = std::string(PlainString(*name).value_or(""));
    if (auto index = Member(body, "IndexName")) t.index = std::string(PlainString(*index).value_or(""));
    view.targets.push_back(std::move(t));
  } else if (operation == "BatchWriteItem" || operation == "BatchGetItem") {
    auto items = Member(body, "RequestItems");
    if (!items) return view;
    ForEachMember(*items, [&](std::string_view table, std::string_view raw) {
      std::string key_attr = hash_key(std::string(table));
      auto add = [&](std::string_view object, bool single_is_key) {
        view.targets.push_back({std::string(table), "", KeyOf(object, key_attr, single_is_key)});
        return true;
      };
      if (operation == "BatchGetItem") {
        if (auto keys = Member(raw, "Keys")) {
          ForEachElement(*keys, [&](std::string_view k) { return add(k, true); });
        }
        return true;
      }
      ForEachElement(raw, [&](std::string_view w) {
        if (auto put = Member(w, "PutRequest")) {
          if (auto item = Member(*put, "Item")) return add(*item, false);
        } else if (auto del = Member(w, "DeleteRequest")) {
          if (auto key = Member(*del, "Key")) return add(*key, true);
        }
        return true;
      });
      return true;
    });
  } else if (operation == "TransactWriteItems" || operation == "TransactGetItems") {
    auto items = Member(body, "TransactItems");
    if (!items) return view;
    ForEachElement(*items, [&](std::string_view element) {
      ForEachMember(element, [&](std::string_view, std::string_view action) {
        view.targets.push_back(ItemTarget(action, hash_key));
        return true;
      });
      return true;
    });
  }
  return view;
}

RequestView ReadUnprocessed(std::string_view operation, std::string_view response_body,
                            const HashKeyLookup& hash_key) {
  std::string_view member = operation == "BatchWriteItem" ? "UnprocessedItems"
                            : operation == "BatchGetItem" ? "UnprocessedKeys"
                                                          : "";
  if (member.empty()) return {};
  auto raw = Member(response_body, member);
  if (!raw) return {};
  return ReadRequest(operation, "{\"RequestItems\":" + std::string(*raw) + "}", hash_key);
}

std::vector<ConsumedCapacity> ReadConsumedCapacity(std::string_view body) {
  auto raw = Member(body, "ConsumedCapacity");
  if (!raw) return {};
  std::string wrapped = "{\"ConsumedCapacity\":" + std::string(*raw) + "}";
  if (!raw->empty() && raw->front() == '[') {
    Result<BatchGetItemResponse> r = Parse<BatchGetItemResponse>(wrapped);
    return r ? std::move(r->consumed_capacity) : std::vector<ConsumedCapacity>{};
  }
  Result<PutItemResponse> r = Parse<PutItemResponse>(wrapped);
  if (!r || !r->consumed_capacity) return {};
  return {std::move(*r->consumed_capacity)};
}

}  // namespace moe::partitioning::internal
