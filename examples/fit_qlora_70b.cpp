// Does Llama-3-70B QLoRA fit on one 24 GB RTX 4090? The verdict, the breakdown and what to change,
// from the built-in catalog, with no files read at run time.
#include <headroom/headroom.hpp>

#include <cstdio>

int main() {
  using namespace headroom;
  const Catalog& cat = Catalog::builtin();

  Job job;
  job.hardware.gpu = &cat.gpu("rtx-4090");  // throws UnknownId ("did you mean ...") for a typo
  job.model = &cat.model("llama-3-70b");
  job.task = Task::training;
  job.training.method = Method::qlora;
  job.weights = WeightFormat::nf4_dq;  // QLoRA: NF4 with double quantization
  job.training.lora_rank = 16;
  job.training.seq = 2048;
  job.training.checkpointing = Checkpointing::full;

  const MemoryResult m = estimate_memory(job);  // constexpr, no allocation
  std::printf("%s QLoRA on %s: %s (%.1f GiB needed, %.1f GiB available; largest part: %s)\n",
              job.model->id.data(), job.hardware.gpu->id.data(), m.fits ? "fits" : "does not fit", to_gib(m.per_gpu),
              to_gib(m.capacity), to_string(m.limiting).data());
  for (int i = 0; i < names::count<Component>; ++i) {
    const auto c = static_cast<Component>(i);
    std::printf("  %-16s %6.2f GiB\n", to_string(c).data(), to_gib(m.breakdown[c]));
  }
  // Ranked changes that fit, each re-checked by the model.
  for (const Suggestion& s : suggest(job, cat.gpus())) std::printf("  try: %s -> %.1f GiB\n", s.what.c_str(), to_gib(s.memory.per_gpu));
  return 0;
}
