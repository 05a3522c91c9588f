#include <gtest/gtest.h>

#include "mirror/token_bucket.h"
#include "moe/journal_mirror.h"

namespace moe::mirror {
namespace {

TEST(Change, RoundTripsPutsAndDeletes) {
  Change put{.table = "users", .mirror_table = "users_m", .key = {{"pk", "u#1"}, {"sk", 7}},
             .version = 1700000000123456};
  put.image = {{"pk", "u#1"}, {"sk", 7}, {"b", Bytes{std::string("\0\xff", 2)}}, {"l", List{1, "x"}}};
  auto back = DecodeChange(EncodeChange(put));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, put);

  Change del{.table = "users", .key = {{"pk", "u#2"}}, .version = 9, .deleted = true};
  auto del_back = DecodeChange(EncodeChange(del));
  ASSERT_TRUE(del_back);
  EXPECT_EQ(*del_back, del);

  EXPECT_EQ(DecodeChange("not json").error().code(), ErrorCode::kValidation);
  EXPECT_FALSE(DecodeChange(R"({"v":2,"table":"t","key":{},"version":1,"op":"put"})"));
  EXPECT_FALSE(DecodeChange(R"({"v":1,"table":"t","key":{},"version":1,"op":"put"})"));
}

TEST(Change, PartitionKeyIsStableAndFitsKinesis) {
  EXPECT_EQ(PartitionKeyFor({{"pk", "a"}, {"sk", 1}}), PartitionKeyFor({{"sk", 1}, {"pk", "a"}}));
  EXPECT_NE(PartitionKeyFor({{"pk", "a"}}), PartitionKeyFor({{"pk", "b"}}));
  std::string long_key(300, 'x');
  long_key[254] = '\xc3';  // a two-byte UTF-8 character across the cut
  long_key[255] = '\xa9';
  std::string pk = PartitionKeyFor({{"pk", long_key}});
  EXPECT_LE(pk.size(), 256u);
  EXPECT_NE(static_cast<unsigned char>(pk.back()) & 0xC0, 0x80);
  EXPECT_TRUE(IsTombstone({{"pk", "a"}, {"_moe_deleted", true}}));
  EXPECT_FALSE(IsTombstone({{"pk", "a"}}));
}

TEST(TokenBucket, WaitsExactlyForTheMissingTokens) {
  ManualClock clock;
  internal::TokenBucket bucket(clock, /*rate=*/4, /*burst=*/2);
  EXPECT_EQ(bucket.Take(1), Clock::Duration::zero());
  EXPECT_EQ(bucket.Take(1), Clock::Duration::zero());
  EXPECT_EQ(bucket.Take(1), std::chrono::milliseconds(250));
  EXPECT_EQ(bucket.Take(2), std::chrono::milliseconds(500));
  clock.Advance(std::chrono::seconds(10));  // refills only up to the burst
  EXPECT_EQ(bucket.Take(2), Clock::Duration::zero());
  EXPECT_EQ(bucket.Take(1), std::chrono::milliseconds(250));
  internal::TokenBucket uncapped(clock, 0, 0);
  EXPECT_EQ(uncapped.Take(1000), Clock::Duration::zero());
}

}  // namespace
}  // namespace moe::mirror
