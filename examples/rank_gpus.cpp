// A scheduler's loop: which single GPUs of the catalog can run a Llama-3-8B LoRA job, and how much
// memory is left on each? Cheapest first where a rental price is known.
#include <headroom/headroom.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
  using namespace headroom;
  const Catalog& cat = Catalog::builtin();

  Job job;
  job.model = &cat.model("llama-3-8b");
  job.task = Task::training;
  job.training.method = Method::lora;
  job.training.seq = 2048;
  job.training.checkpointing = Checkpointing::full;

  struct Option {
    const GpuSpec* gpu;
    MemoryResult memory;
  };
  std::vector<Option> options;
  for (const GpuSpec& gpu : cat.gpus()) {
    if (gpu.unified_memory) continue;  // CUDA training stacks need a discrete GPU
    job.hardware.gpu = &gpu;
    const MemoryResult m = estimate_memory(job);
    if (m.fits) options.push_back({&gpu, m});  // "does not fit" is a result, not an error
  }
  // Priced GPUs first, cheapest first; then the rest by spare memory.
  std::sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
    const bool pa = a.gpu->price_usd_per_hour > 0, pb = b.gpu->price_usd_per_hour > 0;
    if (pa != pb) return pa;
    if (pa) return a.gpu->price_usd_per_hour < b.gpu->price_usd_per_hour;
    return a.memory.headroom() > b.memory.headroom();
  });
  std::printf("llama-3-8b LoRA (seq 2048, checkpointing) fits on %zu GPUs:\n", options.size());
  for (const Option& o : options) {
    std::printf("  %-24s %5.1f GiB used of %5.1f", o.gpu->id.data(), to_gib(o.memory.per_gpu), to_gib(o.memory.capacity));
    if (o.gpu->price_usd_per_hour > 0) std::printf("  $%.2f/h", o.gpu->price_usd_per_hour);
    std::printf("\n");
  }
  return options.empty() ? 1 : 0;
}
