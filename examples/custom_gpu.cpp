// Loads a GPU record from JSON (a card the catalog lacks, or an override of a built-in one) and
// asks the same question of it. Links headroom::io (nlohmann-json) for headroom/io/gpu_json.hpp.
#include <headroom/headroom.hpp>
#include <headroom/io/gpu_json.hpp>

#include <cstdio>
#include <nlohmann/json.hpp>

int main() {
  using namespace headroom;
  Catalog cat = Catalog::builtin();
  // A hypothetical 32 GiB variant of the RTX 4090, written as a user would in their own file.
  const auto record = nlohmann::json::parse(R"json({
    "schema": 1, "id": "rtx-4090-32g", "name": "RTX 4090 with 32 GiB (hypothetical)",
    "memory": {"capacity_gib": 32, "bandwidth_gbps": 1008},
    "dense_tflops": {"fp32": 82.6, "bf16": 165.2, "fp16": 165.2},
    "sources": ["example: a user's own record"]
  })json");
  cat.put(gpu_from_json(record, cat.strings(), "example"));

  Job job;
  job.model = &cat.model("llama-3-8b");
  job.task = Task::training;
  job.training.method = Method::lora;
  job.training.checkpointing = Checkpointing::none;
  for (const char* id : {"rtx-4090", "rtx-4090-32g"}) {
    job.hardware.gpu = &cat.gpu(id);
    const MemoryResult m = estimate_memory(job);
    std::printf("%-14s %s: %.1f of %.1f GiB\n", id, m.fits ? "fits" : "does not fit", to_gib(m.per_gpu),
                to_gib(m.capacity));
  }
  return 0;
}
