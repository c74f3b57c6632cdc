#pragma once
/// @file svg_lines.hpp
/// Line charts: the scaling chart of `headroom scale --plot` (two panels over the GPU count: throughput
/// and scaling efficiency with its 100% line, one curve per GPU type, hollow markers where the job does
/// not fit) and the x-y chart of `headroom serve --plot` (one curve per GPU, labelled points). Ticks
/// in 1-2-5 steps with their unit; the legend sits in the right margin, framed, never over the data.

#include "headroom/io/svg.hpp"

namespace headroom::svg {

// ---------------------------------------------------------------------------------------------------------------
// Scaling

struct ScalePoint {
  int gpus = 1;
  double tokens_per_s = 0;  ///< throughput of the whole job
  double efficiency = 0;    ///< 1 = linear scaling
  bool fits = true;
};

struct ScaleCurve {
  std::string name;
  std::string color = "#1f77b4";
  std::vector<ScalePoint> points;
};

struct ScalingChart {
  std::string title, subtitle;
  std::string throughput_label = "tokens/s";  ///< the upper panel's axis
  std::vector<ScaleCurve> curves;
};

namespace detail {

/// A marker: filled where the job fits, hollow where it does not.
inline std::string marker(double x, double y, const std::string& color, bool fits, int gpus) {
  return "<circle class=\"marker " + std::string(fits ? "fits" : "nofit") + "\" data-gpus=\"" + std::to_string(gpus) +
         "\" cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"4\" fill=\"" + (fits ? color : std::string("white")) +
         "\" stroke=\"" + color + "\" stroke-width=\"1.5\"/>\n";
}

}  // namespace detail

inline std::string scaling_chart(const ScalingChart& c) {
  const double w = 800, h = 560, left = 100, right_margin = 220;
  const Box top_area{left, 56, w - right_margin, 266}, eff_area{left, 296, w - right_margin, 500};
  std::vector<int> counts;
  double tmax = 0, emax = 1;
  bool any_nofit = false;
  for (const auto& cv : c.curves)
    for (const auto& p : cv.points) {
      if (std::find(counts.begin(), counts.end(), p.gpus) == counts.end()) counts.push_back(p.gpus);
      if (std::isfinite(p.tokens_per_s)) tmax = std::max(tmax, p.tokens_per_s);
      if (std::isfinite(p.efficiency)) emax = std::max(emax, p.efficiency);
      any_nofit = any_nofit || !p.fits;
    }
  std::sort(counts.begin(), counts.end());
  const std::vector<double> tticks = nice_ticks(0, tmax > 0 ? tmax * 1.05 : 1, 6);
  const std::vector<double> eticks = nice_ticks(0, 100 * emax * 1.04, 7);
  // GPU counts spaced evenly (they usually double).
  const auto px = [&](int n) {
    const auto i = static_cast<double>(std::find(counts.begin(), counts.end(), n) - counts.begin());
    const double span = top_area.x1 - top_area.x0 - 40;
    return top_area.x0 + 20 + (counts.size() > 1 ? i / static_cast<double>(counts.size() - 1) * span : span / 2);
  };
  const auto ty = [&](double v) { return top_area.y1 - v / tticks.back() * (top_area.y1 - top_area.y0); };
  const auto ey = [&](double v) { return eff_area.y1 - 100 * v / eticks.back() * (eff_area.y1 - eff_area.y0); };

  std::string o = open_chart(w, h, c.title, c.subtitle);
  o += y_axis(top_area, tticks, ty, [](double t) { return count_text(t) + " tok/s"; });
  o += y_axis(eff_area, eticks, [&](double t) { return eff_area.y1 - t / eticks.back() * (eff_area.y1 - eff_area.y0); },
              [](double t) { return plain(t, 3) + "%"; });
  for (int n : counts) {
    o += line(px(n), top_area.y0, px(n), top_area.y1, "#eee") + line(px(n), eff_area.y0, px(n), eff_area.y1, "#eee");
    o += text(px(n), eff_area.y1 + 15, std::to_string(n), tick_size, Anchor::middle, "tick-x");
  }
  o += rect(top_area, "none", "class=\"plot-area\" stroke=\"black\"") +
       rect(eff_area, "none", "class=\"plot-area\" stroke=\"black\"");
  o += text((eff_area.x0 + eff_area.x1) / 2, eff_area.y1 + 34, "GPUs", 11, Anchor::middle, "x-label");
  o += rotated_label(18, (top_area.y0 + top_area.y1) / 2, c.throughput_label);
  o += rotated_label(18, (eff_area.y0 + eff_area.y1) / 2, "scaling efficiency");
  o += line(eff_area.x0, ey(1), eff_area.x1, ey(1), "#555", "class=\"reference\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");

  std::vector<LegendEntry> entries;
  for (const auto& cv : c.curves) entries.push_back({cv.name, cv.color, Mark::line});
  entries.push_back({"100% = linear scaling", "#555", Mark::dashed});
  if (any_nofit) entries.push_back({"does not fit", "#555", Mark::hollow});
  const double lx = top_area.x1 + 12;
  o += legend(lx, top_area.y0, entries);

  for (const auto& cv : c.curves) {
    std::string tp, ep, marks;
    for (const auto& p : cv.points) {
      const double x = px(p.gpus);
      if (std::isfinite(p.tokens_per_s) && p.tokens_per_s >= 0) {
        tp += num(x) + "," + num(ty(p.tokens_per_s)) + " ";
        marks += detail::marker(x, ty(p.tokens_per_s), cv.color, p.fits, p.gpus);
      }
      if (std::isfinite(p.efficiency) && p.efficiency >= 0) {
        ep += num(x) + "," + num(ey(p.efficiency)) + " ";
        marks += detail::marker(x, ey(p.efficiency), cv.color, p.fits, p.gpus);
      }
    }
    o += "<polyline class=\"series throughput\" fill=\"none\" stroke=\"" + cv.color + "\" stroke-width=\"2\" points=\"" +
         tp + "\"><title>" + escape(cv.name) + "</title></polyline>\n";
    o += "<polyline class=\"series efficiency\" fill=\"none\" stroke=\"" + cv.color + "\" stroke-width=\"2\" points=\"" +
         ep + "\"><title>" + escape(cv.name) + "</title></polyline>\n" + marks;
  }
  o += "</svg>\n";
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// x-y

/// One curve of an x-y chart: points in drawing order, each with an optional label (e.g. the load).
struct XySeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<std::string> labels;  ///< one per point, or empty
  std::string color = "#1f77b4";
};

/// A chart with linear x and y axes from 0, one polyline per series with a legend entry, both axes
/// labelled (`x_label`, `y_label`) and the ticks written with their unit (`x_unit`, `y_unit`, after a
/// k/M count). Points with a coordinate that is not finite or is negative are left out; point labels
/// that find no free spot are omitted and counted in a note.
inline std::string xy_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                            const std::vector<XySeries>& series, const std::string& x_unit = {},
                            const std::string& y_unit = {}) {
  const double w = 800, h = 460, left = 100, right_margin = 220, top = 48, bottom = 56;
  const Box area{left, top, w - right_margin, h - bottom};
  const auto usable = [](double v) { return std::isfinite(v) && v >= 0; };
  double xmax = 0, ymax = 0;
  for (const auto& s : series)
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      if (usable(s.x[i]) && usable(s.y[i])) xmax = std::max(xmax, s.x[i]), ymax = std::max(ymax, s.y[i]);
  const std::vector<double> xt = nice_ticks(0, xmax > 0 ? xmax * 1.05 : 1, 7), yt = nice_ticks(0, ymax > 0 ? ymax * 1.05 : 1, 7);
  const auto px = [&](double v) { return area.x0 + v / xt.back() * (area.x1 - area.x0); };
  const auto py = [&](double v) { return area.y1 - v / yt.back() * (area.y1 - area.y0); };
  const auto unit = [](double v, const std::string& u) { return count_text(v) + (u.empty() ? "" : " " + u); };

  std::string o = open_chart(w, h, title);
  for (double t : xt) {
    o += line(px(t), area.y0, px(t), area.y1, "#ddd");
    o += text(px(t), area.y1 + 15, unit(t, x_unit), tick_size, Anchor::middle, "tick-x");
  }
  o += y_axis(area, yt, py, [&](double t) { return unit(t, y_unit); });
  o += rect(area, "none", "class=\"plot-area\" stroke=\"black\"");
  o += text((area.x0 + area.x1) / 2, area.y1 + 34, x_label, 11, Anchor::middle, "x-label");
  o += rotated_label(18, (area.y0 + area.y1) / 2, y_label);

  std::vector<LegendEntry> entries;
  for (const auto& s : series) entries.push_back({s.name, s.color, Mark::line});
  const double lx = area.x1 + 12;
  o += legend(lx, area.y0, entries);
  Placer placer{area, {legend_box(lx, area.y0, entries)}, 0};

  struct Lab {
    double x, y;
    std::string text, color;
  };
  std::vector<Lab> labs;
  for (const auto& s : series) {
    std::string pts, marks;
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!usable(s.x[i]) || !usable(s.y[i])) continue;
      const double x = px(s.x[i]), y = py(s.y[i]);
      pts += num(x) + "," + num(y) + " ";
      marks += "<circle class=\"marker\" cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + s.color + "\"/>\n";
      placer.taken.push_back({x - 3.5, y - 3.5, x + 3.5, y + 3.5});
      if (i < s.labels.size() && !s.labels[i].empty()) labs.push_back({x, y, s.labels[i], s.color});
    }
    o += "<polyline class=\"series\" fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"2\" points=\"" + pts +
         "\"><title>" + escape(s.name) + "</title></polyline>\n" + marks;
  }
  for (const auto& l : labs)
    if (auto s = placer.place(l.text, 9, spots_around(l.x, l.y, 9)))
      o += leader(l.x, l.y, text_box(s->x, s->y, l.text, 9, s->anchor), l.color) + text(s->x, s->y, l.text, 9, s->anchor, "label", l.color);
  if (placer.omitted > 0)
    o += text(lx, legend_box(lx, area.y0, entries).y1 + 18,
              std::to_string(placer.omitted) + (placer.omitted == 1 ? " label" : " labels") + " omitted (no room)", 10,
              Anchor::start, "note", "#555");
  o += "</svg>\n";
  return o;
}

}  // namespace headroom::svg
