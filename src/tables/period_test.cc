#include <gtest/gtest.h>

#include <chrono>

#include "moe/family.h"

namespace moe {
namespace {

namespace chr = std::chrono;
using chr::sys_days;
using chr::year;

Clock::TimePoint At(int y, unsigned m, unsigned d, int h = 0) {
  return Clock::TimePoint(sys_days(year(y) / chr::month(m) / chr::day(d))) + chr::hours(h);
}

std::string Text(Period p, Clock::TimePoint t) { return PeriodIndex::Containing(p, t).ToString(); }

// The invariants every period must satisfy.
void CheckPeriod(PeriodIndex p, Clock::TimePoint t) {
  ASSERT_TRUE(p.Contains(t)) << p.ToString();
  ASSERT_LT(p.Start(), p.End());
  ASSERT_EQ(p.End(), p.Next().Start());
  ASSERT_EQ(p.Prev().End(), p.Start());
  ASSERT_EQ(p.Next().Prev(), p);
  ASSERT_EQ(p.Prev().Next(), p);
  ASSERT_EQ(PeriodIndex::Containing(p.period, p.Start()), p);
  ASSERT_EQ(PeriodIndex::Containing(p.period, p.End() - chr::nanoseconds(1)), p);
  std::optional<PeriodIndex> back = PeriodIndex::Parse(p.period, p.ToString());
  ASSERT_TRUE(back.has_value()) << p.ToString();
  ASSERT_EQ(*back, p);
}

TEST(PeriodTest, Names) {
  for (Period p : {Period::kNone, Period::kHour, Period::kDay, Period::kWeek, Period::kMonth})
    EXPECT_EQ(PeriodFromName(PeriodName(p)), p);
  EXPECT_EQ(PeriodFromName("day"), std::nullopt);
}

TEST(PeriodTest, Formats) {
  Clock::TimePoint t = At(2026, 11, 25, 13) + chr::minutes(59) + chr::seconds(59);
  EXPECT_EQ(Text(Period::kHour, t), "2026-11-25T13");
  EXPECT_EQ(Text(Period::kDay, t), "2026-11-25");
  EXPECT_EQ(Text(Period::kWeek, t), "2026-W48");
  EXPECT_EQ(Text(Period::kMonth, t), "2026-11");
  EXPECT_EQ(Text(Period::kNone, t), "");
  EXPECT_EQ(Text(Period::kHour, At(1970, 1, 1)), "1970-01-01T00");
  EXPECT_EQ(Text(Period::kDay, At(1969, 12, 31, 23)), "1969-12-31");
}

TEST(PeriodTest, IsoWeeks) {
  EXPECT_EQ(Text(Period::kWeek, At(2026, 12, 31)), "2026-W53");
  EXPECT_EQ(Text(Period::kWeek, At(2027, 1, 1)), "2026-W53");
  EXPECT_EQ(Text(Period::kWeek, At(2027, 1, 3, 23)), "2026-W53");
  EXPECT_EQ(Text(Period::kWeek, At(2027, 1, 4)), "2027-W01");
  EXPECT_EQ(Text(Period::kWeek, At(2024, 12, 29)), "2024-W52");
  EXPECT_EQ(Text(Period::kWeek, At(2024, 12, 30)), "2025-W01");
  EXPECT_EQ(Text(Period::kWeek, At(2020, 12, 31)), "2020-W53");
  EXPECT_EQ(Text(Period::kWeek, At(2021, 1, 1)), "2020-W53");
  EXPECT_EQ(Text(Period::kWeek, At(1970, 1, 1)), "1970-W01");
  EXPECT_EQ(Text(Period::kWeek, At(1969, 12, 29)), "1970-W01");
  EXPECT_EQ(Text(Period::kWeek, At(1969, 12, 28)), "1969-W52");
  // Weeks start on Monday 00:00 UTC.
  PeriodIndex w = *PeriodIndex::Parse(Period::kWeek, "2026-W48");
  EXPECT_EQ(w.Start(), At(2026, 11, 23));
  EXPECT_EQ(w.End(), At(2026, 11, 30));
  EXPECT_EQ(PeriodIndex::Parse(Period::kWeek, "2027-W01")->Start(), At(2027, 1, 4));
  EXPECT_EQ(PeriodIndex::Parse(Period::kWeek, "2025-W01")->Start(), At(2024, 12, 30));
}

TEST(PeriodTest, MonthLengthsAndLeapYears) {
  auto month_days = [](std::string_view text) {
    PeriodIndex m = *PeriodIndex::Parse(Period::kMonth, text);
    return chr::floor<chr::days>(m.End() - m.Start()).count();
  };
  EXPECT_EQ(month_days("2024-02"), 29);
  EXPECT_EQ(month_days("2026-02"), 28);
  EXPECT_EQ(month_days("2000-02"), 29);
  EXPECT_EQ(month_days("2100-02"), 28);
  EXPECT_EQ(month_days("2026-04"), 30);
  EXPECT_EQ(month_days("2026-12"), 31);
  PeriodIndex dec = *PeriodIndex::Parse(Period::kMonth, "2026-12");
  EXPECT_EQ(dec.Next().ToString(), "2027-01");
  EXPECT_EQ(dec.End(), At(2027, 1, 1));
  PeriodIndex jan = *PeriodIndex::Parse(Period::kMonth, "1970-01");
  EXPECT_EQ(jan.ordinal, 0);
  EXPECT_EQ(jan.Prev().ToString(), "1969-12");
  EXPECT_EQ(PeriodIndex::Parse(Period::kDay, "2024-12-31")->Next().ToString(), "2025-01-01");
  EXPECT_EQ(PeriodIndex::Parse(Period::kHour, "2024-12-31T23")->Next().ToString(),
            "2025-01-01T00");
  EXPECT_EQ(PeriodIndex::Parse(Period::kDay, "2024-03-01")->Prev().ToString(), "2024-02-29");
}

TEST(PeriodTest, EveryHourOf2024) {
  Clock::TimePoint t = At(2024, 1, 1);
  int hours = 0;
  PeriodIndex prev = PeriodIndex::Containing(Period::kHour, t).Prev();
  for (; t < At(2025, 1, 1); t += chr::hours(1), ++hours) {
    PeriodIndex p = PeriodIndex::Containing(Period::kHour, t + chr::minutes(30));
    ASSERT_EQ(p, prev.Next());
    CheckPeriod(p, t + chr::minutes(30));
    prev = p;
  }
  EXPECT_EQ(hours, 366 * 24);
}

TEST(PeriodTest, EveryDayOf2026To2028) {
  int days = 0, weeks = 0, months = 0;
  PeriodIndex week = PeriodIndex::Containing(Period::kWeek, At(2026, 1, 1));
  PeriodIndex month = PeriodIndex::Containing(Period::kMonth, At(2026, 1, 1));
  for (Clock::TimePoint t = At(2026, 1, 1); t < At(2029, 1, 1); t += chr::days(1), ++days) {
    Clock::TimePoint noon = t + chr::hours(12);
    for (Period kind : {Period::kDay, Period::kWeek, Period::kMonth}) {
      PeriodIndex p = PeriodIndex::Containing(kind, noon);
      CheckPeriod(p, noon);
    }
    chr::year_month_day ymd{chr::floor<chr::days>(t)};
    // The day's text is the calendar date.
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    ASSERT_EQ(Text(Period::kDay, noon), buf);
    ASSERT_EQ(Text(Period::kMonth, noon), std::string(buf, 7));
    // ISO weeks: the week of a day is the week of its Thursday.
    PeriodIndex w = PeriodIndex::Containing(Period::kWeek, noon);
    chr::year_month_day thursday{chr::floor<chr::days>(w.Start()) + chr::days(3)};
    ASSERT_EQ(w.ToString().substr(0, 4), std::to_string(static_cast<int>(thursday.year())));
    if (w != week) {
      ASSERT_EQ(w, week.Next());
      ASSERT_EQ(chr::weekday(chr::floor<chr::days>(t)), chr::Monday);
      week = w;
      ++weeks;
    }
    PeriodIndex m = PeriodIndex::Containing(Period::kMonth, noon);
    if (m != month) {
      ASSERT_EQ(m, month.Next());
      ASSERT_EQ(ymd.day(), chr::day(1));
      month = m;
      ++months;
    }
  }
  EXPECT_EQ(days, 365 + 365 + 366);
  EXPECT_EQ(months, 35);
  // 2026-01-01 is in 2026-W01; 2028-12-31 (Sunday) is in 2028-W52.
  EXPECT_EQ(week.ToString(), "2028-W52");
  EXPECT_EQ(weeks, 53 + 52 + 52 - 1);
}

TEST(PeriodTest, ParseRejects) {
  for (std::string_view bad :
       {"", "2026-11-2", "2026-11-25 ", "2026-13-01", "2026-00-10", "2026-02-29", "2026-04-31",
        "2026-11-25T13", "+026-11-25", "2026/11/25", "１２３４-11-25", "1600-01-01"}) {
    EXPECT_EQ(PeriodIndex::Parse(Period::kDay, bad), std::nullopt) << bad;
  }
  EXPECT_TRUE(PeriodIndex::Parse(Period::kDay, "2024-02-29").has_value());
  for (std::string_view bad : {"2026-11-25T24", "2026-11-25", "2026-11-25T1", "2026-11-25t13"})
    EXPECT_EQ(PeriodIndex::Parse(Period::kHour, bad), std::nullopt) << bad;
  for (std::string_view bad : {"2027-W53", "2026-W54", "2026-W00", "2026-W1", "2026-48"})
    EXPECT_EQ(PeriodIndex::Parse(Period::kWeek, bad), std::nullopt) << bad;
  EXPECT_TRUE(PeriodIndex::Parse(Period::kWeek, "2026-W53").has_value());
  for (std::string_view bad : {"2026-1", "2026-13", "2026-11-01", "202611"})
    EXPECT_EQ(PeriodIndex::Parse(Period::kMonth, bad), std::nullopt) << bad;
  EXPECT_EQ(PeriodIndex::Parse(Period::kNone, "x"), std::nullopt);
  EXPECT_EQ(PeriodIndex::Parse(Period::kNone, ""), (PeriodIndex{Period::kNone, 0}));
}

TEST(PeriodTest, NoneIsOnePeriodForever) {
  PeriodIndex p = PeriodIndex::Containing(Period::kNone, At(2026, 11, 25));
  EXPECT_EQ(p, PeriodIndex::Containing(Period::kNone, At(1980, 1, 1)));
  EXPECT_EQ(p.Next(), p);
  EXPECT_EQ(p.Prev(), p);
  EXPECT_TRUE(p.Contains(At(2200, 1, 1)));
  EXPECT_EQ(p.ToString(), "");
}

}  // namespace
}  // namespace moe
