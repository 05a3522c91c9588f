#include <gtest/gtest.h>

#include <chrono>

#include "moe/family.h"

namespace moe {
namespace {

namespace chr = std::chrono;

Clock::TimePoint At(int y, unsigned m, unsigned d, int h = 0) {
  return Clock::TimePoint(chr::sys_days(chr::year(y) / chr::month(m) / chr::day(d))) +
         chr::hours(h);
}

FamilySpec Events() {
  FamilySpec s;
  s.name = "events";
  s.environment = "moe_prod";
  s.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kN},
                             {"gpk", ScalarAttributeType::kS},
                             {"lsk", ScalarAttributeType::kS}};
  s.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  GlobalSecondaryIndex g;
  g.index_name = "by_gpk";
  g.key_schema = {{"gpk", KeyType::kHash}};
  g.projection.projection_type = ProjectionType::kKeysOnly;
  g.provisioned_throughput = ProvisionedThroughput{5, 5};
  s.global_secondary_indexes = {g};
  LocalSecondaryIndex l;
  l.index_name = "by_lsk";
  l.key_schema = {{"pk", KeyType::kHash}, {"lsk", KeyType::kRange}};
  l.projection = {ProjectionType::kInclude, {"a", "b"}};
  s.local_secondary_indexes = {l};
  s.period = Period::kDay;
  s.copies = 2;
  s.retention = 7;
  s.precreate = 1;
  s.current_capacity = ProvisionedThroughput{100, 50};
  return s;
}

void ExpectInvalid(const FamilySpec& s, std::string_view fragment) {
  Status st = s.Validate();
  ASSERT_FALSE(st.has_value()) << fragment;
  EXPECT_EQ(st.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.error().message().find(fragment), std::string::npos) << st.error().message();
}

TEST(FamilySpecTest, ValidSpec) { EXPECT_TRUE(Events().Validate().has_value()); }

TEST(FamilySpecTest, ValidationErrors) {
  FamilySpec s = Events();
  s.name = "";
  ExpectInvalid(s, "must not be empty");
  s = Events();
  s.name = "ev ents";
  ExpectInvalid(s, "[a-zA-Z0-9_.-]");
  s = Events();
  s.environment = "prod/1";
  ExpectInvalid(s, "environment");
  s = Events();
  s.copies = 0;
  ExpectInvalid(s, "copies");
  s = Events();
  s.retention = 0;
  ExpectInvalid(s, "retention");
  s = Events();
  s.precreate = -1;
  ExpectInvalid(s, "precreate");
  s = Events();
  s.period = Period::kHour;
  s.copies = 9;
  // prefix "x_" (2) + name + "_" + 13 + "_" + 1 = 255 exactly fits; one more does not.
  s.environment = "x";
  s.name = std::string(255 - 2 - 1 - 13 - 1 - 1, 'n');
  EXPECT_TRUE(s.Validate().has_value()) << s.Validate().error().message();
  s.name.push_back('n');
  ExpectInvalid(s, "more than 255");
  s = Events();
  s.key_schema = {};
  ExpectInvalid(s, "HASH");
  s = Events();
  s.key_schema = {{"sk", KeyType::kRange}, {"pk", KeyType::kHash}};
  ExpectInvalid(s, "first key schema element");
  s = Events();
  s.key_schema = {{"pk", KeyType::kHash}, {"pk", KeyType::kRange}};
  ExpectInvalid(s, "different");
  s = Events();
  s.key_schema = {{"nope", KeyType::kHash}, {"sk", KeyType::kRange}};
  ExpectInvalid(s, "'nope' is not in AttributeDefinitions");
  s = Events();
  s.attribute_definitions.push_back({"unused", ScalarAttributeType::kS});
  ExpectInvalid(s, "'unused' is defined but used by no key schema");
  s = Events();
  s.attribute_definitions.push_back({"pk", ScalarAttributeType::kN});
  ExpectInvalid(s, "defined twice");
  s = Events();
  s.global_secondary_indexes[0].index_name = "by_lsk";
  ExpectInvalid(s, "duplicate index name");
  s = Events();
  s.global_secondary_indexes[0].index_name = "ab";
  ExpectInvalid(s, "index name 'ab'");
  s = Events();
  s.local_secondary_indexes[0].key_schema[0].attribute_name = "gpk";
  ExpectInvalid(s, "table's HASH key");
  s = Events();
  s.key_schema.pop_back();
  s.attribute_definitions.erase(s.attribute_definitions.begin() + 1);
  ExpectInvalid(s, "needs a table with a RANGE key");
  s = Events();
  s.current_capacity = ProvisionedThroughput{0, 5};
  ExpectInvalid(s, "current capacity");
  s = Events();
  s.global_secondary_indexes[0].provisioned_throughput = ProvisionedThroughput{1, 0};
  ExpectInvalid(s, "index 'by_gpk'");
}

