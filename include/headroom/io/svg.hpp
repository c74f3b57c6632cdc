#pragma once
/// @file svg.hpp
/// A small dependency-free SVG line chart: one or more series over a shared x axis (e.g. scaling
/// efficiency and throughput over the GPU count), an x-y chart with linear axes (a serving
/// throughput-latency curve per GPU) and a log-log roofline chart (roofs and labelled operator points). Allocates; std only.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace headroom::svg {

struct Series {
  std::string name;
  std::vector<double> y;
  std::string color = "#1f77b4";
};

namespace detail {
inline std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}
inline std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else o += c;
  }
  return o;
}
/// The opening of a chart: the svg element of w × h, a white background and the title centred at x.
inline std::string open_chart(double w, double h, double title_x, const std::string& title) {
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(w) + "\" height=\"" + num(h) +
                  "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o += "<text x=\"" + num(title_x) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" + escape(title) +
       "</text>\n";
  return o;
}

}  // namespace detail

/// A line chart: x values are spaced evenly (categories such as GPU counts), y from 0 to the largest value.
inline std::string line_chart(const std::string& title, const std::string& x_label, const std::vector<double>& x,
                              const std::vector<Series>& series, const std::string& y_label) {
  const double w = 640, h = 400, left = 70, right = 20, top = 40, bottom = 50;
  double ymax = 0;
  for (const auto& s : series)
    for (double v : s.y) ymax = std::max(ymax, v);
  if (ymax <= 0) ymax = 1;
  ymax *= 1.1;
  const auto px = [&](std::size_t i) {
    return left + (x.size() > 1 ? static_cast<double>(i) / static_cast<double>(x.size() - 1) : 0.5) * (w - left - right);
  };
  const auto py = [&](double v) { return top + (1 - v / ymax) * (h - top - bottom); };
  using detail::num;
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(w) + "\" height=\"" + num(h) +
                  "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o += "<text x=\"" + num(w / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" + detail::escape(title) + "</text>\n";
  o += "<line x1=\"" + num(left) + "\" y1=\"" + num(h - bottom) + "\" x2=\"" + num(w - right) + "\" y2=\"" +
       num(h - bottom) + "\" stroke=\"black\"/>\n";
  o += "<line x1=\"" + num(left) + "\" y1=\"" + num(top) + "\" x2=\"" + num(left) + "\" y2=\"" + num(h - bottom) +
       "\" stroke=\"black\"/>\n";
  for (int t = 0; t <= 4; ++t) {
    const double v = ymax * t / 4;
    o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(py(v) + 4) + "\" text-anchor=\"end\">" + num(v) + "</text>\n";
    o += "<line x1=\"" + num(left) + "\" y1=\"" + num(py(v)) + "\" x2=\"" + num(w - right) + "\" y2=\"" + num(py(v)) +
         "\" stroke=\"#ddd\"/>\n";
  }
  for (std::size_t i = 0; i < x.size(); ++i)
    o += "<text x=\"" + num(px(i)) + "\" y=\"" + num(h - bottom + 18) + "\" text-anchor=\"middle\">" + num(x[i]) +
         "</text>\n";
  o += "<text x=\"" + num(w / 2) + "\" y=\"" + num(h - 10) + "\" text-anchor=\"middle\">" + detail::escape(x_label) +
       "</text>\n";
  o += "<text x=\"16\" y=\"" + num(h / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " + num(h / 2) +
       ")\">" + detail::escape(y_label) + "</text>\n";
  double ly = top + 8;
  for (const auto& s : series) {
    std::string pts;
    for (std::size_t i = 0; i < s.y.size() && i < x.size(); ++i) pts += num(px(i)) + "," + num(py(s.y[i])) + " ";
    o += "<polyline fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"2\" points=\"" + pts + "\"/>\n";
    for (std::size_t i = 0; i < s.y.size() && i < x.size(); ++i)
      o += "<circle cx=\"" + num(px(i)) + "\" cy=\"" + num(py(s.y[i])) + "\" r=\"3\" fill=\"" + s.color + "\"/>\n";
    o += "<text x=\"" + num(w - right - 150) + "\" y=\"" + num(ly) + "\" fill=\"" + s.color + "\">" +
         detail::escape(s.name) + "</text>\n";
    ly += 16;
  }
  o += "</svg>\n";
  return o;
}

/// One curve of an x-y chart: points in drawing order, each with an optional label (e.g. the load).
struct XySeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<std::string> labels;  ///< one per point, or empty
  std::string color = "#1f77b4";
};

/// A chart with linear x and y axes from 0 to the largest value (plus a margin), one polyline per
/// series with a legend entry, both axes labelled (`x_label`, `y_label`: give the unit). Points with a
/// coordinate that is not finite or is negative are left out.
inline std::string xy_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                            const std::vector<XySeries>& series) {
  const double w = 760, h = 440, left = 80, right = 190, top = 40, bottom = 50;
  const auto usable = [](double v) { return std::isfinite(v) && v >= 0; };
  double xmax = 0, ymax = 0;
  for (const auto& s : series)
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      if (usable(s.x[i]) && usable(s.y[i])) xmax = std::max(xmax, s.x[i]), ymax = std::max(ymax, s.y[i]);
  xmax = xmax > 0 ? xmax * 1.1 : 1;
  ymax = ymax > 0 ? ymax * 1.1 : 1;
  const auto px = [&](double v) { return left + v / xmax * (w - left - right); };
  const auto py = [&](double v) { return top + (1 - v / ymax) * (h - top - bottom); };
  using detail::num;
  std::string o = detail::open_chart(w, h, (left + w - right) / 2, title);
  for (int t = 0; t <= 4; ++t) {
    const double vx = xmax * t / 4, vy = ymax * t / 4;
    o += "<line x1=\"" + num(px(vx)) + "\" y1=\"" + num(top) + "\" x2=\"" + num(px(vx)) + "\" y2=\"" + num(h - bottom) +
         "\" stroke=\"#ddd\"/>\n";
    o += "<text x=\"" + num(px(vx)) + "\" y=\"" + num(h - bottom + 16) + "\" text-anchor=\"middle\">" + num(vx) +
         "</text>\n";
    o += "<line x1=\"" + num(left) + "\" y1=\"" + num(py(vy)) + "\" x2=\"" + num(w - right) + "\" y2=\"" + num(py(vy)) +
         "\" stroke=\"#ddd\"/>\n";
    o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(py(vy) + 4) + "\" text-anchor=\"end\">" + num(vy) + "</text>\n";
  }
  o += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(w - left - right) + "\" height=\"" +
       num(h - top - bottom) + "\" fill=\"none\" stroke=\"black\"/>\n";
  o += "<text class=\"x-label\" x=\"" + num((left + w - right) / 2) + "\" y=\"" + num(h - 12) +
       "\" text-anchor=\"middle\">" + detail::escape(x_label) + "</text>\n";
  o += "<text class=\"y-label\" x=\"16\" y=\"" + num(h / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " +
       num(h / 2) + ")\">" + detail::escape(y_label) + "</text>\n";
  double ly = top + 8;
  for (const auto& s : series) {
    std::string pts, marks;
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!usable(s.x[i]) || !usable(s.y[i])) continue;
      const double x = px(s.x[i]), y = py(s.y[i]);
      pts += num(x) + "," + num(y) + " ";
      marks += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3\" fill=\"" + s.color + "\"/>\n";
      if (i < s.labels.size() && !s.labels[i].empty())
        marks += "<text x=\"" + num(x + 5) + "\" y=\"" + num(y - 4) + "\" font-size=\"9\" fill=\"" + s.color + "\">" +
                 detail::escape(s.labels[i]) + "</text>\n";
    }
    o += "<polyline class=\"series\" fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"2\" points=\"" + pts +
         "\"><title>" + detail::escape(s.name) + "</title></polyline>\n" + marks;
    o += "<text x=\"" + num(w - right + 8) + "\" y=\"" + num(ly) + "\" fill=\"" + s.color + "\">" +
         detail::escape(s.name) + "</text>\n";
    ly += 16;
  }
  o += "</svg>\n";
  return o;
}

