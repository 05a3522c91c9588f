// The heat map: rows are partitions or key buckets, columns are seconds
// (binned), colour is consumed units relative to the busiest cell, and a
// black mark flags a cell in which something was throttled. Hand-written
// SVG 1.1, no scripts, no external references.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "moe/effectiveness_report.h"

namespace moe::partitioning {
namespace {

constexpr size_t kMaxColumns = 240;
constexpr double kLeft = 120, kTop = 44, kBottom = 56, kRight = 16;

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 forbids most control characters even when escaped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Light yellow -> orange -> dark red as t goes 0 -> 1.
std::string Colour(double t) {
  struct Stop {
    double at, r, g, b;
  };
  constexpr Stop stops[] = {{0, 255, 255, 204}, {0.5, 253, 141, 60}, {1, 128, 0, 38}};
  t = std::clamp(t, 0.0, 1.0);
  const Stop& a = t <= 0.5 ? stops[0] : stops[1];
  const Stop& b = t <= 0.5 ? stops[1] : stops[2];
  double f = (t - a.at) / (b.at - a.at);
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(a.r + f * (b.r - a.r)),
                static_cast<int>(a.g + f * (b.g - a.g)), static_cast<int>(a.b + f * (b.b - a.b)));
  return buf;
}

double At(const std::vector<double>& v, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to && i < v.size(); ++i) s += v[i];
  return s;
}

}  // namespace

std::string ToSvg(const EffectivenessReport& report) {
  const std::vector<LoadSeries>& rows = report.load.series;
  size_t seconds = 0;
  for (const LoadSeries& s : rows) seconds = std::max(seconds, s.consumed.size());
  size_t bin = std::max<size_t>(1, (seconds + kMaxColumns - 1) / kMaxColumns);
  size_t columns = std::max<size_t>(1, (seconds + bin - 1) / bin);
  double cell_w = std::clamp(720.0 / static_cast<double>(columns), 1.0, 24.0);
  double cell_h = rows.empty() ? 16 : std::clamp(480.0 / static_cast<double>(rows.size()), 4.0, 24.0);
  double grid_w = cell_w * static_cast<double>(columns);
  double grid_h = cell_h * static_cast<double>(std::max<size_t>(1, rows.size()));
  double width = kLeft + std::max(grid_w, 360.0) + kRight, height = kTop + grid_h + kBottom;

  double peak = 0;
  for (const LoadSeries& s : rows) {
    for (size_t c = 0; c < columns; ++c) peak = std::max(peak, At(s.consumed, c * bin, (c + 1) * bin));
  }
  std::string kind = report.load.kind == LoadMatrix::Kind::kPartitions ? "partition" : "key bucket";

  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + Num(width) +
         "\" height=\"" + Num(height) + "\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
         "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  out += "<title>" + Escape(report.table) + ": load by " + kind + " over time</title>\n";
  out += "<rect x=\"0\" y=\"0\" width=\"" + Num(width) + "\" height=\"" + Num(height) +
         "\" fill=\"#ffffff\"/>\n";
  out += "<text x=\"" + Num(kLeft) + "\" y=\"18\" font-size=\"14\" font-weight=\"bold\">" +
         Escape(report.table) + (report.strategy.empty() ? "" : " (" + Escape(report.strategy) + ")") +
         "</text>\n";
  char sub[256];
  std::snprintf(sub, sizeof sub, "load by %s over time; skew %.3f, gini %.3f, %.1f%% of attempts throttled",
                kind.c_str(), report.skew, report.gini, 100 * report.throttle_ratio);
  out += "<text x=\"" + Num(kLeft) + "\" y=\"34\">" + Escape(sub) + "</text>\n";
  out += "<rect x=\"" + Num(kLeft) + "\" y=\"" + Num(kTop) + "\" width=\"" + Num(grid_w) +
         "\" height=\"" + Num(grid_h) + "\" fill=\"#f4f4f4\"/>\n";
  out += "<g id=\"cells\">\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    double y = kTop + cell_h * static_cast<double>(r);
    out += "<text x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(y + cell_h * 0.5 + 4) +
           "\" text-anchor=\"end\">" + Escape(rows[r].name.substr(0, 24)) + "</text>\n";
    for (size_t c = 0; c < columns; ++c) {
      double consumed = At(rows[r].consumed, c * bin, (c + 1) * bin);
      double throttled = At(rows[r].throttled, c * bin, (c + 1) * bin);
      double x = kLeft + cell_w * static_cast<double>(c);
      if (consumed > 0 && peak > 0) {
        out += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(cell_w) +
               "\" height=\"" + Num(cell_h) + "\" fill=\"" + Colour(consumed / peak) + "\"/>\n";
      }
      if (throttled > 0) {
        double m = std::max(1.0, std::min(cell_w, cell_h) / 3);
        out += "<rect x=\"" + Num(x + (cell_w - m) / 2) + "\" y=\"" + Num(y + (cell_h - m) / 2) +
               "\" width=\"" + Num(m) + "\" height=\"" + Num(m) + "\" fill=\"#000000\"/>\n";
      }
    }
  }
  out += "</g>\n";
  // Time axis: about eight labels.
  double axis_y = kTop + grid_h + 14;
  size_t step = std::max<size_t>(1, columns / 8);
  for (size_t c = 0; c <= columns; c += step) {
    out += "<text x=\"" + Num(kLeft + cell_w * static_cast<double>(c)) + "\" y=\"" + Num(axis_y) +
           "\" text-anchor=\"middle\">" + std::to_string(c * bin) + "s</text>\n";
  }
  char legend[256];
  std::snprintf(legend, sizeof legend,
                "colour: units consumed per %zu s cell (darkest = %.1f); black mark: throttled",
                bin, peak);
  out += "<text x=\"" + Num(kLeft) + "\" y=\"" + Num(axis_y + 20) + "\">" + Escape(legend) +
         "</text>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace moe::partitioning
