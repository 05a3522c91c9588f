#include "moe/value.h"

#include <cstdio>

namespace moe {

std::string_view TypeTag(Type type) {
  switch (type) {
    case Type::kS:
      return "S";
    case Type::kN:
      return "N";
    case Type::kB:
      return "B";
    case Type::kBool:
      return "BOOL";
    case Type::kNull:
      return "NULL";
    case Type::kL:
      return "L";
    case Type::kM:
      return "M";
    case Type::kSS:
      return "SS";
    case Type::kNS:
      return "NS";
    case Type::kBS:
      return "BS";
  }
  return "?";
}

namespace {
size_t NumberSize(const Number& n) {
  return static_cast<size_t>((n.SignificantDigits() + 1) / 2 + 1);
}
}  // namespace

size_t ValueSize(const Value& v) {
  switch (v.type()) {
    case Type::kS:
      return v.s().size();
    case Type::kN:
      return NumberSize(v.n());
    case Type::kB:
      return v.b().data.size();
    case Type::kBool:
    case Type::kNull:
      return 1;
    case Type::kL: {
      size_t size = 3;
      for (const Value& e : v.l()) size += 1 + ValueSize(e);
      return size;
    }
    case Type::kM: {
      size_t size = 3;
      for (const auto& [name, e] : v.m()) size += 1 + name.size() + ValueSize(e);
      return size;
    }
    case Type::kSS: {
      size_t size = 0;
      for (const std::string& s : v.ss()) size += s.size();
      return size;
    }
    case Type::kNS: {
      size_t size = 0;
      for (const Number& n : v.ns()) size += NumberSize(n);
      return size;
    }
    case Type::kBS: {
      size_t size = 0;
      for (const Bytes& b : v.bs()) size += b.data.size();
      return size;
    }
  }
  return 0;
}

size_t ItemSize(const Item& item) {
  size_t size = 0;
  for (const auto& [name, v] : item) size += name.size() + ValueSize(v);
  return size;
}

}  // namespace moe
