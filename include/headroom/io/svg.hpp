#pragma once
/// @file svg.hpp
/// The drawing core of headroom's SVG charts (svg_memory.hpp, svg_roofline.hpp, svg_lines.hpp): elements,
/// text boxes and a label placer that never lets two labels overlap, round axis ticks (1-2-5 steps),
/// engineering numbers with units, a boxed legend. Allocates; std only.
///
/// Text boxes are estimated, not measured: width = characters × font size × glyph_width (the average
/// advance of a sans-serif glyph), height from the ascent to the descent. The tests compute the same
/// boxes from the SVG (tests/cli/plots_check.py), so the rule is written once here and once there.
/// Elements a reader (or a test) looks for carry a class: title, subtitle, plot-area, tick-x, tick-y,
/// label (placed labels), legend (a group with its legend-box), note.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::svg {

inline constexpr double glyph_width = 0.6;  ///< em; DejaVu Sans (Debian's sans-serif) averages 0.55-0.65
inline constexpr double ascent = 0.8;       ///< em above the baseline
inline constexpr double descent = 0.25;     ///< em below it

/// An axis-aligned box in pixels, y down.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  [[nodiscard]] bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  [[nodiscard]] bool inside(const Box& o) const { return x0 >= o.x0 && x1 <= o.x1 && y0 >= o.y0 && y1 <= o.y1; }
};

enum class Anchor { start, middle, end };

/// Characters of UTF-8 text (continuation bytes are not counted).
inline std::size_t glyphs(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
inline double text_width(std::string_view s, double size) { return glyph_width * size * static_cast<double>(glyphs(s)); }

/// The box of text drawn at (x, baseline y).
inline Box text_box(double x, double y, std::string_view s, double size, Anchor a) {
  const double wd = text_width(s, size);
  const double x0 = a == Anchor::start ? x : a == Anchor::middle ? x - wd / 2 : x - wd;
  return {x0, y - ascent * size, x0 + wd, y + descent * size};
}

inline std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

inline std::string escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

/// The colour of the i-th series of a chart (curves, GPUs, phases), cycling through eight.
inline const char* series_color(std::size_t i) {
  static constexpr const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                           "#9467bd", "#8c564b", "#e377c2", "#17becf"};
  return colors[i % 8];
}

/// A y-axis title at (x, y), turned to read upwards.
inline std::string rotated_label(double x, double y, std::string_view s) {
  return "<text class=\"y-label\" x=\"" + num(x) + "\" y=\"" + num(y) +
         "\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 " + num(x) + " " + num(y) + ")\">" + escape(s) +
         "</text>\n";
}

inline const char* anchor_name(Anchor a) { return a == Anchor::start ? "start" : a == Anchor::middle ? "middle" : "end"; }

/// A text element; `cls` (may be empty) and `fill` become attributes.
inline std::string text(double x, double y, std::string_view s, double size, Anchor a, std::string_view cls = {},
                        std::string_view fill = "#000") {
  std::string o = "<text";
  if (!cls.empty()) o += " class=\"" + std::string(cls) + "\"";
  o += " x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) + "\" text-anchor=\"" + anchor_name(a) +
       "\" fill=\"" + std::string(fill) + "\">" + escape(s) + "</text>\n";
  return o;
}

inline std::string line(double x1, double y1, double x2, double y2, std::string_view stroke, std::string_view extra = {}) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" stroke=\"" +
         std::string(stroke) + "\"" + (extra.empty() ? std::string() : " " + std::string(extra)) + "/>\n";
}

inline std::string rect(const Box& b, std::string_view fill, std::string_view extra = {}) {
  return "<rect x=\"" + num(b.x0) + "\" y=\"" + num(b.y0) + "\" width=\"" + num(b.x1 - b.x0) + "\" height=\"" +
         num(b.y1 - b.y0) + "\" fill=\"" + std::string(fill) + "\"" +
         (extra.empty() ? std::string() : " " + std::string(extra)) + "/>\n";
}

/// The font size (at most `size`) at which `s` is at most `width` wide.
inline double fitting_size(std::string_view s, double size, double width) {
  const double w = text_width(s, size);
  return w <= width ? size : std::max(6.0, size * width / w);
}

