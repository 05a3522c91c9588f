#include "local/test_util.h"

namespace moe::local::testing {
namespace {

using TtlTest = EngineTest;

TEST_F(TtlTest, SweepDeletesExpiredItemsOnly) {
  CreateTable("tbl");
  Ok(UpdateTimeToLiveRequest{"tbl", {true, "expires"}});
  int64_t now = 1700000000;
  Put({{"pk", "old"}, {"expires", now - 10}});
  Put({{"pk", "later"}, {"expires", now + 100}});
  Put({{"pk", "text"}, {"expires", "not a number"}});
  Put({{"pk", "none"}});
  engine_->SweepExpired();
  EXPECT_FALSE(Get({{"pk", "old"}}));
  EXPECT_TRUE(Get({{"pk", "later"}}));
  EXPECT_TRUE(Get({{"pk", "text"}}));
  EXPECT_TRUE(Get({{"pk", "none"}}));

  clock_.Advance(std::chrono::seconds(200));
  EXPECT_TRUE(Get({{"pk", "later"}}));  // expired but not yet swept: still returned
  engine_->SweepExpired();
  EXPECT_FALSE(Get({{"pk", "later"}}));
  EXPECT_EQ(Ok(DescribeTableRequest{"tbl"}).table.item_count, 2);
}

TEST_F(TtlTest, NothingIsSweptWithoutTtl) {
  CreateTable("tbl");
  Put({{"pk", "old"}, {"expires", 1}});
  engine_->SweepExpired();
  EXPECT_TRUE(Get({{"pk", "old"}}));
}

TEST(RealClockEngine, BackgroundSweeperStopsOnDestruction) {
  auto engine = Engine::Open({});
  ASSERT_TRUE(engine);
  engine->reset();  // joins the sweeper thread
}

}  // namespace
}  // namespace moe::local::testing
