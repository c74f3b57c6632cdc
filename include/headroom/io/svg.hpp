#pragma once
/// @file svg.hpp
/// A small dependency-free SVG line chart: one or more series over a shared x axis (e.g. scaling
/// efficiency and throughput over the GPU count). Allocates; std only.

#include <algorithm>
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

}  // namespace headroom::svg
