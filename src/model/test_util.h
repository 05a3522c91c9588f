// Helpers for the model codec tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "moe/model.h"

namespace moe::testing {

// Writes `v`, parses it back, and returns the result; fails the test on a
// parse error.
template <typename T>
T RoundTrip(const T& v) {
  std::string json = ToJson(v);
  Result<T> back = Parse<T>(json);
  EXPECT_TRUE(back.has_value()) << json << "\n" << (back ? "" : back.error().ToString());
  if (!back) return T{};
  // Writing is deterministic: the same value gives the same bytes.
  EXPECT_EQ(ToJson(*back), json);
  return std::move(back).value();
}

// An item with every attribute type.
inline Item EveryType() {
  return Item{
      {"pk", "user#1"},
      {"sk", 42},
      {"price", *Number::Parse("-12.50")},
      {"blob", Bytes{"\x01\x02\xff"}},
      {"flag", true},
      {"nothing", nullptr},
      {"tags", StringSet{"a", "b"}},
      {"scores", NumberSet{1, 2, 3}},
      {"blobs", BinarySet{Bytes{"x"}, Bytes{"y"}}},
      {"list", List{1, "two", Map{{"three", 3}}}},
      {"map", Map{{"nested", Map{{"deep", "yes"}}}, {"quote", "say \"hi\"\n"}}},
  };
}

inline ConsumedCapacity FullCapacity(std::string table) {
  ConsumedCapacity c;
  c.table_name = std::move(table);
  c.capacity_units = 3.5;
  c.read_capacity_units = 1.5;
  c.write_capacity_units = 2;
  c.table = Capacity{1, 0.5, 0.5};
  c.local_secondary_indexes = {{"lsi", Capacity{1, 1, 0}}};
  c.global_secondary_indexes = {{"gsi1", Capacity{0.5, 0, 0.5}}, {"gsi2", Capacity{1, 0, 1}}};
  return c;
}

// The error of a failed parse, or a test failure.
template <typename T>
Error ParseError(std::string_view json) {
  Result<T> r = Parse<T>(json);
  EXPECT_FALSE(r.has_value()) << json;
  if (r) return Error(ErrorCode::kIo, "parsed unexpectedly");
  return std::move(r).error();
}

}  // namespace moe::testing