/// A roof of a roofline chart: min(peak_flops, bandwidth · intensity); with a zero peak or bandwidth only
/// its name is drawn, in the legend (e.g. the colour of a group of points).
struct Roof {
  std::string name;
  double peak_flops = 0;  ///< FLOP/s
  double bandwidth = 0;   ///< B/s
  std::string color = "#333333";
  bool dashed = false;
};

/// A labelled point of a roofline chart: (FLOP/B, FLOP/s).
struct RoofPoint {
  std::string label;
  double intensity = 0;
  double flop_rate = 0;
  std::string color = "#1f77b4";
};

/// A roofline chart with log-log axes: x = arithmetic intensity (FLOP/B), y = FLOP/s. Points with a
/// non-positive coordinate cannot be drawn on log axes and are left out.
inline std::string roofline_chart(const std::string& title, const std::vector<Roof>& roofs,
                                  const std::vector<RoofPoint>& points) {
  const double w = 760, h = 480, left = 80, right = 190, top = 40, bottom = 50;
  double xmin = 1e300, xmax = 0, ymin = 1e300, ymax = 0;
  for (const auto& p : points) {
    if (p.intensity <= 0 || p.flop_rate <= 0) continue;
    xmin = std::min(xmin, p.intensity), xmax = std::max(xmax, p.intensity);
    ymin = std::min(ymin, p.flop_rate), ymax = std::max(ymax, p.flop_rate);
  }
  for (const auto& r : roofs) {
    if (r.peak_flops <= 0 || r.bandwidth <= 0) continue;
    const double ridge = r.peak_flops / r.bandwidth;
    xmin = std::min(xmin, ridge / 100), xmax = std::max(xmax, ridge * 10);
    ymax = std::max(ymax, r.peak_flops);
  }
  if (xmax <= 0) xmin = 0.1, xmax = 1000;
  if (ymax <= 0) ymin = 1e9, ymax = 1e15;
  // Whole decades around the data.
  const double lx0 = std::floor(std::log10(xmin)), lx1 = std::ceil(std::log10(xmax));
  const double ly1 = std::ceil(std::log10(ymax * 1.5));
  const double ly0 = std::min(std::floor(std::log10(ymin)), ly1 - 3);
  const auto px = [&](double v) { return left + (std::log10(v) - lx0) / (lx1 - lx0) * (w - left - right); };
  const auto py = [&](double v) { return top + (1 - (std::log10(v) - ly0) / (ly1 - ly0)) * (h - top - bottom); };
  using detail::num;
  std::string o = detail::open_chart(w, h, (left + w - right) / 2, title);
  o += "<defs><clipPath id=\"plot\"><rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" +
       num(w - left - right) + "\" height=\"" + num(h - top - bottom) + "\"/></clipPath></defs>\n";
  for (double e = lx0; e <= lx1; e += 1) {
    const double x = px(std::pow(10.0, e));
    o += "<line x1=\"" + num(x) + "\" y1=\"" + num(top) + "\" x2=\"" + num(x) + "\" y2=\"" + num(h - bottom) +
         "\" stroke=\"#ddd\"/>\n";
    o += "<text x=\"" + num(x) + "\" y=\"" + num(h - bottom + 16) + "\" text-anchor=\"middle\">1e" + num(e) +
         "</text>\n";
  }
  for (double e = ly0; e <= ly1; e += 1) {
    const double y = py(std::pow(10.0, e));
    o += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(w - right) + "\" y2=\"" + num(y) +
         "\" stroke=\"#ddd\"/>\n";
    o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">1e" + num(e) + "</text>\n";
  }
  o += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(w - left - right) + "\" height=\"" +
       num(h - top - bottom) + "\" fill=\"none\" stroke=\"black\"/>\n";
  o += "<text x=\"" + num((left + w - right) / 2) + "\" y=\"" + num(h - 12) +
       "\" text-anchor=\"middle\">arithmetic intensity (FLOP/byte)</text>\n";
  o += "<text x=\"16\" y=\"" + num(h / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " + num(h / 2) +
       ")\">achieved FLOP/s</text>\n";
  double ly = top + 8;
  const double xa = std::pow(10.0, lx0), xb = std::pow(10.0, lx1);
  for (const auto& r : roofs) {
    o += "<text x=\"" + num(w - right + 8) + "\" y=\"" + num(ly) + "\" fill=\"" + r.color + "\">" +
         detail::escape(r.name) + "</text>\n";
    ly += 16;
    if (r.peak_flops <= 0 || r.bandwidth <= 0) continue;  // a legend entry only
    const double ridge = r.peak_flops / r.bandwidth;
    std::string pts = num(px(xa)) + "," + num(py(r.bandwidth * xa)) + " ";
    if (ridge > xa && ridge < xb) pts += num(px(ridge)) + "," + num(py(r.peak_flops)) + " ";
    pts += num(px(xb)) + "," + num(py(std::min(r.peak_flops, r.bandwidth * xb)));
    o += "<polyline clip-path=\"url(#plot)\" fill=\"none\" stroke=\"" + r.color + "\" stroke-width=\"2\"" +
         (r.dashed ? std::string(" stroke-dasharray=\"6 4\"") : std::string()) + " points=\"" + pts + "\"/>\n";
  }
  for (const auto& p : points) {
    if (p.intensity <= 0 || p.flop_rate <= 0) continue;
    const double x = px(p.intensity), y = py(p.flop_rate);
    o += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + p.color + "\"><title>" +
         detail::escape(p.label) + "</title></circle>\n";
    o += "<text x=\"" + num(x + 5) + "\" y=\"" + num(y - 4) + "\" font-size=\"9\" fill=\"" + p.color + "\">" +
         detail::escape(p.label) + "</text>\n";
  }
  o += "</svg>\n";
  return o;
}

}  // namespace headroom::svg
