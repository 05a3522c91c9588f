#include <gtest/gtest.h>

#include <cctype>

#include "moe/effectiveness_report.h"
#include "moe/json.h"

namespace moe::partitioning {
namespace {

// A small XML well-formedness check: every tag closes in order, attribute
// values are quoted, entities are known; counts elements by name.
struct XmlCheck {
  bool ok = true;
  std::string error;
  std::map<std::string, int> elements;
  std::string root;
};

XmlCheck CheckXml(std::string_view s) {
  XmlCheck out;
  std::vector<std::string> stack;
  auto fail = [&](std::string why) {
    out.ok = false;
    out.error = std::move(why);
    return out;
  };
  size_t i = 0;
  if (s.starts_with("<?xml")) i = s.find("?>") + 2;
  while (i < s.size()) {
    if (s[i] == '&') {
      size_t semi = s.find(';', i);
      std::string_view ent = s.substr(i, semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;") {
        return fail("bad entity at " + std::to_string(i));
      }
      i = semi + 1;
      continue;
    }
    if (s[i] != '<') {
      if (s[i] == '>') return fail("stray > at " + std::to_string(i));
      ++i;
      continue;
    }
    size_t end = s.find('>', i);
    if (end == std::string_view::npos) return fail("unterminated tag");
    std::string_view tag = s.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.starts_with('/')) {
      if (stack.empty() || stack.back() != tag.substr(1)) return fail("mismatched </" + std::string(tag.substr(1)) + ">");
      stack.pop_back();
      continue;
    }
    bool self_closing = tag.ends_with('/');
    if (self_closing) tag.remove_suffix(1);
    size_t name_end = 0;
    while (name_end < tag.size() && !std::isspace(static_cast<unsigned char>(tag[name_end]))) ++name_end;
    std::string name(tag.substr(0, name_end));
    if (name.empty()) return fail("empty tag name");
    // Attributes: name="value" pairs, values without '<' or a raw '"'.
    std::string_view rest = tag.substr(name_end);
    while (!rest.empty()) {
      while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
      if (rest.empty()) break;
      size_t eq = rest.find('=');
      if (eq == std::string_view::npos || eq + 1 >= rest.size() || rest[eq + 1] != '"') {
        return fail("unquoted attribute in <" + name + ">");
      }
      size_t close = rest.find('"', eq + 2);
      if (close == std::string_view::npos) return fail("unterminated attribute");
      if (rest.substr(eq + 2, close - eq - 2).find('<') != std::string_view::npos) return fail("< in attribute");
      rest.remove_prefix(close + 1);
    }
    if (stack.empty() && out.root.empty()) out.root = name;
    else if (stack.empty()) return fail("second root <" + name + ">");
    ++out.elements[name];
    if (!self_closing) stack.push_back(name);
  }
  if (!stack.empty()) return fail("unclosed <" + stack.back() + ">");
  return out;
}

TEST(SkewTest, SeparatesOneHotKeyFromAnEvenSpread) {
  std::vector<double> hot = {2000, 10, 10, 10, 10, 10, 10, 10};
  std::vector<double> even = {1010, 990, 1003, 997, 1000, 1001, 999, 1000};
  EXPECT_GT(SkewScore(hot), 0.6);
  EXPECT_LT(SkewScore(even), 0.01);
  EXPECT_GT(Gini(hot), 0.7);
  EXPECT_LT(Gini(even), 0.01);
  EXPECT_NEAR(SkewScore({5, 0, 0, 0}), 1.0, 1e-12);
  EXPECT_NEAR(Gini({5, 0, 0, 0}), 0.75, 1e-12);  // (n-1)/n
  EXPECT_EQ(SkewScore({7}), 0);
  EXPECT_EQ(SkewScore({0, 0}), 0);
}

ReportInput HotKeyRun() {
  ReportInput in;
  in.table = "orders <&> \"x\"";
  in.strategy = "single hot key";
  in.provisioned = {.read_units = 0, .write_units = 4000};
  in.client = {.duration_seconds = 10, .consumed_units = 10000, .attempts = 20000,
               .throttled_attempts = 10000, .failed_calls = 0};
  in.load.kind = LoadMatrix::Kind::kPartitions;
  for (int p = 0; p < 4; ++p) {
    LoadSeries s{"partition " + std::to_string(p), std::vector<double>(10, p == 2 ? 1000 : 0),
                 std::vector<double>(10, p == 2 ? 1000 : 0)};
    in.load.series.push_back(s);
  }
  in.hottest = {{"orders/hot", 20000, 0, 10000, 10000, 20000}, {"orders/x", 5, 0, 5, 0, 5}};
  return in;
}

TEST(ReportTest, HotKeyRunReadsAsSkewedAndThrottled) {
  EffectivenessReport r = BuildReport(HotKeyRun());
  EXPECT_EQ(r.partitions_by_formula, 4);
  EXPECT_EQ(r.partitions_reported, 4);
  EXPECT_EQ(r.partitions_by_throttling, 4);  // 4000 / (10000 units / 10 s)
  EXPECT_DOUBLE_EQ(r.achieved_per_second, 1000);
  EXPECT_DOUBLE_EQ(r.achieved_vs_provisioned, 0.25);
  EXPECT_DOUBLE_EQ(*r.server_per_second, 1000);
  EXPECT_DOUBLE_EQ(*r.achieved_vs_server, 1.0);
  EXPECT_DOUBLE_EQ(r.throttle_ratio, 0.5);
  EXPECT_NEAR(r.skew, 1.0, 1e-9);
  EXPECT_EQ(r.skew_basis, "server partitions");
  ASSERT_EQ(r.hottest.size(), 2u);
  EXPECT_TRUE(r.hottest[0].throttled);
  EXPECT_FALSE(r.hottest[1].throttled);

  std::string text = ToText(r);
  EXPECT_NE(text.find("THROTTLED"), std::string::npos);
  EXPECT_NE(text.find("25.0%"), std::string::npos);

  Result<Item> json = ItemFromPlainJson(ToJson(r));
  ASSERT_TRUE(json) << json.error().ToString();
  EXPECT_EQ(json->at("table"), Value("orders <&> \"x\""));
  EXPECT_EQ(json->at("partitions_by_formula"), Value(4));
  EXPECT_EQ(json->at("hottest").l().size(), 2u);
  EXPECT_EQ(json->at("load").m().at("series").l().size(), 4u);
}

TEST(ReportTest, EvenRunHasLowSkewAndNoThrottlingEstimate) {
  ReportInput in = HotKeyRun();
  in.load.kind = LoadMatrix::Kind::kKeyBuckets;
  for (LoadSeries& s : in.load.series) {
    s.consumed.assign(10, 990);
    s.throttled.assign(10, 0);
  }
  in.hottest = {{"orders/a#1", 10, 0, 10, 0, 10}, {"orders/a#2", 9, 0, 9, 0, 9}};
  in.client.consumed_units = 39600;
  EffectivenessReport r = BuildReport(in);
  EXPECT_LT(r.skew, 0.01);
  EXPECT_EQ(r.skew_basis, "server key buckets");
  EXPECT_FALSE(r.partitions_reported);
  EXPECT_FALSE(r.partitions_by_throttling);
  EXPECT_NEAR(r.achieved_vs_provisioned, 0.99, 1e-9);
  EXPECT_GT(BuildReport(HotKeyRun()).skew, r.skew + 0.5);

  // Without server rows the tracked keys are the basis.
  in.load.series.clear();
  EXPECT_EQ(BuildReport(in).skew_basis, "tracked keys");
}

TEST(ReportTest, SvgIsWellFormedWithOneCellPerBusySecondAndThrottleMarks) {
  EffectivenessReport r = BuildReport(HotKeyRun());
  std::string svg = ToSvg(r);
  XmlCheck xml = CheckXml(svg);
  ASSERT_TRUE(xml.ok) << xml.error;
  EXPECT_EQ(xml.root, "svg");
  EXPECT_EQ(xml.elements["title"], 1);
  EXPECT_EQ(xml.elements["g"], 1);
  // Background + grid + 10 busy cells + 10 throttle marks.
  EXPECT_EQ(xml.elements["rect"], 2 + 10 + 10);
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '\n') > 0, true);
  EXPECT_NE(svg.find("orders &lt;&amp;&gt; &quot;x&quot;"), std::string::npos);
  EXPECT_LT(svg.size(), 20000u);

  // Long runs are binned to at most 240 columns.
  ReportInput long_run = HotKeyRun();
  for (LoadSeries& s : long_run.load.series) {
    s.consumed.assign(3600, 1);
    s.throttled.clear();
  }
  std::string big = ToSvg(BuildReport(long_run));
  XmlCheck big_xml = CheckXml(big);
  ASSERT_TRUE(big_xml.ok) << big_xml.error;
  EXPECT_EQ(big_xml.elements["rect"], 2 + 4 * 240);

  EXPECT_TRUE(CheckXml(ToSvg(EffectivenessReport{})).ok);
}

TEST(LoadRecorderTest, BucketsKeysBySecond) {
  ManualClock clock(ManualClock::FromUnixSeconds(100));
  LoadRecorder recorder(4, clock);
  recorder.Record("a", 1, 0);
  recorder.Record("a", 2, 0);
  clock.Advance(std::chrono::seconds(2));
  recorder.Record("a", 0, 3);
  LoadMatrix m = recorder.Snapshot();
  ASSERT_EQ(m.series.size(), 4u);
  EXPECT_EQ(m.start_unix_seconds, 100);
  double consumed = 0, throttled = 0;
  for (const LoadSeries& s : m.series) {
    ASSERT_EQ(s.consumed.size(), 3u);
    consumed += s.consumed[0];
    throttled += s.throttled[2];
  }
  EXPECT_EQ(consumed, 3);
  EXPECT_EQ(throttled, 3);
}

}  // namespace
}  // namespace moe::partitioning
