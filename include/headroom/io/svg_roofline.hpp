#pragma once
/// @file svg_roofline.hpp
/// The roofline chart of `headroom perf --plot`: log-log axes (FLOP/byte, FLOP/s) with engineering
/// ticks, the roofs with their bandwidth and peak written on them, one marker per operator and a label
/// per marker where one fits (svg.hpp Placer; the rest are counted in a note). Operators without
/// FLOPs (norms, activations, residual adds, copies) cannot sit on log axes; they are drawn in a strip
/// under the chart at their achieved bandwidth, against the memory roof's bandwidth.

#include "headroom/io/svg.hpp"

namespace headroom::svg {

/// A roof: min(peak_flops, bandwidth · intensity).
struct Roof {
  std::string name;       ///< legend text
  double peak_flops = 0;  ///< FLOP/s
  double bandwidth = 0;   ///< B/s
  std::string color = "#333333";
  bool dashed = false;
  bool annotate = false;  ///< write the bandwidth on the sloped part and the peak on the flat part
};

/// An operator: (FLOP/B, FLOP/s), or with no FLOPs its achieved bytes/s.
struct RoofPoint {
  std::string label;
  double intensity = 0;  ///< FLOP/B
  double flop_rate = 0;  ///< FLOP/s; 0: an operator without FLOPs, drawn in the strip at byte_rate
  double byte_rate = 0;  ///< B/s
  double weight = 0;     ///< its time: heavier operators get their labels placed first
  std::string color = "#1f77b4";
};

struct RooflineChart {
  std::string title, subtitle;
  std::vector<Roof> roofs;
  std::vector<LegendEntry> groups;  ///< legend entries after the roofs (e.g. the colour of each phase)
  std::vector<RoofPoint> points;
};

namespace detail {

/// Markers of one colour closer than this many pixels share one label ("gate_proj, up_proj").
inline constexpr double merge_px = 4;

struct Marker {
  double x, y, weight;
  std::string label, color;
  std::vector<std::string> names;  ///< of the operators that share the marker
};

/// Groups markers of one colour that nearly coincide, heaviest first.
inline std::vector<Marker> merge_markers(std::vector<Marker> in) {
  std::sort(in.begin(), in.end(), [](const Marker& a, const Marker& b) { return a.weight > b.weight; });
  std::vector<Marker> out;
  for (const auto& m : in) {
    auto it = std::find_if(out.begin(), out.end(), [&](const Marker& g) {
      return g.color == m.color && std::hypot(g.x - m.x, g.y - m.y) < merge_px;
    });
    if (it == out.end()) {
      out.push_back(m);
      out.back().names = {m.label};
    } else if (std::find(it->names.begin(), it->names.end(), m.label) == it->names.end()) {
      it->label += ", " + m.label, it->weight += m.weight, it->names.push_back(m.label);
    }
  }
  return out;
}

/// Places the label of a marker: every name, or where that finds no room the first name and how many
/// more ("gate_proj +2"); one omission counted when neither fits.
inline std::string place_label(Placer& p, const Marker& m, double size) {
  const std::vector<Spot> spots = spots_around(m.x, m.y, size);
  std::string s = m.label;
  auto at = p.place(s, size, spots, m.names.size() < 2);
  if (!at && m.names.size() > 1) {
    s = m.names.front() + " +" + std::to_string(m.names.size() - 1);
    at = p.place(s, size, spots);
  }
  if (!at) return {};
  return leader(m.x, m.y, text_box(at->x, at->y, s, size, at->anchor), m.color) +
         text(at->x, at->y, s, size, at->anchor, "label", m.color);
}

}  // namespace detail

inline std::string roofline_chart(const RooflineChart& c) {
  const double w = 820, left = 100, right_margin = 230, top = 56, plot_bottom = 396;
  const double label_size = 9;
  std::vector<RoofPoint> dots, strip;
  for (const auto& p : c.points) {
    if (p.intensity > 0 && p.flop_rate > 0 && std::isfinite(p.intensity) && std::isfinite(p.flop_rate)) dots.push_back(p);
    else if (p.byte_rate > 0 && std::isfinite(p.byte_rate)) strip.push_back(p);
  }
  std::vector<std::string> strip_colors;
  for (const auto& p : strip)
    if (std::find(strip_colors.begin(), strip_colors.end(), p.color) == strip_colors.end()) strip_colors.push_back(p.color);
  const double row_h = 34;
  const double strip_top = plot_bottom + 66;
  const double strip_bottom = strip_top + row_h * static_cast<double>(strip_colors.size());
  const double h = strip.empty() ? plot_bottom + 50 : strip_bottom + 44;
  const Box area{left, top, w - right_margin, plot_bottom};

  // Axes: whole decades around the points and the roofs' ridges.
  double xmin = 1e300, xmax = 0, ymin = 1e300, ymax = 0, bw_max = 0;
  for (const auto& p : dots) {
    xmin = std::min(xmin, p.intensity), xmax = std::max(xmax, p.intensity);
    ymin = std::min(ymin, p.flop_rate), ymax = std::max(ymax, p.flop_rate);
  }
  for (const auto& r : c.roofs) {
    if (r.peak_flops <= 0 || r.bandwidth <= 0) continue;
    const double ridge = r.peak_flops / r.bandwidth;
    xmin = std::min(xmin, ridge / 100), xmax = std::max(xmax, ridge * 10);
    ymax = std::max(ymax, r.peak_flops);
    bw_max = std::max(bw_max, r.bandwidth);
  }
  if (xmax <= 0) xmin = 0.1, xmax = 1000;
  if (ymax <= 0) ymin = 1e9, ymax = 1e15;
  const double lx0 = std::floor(std::log10(xmin)), lx1 = std::max(lx0 + 1, std::ceil(std::log10(xmax)));
  const double ly1 = std::ceil(std::log10(ymax * 1.5));
  const double ly0 = std::min(std::floor(std::log10(ymin)), ly1 - 3);
  const auto px = [&](double v) { return area.x0 + (std::log10(v) - lx0) / (lx1 - lx0) * (area.x1 - area.x0); };
  const auto py = [&](double v) { return area.y0 + (1 - (std::log10(v) - ly0) / (ly1 - ly0)) * (area.y1 - area.y0); };

  std::string o = open_chart(w, h, c.title, c.subtitle);
  o += "<defs><clipPath id=\"plot\">" + rect(area, "none") + "</clipPath></defs>\n";
  for (double e = lx0; e <= lx1; e += 1) {
    const double v = std::pow(10.0, e), x = px(v);
    o += line(x, area.y0, x, area.y1, "#ddd");
    o += text(x, area.y1 + 15, plain(v, 3) + " FLOP/B", tick_size, Anchor::middle, "tick-x");
  }
  std::vector<double> yticks;
  for (double e = ly0; e <= ly1; e += 1) yticks.push_back(std::pow(10.0, e));
  o += y_axis(area, yticks, py, [](double v) { return eng(v, "FLOP/s"); });
  o += rect(area, "none", "class=\"plot-area\" stroke=\"black\"");
  o += text((area.x0 + area.x1) / 2, area.y1 + 34, "arithmetic intensity (FLOP/byte)", 11, Anchor::middle, "x-label");
  o += rotated_label(16, (area.y0 + area.y1) / 2, "achieved FLOP/s");

  // Legend in the right margin; the placer keeps every label off it.
  std::vector<LegendEntry> entries;
  for (const auto& r : c.roofs) entries.push_back({r.name, r.color, r.dashed ? Mark::dashed : Mark::line});
  entries.insert(entries.end(), c.groups.begin(), c.groups.end());
  const double lx = area.x1 + 12;
  Box lbox = legend_box(lx, area.y0, entries);
  o += legend(lx, area.y0, entries);

  Placer placer{area, {lbox}, 0};
  const double xa = std::pow(10.0, lx0), xb = std::pow(10.0, lx1);
  // Markers are obstacles for every label, drawn before the roofs' text so that none covers a point.
  std::vector<detail::Marker> markers;
  for (std::size_t i = 0; i < dots.size(); ++i) {
    const double x = px(dots[i].intensity), y = py(dots[i].flop_rate);
    markers.push_back({x, y, dots[i].weight, dots[i].label, dots[i].color, {}});
    placer.taken.push_back({x - 3.5, y - 3.5, x + 3.5, y + 3.5});
  }
  for (const auto& r : c.roofs) {
    if (r.peak_flops <= 0 || r.bandwidth <= 0) continue;
    const double ridge = r.peak_flops / r.bandwidth;
    std::string pts = num(px(xa)) + "," + num(py(r.bandwidth * xa)) + " ";
    if (ridge > xa && ridge < xb) pts += num(px(ridge)) + "," + num(py(r.peak_flops)) + " ";
    pts += num(px(xb)) + "," + num(py(std::min(r.peak_flops, r.bandwidth * xb)));
    // The roof is an obstacle too: small boxes along it, so that no label is written across it.
    for (double x = area.x0; x <= area.x1; x += 3) {
      const double v = std::pow(10.0, lx0 + (x - area.x0) / (area.x1 - area.x0) * (lx1 - lx0));
      const double y = py(std::min(r.peak_flops, r.bandwidth * v));
      if (y > area.y0 && y < area.y1) placer.taken.push_back({x - 1.5, y - 1.5, x + 1.5, y + 1.5});
    }
    o += "<polyline class=\"roof\" clip-path=\"url(#plot)\" fill=\"none\" stroke=\"" + r.color +
         "\" stroke-width=\"2\"" + (r.dashed ? std::string(" stroke-dasharray=\"6 4\"") : std::string()) + " points=\"" +
         pts + "\"/>\n";
    if (!r.annotate) continue;
    // The peak above the flat part, right-aligned; the bandwidth above-left of the slope (the region
    // above the roofs holds no operator).
    const std::string peak = eng(r.peak_flops, "FLOP/s") + " peak";
    if (auto s = placer.place(peak, 10, {{area.x1 - 6, py(r.peak_flops) - 6, Anchor::end}}))
      o += text(s->x, s->y, peak, 10, s->anchor, "roof-label", r.color);
    const std::string bw = eng(r.bandwidth, "B/s");
    std::vector<Spot> spots;
    for (double t : {0.5, 0.35, 0.65, 0.2, 0.8}) {
      const double lv = lx0 + t * (std::log10(std::min(ridge, xb)) - lx0);
      const double v = std::pow(10.0, lv), x = px(v), y = py(r.bandwidth * v);
      if (y > area.y0 && y < area.y1) spots.push_back({x - 4, y - 4, Anchor::end});
    }
    if (auto s = placer.place(bw, 10, spots)) o += text(s->x, s->y, bw, 10, s->anchor, "roof-label", r.color);
  }

  for (const auto& m : markers)
    o += "<circle class=\"marker\" cx=\"" + num(m.x) + "\" cy=\"" + num(m.y) + "\" r=\"3.5\" fill=\"" + m.color +
         "\"><title>" + escape(m.label) + "</title></circle>\n";
  for (const auto& m : detail::merge_markers(markers)) o += detail::place_label(placer, m, label_size);

  // The strip of operators without FLOPs: one row per colour, x = achieved bandwidth, from 0 to the roof's.
  if (!strip.empty()) {
    double smax = bw_max;
    for (const auto& p : strip) smax = std::max(smax, p.byte_rate);
    const std::vector<double> ticks = nice_ticks(0, smax, 6);
    const Box sarea{area.x0, strip_top, area.x1, strip_bottom};
    const auto sx = [&](double v) { return sarea.x0 + v / ticks.back() * (sarea.x1 - sarea.x0); };
    o += text(sarea.x0, strip_top - 8, "operators without FLOPs (norm, activation, residual, copy): achieved bandwidth",
              10, Anchor::start, "strip-title");
    for (double t : ticks) {
      o += line(sx(t), sarea.y0, sx(t), sarea.y1, "#ddd");
      o += text(sx(t), sarea.y1 + 14, eng(t, "B/s"), tick_size, Anchor::middle, "tick-x");
    }
    o += rect(sarea, "none", "class=\"strip-area\" stroke=\"black\"");
    if (bw_max > 0) o += line(sx(bw_max), sarea.y0, sx(bw_max), sarea.y1, "#333333", "stroke-width=\"2\" class=\"roof\"");
    Placer sp{sarea, {}, 0};
    std::vector<detail::Marker> sm;
    for (const auto& p : strip) {
      const auto row = static_cast<double>(std::find(strip_colors.begin(), strip_colors.end(), p.color) - strip_colors.begin());
      const double x = sx(p.byte_rate), y = sarea.y0 + row_h * (row + 0.5);
      sm.push_back({x, y, p.weight, p.label, p.color, {}});
      sp.taken.push_back({x - 3.5, y - 3.5, x + 3.5, y + 3.5});
      o += "<circle class=\"marker\" cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + p.color +
           "\"><title>" + escape(p.label) + "</title></circle>\n";
    }
    for (const auto& m : detail::merge_markers(sm)) o += detail::place_label(sp, m, label_size);
    placer.omitted += sp.omitted;
  }
  if (placer.omitted > 0) {
    const std::string note = std::to_string(placer.omitted) + (placer.omitted == 1 ? " label" : " labels") +
                             " omitted (no room)";
    o += text(lx, lbox.y1 + 18, note, 10, Anchor::start, "note", "#555");
    o += text(lx, lbox.y1 + 32, "the perf table lists them all", 10, Anchor::start, "note", "#555");
  }
  o += "</svg>\n";
  return o;
}

}  // namespace headroom::svg
