// The drawing core of the charts (io/svg.hpp): ticks, numbers with units, text boxes and the label
// placer. Expected values by hand.
#include "headroom/io/svg.hpp"

#include <catch2/catch.hpp>

#include "headroom/io/svg_lines.hpp"
#include "headroom/io/svg_memory.hpp"

using namespace headroom::svg;

TEST_CASE("ticks go in 1-2-5 steps from a multiple of the step to one at or past the top") {
  // 0..113.2 in at most 6 ticks: 113.2 / 5 = 22.6 -> step 50: 0, 50, 100, 150.
  CHECK(nice_ticks(0, 113.2, 6) == std::vector<double>{0, 50, 100, 150});
  // At most 7 ticks: 113.2 / 6 = 18.9 -> step 20: 0..120.
  CHECK(nice_ticks(0, 113.2, 7) == std::vector<double>{0, 20, 40, 60, 80, 100, 120});
  // 84.87 in 6: 17 -> 20: 0..100.
  CHECK(nice_ticks(0, 84.87, 6) == std::vector<double>{0, 20, 40, 60, 80, 100});
  // Small steps stay exact: 0.3 / 5 = 0.06 -> 0.1.
  CHECK(nice_ticks(0, 0.3, 6) == std::vector<double>{0, 0.1, 0.2, 0.3});
  CHECK(nice_step(0.06) == 0.1);
  CHECK(nice_step(3) == 5);
  CHECK(nice_step(20) == 20);
}

TEST_CASE("engineering numbers carry an SI prefix and the unit") {
  CHECK(eng(165.2e12, "FLOP/s") == "165 TFLOP/s");  // RTX 4090 dense BF16
  CHECK(eng(1008e9, "B/s") == "1.01 TB/s");        // RTX 4090 memory bandwidth
  CHECK(eng(1e14, "FLOP/s") == "100 TFLOP/s");
  CHECK(eng(999.7e9, "B/s") == "1 TB/s");  // rounding carries into the next prefix
  CHECK(eng(0, "B/s") == "0 B/s");
  CHECK(plain(0.05) == "0.05");
  CHECK(plain(1000) == "1000");
  CHECK(count_text(20000) == "20k");
  CHECK(count_text(1.5e6) == "1.5M");
}

TEST_CASE("a text box is characters x size x 0.6 wide, from 0.8 size above the baseline to 0.25 below") {
  const Box b = text_box(100, 50, "abcde", 10, Anchor::end);  // 5 x 10 x 0.6 = 30 px
  CHECK(b.x0 == 70);
  CHECK(b.x1 == 100);
  CHECK(b.y0 == 42);
  CHECK(b.y1 == 52.5);
  CHECK(text_box(100, 50, "abcde", 10, Anchor::middle).x0 == 85);
  CHECK(glyphs("1×2") == 3);  // UTF-8: × is two bytes, one glyph
}

TEST_CASE("the placer takes the first free spot and omits a label with none") {
  Placer p{{0, 0, 200, 100}, {}, 0};
  // "abcdefghij" at 10 px: 60 px wide.
  const auto a = p.place("abcdefghij", 10, {{10, 50, Anchor::start}});
  REQUIRE(a);
  // The same spot is taken now; the second spot (x 80: 80..140) is free.
  const auto b = p.place("abcdefghij", 10, {{20, 50, Anchor::start}, {80, 50, Anchor::start}});
  REQUIRE(b);
  CHECK(b->x == 80);
  // Past the right edge (150 + 60 > 200) or overlapping: omitted and counted.
  CHECK_FALSE(p.place("abcdefghij", 10, {{150, 50, Anchor::start}, {40, 50, Anchor::start}}));
  CHECK(p.omitted == 1);
  // A shorter try first, not counted.
  CHECK_FALSE(p.place("abcdefghij", 10, {{150, 50, Anchor::start}}, false));
  CHECK(p.omitted == 1);
}

TEST_CASE("a memory bar's segments are GiB x pixels per GiB high") {
  // 10 + 6 GiB against 24 GiB: the top is 24 x 1.04 = 24.96 -> ticks 0, 5, ..., 25 (7 at most: step 5);
  // the plot area is 480 - 70 - 56 = 354 px high, 354 / 25 = 14.16 px per GiB.
  const MemoryChart c{"t", "s", {{"g", {{"weights", "weights", 10, "#000"}, {"kv_cache", "kv cache", 6, "#111"}}, 24, 24, true, "fits"}}};
  const std::string svg = memory_chart(c);
  CHECK(svg.find("data-component=\"weights\" data-gib=\"10\" x=\"") != std::string::npos);
  CHECK(svg.find("height=\"141.6\" fill=\"#000\"") != std::string::npos);  // 10 x 14.16
  CHECK(svg.find("height=\"84.96\" fill=\"#111\"") != std::string::npos);  // 6 x 14.16
  CHECK(svg.find(">25 GiB</text>") != std::string::npos);
  CHECK(svg.find(">24 GiB capacity</text>") != std::string::npos);
}

TEST_CASE("the scaling chart draws counts that do not fit hollow and a 100% line") {
  const ScalingChart c{"t", "s", "tokens/s", {{"gpu", "#123456", {{1, 1000, 1.0, false}, {2, 1900, 0.95, true}}}}};
  const std::string svg = scaling_chart(c);
  CHECK(svg.find("class=\"marker nofit\" data-gpus=\"1\"") != std::string::npos);
  CHECK(svg.find("class=\"marker fits\" data-gpus=\"2\"") != std::string::npos);
  CHECK(svg.find("does not fit") != std::string::npos);
  CHECK(svg.find("class=\"reference\"") != std::string::npos);
  // 1900 x 1.05 = 1995 in at most 6 ticks: 399 -> 500: 0, 500, ..., 2000, written "2k tok/s".
  CHECK(svg.find(">2k tok/s</text>") != std::string::npos);
}
