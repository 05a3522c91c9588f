// Period arithmetic on UTC time with std::chrono calendar types.
#include <chrono>
#include <cstdio>

#include "moe/family.h"

namespace moe {
namespace {

namespace chr = std::chrono;
using chr::days;
using chr::sys_days;

constexpr std::string_view kPeriodNames[] = {"NONE", "HOUR", "DAY", "WEEK", "MONTH"};

// Monday 1969-12-29: the start of week ordinal 0.
constexpr sys_days kWeekZero = sys_days(days(-3));

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Reads exactly `width` decimal digits from the front of `*s`.
bool Digits(std::string_view* s, size_t width, int* out) {
  if (s->size() < width) return false;
  int v = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = (*s)[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  s->remove_prefix(width);
  return true;
}

bool Lit(std::string_view* s, char c) {
  if (s->empty() || s->front() != c) return false;
  s->remove_prefix(1);
  return true;
}

// The ISO week-year and week (1..53) of the week starting on `monday`.
void IsoWeek(sys_days monday, int* year, int* week) {
  sys_days thursday = monday + days(3);
  chr::year y = chr::year_month_day(thursday).year();
  *year = static_cast<int>(y);
  *week = static_cast<int>((thursday - sys_days(y / chr::January / 1)).count() / 7) + 1;
}

sys_days MondayOfIsoWeek1(int year) {
  sys_days jan4 = sys_days(chr::year(year) / chr::January / 4);
  unsigned since_monday = chr::weekday(jan4).iso_encoding() - 1;
  return jan4 - days(since_monday);
}

std::string Format(const char* fmt, int a, int b, int c = 0, int d = 0) {
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, fmt, a, b, c, d);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

}  // namespace

std::string_view PeriodName(Period p) {
  size_t i = static_cast<size_t>(p);
  return i < std::size(kPeriodNames) ? kPeriodNames[i] : std::string_view("?");
}

std::optional<Period> PeriodFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kPeriodNames); ++i) {
    if (kPeriodNames[i] == name) return static_cast<Period>(i);
  }
  return std::nullopt;
}

PeriodIndex PeriodIndex::Containing(Period p, Clock::TimePoint t) {
  switch (p) {
    case Period::kNone:
      return {p, 0};
    case Period::kHour:
      return {p, chr::floor<chr::hours>(t).time_since_epoch().count()};
    case Period::kDay:
      return {p, chr::floor<days>(t).time_since_epoch().count()};
    case Period::kWeek:
      return {p, FloorDiv(chr::floor<days>(t).time_since_epoch().count() + 3, 7)};
    case Period::kMonth: {
      chr::year_month_day ymd(chr::floor<days>(t));
      return {p, (static_cast<int64_t>(static_cast<int>(ymd.year())) - 1970) * 12 +
                     static_cast<unsigned>(ymd.month()) - 1};
    }
  }
  return {p, 0};
}

Clock::TimePoint PeriodIndex::Start() const {
  switch (period) {
    case Period::kNone:
      return Clock::TimePoint::min();
    case Period::kHour:
      return Clock::TimePoint(chr::hours(ordinal));
    case Period::kDay:
      return Clock::TimePoint(days(ordinal));
    case Period::kWeek:
      return Clock::TimePoint(kWeekZero + chr::weeks(ordinal));
    case Period::kMonth: {
      int64_t y = 1970 + FloorDiv(ordinal, 12);
      unsigned m = static_cast<unsigned>(ordinal - FloorDiv(ordinal, 12) * 12) + 1;
      return Clock::TimePoint(
          sys_days(chr::year(static_cast<int>(y)) / chr::month(m) / 1));
    }
  }
  return Clock::TimePoint::min();
}

Clock::TimePoint PeriodIndex::End() const {
  if (period == Period::kNone) return Clock::TimePoint::max();
  return Next().Start();
}

PeriodIndex PeriodIndex::Next() const {
  return period == Period::kNone ? *this : PeriodIndex{period, ordinal + 1};
}

PeriodIndex PeriodIndex::Prev() const {
  return period == Period::kNone ? *this : PeriodIndex{period, ordinal - 1};
}

std::string PeriodIndex::ToString() const {
  if (period == Period::kNone) return "";
  Clock::TimePoint start = Start();
  sys_days day = chr::floor<days>(start);
  chr::year_month_day ymd(day);
  int y = static_cast<int>(ymd.year());
  int m = static_cast<int>(static_cast<unsigned>(ymd.month()));
  int d = static_cast<int>(static_cast<unsigned>(ymd.day()));
  switch (period) {
    case Period::kHour: {
      int h = static_cast<int>(chr::floor<chr::hours>(start - day).count());
      return Format("%04d-%02d-%02dT%02d", y, m, d, h);
    }
    case Period::kDay:
      return Format("%04d-%02d-%02d", y, m, d);
    case Period::kWeek: {
      int wy = 0, w = 0;
      IsoWeek(day, &wy, &w);
      return Format("%04d-W%02d", wy, w);
    }
    case Period::kMonth:
      return Format("%04d-%02d", y, m);
    case Period::kNone:
      break;
  }
  return "";
}

std::optional<PeriodIndex> PeriodIndex::Parse(Period p, std::string_view text) {
  std::string_view s = text;
  std::optional<PeriodIndex> out;
  if (p == Period::kNone) {
    if (text.empty()) out = PeriodIndex{p, 0};
    return out;
  }
  int y = 0;
  // Years a nanosecond TimePoint holds with room to spare.
  if (!Digits(&s, 4, &y) || y < 1700 || y > 2200 || !Lit(&s, '-')) return std::nullopt;
  if (p == Period::kWeek) {
    int w = 0;
    if (!Lit(&s, 'W') || !Digits(&s, 2, &w) || !s.empty() || w < 1 || w > 53) return std::nullopt;
    sys_days monday = MondayOfIsoWeek1(y) + chr::weeks(w - 1);
    out = PeriodIndex{p, FloorDiv((monday - kWeekZero).count(), 7)};
  } else {
    int m = 0;
    if (!Digits(&s, 2, &m) || m < 1 || m > 12) return std::nullopt;
    if (p == Period::kMonth) {
      if (!s.empty()) return std::nullopt;
      out = PeriodIndex::Containing(p, sys_days(chr::year(y) / chr::month(m) / 1));
    } else {
      int d = 0;
      if (!Lit(&s, '-') || !Digits(&s, 2, &d)) return std::nullopt;
      chr::year_month_day ymd{chr::year(y), chr::month(m), chr::day(d)};
      if (!ymd.ok()) return std::nullopt;
      Clock::TimePoint t = sys_days(ymd);
      if (p == Period::kHour) {
        int h = 0;
        if (!Lit(&s, 'T') || !Digits(&s, 2, &h) || h > 23) return std::nullopt;
        t += chr::hours(h);
      }
      if (!s.empty()) return std::nullopt;
      out = PeriodIndex::Containing(p, t);
    }
  }
  // Canonical spelling only (rejects 2026-W53 when 2026 has 52 weeks, etc.).
  if (out->ToString() != text) return std::nullopt;
  return out;
}

}  // namespace moe