/// The opening of a chart: the svg element of w × h, its <title> (title — subtitle), a white background,
/// the title and (if not empty) a smaller subtitle line under it, both centred and shrunk to fit the width.
inline std::string open_chart(double w, double h, std::string_view title, std::string_view subtitle = {}) {
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(w) + "\" height=\"" + num(h) +
                  "\" viewBox=\"0 0 " + num(w) + " " + num(h) + "\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">\n";
  // The document's title (what a browser tab or a screen reader shows): both lines.
  o += "<title>" + escape(title) + (subtitle.empty() ? std::string() : " — " + escape(subtitle)) + "</title>\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o += text(w / 2, 20, title, fitting_size(title, 14, w - 20), Anchor::middle, "title");
  if (!subtitle.empty()) o += text(w / 2, 37, subtitle, fitting_size(subtitle, 11, w - 20), Anchor::middle, "subtitle");
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers

/// `v` rounded to 12 significant digits: tick values without 0.30000000000000004.
inline double round12(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double scale = std::pow(10.0, 11 - std::floor(std::log10(std::abs(v))));
  return std::round(v * scale) / scale;
}

/// The smallest 1, 2 or 5 × 10^k that is at least `raw`.
inline double nice_step(double raw) {
  if (!(raw > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw * (1 - 1e-9)) return round12(m * p);
  return round12(10 * p);
}

/// Ticks in 1-2-5 steps covering [lo, hi] with at most `max_ticks` values; the first and last tick
/// are multiples of the step at or beyond lo and hi.
inline std::vector<double> nice_ticks(double lo, double hi, int max_ticks = 6) {
  if (!(hi > lo)) hi = lo + 1;
  double step = nice_step((hi - lo) / std::max(1, max_ticks - 1));
  while ((std::ceil(hi / step - 1e-9) - std::floor(lo / step + 1e-9)) + 1 > max_ticks) step = nice_step(step * 1.01);
  std::vector<double> t;
  for (double k = std::floor(lo / step + 1e-9); k <= std::ceil(hi / step - 1e-9); k += 1) t.push_back(round12(k * step));
  return t;
}

/// `v` with at most `digits` significant digits, no exponent and no trailing zeros: 165, 1.01, 0.05.
inline std::string plain(double v, int digits = 3) {
  if (v == 0) return "0";
  const int mag = static_cast<int>(std::floor(std::log10(std::abs(v))));
  const int decimals = std::max(0, digits - 1 - mag);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

/// Engineering notation with an SI prefix glued to an SI unit: eng(1.65e14, "FLOP/s") = "165 TFLOP/s",
/// eng(1.008e12, "B/s") = "1.01 TB/s". Values under 1 keep no prefix.
inline std::string eng(double v, std::string_view unit, int digits = 3) {
  static constexpr const char* prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  int p = 0;
  double s = v;
  while (std::abs(s) >= 1000 && p < 6) s /= 1000, ++p;
  // Rounding may carry into the next prefix (999.7 → 1000).
  if (std::abs(std::stod(plain(s, digits))) >= 1000 && p < 6) s /= 1000, ++p;
  return plain(s, digits) + " " + prefixes[p] + std::string(unit);
}

/// A count with a k/M suffix (tokens, not an SI unit): 20000 → "20k", 1500000 → "1.5M".
inline std::string count_text(double v, int digits = 3) {
  if (std::abs(v) >= 1e6) return plain(v / 1e6, digits) + "M";
  if (std::abs(v) >= 1e3) return plain(v / 1e3, digits) + "k";
  return plain(v, digits);
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

/// Where a label may go: its anchor point and alignment.
struct Spot {
  double x = 0, y = 0;
  Anchor anchor = Anchor::start;
};

/// Places labels so that no two boxes overlap: each label takes the first of its candidate spots whose
/// box lies inside `area` and overlaps no box taken before (earlier labels, the legend, markers); a
/// label with no such spot is omitted and counted.
struct Placer {
  Box area;
  std::vector<Box> taken;
  int omitted = 0;

  /// The spot chosen for `s` at `size`, its box now taken; nullopt (counted in `omitted` unless `count`
  /// is false, for a caller that tries a shorter text next) when none fits.
  std::optional<Spot> place(std::string_view s, double size, const std::vector<Spot>& spots, bool count = true) {
    for (const Spot& c : spots) {
      const Box b = text_box(c.x, c.y, s, size, c.anchor);
      if (!b.inside(area)) continue;
      if (std::any_of(taken.begin(), taken.end(), [&](const Box& t) { return t.overlaps(b); })) continue;
      taken.push_back(b);
      return c;
    }
    if (count) ++omitted;
    return std::nullopt;
  }
};

/// Spots around a marker at (x, y) for text of `size`: right, left, above, below, the corners, then the
/// same again one and two text heights further out (a caller draws a leader line to those).
inline std::vector<Spot> spots_around(double x, double y, double size, double r = 3.5) {
  std::vector<Spot> v;
  for (double gap : {r + 2, r + 2 + size, r + 2 + 2.5 * size}) {
    const double mid = y + (ascent - descent) * size / 2;  // baseline that centres the text on y
    const std::vector<Spot> ring{{x + gap, mid, Anchor::start},
                                 {x - gap, mid, Anchor::end},
                                 {x, y - gap - descent * size, Anchor::middle},
                                 {x, y + gap + ascent * size, Anchor::middle},
                                 {x + gap - 1, y - gap + 1 - descent * size, Anchor::start},
                                 {x + gap - 1, y + gap - 1 + ascent * size, Anchor::start},
                                 {x - gap + 1, y - gap + 1 - descent * size, Anchor::end},
                                 {x - gap + 1, y + gap - 1 + ascent * size, Anchor::end}};
    v.insert(v.end(), ring.begin(), ring.end());
  }
  return v;
}

/// A thin line from a marker at (x, y) to the nearest point of a label's box when the label sits
/// further away than `near` pixels; empty otherwise.
inline std::string leader(double x, double y, const Box& b, std::string_view color, double near = 8) {
  const double nx = std::clamp(x, b.x0, b.x1), ny = std::clamp(y, b.y0, b.y1);
  if (std::hypot(nx - x, ny - y) <= near) return {};
  return line(x, y, nx, ny, color, "class=\"leader\" stroke-width=\"0.6\"");
}

// ---------------------------------------------------------------------------------------------------------------
// Legend

enum class Mark { line, dashed, dot, hollow, swatch };

struct LegendEntry {
  std::string name;
  std::string color = "#333333";
  Mark mark = Mark::line;
};

/// The box a legend of these entries takes with its top-left corner at (x, y).
inline Box legend_box(double x, double y, const std::vector<LegendEntry>& entries, double size = 11) {
  double wd = 0;
  for (const auto& e : entries) wd = std::max(wd, text_width(e.name, size));
  return {x, y, x + 36 + wd, y + 8 + 16 * static_cast<double>(entries.size())};
}

/// A legend: a framed box of entries, each a mark in its colour and its name.
inline std::string legend(double x, double y, const std::vector<LegendEntry>& entries, double size = 11) {
  const Box b = legend_box(x, y, entries, size);
  std::string o = "<g class=\"legend\">\n" + rect(b, "white", "class=\"legend-box\" stroke=\"#999\"");
  double ly = y + 16;
  for (const auto& e : entries) {
    const double mx = x + 6, my = ly - 4;
    switch (e.mark) {
      case Mark::line: o += line(mx, my, mx + 20, my, e.color, "stroke-width=\"2\""); break;
      case Mark::dashed: o += line(mx, my, mx + 20, my, e.color, "stroke-width=\"2\" stroke-dasharray=\"5 3\""); break;
      case Mark::dot: o += "<circle cx=\"" + num(mx + 10) + "\" cy=\"" + num(my) + "\" r=\"3.5\" fill=\"" + e.color + "\"/>\n"; break;
      case Mark::hollow:
        o += "<circle cx=\"" + num(mx + 10) + "\" cy=\"" + num(my) + "\" r=\"3.5\" fill=\"white\" stroke=\"" + e.color +
             "\" stroke-width=\"1.5\"/>\n";
        break;
      case Mark::swatch: o += rect({mx + 4, my - 5, mx + 16, my + 5}, e.color); break;
    }
    o += text(x + 30, ly, e.name, size, Anchor::start, {}, "#000");
    ly += 16;
  }
  return o + "</g>\n";
}

/// Axis tick label sizes.
inline constexpr double tick_size = 10;

/// The grid of a y axis over `area` and its tick labels (class tick-y): each tick `t` of `ticks` at
/// height `y(t)`, labelled `label(t)` (the chart's own scale and unit).
template <class Y, class Label>
std::string y_axis(const Box& area, const std::vector<double>& ticks, Y&& y, Label&& label) {
  std::string o;
  for (double t : ticks) {
    const double at = y(t);
    o += line(area.x0, at, area.x1, at, "#ddd");
    o += text(area.x0 - 6, at + 4, label(t), tick_size, Anchor::end, "tick-y");
  }
  return o;
}

}  // namespace headroom::svg