TEST(FamilyJsonTest, RoundTrip) {
  FamilySpec s = Events();
  std::string json = ToJson(s);
  Result<FamilySpec> back = ParseFamilySpec(json);
  ASSERT_TRUE(back.has_value()) << back.error().message() << "\n" << json;
  EXPECT_EQ(*back, s);
  EXPECT_EQ(ToJson(*back), json);

  s.current_capacity.reset();  // on-demand
  s.older_capacity = ProvisionedThroughput{1, 1};
  s.period = Period::kNone;
  s.environment = "";
  s.global_secondary_indexes[0].provisioned_throughput.reset();
  back = ParseFamilySpec(ToJson(s));
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(*back, s);
}

TEST(FamilyJsonTest, DocumentedExampleParses) {
  Result<FamilySpec> s = ParseFamilySpec(R"({
    "Name": "events", "Environment": "moe_prod", "Period": "DAY",
    "Copies": 2, "Retention": 7, "Precreate": 1,
    "CurrentCapacity": {"ReadCapacityUnits": 100, "WriteCapacityUnits": 50},
    "OlderCapacity": "ON_DEMAND",
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                             {"AttributeName": "ts", "AttributeType": "N"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                  {"AttributeName": "ts", "KeyType": "RANGE"}]
  })");
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_EQ(s->name, "events");
  EXPECT_EQ(s->period, Period::kDay);
  EXPECT_EQ(s->copies, 2);
  EXPECT_EQ(s->retention, 7);
  EXPECT_EQ(s->precreate, 1);
  EXPECT_EQ(s->current_capacity, (ProvisionedThroughput{100, 50}));
  EXPECT_EQ(s->older_capacity, std::nullopt);
  EXPECT_EQ(s->key_schema.size(), 2u);

  // Defaults: no environment, one copy, retention 1, no precreate, on-demand.
  s = ParseFamilySpec(R"({"Name": "t", "Period": "NONE",
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})");
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_EQ(s->environment, "");
  EXPECT_EQ(s->copies, 1);
  EXPECT_EQ(s->retention, 1);
  EXPECT_EQ(s->precreate, 0);
  EXPECT_EQ(s->current_capacity, std::nullopt);
}

