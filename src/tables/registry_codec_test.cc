#include <gtest/gtest.h>

#include "moe/json.h"
#include "moe/registry.h"

namespace moe {
namespace {

FamilyState Sample() {
  FamilyState s;
  s.spec.name = "events";
  s.spec.attribute_definitions = {{"pk", ScalarAttributeType::kS}};
  s.spec.key_schema = {{"pk", KeyType::kHash}};
  s.spec.period = Period::kDay;
  s.spec.copies = 2;
  s.version = 7;
  s.epoch = 3;
  s.periods = {*PeriodIndex::Parse(Period::kDay, "2026-11-24"),
               *PeriodIndex::Parse(Period::kDay, "2026-11-25"),
               *PeriodIndex::Parse(Period::kDay, "2026-11-26")};
  s.write_period = s.periods[1];
  s.updated_at = Clock::TimePoint(std::chrono::milliseconds(1793493000123));
  return s;
}

TEST(RegistryCodec, RoundTrips) {
  FamilyState s = Sample();
  auto back = DecodeFamilyState(EncodeFamilyState(s));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, s);
  EXPECT_EQ(back->WriteTables(),
            (std::vector<std::string>{"events_2026-11-25_1", "events_2026-11-25_2"}));
  EXPECT_EQ(back->ReadPeriods().size(), 2u);  // tomorrow holds nothing yet
  EXPECT_EQ(back->ReadPeriods()[0], s.periods[1]);
}

TEST(RegistryCodec, RoundTripsTheShardHistory) {
  FamilyState s = Sample();
  EXPECT_FALSE(EncodeFamilyState(s).contains("shards"));  // none recorded: no attribute
  s.shards = partitioning::ShardHistory(4);
  ASSERT_TRUE(s.shards->Raise(8, 1793493090));
  Item item = EncodeFamilyState(s);
  EXPECT_EQ(item.at("shards"), Value("4@0,8@1793493090"));
  auto back = DecodeFamilyState(item);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->shards, s.shards);
  EXPECT_EQ(*back, s);
}

TEST(RegistryCodec, RejectsABadShardHistory) {
  Item good = EncodeFamilyState(Sample());
  for (Value bad : {Value(""), Value("8"), Value("x@0"), Value("0@0"), Value("10001@0"),
                    Value("8@0,4@100"),   // counts only grow
                    Value("4@100,8@50"),  // generations in time order
                    Value("4@0,,8@5"), Value("4@0;8@5"), Value(4), Value(List{"4@0"})}) {
    Item item = good;
    item["shards"] = bad;
    auto r = DecodeFamilyState(item);
    ASSERT_FALSE(r) << ToDynamoJson(item);
    EXPECT_EQ(r.error().code(), ErrorCode::kBadResponse);
    EXPECT_NE(r.error().message().find("shards"), std::string::npos) << r.error().message();
  }
}

TEST(RegistryCodec, RejectsEveryCorruption) {
  Item good = EncodeFamilyState(Sample());
  auto bad = [&](auto mutate) {
    Item item = good;
    mutate(item);
    auto r = DecodeFamilyState(item);
    return !r && r.error().code() == ErrorCode::kBadResponse;
  };
  EXPECT_TRUE(bad([](Item& i) { i.erase("spec"); }));
  EXPECT_TRUE(bad([](Item& i) { i["spec"] = "{"; }));
  EXPECT_TRUE(bad([](Item& i) { i["family"] = "other"; }));
  EXPECT_TRUE(bad([](Item& i) { i["version"] = 0; }));
  EXPECT_TRUE(bad([](Item& i) { i["version"] = "7"; }));
  EXPECT_TRUE(bad([](Item& i) { i["epoch"] = -1; }));
  EXPECT_TRUE(bad([](Item& i) { i["epoch"] = Value(Number::Parse("1.5").value()); }));
  EXPECT_TRUE(bad([](Item& i) { i["periods"] = List{"2026-11-25", "2026-11-24"}; }));
  EXPECT_TRUE(bad([](Item& i) { i["periods"] = List{"2026-11"}; }));
  EXPECT_TRUE(bad([](Item& i) { i["periods"] = List{Value(1)}; }));
  EXPECT_TRUE(bad([](Item& i) { i["write"] = "2026-12-01"; }));  // not live
  EXPECT_TRUE(bad([](Item& i) { i["write"] = "tomorrow"; }));
  // Found by fuzz/fuzz_registry: a time past the clock's range (year 2262)
  // overflowed the conversion to nanoseconds.
  EXPECT_TRUE(bad([](Item& i) { i["updated_at"] = int64_t{17934930000123}; }));
  EXPECT_TRUE(bad([](Item& i) { i["updated_at"] = Value(Number::Parse("9223372036854775807").value()); }));
  // Found by fuzz/fuzz_registry: a spec with 13,333,333 copies decoded, and
  // WriteTables then built that many names.
  EXPECT_TRUE(bad([](Item& i) {
    FamilyState s = Sample();
    s.spec.copies = 13333333;
    i["spec"] = ToJson(s.spec);
  }));
}

}  // namespace
}  // namespace moe
