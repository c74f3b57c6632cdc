#include "plots.hpp"

#include <fmt/core.h>

#include <fstream>

#include "headroom/error.hpp"
#include "headroom/names.hpp"
#include "headroom/units.hpp"

namespace headroom::cli {

std::string job_words(const Job& job) {
  const Job w = normalize(job);
  std::string s;
  if (w.task == Task::training) {
    s = fmt::format("training ({}", to_string(w.training.method));
    if (w.training.method != Method::full) s += fmt::format(" r{}", w.training.lora_rank);
    s += fmt::format("), micro-batch {} x {} tokens", w.batch, w.training.seq);
    if (w.training.grad_accum > 1) s += fmt::format(", grad accum {}", w.training.grad_accum);
    if (w.training.checkpointing != Checkpointing::none) s += fmt::format(", checkpointing {}", to_string(w.training.checkpointing));
  } else {
    s = fmt::format("{}, batch {}, prompt {} / generate {}", to_string(w.task), w.batch, w.inference.prompt,
                    w.inference.generate);
  }
  if (w.hardware.count > 1) {
    const Parallel& p = w.parallel;
    s += fmt::format(", {} GPUs (dp {}, tp {}, pp {})", w.hardware.count, p.dp, p.tp, p.pp);
  }
  if (w.weights) s += fmt::format(", {} weights", to_string(*w.weights));
  s += fmt::format(", {} compute, {}", to_string(w.compute), to_string(w.runtime));
  return s;
}

svg::MemoryBar memory_bar(const std::string& name, const MemoryResult& m) {
  // Dark enough for white text inside the segments.
  static constexpr const char* colors[] = {"#1f4e79", "#4f81b4", "#2e8b57", "#d2691e", "#b22222",
                                           "#7b52ab", "#8c564b", "#c2418f", "#666666"};
  static_assert(std::size(colors) == static_cast<std::size_t>(names::count<Component>));
  svg::MemoryBar b{name, {}, to_gib(m.capacity), to_gib(m.usable), m.fits, verdict_words(m)};
  for (int i = 0; i < names::count<Component>; ++i) {
    const auto c = static_cast<Component>(i);
    std::string label(to_string(c));
    for (char& ch : label)
      if (ch == '_') ch = ' ';
    b.segments.push_back({std::string(to_string(c)), label, to_gib(m.breakdown[c]), colors[i]});
  }
  b.segments.push_back({"allocator_cache", "allocator cache", to_gib(m.reserved) - to_gib(m.per_gpu), "#9a9a2a"});
  b.segments.push_back({"context", "CUDA context, NCCL", to_gib(m.device) - to_gib(m.reserved), "#138a96"});
  return b;
}

std::string gpus_label(std::string_view gpu, int count) {
  return count > 1 ? fmt::format("{} x{}", gpu, count) : std::string(gpu);
}

std::string verdict_words(const MemoryResult& m) {
  return m.fits ? fmt::format("fits, {:.1f} GiB to spare", to_gib(m.headroom()))
                : fmt::format("does not fit, {:.1f} GiB over", -to_gib(m.headroom()));
}

void write_plot(const std::string& path, const std::string& text, const char* command, const char* what) {
  std::ofstream out(path);
  if (!out || !(out << text) || !out.flush()) throw IoError("cannot write '" + path + "'");
  fmt::print(stderr, "headroom {}: {} written to {}\n", command, what, path);
}

}  // namespace headroom::cli
