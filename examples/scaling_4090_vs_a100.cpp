// Eight GPUs for full training: eight A100 SXM on NVLink against eight RTX 4090 on PCIe without
// peer-to-peer (GeForce, stock driver: NCCL stages every transfer through host memory).
// DDP of a model that fits one card of each kind (gpt2-large), then a 7-8B model with ZeRO-3/FSDP,
// which the 4090 can only hold sharded.
#include <headroom/headroom.hpp>
#include <headroom/scaling.hpp>

#include <cstdio>

namespace {

struct Row {
  double tokens_per_gpu = 0, efficiency = 0, exposed = 0;
  bool fits = false;
};

Row run(headroom::Job w, int gpus, int zero) {
  using namespace headroom;
  w.hardware.count = gpus;
  w.parallel = Parallel{};
  w.parallel.dp = gpus;
  w.parallel.zero = zero;
  const ParallelEstimate p = estimate_parallel(w);
  Row r;
  r.tokens_per_gpu = p.result.train_tokens_per_s_per_gpu;
  r.efficiency = scaling_efficiency(w);
  r.exposed = p.exposed_fraction();
  r.fits = estimate_memory(w).fits;
  return r;
}

void compare(const char* title, const headroom::Job& base, int zero) {
  using namespace headroom;
  const Catalog& cat = Catalog::builtin();
  std::printf("%s\n", title);
  std::printf("  %-16s %-12s %5s %14s %11s %10s %5s\n", "gpu", "link", "gpus", "tokens/s/GPU", "efficiency",
              "exposed", "fits");
  for (const char* id : {"a100-sxm4-80gb", "rtx-4090"}) {
    Job w = base;
    w.hardware.gpu = &cat.gpu(id);
    w.hardware.interconnect = w.hardware.gpu->peer_access == PeerAccess::nvlink ? Interconnect::nvlink : Interconnect::pcie_no_p2p;
    for (int n : {1, 8}) {
      const Row r = run(w, n, n > 1 ? zero : 0);
      const Fabric f = fabric_of(w, n);
      std::printf("  %-16s %-12s %5d %14.0f %10.1f%% %9.1f%% %5s\n", id, n > 1 ? f.intra.id().data() : "-", n,
                  r.tokens_per_gpu, 100 * r.efficiency, 100 * r.exposed, r.fits ? "yes" : "no");
    }
  }
}

}  // namespace

int main() {
  using namespace headroom;
  const Catalog& cat = Catalog::builtin();
  Job w;
  w.task = Task::training;
  w.training.method = Method::full;
  w.model = &cat.model("gpt2-large");
  w.training.seq = 1024;
  w.batch = 8;
  w.training.checkpointing = Checkpointing::full;
  compare("gpt2-large, DDP, micro-batch 8 x 1024 tokens, full checkpointing", w, 0);

  Job big = w;
  big.model = &cat.model("llama-3.1-8b");
  big.training.seq = 2048;
  big.batch = 2;
  compare("llama-3.1-8b, ZeRO-3/FSDP on 8 GPUs, micro-batch 2 x 2048 tokens, full checkpointing",
          big, 3);
  return 0;
}
