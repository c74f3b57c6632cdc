// Does DeepSeek-V3 (671B, MoE with MLA) fit on 8x H200 with FP8 weights, and how fast does it decode?
// Reads the model's config.json (the repository's copy, or a path given as the first argument) and
// compares two layouts an inference engine offers: tensor parallelism over 8 GPUs with the experts
// split 8 ways (tp 8, ep 8), and attention data parallelism (dp 8, ep 8: each GPU keeps its own
// requests' KV cache and the MoE layers exchange tokens by all-to-all). Links headroom::io for
// headroom/io/hf_config.hpp.
#include <headroom/headroom.hpp>
#include <headroom/io/hf_config.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  using namespace headroom;
  const std::string config = argc > 1 ? argv[1] : HEADROOM_EXAMPLE_CONFIG;
  const Catalog& cat = Catalog::builtin();
  StringStore strings;
  const ModelArch model = load_model_files(config, strings).at(0);
  const ParamCounts params = count_params(model);
  std::printf("%s: %.0fB parameters, %.1fB active per token, %lld of %lld experts per token\n", model.id.data(),
              static_cast<double>(params.total) / 1e9, static_cast<double>(params.active) / 1e9,
              static_cast<long long>(model.experts_per_token), static_cast<long long>(model.experts));

  Job job;
  job.hardware.gpu = &cat.gpu("h200-sxm-141gb");
  job.hardware.count = 8;
  job.model = &model;
  job.task = Task::inference;
  job.runtime = Runtime::sglang;
  job.weights = WeightFormat::fp8;  // the checkpoint's block-scaled FP8
  job.compute = Precision::fp8;
  job.inference.kv_cache = KvFormat::bf16;
  job.inference.prompt = 1024;
  job.inference.generate = 1024;

  struct Layout {
    const char* name;
    Parallel parallel;
  };
  const Layout layouts[] = {{"tp 8, ep 8", Parallel{.dp = 1, .tp = 8, .ep = 8}},
                            {"dp 8, ep 8 (attention DP)", Parallel{.dp = 8, .tp = 1, .ep = 8}}};
  for (const Layout& l : layouts) {
    job.parallel = l.parallel;
    std::printf("\n%s, fp8 weights, 1024 + 1024 tokens per request:\n", l.name);
    for (const std::int64_t batch : {1, 64}) {
      job.batch = batch;  // concurrent sequences per dp rank
      const Answer a = evaluate(job);
      const double requests = static_cast<double>(batch * l.parallel.dp);
      std::printf("  %3lld requests per rank: %s, %.1f GiB per GPU (weights %.1f, KV cache %.1f); decode %.0f tokens/s "
                  "in total, %.1f per request\n",
                  static_cast<long long>(batch), a.memory.fits ? "fits" : "does not fit", to_gib(a.memory.per_gpu),
                  to_gib(a.memory.breakdown.weights), to_gib(a.memory.breakdown.kv_cache),
                  a.time.decode_tokens_per_s, a.time.decode_tokens_per_s / requests);
    }
  }
  return 0;
}
