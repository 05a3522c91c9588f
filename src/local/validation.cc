#include "local/validation.h"

#include <string>

namespace moe::local {

namespace {

std::string_view TypeName(ScalarAttributeType t) {
  switch (t) {
    case ScalarAttributeType::kS:
      return "S";
    case ScalarAttributeType::kN:
      return "N";
    case ScalarAttributeType::kB:
      return "B";
  }
  return "?";
}

bool HasType(const Value& v, ScalarAttributeType t) {
  return static_cast<uint8_t>(v.type()) == static_cast<uint8_t>(t);
}

size_t KeyBytes(const Value& v) {
  if (v.is(Type::kS)) return v.s().size();
  if (v.is(Type::kB)) return v.b().data.size();
  return 0;  // numbers are always within the limits
}

bool IsEmptyKey(const Value& v) {
  return (v.is(Type::kS) && v.s().empty()) || (v.is(Type::kB) && v.b().data.empty());
}

Status CheckKeyValue(const Value& v, const KeyAttr& attr, bool is_hash, bool in_item) {
  if (IsEmptyKey(v)) {
    std::string_view kind = v.is(Type::kS) ? "string" : "binary";
    std::string prefix = in_item ? "One or more parameter values are not valid. "
                                 : "One or more parameter values were invalid: ";
    return Error::Validation(prefix + "The AttributeValue for a key attribute cannot contain an empty " +
                             std::string(kind) + " value. Key: " + attr.name);
  }
  if (is_hash && KeyBytes(v) > kMaxHashKeyBytes) {
    return InvalidParameter("Size of hashkey has exceeded the maximum size limit of2048 bytes");
  }
  if (!is_hash && KeyBytes(v) > kMaxRangeKeyBytes) {
    return InvalidParameter(
        "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  }
  return Ok();
}

bool NameCharOk(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

}  // namespace

Error MissingMember(std::string_view member) {
  return Error::Validation("1 validation error detected: Value null at '" + std::string(member) +
                           "' failed to satisfy constraint: Member must not be null");
}

Error InvalidParameter(std::string_view what) {
  return Error::Validation("One or more parameter values were invalid: " + std::string(what));
}

Status ValidateName(std::string_view name, std::string_view member) {
  int errors = 0;
  std::string detail;
  auto add = [&](std::string_view constraint) {
    if (errors++ > 0) detail += "; ";
    detail += "Value '" + std::string(name) + "' at '" + std::string(member) +
              "' failed to satisfy constraint: " + std::string(constraint);
  };
  bool chars_ok = true;
  for (char c : name) chars_ok = chars_ok && NameCharOk(c);
  if (!chars_ok) add("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  if (name.size() < 3) add("Member must have length greater than or equal to 3");
  if (name.size() > 255) add("Member must have length less than or equal to 255");
  if (errors == 0) return Ok();
  return Error::Validation(std::to_string(errors) + " validation error" + (errors > 1 ? "s" : "") +
                           " detected: " + detail);
}

Status ValidateTableName(const std::string& name) {
  if (name.empty()) return MissingMember("tableName");
  return ValidateName(name, "tableName");
}

Status ValidateLimit(const std::optional<int>& limit, std::string_view member,
                     std::optional<int> max) {
  if (!limit) return Ok();
  auto fail = [&](std::string_view constraint) {
    return Error::Validation("1 validation error detected: Value '" + std::to_string(*limit) +
                             "' at '" + std::string(member) +
                             "' failed to satisfy constraint: " + std::string(constraint));
  };
  if (*limit < 1) return fail("Member must have value greater than or equal to 1");
  if (max && *limit > *max) {
    return fail("Member must have value less than or equal to " + std::to_string(*max));
  }
  return Ok();
}

Status ValidateKey(const Item& key, const KeyShape& shape) {
  size_t expected = shape.range ? 2 : 1;
  if (key.size() != expected) {
    return Error::Validation("The provided key element does not match the schema");
  }
  auto check = [&](const KeyAttr& attr, bool is_hash) -> Status {
    auto it = key.find(attr.name);
    if (it == key.end() || !HasType(it->second, attr.type)) {
      return Error::Validation("The provided key element does not match the schema");
    }
    return CheckKeyValue(it->second, attr, is_hash, /*in_item=*/false);
  };
  MOE_TRY_STATUS(check(shape.hash, true));
  if (shape.range) MOE_TRY_STATUS(check(*shape.range, false));
  return Ok();
}

Status ValidateItem(const Item& item, const Table& table) {
  auto check = [&](const KeyAttr& attr, bool is_hash) -> Status {
    auto it = item.find(attr.name);
    if (it == item.end()) return InvalidParameter("Missing the key " + attr.name + " in the item");
    if (!HasType(it->second, attr.type)) {
      return InvalidParameter("Type mismatch for key " + attr.name + " expected: " +
                              std::string(TypeName(attr.type)) +
                              " actual: " + std::string(TypeTag(it->second.type())));
    }
    return CheckKeyValue(it->second, attr, is_hash, /*in_item=*/true);
  };
  MOE_TRY_STATUS(check(table.key.hash, true));
  if (table.key.range) MOE_TRY_STATUS(check(*table.key.range, false));
  for (const IndexState& index : table.indexes) {
    for (const KeyAttr* attr : {&index.key.hash, index.key.range ? &*index.key.range : nullptr}) {
      if (attr == nullptr) continue;
      auto it = item.find(attr->name);
      if (it == item.end()) continue;
      if (!HasType(it->second, attr->type)) {
        return InvalidParameter("Type mismatch for Index Key " + attr->name + " Expected: " +
                                std::string(TypeName(attr->type)) +
                                " Actual: " + std::string(TypeTag(it->second.type())) +
                                " IndexName: " + index.name);
      }
      if (IsEmptyKey(it->second)) {
        return Error::Validation(
            "One or more parameter values are not valid. A value specified for a secondary index "
            "key is not supported. The AttributeValue for a key attribute cannot contain an empty " +
            std::string(it->second.is(Type::kS) ? "string" : "binary") + " value. IndexName: " +
            index.name + ", IndexKey: " + attr->name);
      }
    }
  }
  return ValidateItemSize(item);
}

Status ValidateItemSize(const Item& item) {
  if (ItemSize(item) > kMaxItemBytes) {
    return Error::Validation("Item size has exceeded the maximum allowed size");
  }
  return Ok();
}

}  // namespace moe::local
