#pragma once
/// @file fit.hpp
/// Limits and remedies on top of the memory model: the largest batch, sequence or context that
/// fits (`solve_limits`), and, when a job does not fit, ranked changes that do (`suggest`), each
/// checked with estimate_memory.

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/memory.hpp"
#include "headroom/names.hpp"
#include "headroom/quant.hpp"
#include "headroom/result.hpp"
#include "headroom/workload.hpp"

namespace headroom {

namespace detail::fit {

inline constexpr std::int64_t max_batch_limit = std::int64_t{1} << 24;
inline constexpr std::int64_t max_tokens_limit = std::int64_t{1} << 30;

/// The largest v in [1, cap] for which fits(v) holds, assuming fits is monotone (true then false);
/// 0 when even 1 does not fit. Exponential search for the bracket, then bisection.
template <class Fits>
[[nodiscard]] constexpr std::int64_t largest_fitting(Fits fits, std::int64_t cap) noexcept {
  if (cap < 1 || !fits(std::int64_t{1})) return 0;
  std::int64_t lo = 1;        // fits
  std::int64_t hi = cap + 1;  // does not fit (cap + 1 is never evaluated)
  for (std::int64_t probe = 2; probe <= cap; probe *= 2) {
    if (!fits(probe)) {
      hi = probe;
      break;
    }
    lo = probe;
    if (probe > cap / 2) break;
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

[[nodiscard]] constexpr Workload with_context(Workload w, std::int64_t context) noexcept {
  // The generated length is kept (up to the context); the prompt takes the rest.
  if (w.generate >= context) {
    w.generate = context;
    w.prompt = 0;
  } else {
    w.prompt = context - w.generate;
  }
  return w;
}

}  // namespace detail::fit

/// Largest batch (training: micro-batch per GPU; inference: concurrent sequences) that fits; 0 if none.
[[nodiscard]] constexpr std::int64_t max_batch(const Workload& w) noexcept {
  return detail::fit::largest_fitting(
      [&w](std::int64_t b) {
        Workload x = w;
        x.batch = b;
        return estimate_memory(x).fits;
      },
      detail::fit::max_batch_limit);
}

/// Training: longest sequence that fits at the workload's micro-batch; 0 if none.
[[nodiscard]] constexpr std::int64_t max_seq(const Workload& w) noexcept {
  return detail::fit::largest_fitting(
      [&w](std::int64_t s) {
        Workload x = w;
        x.seq = s;
        return estimate_memory(x).fits;
      },
      detail::fit::max_tokens_limit);
}

/// Inference: longest prompt + generate per sequence that fits at the workload's batch; 0 if none.
[[nodiscard]] constexpr std::int64_t max_context(const Workload& w) noexcept {
  return detail::fit::largest_fitting(
      [&w](std::int64_t c) { return estimate_memory(detail::fit::with_context(w, c)).fits; },
      detail::fit::max_tokens_limit);
}

/// The limit `w.solve` asks for (and max_batch when `batch` is "max"); the others stay -1.
[[nodiscard]] constexpr Limits solve_limits(const Workload& w) noexcept {
  Limits l{};
  if (w.solve == Solve::max_batch || w.batch_max) l.max_batch = max_batch(w);
  if (w.solve == Solve::max_seq && w.task == Task::training) l.max_seq = max_seq(w);
  if (w.solve == Solve::max_context && w.task == Task::inference) l.max_context = max_context(w);
  return l;
}

/// One change that makes a workload fit, with the changed workload and its memory.
struct Suggestion {
  std::string what;
  Workload workload;
  MemoryResult memory;
};

namespace detail::fit {

inline std::string gib_text(Bytes b) {
  // One decimal, without <format> (GCC 12) or iostreams.
  const auto tenths = static_cast<long long>(to_gib(b) * 10.0 + 0.5);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " GiB";
}

class Collector {
 public:
  explicit Collector(const Workload& base) : base_(base) {}

  /// Checks a candidate and keeps it when it fits. Lower rank = suggested first.
  bool offer(int rank, std::string what, const Workload& w) {
    const MemoryResult m = estimate_memory(w);
    if (!m.fits) return false;
    for (const auto& e : list_)
      if (e.second.what == what) return true;
    list_.push_back({rank, Suggestion{std::move(what), w, m}});
    return true;
  }

  std::vector<Suggestion> take() {
    std::stable_sort(list_.begin(), list_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Suggestion> out;
    out.reserve(list_.size());
    for (auto& e : list_) out.push_back(std::move(e.second));
    return out;
  }

  [[nodiscard]] const Workload& base() const noexcept { return base_; }

 private:
  Workload base_;
  std::vector<std::pair<int, Suggestion>> list_;
};

/// "field: spelling", as a case sets it (names.hpp).
template <class E>
[[nodiscard]] std::string setting(std::string_view field, E value) {
  return std::string(field) + ": " + std::string(to_string(value));
}

inline std::string count_x(int n, std::string_view gpu) { return std::to_string(n) + "x " + std::string(gpu); }

/// Whether a runtime can use a GPU at all: unified-memory SoCs run llama.cpp and MLC (Metal,
/// Vulkan), not CUDA training stacks; TensorRT-LLM needs NVIDIA.
[[nodiscard]] constexpr bool runs_on(Runtime r, const GpuSpec& g) noexcept {
  if (g.unified_memory && r != Runtime::llama_cpp && r != Runtime::mlc) return false;
  if (r == Runtime::tensorrt_llm && g.vendor != "NVIDIA") return false;
  return true;
}

}  // namespace detail::fit

/// Changes that make a workload fit, cheapest first: each is applied to the workload as given
/// and re-checked with estimate_memory, so every suggestion fits. Empty when the workload already
/// fits or no single change in the search space helps.
///
/// Ranking (cost to the user, not memory saved): loss and checkpointing switches; smaller
/// micro-batch with more accumulation (same tokens per step); shorter sequence/context; 8-bit or
/// paged optimizer; fp8 KV cache; LoRA, then QLoRA / 4-bit weights; N x the same GPU (FSDP/ZeRO-3
/// for training, tensor parallel for inference); the smallest bigger GPU of the catalog that the
/// runtime can use; CPU offload.
[[nodiscard]] inline std::vector<Suggestion> suggest(const Workload& w, const Catalog& catalog) {
  using detail::fit::count_x;
  using detail::fit::gib_text;
  using detail::fit::setting;
  detail::fit::Collector c(w);
  if (w.task == Task::collective || estimate_memory(w).fits) return {};
  const bool training = w.task == Task::training;
  const std::string gpu_id(w.gpu.id.empty() ? std::string_view("GPU") : w.gpu.id);

  if (training) {
    // 1. Free switches.
    if (w.loss == LossKind::standard) {
      Workload x = w;
      x.loss = LossKind::chunked;
      c.offer(10, "chunked cross-entropy (" + setting("loss", LossKind::chunked) + ")", x);
    }
    if (w.checkpointing != Checkpointing::full) {
      Workload x = w;
      x.checkpointing = Checkpointing::full;
      c.offer(11, "gradient checkpointing (" + setting("grad_checkpointing", Checkpointing::full) + ")", x);
      x.loss = LossKind::chunked;
      if (w.loss == LossKind::standard)
        c.offer(12, "gradient checkpointing + chunked cross-entropy", x);
    }
    // 2. Smaller micro-batch, same tokens per optimizer step.
    if (w.batch > 1) {
      const std::int64_t b = max_batch(w);
      if (b >= 1 && b < w.batch) {
        Workload x = w;
        x.batch = b;
        x.grad_accum = w.grad_accum * ((w.batch + b - 1) / b);
        c.offer(20, "micro-batch " + std::to_string(b) + " with grad_accum " + std::to_string(x.grad_accum), x);
      }
    }
    // 3. Shorter sequences.
    {
      const std::int64_t s = max_seq(w);
      if (s >= 1 && s < w.seq) {
        Workload x = w;
        x.seq = s;
        c.offer(30, "sequences of at most " + std::to_string(s) + " tokens", x);
      }
    }
    // 4. Optimizer state.
    if (w.method == Method::full || w.method == Method::freeze) {
      if (w.optimizer == Optimizer::adamw || w.optimizer == Optimizer::sgd) {
        Workload x = w;
        x.optimizer = Optimizer::adamw_8bit;
        c.offer(40, "8-bit AdamW (" + setting("optimizer", Optimizer::adamw_8bit) + ")", x);
        x.optimizer = Optimizer::paged_adamw_8bit;
        c.offer(41, "paged 8-bit AdamW (" + setting("optimizer", Optimizer::paged_adamw_8bit) + ")", x);
        x.optimizer = Optimizer::adamw_8bit;
        x.checkpointing = Checkpointing::full;
        c.offer(42, "8-bit AdamW + gradient checkpointing", x);
      }
    }
    // 5. Fewer trainable parameters, then fewer bits per base weight.
    if (w.method == Method::full || w.method == Method::freeze) {
      Workload x = w;
      x.method = Method::lora;
      x.lora_rank = 16;
      x.lora_targets = lora_all_linear;
      if (weight_format_info(x.weights).quantized()) x.weights = WeightFormat::bf16;
      if (!c.offer(50, "LoRA (r=16, all linear layers) instead of full fine-tuning", x)) {
        x.checkpointing = Checkpointing::full;
        c.offer(51, "LoRA (r=16) + gradient checkpointing", x);
      }
    }
    if (w.method != Method::qlora) {
      Workload x = w;
      x.method = Method::qlora;
      x.weights = WeightFormat::nf4_dq;
      if (w.method != Method::lora) {
        x.lora_rank = 16;
        x.lora_targets = lora_all_linear;
      }
      if (!c.offer(52, "QLoRA: NF4 4-bit base weights with double quantization", x)) {
        x.checkpointing = Checkpointing::full;
        c.offer(53, "QLoRA + gradient checkpointing", x);
      }
    }
  } else {
    // Inference.
    if (w.batch > 1) {
      const std::int64_t b = max_batch(w);
      if (b >= 1 && b < w.batch) {
        Workload x = w;
        x.batch = b;
        c.offer(20, std::to_string(b) + " concurrent sequences", x);
      }
    }
    {
      const std::int64_t ctx = max_context(w);
      if (ctx >= 1 && ctx < w.prompt + w.generate) {
        c.offer(30, "context of at most " + std::to_string(ctx) + " tokens", detail::fit::with_context(w, ctx));
      }
    }
    const KvFormat kv = effective_kv_format(w);
    if (kv_bytes_per_element(kv) > 1.0) {
      Workload x = w;
      x.kv_cache = w.runtime == Runtime::llama_cpp ? KvFormat::q8_0 : KvFormat::fp8;
      x.kv_cache_set = true;
      c.offer(40, (w.runtime == Runtime::llama_cpp ? "8-bit" : "fp8") + std::string(" KV cache (") + setting("kv_cache", x.kv_cache) + ")", x);
    }
    const double bits = bits_per_weight(w.weights);
    const bool gguf = w.runtime == Runtime::llama_cpp;
    if (bits > 8.6) {
      Workload x = w;
      x.weights = gguf ? WeightFormat::q8_0 : WeightFormat::fp8;
      c.offer(50, (gguf ? "8-bit" : "fp8") + std::string(" weights (") + setting("weights", x.weights) + ")", x);
    }
    if (bits > 5.0) {
      Workload x = w;
      x.weights = gguf ? WeightFormat::q4_k_m : WeightFormat::awq_4bit;
      c.offer(51, "4-bit weights (" + setting("weights", x.weights) + ")", x);
    }
  }

  // 6-7. More GPUs of the same kind, or one bigger GPU: as asked, and for training also with
  // gradient checkpointing, which costs ~1/3 more compute but is what makes most such jobs fit.
  auto scale_out = [&](const Workload& base, const std::string& prefix, int rank_offset,
                       const GpuSpec* skip) -> const GpuSpec* {
    for (int n = 2; n <= 64; n *= 2) {
      Workload x = base;
      x.gpus = base.gpus * n;
      std::string what;
      if (training) {
        x.parallel.dp = base.parallel.dp * n;
        x.parallel.zero = 3;
        what = count_x(x.gpus, gpu_id) + " with FSDP full shard (ZeRO-3)";
      } else {
        x.parallel.tp = base.parallel.tp * n;
        what = count_x(x.gpus, gpu_id) + " with tensor parallel " + std::to_string(x.parallel.tp);
      }
      if (c.offer(60 + rank_offset, prefix + what, x)) break;  // the smallest N that fits
    }
    // The smallest bigger GPU of the catalog that fits; NVIDIA first on a tie (CUDA-first stacks).
    const GpuSpec* best = nullptr;
    for (const GpuSpec& g : catalog.gpus()) {
      if (!(g.memory > base.gpu.memory) || g.id == base.gpu.id || !detail::fit::runs_on(base.runtime, g)) continue;
      Workload x = base;
      x.gpu = g;
      if (!estimate_memory(x).fits) continue;
      const bool better = best == nullptr || g.memory < best->memory ||
                          (g.memory == best->memory && g.vendor == "NVIDIA" && best->vendor != "NVIDIA");
      if (better) best = &g;
    }
    if (best != nullptr && best != skip) {
      Workload x = base;
      x.gpu = *best;
      c.offer(70 + rank_offset,
              prefix + std::string(base.gpus > 1 ? "each GPU: " : "one ") + std::string(best->id) + " (" +
                  gib_text(best->memory) + ")",
              x);
    }
    return best;
  };
  const GpuSpec* bigger = scale_out(w, "", 0, nullptr);
  if (training && w.checkpointing != Checkpointing::full) {
    Workload x = w;
    x.checkpointing = Checkpointing::full;
    scale_out(x, "gradient checkpointing + ", 1, bigger);  // the same bigger GPU is not offered twice
  }

  // 8. CPU offload (slow).
  if (training && w.method != Method::lora && w.method != Method::qlora) {
    Workload x = w;
    x.offload = Offload::optimizer;
    c.offer(80, "offload optimizer state to CPU memory (slower steps)", x);
  }
  if (training) {
    Workload x = w;
    x.offload = Offload::params;
    c.offer(81, "offload parameters and optimizer state to CPU memory (much slower steps)", x);
  }
  return c.take();
}

}  // namespace headroom
