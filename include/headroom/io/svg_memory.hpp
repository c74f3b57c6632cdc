#pragma once
/// @file svg_memory.hpp
/// The memory chart of `headroom fit --plot` and `headroom compare --plot`: one stacked bar per GPU (the
/// memory components of the answer, bottom up, then what the allocator and the CUDA context add), the
/// GPU's capacity as a line across the bar (and the runtime's usable limit where it is lower), GiB ticks
/// in 1-2-5 steps and the verdict under each bar.

#include "headroom/io/svg.hpp"

namespace headroom::svg {

struct BarSegment {
  std::string key;   ///< machine name (data-component), e.g. "weights"
  std::string name;  ///< legend text
  double gib = 0;
  std::string color;
};

struct MemoryBar {
  std::string name;  ///< under the bar, e.g. the GPU
  std::vector<BarSegment> segments;
  double capacity_gib = 0;
  double usable_gib = 0;  ///< drawn when below capacity
  bool fits = false;
  std::string verdict;  ///< under the name, e.g. "fits, 1.3 GiB to spare"
};

struct MemoryChart {
  std::string title, subtitle;
  std::vector<MemoryBar> bars;
};

inline std::string memory_chart(const MemoryChart& c) {
  const double w = 800, h = 480, left = 80, right_margin = 220, top = 56, bottom = 70;
  const Box area{left, top, w - right_margin, h - bottom};
  double top_gib = 0;
  for (const auto& b : c.bars) {
    double sum = 0;
    for (const auto& s : b.segments) sum += s.gib;
    top_gib = std::max({top_gib, sum, b.capacity_gib});
  }
  const std::vector<double> ticks = nice_ticks(0, top_gib > 0 ? top_gib * 1.04 : 1, 7);
  const double scale = (area.y1 - area.y0) / ticks.back();  // px per GiB
  const auto py = [&](double gib) { return area.y1 - gib * scale; };

  std::string o = open_chart(w, h, c.title, c.subtitle);
  o += y_axis(area, ticks, py, [](double t) { return plain(t, 3) + " GiB"; });
  o += rect(area, "none", "class=\"plot-area\" stroke=\"black\"");
  o += rotated_label(16, (area.y0 + area.y1) / 2, "device memory of the busiest GPU (GiB)");

  // Legend: every component some bar has, bottom of the stack last (as in the bars).
  std::vector<LegendEntry> entries;
  for (const auto& b : c.bars)
    for (const auto& s : b.segments)
      if (s.gib > 0 && std::none_of(entries.begin(), entries.end(), [&](const LegendEntry& e) { return e.name == s.name; }))
        entries.push_back({s.name, s.color, Mark::swatch});
  std::reverse(entries.begin(), entries.end());
  entries.push_back({"capacity", "#b00020", Mark::line});
  bool any_usable = false;
  for (const auto& b : c.bars) any_usable = any_usable || (b.usable_gib > 0 && b.usable_gib < b.capacity_gib);
  if (any_usable) entries.push_back({"usable (runtime's limit)", "#b00020", Mark::dashed});
  const double lx = area.x1 + 12;
  o += legend(lx, area.y0, entries);
  Placer placer{area, {legend_box(lx, area.y0, entries)}, 0};

  const double n = static_cast<double>(std::max<std::size_t>(1, c.bars.size()));
  const double slot = (area.x1 - area.x0) / n;
  const double bw = std::min(140.0, slot * 0.55);
  const auto centre = [&](std::size_t i) { return area.x0 + slot * (static_cast<double>(i) + 0.5); };
  const auto total = [](const MemoryBar& b) {
    double t = 0;
    for (const auto& s : b.segments) t += std::max(0.0, s.gib);
    return t;
  };
  // The capacity labels first, beside their line and off every bar (the bars are obstacles only here).
  const std::size_t obstacles = placer.taken.size();
  for (std::size_t i = 0; i < c.bars.size(); ++i)
    placer.taken.push_back({centre(i) - bw / 2, py(total(c.bars[i])), centre(i) + bw / 2, area.y1});
  std::string labels, lines;  // both drawn over the bars
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const MemoryBar& b = c.bars[i];
    const double cx = centre(i), reach = std::min(slot * 0.45, bw / 2 + 24), y = py(b.capacity_gib);
    lines += line(cx - reach, y, cx + reach, y, "#b00020", "class=\"capacity\" stroke-width=\"2\" data-gib=\"" + num(b.capacity_gib) + "\"");
    const std::string cap = plain(b.capacity_gib, 3) + " GiB capacity";
    if (auto s = placer.place(cap, 10,
                              {{cx, y - 5, Anchor::middle}, {cx + reach, y - 5, Anchor::end}, {cx - reach, y - 5, Anchor::start},
                               {cx + reach + 4, y + 3.5, Anchor::start}, {cx - reach - 4, y + 3.5, Anchor::end},
                               {cx, y + 13, Anchor::middle}}))
      labels += text(s->x, s->y, cap, 10, s->anchor, "label", "#b00020");
    if (b.usable_gib > 0 && b.usable_gib < b.capacity_gib)
      lines += line(cx - reach, py(b.usable_gib), cx + reach, py(b.usable_gib), "#b00020",
                "class=\"usable\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" data-gib=\"" + num(b.usable_gib) + "\"");
  }
  placer.taken.resize(obstacles);
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const MemoryBar& b = c.bars[i];
    const double cx = centre(i), x0 = cx - bw / 2, x1 = cx + bw / 2;
    o += "<g class=\"bar\" data-name=\"" + escape(b.name) + "\">\n";
    double base = 0;
    for (const auto& s : b.segments) {
      if (s.gib <= 0) continue;
      const Box seg{x0, py(base + s.gib), x1, py(base)};
      o += "<rect class=\"segment\" data-component=\"" + escape(s.key) + "\" data-gib=\"" + num(s.gib) + "\" x=\"" +
           num(seg.x0) + "\" y=\"" + num(seg.y0) + "\" width=\"" + num(seg.x1 - seg.x0) + "\" height=\"" +
           num(seg.y1 - seg.y0) + "\" fill=\"" + s.color + "\" stroke=\"white\" stroke-width=\"0.5\"><title>" +
           escape(s.name) + ": " + plain(s.gib, 3) + " GiB</title></rect>\n";
      // Its label inside it where it fits (the legend names every segment).
      const std::string t = s.name + " " + plain(s.gib, 3) + " GiB";
      const double ty = py(base + s.gib / 2) + 3.5;
      if (text_box(cx, ty, t, 9, Anchor::middle).inside({seg.x0 + 2, seg.y0, seg.x1 - 2, seg.y1}))
        if (auto sp = placer.place(t, 9, {{cx, ty, Anchor::middle}}, false))
          labels += text(sp->x, sp->y, t, 9, sp->anchor, "label", "#fff");
      base += s.gib;
    }
    o += "</g>\n";
    o += text(cx, area.y1 + 16, b.name, fitting_size(b.name, 11, slot - 4), Anchor::middle, "bar-name");
    o += text(cx, area.y1 + 31, b.verdict, fitting_size(b.verdict, 10, slot - 4), Anchor::middle, "verdict",
              b.fits ? "#1a7f37" : "#b00020");
  }
  o += lines + labels + "</svg>\n";
  return o;
}

}  // namespace headroom::svg