TEST(FamilyJsonTest, Errors) {
  std::string schema = R"("AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}])";
  auto code = [](std::string_view json) {
    Result<FamilySpec> r = ParseFamilySpec(json);
    return r.has_value() ? ErrorCode::kUnknownService : r.error().code();
  };
  EXPECT_EQ(code("{"), ErrorCode::kSerialization);
  EXPECT_EQ(code("[]"), ErrorCode::kSerialization);
  EXPECT_EQ(code(R"({"Period": "DAY", )" + schema + "}"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(R"({"Name": "t", )" + schema + "}"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(R"({"Name": "t", "Period": "DAY"})"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(R"({"Name": "t", "Period": "FORTNIGHT", )" + schema + "}"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(R"({"Name": 5, "Period": "DAY", )" + schema + "}"), ErrorCode::kSerialization);
  EXPECT_EQ(code(R"({"Name": "t", "Period": "DAY", "Copies": "2", )" + schema + "}"),
            ErrorCode::kSerialization);
  EXPECT_EQ(code(R"({"Name": "t", "Period": "DAY", "Copies": 0, )" + schema + "}"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(R"({"Name": "t", "Period": "DAY", "CurrentCapacity": "LOTS", )" + schema + "}"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(R"({"Name": "t", "Period": "DAY", "CurrentCapacity": 5, )" + schema + "}"),
            ErrorCode::kSerialization);
  EXPECT_EQ(code(R"({"Name": "t", "Period": "DAY",
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "X"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})"),
            ErrorCode::kValidation);
}

TEST(TableNameTest, ConventionAndRoundTrip) {
  FamilySpec s = Events();
  PeriodIndex day = PeriodIndex::Containing(Period::kDay, At(2026, 11, 25, 13));
  EXPECT_EQ(TableName(s, day, 1), "moe_prod_events_2026-11-25_1");
  EXPECT_EQ(TableNamePrefix(s), "moe_prod_events_");
  for (Period p : {Period::kHour, Period::kDay, Period::kWeek, Period::kMonth, Period::kNone}) {
    s.period = p;
    PeriodIndex start = PeriodIndex::Containing(p, At(2026, 12, 20));
    for (PeriodIndex q = start; q.ordinal < start.ordinal + 400; q = q.Next()) {
      for (int copy : {1, 2, 10}) {
        std::string name = TableName(s, q, copy);
        std::optional<ParsedTableName> back = ParseTableName(s, name);
        ASSERT_TRUE(back.has_value()) << name;
        EXPECT_EQ(back->period, q);
        EXPECT_EQ(back->copy, copy);
      }
      if (p == Period::kNone) break;
    }
  }
  s.period = Period::kNone;
  EXPECT_EQ(TableName(s, PeriodIndex{}, 2), "moe_prod_events_2");
  s.environment = "";
  s.period = Period::kWeek;
  EXPECT_EQ(TableName(s, *PeriodIndex::Parse(Period::kWeek, "2026-W53"), 1), "events_2026-W53_1");
}

TEST(TableNameTest, RejectsForeignNames) {
  FamilySpec s = Events();
  for (std::string_view foreign :
       {"moe_prod_events", "moe_prod_events_", "moe_prod_events_2026-11-25", "moe_prod_events_1",
        "moe_prod_events_2026-11-25_0", "moe_prod_events_2026-11-25_01",
        "moe_prod_events_2026-11-25_-1", "moe_prod_events_2026-11-25_1x",
        "moe_prod_events_2026-11-25T13_1", "moe_prod_events_2026-11_1",
        "moe_prod_events_2026-02-30_1", "moe_prod_events_x_2026-11-25_1",
        "moe_prod_events2_2026-11-25_1", "moe_test_events_2026-11-25_1",
        "xmoe_prod_events_2026-11-25_1", "moe_prod_events_2026-11-25__1",
        "moe_prod_events_2026-11-25_99999999999"}) {
    EXPECT_EQ(ParseTableName(s, foreign), std::nullopt) << foreign;
  }
  // A family whose name extends another's is not mistaken for it.
  FamilySpec other = s;
  other.name = "events_b";
  EXPECT_EQ(ParseTableName(s, TableName(other, PeriodIndex::Containing(Period::kDay,
                                                                        At(2026, 1, 1)),
                                        1)),
            std::nullopt);
  s.period = Period::kNone;
  EXPECT_EQ(ParseTableName(s, "moe_prod_events_2026-11-25_1"), std::nullopt);
  EXPECT_EQ(ParseTableName(s, "moe_prod_events_3")->copy, 3);
}

TEST(TableNameTest, JournalNamesFollowTheFamilyAndAreNoFamilyTable) {
  FamilySpec s = Events();
  EXPECT_EQ(JournalStreamName(s), "moe_prod_events_journal");
  EXPECT_EQ(JournalLeaseTableName(s), "moe_prod_events_journal_leases");
  for (Period p : {Period::kNone, Period::kDay}) {
    s.period = p;
    EXPECT_EQ(ParseTableName(s, JournalLeaseTableName(s)), std::nullopt);
  }
  s.environment = "";
  EXPECT_EQ(JournalStreamName(s), "events_journal");
  // Kinesis stream names stop at 128 characters; only write-behind needs one.
  s.name = std::string(125, 'e');
  EXPECT_TRUE(s.Validate().has_value());
  s.mirror_mode = MirrorMode::kWriteBehind;
  ASSERT_FALSE(s.Validate().has_value());
  EXPECT_NE(s.Validate().error().message().find("journal stream"), std::string::npos);
}

TEST(LivePeriodsTest, DailyRetentionSevenOverAMonth) {
  FamilySpec s = Events();  // daily, retention 7
  for (int precreate : {0, 1, 3}) {
    s.precreate = precreate;
    for (int d = 1; d <= 30; ++d) {
      for (int h : {0, 13, 23}) {
        Clock::TimePoint now = At(2026, 11, d, h);
        std::vector<PeriodIndex> live = LivePeriods(s, now);
        ASSERT_EQ(live.size(), static_cast<size_t>(7 + precreate));
        PeriodIndex current = PeriodIndex::Containing(Period::kDay, now);
        EXPECT_EQ(live[6], current);
        for (size_t i = 1; i < live.size(); ++i) EXPECT_EQ(live[i], live[i - 1].Next());
        EXPECT_EQ(live.front().Start(), current.Start() - chr::days(6));
      }
    }
  }
  s.precreate = 1;
  std::vector<PeriodIndex> live = LivePeriods(s, At(2026, 11, 3, 5));
  EXPECT_EQ(live.front().ToString(), "2026-10-28");
  EXPECT_EQ(live.back().ToString(), "2026-11-04");
}

TEST(LivePeriodsTest, ExpiredOverAMonth) {
  FamilySpec s = Events();
  // Every table of November 2026 (and December 1-3), two copies, plus foreign ones.
  std::vector<std::string> existing = {"moe_prod_other_2026-11-01_1", "unrelated"};
  PeriodIndex first = PeriodIndex::Containing(Period::kDay, At(2026, 11, 1));
  for (PeriodIndex p = first; p.ordinal < first.ordinal + 33; p = p.Next()) {
    existing.push_back(TableName(s, p, 1));
    existing.push_back(TableName(s, p, 2));
  }
  for (int d = 1; d <= 30; ++d) {
    Clock::TimePoint now = At(2026, 11, d, 12);
    std::vector<PeriodIndex> expired = ExpiredPeriods(s, now, existing);
    std::vector<PeriodIndex> live = LivePeriods(s, now);
    // Expired: November 1 .. d-7.
    ASSERT_EQ(expired.size(), static_cast<size_t>(std::max(0, d - 7))) << d;
    for (size_t i = 0; i < expired.size(); ++i) {
      EXPECT_EQ(expired[i].ordinal, first.ordinal + static_cast<int64_t>(i));
      EXPECT_LT(expired[i], live.front());
    }
    size_t existing_live = 0;
    for (const std::string& name : existing) {
      std::optional<ParsedTableName> t = ParseTableName(s, name);
      if (t && std::find(live.begin(), live.end(), t->period) != live.end()) ++existing_live;
    }
    EXPECT_EQ(existing_live, static_cast<size_t>(2 * std::min(d, 7) + 2)) << d;
  }
  s.period = Period::kNone;
  EXPECT_TRUE(ExpiredPeriods(s, At(2026, 11, 30), {"moe_prod_events_1"}).empty());
  EXPECT_EQ(LivePeriods(s, At(2026, 11, 30)).size(), 1u);
}

}  // namespace
}  // namespace moe
