// Loads a GPU record from JSON (a card the catalog lacks, or an override of a built-in one) and
// asks the same question of it. Links headroom::io (nlohmann-json) for headroom/io/gpu_json.hpp.
#include <headroom/headroom.hpp>
#include <headroom/io/gpu_json.hpp>

#include <cstdio>
#include <nlohmann/json.hpp>

int main() {
  using namespace headroom;
  Catalog cat = Catalog::builtin();
  // A 48 GiB variant of the RTX 4090 (boards re-fitted with 2 GB chips), written as a user would in
  // their own file.
  const auto record = nlohmann::json::parse(R"json({
    "schema": 1, "id": "rtx-4090-48g", "name": "RTX 4090 with 48 GiB (re-fitted memory)",
    "memory": {"capacity_gib": 48, "bandwidth_gbps": 1008},
    "dense_tflops": {"fp32": 82.6, "bf16": 165.2, "fp16": 165.2},
    "sources": ["example: a user's own record"]
  })json");
  cat.put(gpu_from_json(record, cat.strings(), "example"));

  Job job;
  job.model = &cat.model("llama-3-8b");
  job.task = Task::training;
  job.training.method = Method::lora;
  job.training.checkpointing = Checkpointing::none;
  for (const char* id : {"rtx-4090", "rtx-4090-48g"}) {
    job.hardware.gpu = &cat.gpu(id);
    const MemoryResult m = estimate_memory(job);
    // fits compares what nvidia-smi would show (device) with what the job may use (usable).
    std::printf("%-14s %s: %.1f of %.1f GiB\n", id, m.fits ? "fits" : "does not fit", to_gib(m.device),
                to_gib(m.usable));
  }
  return 0;
}
