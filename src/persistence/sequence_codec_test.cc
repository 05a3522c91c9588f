#include "persistence/sequence_codec.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "moe/sequence.h"
#include "moe/timeseries.h"
#include "persistence/common.h"

namespace moe::persistence {
namespace {

const internal::KeyAttributeNames kKeys{"owner", "sk"};

TEST(SequenceCodec, RangeKeysSortNumerically) {
  std::string id = NewSequenceId(ManualClock::FromUnixSeconds(1793493000));
  std::vector<std::string> keys;
  for (int64_t n : {int64_t{10}, int64_t{2}, int64_t{101}, int64_t{1}, int64_t{9'999'999'999}}) {
    keys.push_back(SequenceRangeKey(n, id));
  }
  std::sort(keys.begin(), keys.end());
  std::vector<int64_t> order;
  for (const std::string& k : keys) order.push_back(ParseSequenceRangeKey(k)->n);
  EXPECT_EQ(order, (std::vector<int64_t>{1, 2, 10, 101, 9'999'999'999}));
  EXPECT_EQ(SequenceRangeKey(7, id), "i." + id + ".0000000007");
  EXPECT_EQ(SequenceRangeKey(0, id), "m." + id);
  EXPECT_TRUE(SequenceRangeKey(3, id).starts_with(ItemsPrefix(id)));
}

TEST(SequenceCodec, IdsSortByCreationAndCarryIt) {
  auto t1 = ManualClock::FromUnixSeconds(999'999'999);  // fewer digits than t2
  auto t2 = ManualClock::FromUnixSeconds(1'793'493'000) + std::chrono::microseconds(5);
  std::string a = NewSequenceId(t1), b = NewSequenceId(t2);
  EXPECT_LT(a, b);
  EXPECT_EQ(SequenceIdTime(b), t2);
  EXPECT_NE(NewSequenceId(t2), b);  // random suffix
  for (std::string_view bad : {"", "123", "1793493000000005-ABCDEF01", "1793493000000005_abcdef01",
                               "179349300000000x-abcdef01", "1793493000000005-abcdef012"}) {
    EXPECT_FALSE(SequenceIdTime(bad)) << bad;
  }
  EXPECT_FALSE(ParseSequenceRangeKey("10." + b));    // the seed's form
  EXPECT_FALSE(ParseSequenceRangeKey("i." + b + ".10"));
  EXPECT_FALSE(ParseSequenceRangeKey("i." + b + ".0000000000"));
  EXPECT_FALSE(ParseSequenceRangeKey("i.not-an-id.0000000001"));
  EXPECT_FALSE(ParseSequenceRangeKey("m.not-an-id"));
  EXPECT_EQ(ParseSequenceRangeKey("m." + b)->n, 0);
  EXPECT_EQ(ParseSequenceRangeKey("m." + b)->id, b);
}

TEST(SequenceCodec, DigestDependsOnItemsAndPositions) {
  Item a{{"n", 1}}, b{{"n", 2}};
  uint64_t ab = ItemDigest(1, a) + ItemDigest(2, b);
  EXPECT_NE(ab, ItemDigest(1, b) + ItemDigest(2, a));
  EXPECT_NE(ItemDigest(1, a), ItemDigest(1, b));
  EXPECT_EQ(ab, ItemDigest(2, Item{{"n", 2}}) + ItemDigest(1, Item{{"n", 1}}));
  EXPECT_EQ(DigestText(0xabc), "0000000000000abc");
}

TEST(SequenceCodec, MetadataRoundTripsAndRejectsDamage) {
  std::string id = NewSequenceId(ManualClock::FromUnixSeconds(1793493000));
  SequenceInfo info{.owner = "u1",
                    .id = id,
                    .count = 101,
                    .created_at = *SequenceIdTime(id),
                    .saved_at = ManualClock::FromUnixSeconds(1793493100),
                    .payload = {{"title", "run"}, {"tags", StringSet{"a"}}},
                    .digest = DigestText(42)};
  Item stored = EncodeMetadata(info, kKeys);
  auto back = DecodeMetadata(stored, kKeys);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, info);
  EXPECT_FALSE(IsTombstone(stored));

  Item no_count = stored;
  no_count.erase("count");
  EXPECT_EQ(DecodeMetadata(no_count, kKeys).error().code(), ErrorCode::kBadResponse);
  Item item_key = stored;
  item_key["sk"] = SequenceRangeKey(3, id);
  EXPECT_EQ(DecodeMetadata(item_key, kKeys).error().code(), ErrorCode::kBadResponse);
  Item string_count = stored;
  string_count["count"] = "101";
  EXPECT_EQ(DecodeMetadata(string_count, kKeys).error().code(), ErrorCode::kBadResponse);
}

TEST(SequenceCodec, ReservedNames) {
  EXPECT_TRUE(IsReserved("owner", kKeys));
  EXPECT_TRUE(IsReserved("sk", kKeys));
  EXPECT_TRUE(IsReserved("_moe_ts", kKeys));
  EXPECT_FALSE(IsReserved("payload", kKeys));
  EXPECT_EQ(FirstReserved({{"a", 1}, {"_moe_x", 2}}, kKeys), "_moe_x");
  EXPECT_EQ(WithoutReserved({{"a", 1}, {"owner", "o"}, {"sk", "k"}, {"_moe_ts", 3}}, kKeys),
            (Item{{"a", 1}}));
  EXPECT_EQ(Padded(42, 5), "00042");
  EXPECT_EQ(ParsePadded("00042", 5), 42);
  EXPECT_FALSE(ParsePadded("0042", 5));
  EXPECT_FALSE(ParsePadded("00-42", 5));
}

TEST(Strategies, CheckTheFamiliesTheyNeed) {
  SequenceStrategy seq;
  TimeSeriesStrategy ts;
  EXPECT_TRUE(seq.CheckFamily(seq.ExampleSpec("s", Period::kNone)));
  EXPECT_TRUE(ts.CheckFamily(ts.ExampleSpec("t", Period::kHour)));
  EXPECT_EQ(ts.ExampleSpec("t", Period::kNone).period, Period::kDay);
  EXPECT_TRUE(seq.ExampleSpec("s", Period::kDay).Validate());

  FamilySpec no_range = seq.ExampleSpec("s", Period::kDay);
  no_range.key_schema.pop_back();
  no_range.attribute_definitions.pop_back();
  EXPECT_EQ(seq.CheckFamily(no_range).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(seq.CheckFamily(no_range).error().message().find("RANGE"), std::string::npos);

  FamilySpec numeric = seq.ExampleSpec("s", Period::kDay);
  numeric.attribute_definitions[1].attribute_type = ScalarAttributeType::kN;
  EXPECT_EQ(seq.CheckFamily(numeric).error().code(), ErrorCode::kInvalidArgument);

  FamilySpec unperiodic = ts.ExampleSpec("t", Period::kDay);
  unperiodic.period = Period::kNone;
  EXPECT_EQ(ts.CheckFamily(unperiodic).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(seq.CheckFamily(unperiodic));  // a sequence family may be unperiodic

  EXPECT_EQ(seq.name(), "sequence");
  EXPECT_FALSE(seq.AccessPatterns().empty());
  EXPECT_FALSE(ts.Layout().range.empty());
}

}  // namespace
}  // namespace moe::persistence
