#pragma once
/// @file fit.hpp
/// Limits and remedies on top of the memory model: the largest batch, sequence or context that
/// fits (`solve_limits`), and, when a job does not fit, ranked changes that do (`suggest`), each
/// checked with estimate_memory.

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "headroom/checks.hpp"
#include "headroom/gpu.hpp"
#include "headroom/job.hpp"
#include "headroom/memory.hpp"
#include "headroom/names.hpp"
#include "headroom/quant.hpp"
#include "headroom/result.hpp"

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

[[nodiscard]] constexpr Job with_context(Job w, std::int64_t context) noexcept {
  // The generated length is kept (up to the context); the prompt takes the rest.
  if (w.inference.generate >= context) {
    w.inference.generate = context;
    w.inference.prompt = 0;
  } else {
    w.inference.prompt = context - w.inference.generate;
  }
  return w;
}

}  // namespace detail::fit

/// Largest batch (training: micro-batch per GPU; inference: concurrent sequences) that fits; 0 if none.
[[nodiscard]] constexpr std::int64_t max_batch(const Job& job) noexcept {
  Job x = normalize(job);  // each probe changes the batch only: one normalized job, one model shape
  const detail::mem::Shape s = detail::mem::shape_of(x);
  return detail::fit::largest_fitting(
      [&x, &s](std::int64_t b) {
        x.batch = b;
        return detail::mem::memory_normalized(x, s).fits;
      },
      detail::fit::max_batch_limit);
}

/// Training: longest sequence that fits at the job's micro-batch; 0 if none.
[[nodiscard]] constexpr std::int64_t max_seq(const Job& job) noexcept {
  Job x = normalize(job);  // each probe changes the sequence only
  const detail::mem::Shape shape = detail::mem::shape_of(x);
  return detail::fit::largest_fitting(
      [&x, &shape](std::int64_t s) {
        x.training.seq = s;
        return detail::mem::memory_normalized(x, shape).fits;
      },
      detail::fit::max_tokens_limit);
}

/// Inference: longest prompt + generate per sequence that fits at the job's batch; 0 if none.
[[nodiscard]] constexpr std::int64_t max_context(const Job& job) noexcept {
  const Job w = normalize(job);  // each probe changes the lengths only
  const detail::mem::Shape s = detail::mem::shape_of(w);
  return detail::fit::largest_fitting(
      [&w, &s](std::int64_t c) { return detail::mem::memory_normalized(detail::fit::with_context(w, c), s).fits; },
      detail::fit::max_tokens_limit);
}

/// The limit `w.question.solve` asks for (and max_batch when `batch` is "max"); the others stay -1.
[[nodiscard]] constexpr Limits solve_limits(const Job& w) noexcept {
  Limits l{};
  if (w.question.solve == Solve::max_batch || w.question.batch_max) l.max_batch = max_batch(w);
  if (w.question.solve == Solve::max_seq && w.task == Task::training) l.max_seq = max_seq(w);
  if (w.question.solve == Solve::max_context && w.task == Task::inference) l.max_context = max_context(w);
  return l;
}

/// The job whose memory and time answer the question: under `batch: "max"` the batch is the largest
/// that fits (`limits` from solve_limits; 1 when none fits). The one place that says what
/// `batch: "max"` evaluates.
[[nodiscard]] constexpr Job at_solved_batch(const Job& job, const Limits& limits) noexcept {
  Job x = normalize(job);
  if (x.question.batch_max) x.batch = limits.max_batch > 0 ? limits.max_batch : 1;
  return x;
}

/// One change that makes a job fit, with the changed job and its memory.
struct Suggestion {
  std::string what;
  Job job;
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
  explicit Collector(const Job& base) : base_(base) {}

  /// Checks a candidate and keeps it when it fits. Lower rank = suggested first.
  bool offer(int rank, std::string what, const Job& w) {
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

  [[nodiscard]] const Job& base() const noexcept { return base_; }

 private:
  Job base_;
  std::vector<std::pair<int, Suggestion>> list_;
};

/// "field: spelling", as a case sets it (names.hpp).
template <class E>
[[nodiscard]] std::string setting(std::string_view field, E value) {
  return std::string(field) + ": " + std::string(to_string(value));
}

inline std::string count_x(int n, std::string_view gpu) { return std::to_string(n) + "x " + std::string(gpu); }

/// A remedy offers the changed jobs of one kind of change to the collector (each is checked there).
using Remedy = void (*)(const Job& w, std::span<const GpuSpec> gpus, Collector& c);

// ---- training ----

/// Free switches: chunked cross-entropy, gradient checkpointing, both.
inline void free_switches(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (w.training.loss == LossKind::standard) {
    Job x = w;
    x.training.loss = LossKind::chunked;
    c.offer(10, "chunked cross-entropy (" + setting("loss", LossKind::chunked) + ")", x);
  }
  if (w.training.checkpointing != Checkpointing::full) {
    Job x = w;
    x.training.checkpointing = Checkpointing::full;
    c.offer(11, "gradient checkpointing (" + setting("grad_checkpointing", Checkpointing::full) + ")", x);
    x.training.loss = LossKind::chunked;
    if (w.training.loss == LossKind::standard) c.offer(12, "gradient checkpointing + chunked cross-entropy", x);
  }
}

/// A smaller micro-batch with more accumulation: the same tokens per optimizer step.
inline void smaller_micro_batch(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (w.batch <= 1) return;
  const std::int64_t b = max_batch(w);
  if (b >= 1 && b < w.batch) {
    Job x = w;
    x.batch = b;
    x.training.grad_accum = w.training.grad_accum * ((w.batch + b - 1) / b);
    c.offer(20, "micro-batch " + std::to_string(b) + " with grad_accum " + std::to_string(x.training.grad_accum), x);
  }
}

inline void shorter_sequences(const Job& w, std::span<const GpuSpec>, Collector& c) {
  const std::int64_t s = max_seq(w);
  if (s >= 1 && s < w.training.seq) {
    Job x = w;
    x.training.seq = s;
    c.offer(30, "sequences of at most " + std::to_string(s) + " tokens", x);
  }
}

/// 8-bit or paged optimizer state for full (or freeze) fine-tuning with AdamW or SGD.
inline void lighter_optimizer(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (w.training.method != Method::full && w.training.method != Method::freeze) return;
  if (w.training.optimizer != Optimizer::adamw && w.training.optimizer != Optimizer::sgd) return;
  Job x = w;
  x.training.optimizer = Optimizer::adamw_8bit;
  c.offer(40, "8-bit AdamW (" + setting("optimizer", Optimizer::adamw_8bit) + ")", x);
  x.training.optimizer = Optimizer::paged_adamw_8bit;
  c.offer(41, "paged 8-bit AdamW (" + setting("optimizer", Optimizer::paged_adamw_8bit) + ")", x);
  x.training.optimizer = Optimizer::adamw_8bit;
  x.training.checkpointing = Checkpointing::full;
  c.offer(42, "8-bit AdamW + gradient checkpointing", x);
}

/// LoRA instead of full (or freeze) fine-tuning, with checkpointing when LoRA alone does not fit.
inline void lora_adapters(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (w.training.method != Method::full && w.training.method != Method::freeze) return;
  Job x = w;
  x.training.method = Method::lora;
  x.training.lora_rank = 16;
  x.training.lora_targets = lora_all_linear;
  if (weight_format_info(*x.weights).quantized()) x.weights = WeightFormat::bf16;
  if (!c.offer(50, "LoRA (r=16, all linear layers) instead of full fine-tuning", x)) {
    x.training.checkpointing = Checkpointing::full;
    c.offer(51, "LoRA (r=16) + gradient checkpointing", x);
  }
}

/// QLoRA: NF4 base weights, with checkpointing when QLoRA alone does not fit.
inline void qlora_adapters(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (w.training.method == Method::qlora) return;
  Job x = w;
  x.training.method = Method::qlora;
  x.weights = WeightFormat::nf4_dq;
  if (w.training.method != Method::lora) {
    x.training.lora_rank = 16;
    x.training.lora_targets = lora_all_linear;
  }
  if (!c.offer(52, "QLoRA: NF4 4-bit base weights with double quantization", x)) {
    x.training.checkpointing = Checkpointing::full;
    c.offer(53, "QLoRA + gradient checkpointing", x);
  }
}

// ---- inference ----

inline void fewer_sequences(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (w.batch <= 1) return;
  const std::int64_t b = max_batch(w);
  if (b >= 1 && b < w.batch) {
    Job x = w;
    x.batch = b;
    c.offer(20, std::to_string(b) + " concurrent sequences", x);
  }
}

inline void shorter_context(const Job& w, std::span<const GpuSpec>, Collector& c) {
  const std::int64_t ctx = max_context(w);
  if (ctx >= 1 && ctx < w.inference.prompt + w.inference.generate)
    c.offer(30, "context of at most " + std::to_string(ctx) + " tokens", with_context(w, ctx));
}

/// An 8-bit KV cache (q8_0 under llama.cpp, fp8 elsewhere).
inline void smaller_kv_cache(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (kv_bytes_per_element(*w.inference.kv_cache) <= 1.0) return;
  const bool gguf = w.runtime == Runtime::llama_cpp;
  Job x = w;
  x.inference.kv_cache = gguf ? KvFormat::q8_0 : KvFormat::fp8;
  c.offer(40, (gguf ? "8-bit" : "fp8") + std::string(" KV cache (") + setting("kv_cache", *x.inference.kv_cache) + ")", x);
}

/// 8-bit, then 4-bit weights (GGUF formats under llama.cpp).
inline void fewer_weight_bits(const Job& w, std::span<const GpuSpec>, Collector& c) {
  const double bits = bits_per_weight(*w.weights);
  const bool gguf = w.runtime == Runtime::llama_cpp;
  if (bits > 8.6) {
    Job x = w;
    x.weights = gguf ? WeightFormat::q8_0 : WeightFormat::fp8;
    c.offer(50, (gguf ? "8-bit" : "fp8") + std::string(" weights (") + setting("weights", *x.weights) + ")", x);
  }
  if (bits > 5.0) {
    Job x = w;
    x.weights = gguf ? WeightFormat::q4_k_m : WeightFormat::awq_4bit;
    c.offer(51, "4-bit weights (" + setting("weights", *x.weights) + ")", x);
  }
}

// ---- any task ----

/// The smallest N x the same GPU (FSDP full shard for training, tensor parallel for inference) and
/// the smallest bigger GPU of `gpus` the runtime can use, for `base`; returns that bigger GPU.
inline const GpuSpec* scale_out(const Job& base, std::span<const GpuSpec> gpus, Collector& c, const std::string& prefix,
                                int rank_offset, const GpuSpec* skip) {
  const bool training = base.task == Task::training;
  const std::string gpu_id(base.hardware.gpu->id.empty() ? std::string_view("GPU") : base.hardware.gpu->id);
  for (int n = 2; n <= 64; n *= 2) {
    Job x = base;
    x.hardware.count = base.hardware.count * n;
    std::string what;
    if (training) {
      x.parallel.dp = base.parallel.dp * n;
      x.parallel.zero = 3;
      what = count_x(x.hardware.count, gpu_id) + " with FSDP full shard (ZeRO-3)";
    } else {
      x.parallel.tp = base.parallel.tp * n;
      what = count_x(x.hardware.count, gpu_id) + " with tensor parallel " + std::to_string(x.parallel.tp);
    }
    if (check(x).first_error() != nullptr) continue;  // a tp that does not divide the heads is no remedy
    if (c.offer(60 + rank_offset, prefix + what, x)) break;  // the smallest N that fits
  }
  // The smallest bigger GPU of `gpus` that fits; NVIDIA first on a tie (CUDA-first stacks).
  const GpuSpec* best = nullptr;
  for (const GpuSpec& g : gpus) {
    if (!(g.memory > base.hardware.gpu->memory) || g.id == base.hardware.gpu->id || !can_run(g, base)) continue;
    Job x = base;
    x.hardware.gpu = &g;
    if (!estimate_memory(x).fits) continue;
    const bool better = best == nullptr || g.memory < best->memory ||
                        (g.memory == best->memory && g.vendor == "NVIDIA" && best->vendor != "NVIDIA");
    if (better) best = &g;
  }
  if (best != nullptr && best != skip) {
    Job x = base;
    x.hardware.gpu = best;
    c.offer(70 + rank_offset,
            prefix + std::string(base.hardware.count > 1 ? "each GPU: " : "one ") + std::string(best->id) + " (" +
                gib_text(best->memory) + ")",
            x);
  }
  return best;
}

/// More GPUs of the same kind or one bigger GPU: as asked, and for training also with gradient
/// checkpointing, which costs ~1/3 more compute but is what makes most such jobs fit.
inline void more_or_bigger_gpus(const Job& w, std::span<const GpuSpec> gpus, Collector& c) {
  const GpuSpec* bigger = scale_out(w, gpus, c, "", 0, nullptr);
  if (w.task == Task::training && w.training.checkpointing != Checkpointing::full) {
    Job x = w;
    x.training.checkpointing = Checkpointing::full;
    scale_out(x, gpus, c, "gradient checkpointing + ", 1, bigger);  // the same bigger GPU is not offered twice
  }
}

/// CPU offload (slow): of the optimizer state (not with adapters), then of the parameters too.
inline void cpu_offload(const Job& w, std::span<const GpuSpec>, Collector& c) {
  if (w.task != Task::training) return;
  if (w.training.method != Method::lora && w.training.method != Method::qlora) {
    Job x = w;
    x.training.offload = Offload::optimizer;
    c.offer(80, "offload optimizer state to CPU memory (slower steps)", x);
  }
  Job x = w;
  x.training.offload = Offload::params;
  c.offer(81, "offload parameters and optimizer state to CPU memory (much slower steps)", x);
}

/// The remedies in the order they are tried (a suggestion offered first keeps its text).
inline constexpr std::array<Remedy, 8> training_remedies{free_switches,  smaller_micro_batch, shorter_sequences,
                                                         lighter_optimizer, lora_adapters,     qlora_adapters,
                                                         more_or_bigger_gpus, cpu_offload};
inline constexpr std::array<Remedy, 5> inference_remedies{fewer_sequences, shorter_context, smaller_kv_cache,
                                                          fewer_weight_bits, more_or_bigger_gpus};

}  // namespace detail::fit

/// Changes that make a job fit, cheapest first: each remedy of the task's table (detail::fit) is
/// applied to the job as given and re-checked with estimate_memory, so every suggestion fits.
/// Empty when the job already fits or no single change in the search space helps.
///
/// Ranking (cost to the user, not memory saved): loss and checkpointing switches; smaller
/// micro-batch with more accumulation (same tokens per step); shorter sequence/context; 8-bit or
/// paged optimizer; fp8 KV cache; LoRA, then QLoRA / 4-bit weights; N x the same GPU (FSDP/ZeRO-3
/// for training, tensor parallel for inference); the smallest bigger GPU of `gpus` (e.g.
/// `catalog.gpus()`) that the runtime can use (can_run); CPU offload.
[[nodiscard]] inline std::vector<Suggestion> suggest(const Job& job, std::span<const GpuSpec> gpus) {
  const Job w = normalize(job);
  if (w.task == Task::collective || estimate_memory(w).fits) return {};
  detail::fit::Collector c(w);
  const std::span<const detail::fit::Remedy> remedies =
      w.task == Task::training ? std::span<const detail::fit::Remedy>(detail::fit::training_remedies)
                               : std::span<const detail::fit::Remedy>(detail::fit::inference_remedies);
  for (const detail::fit::Remedy remedy : remedies) remedy(w, gpus, c);
  return c.take();
}

}  // namespace headroom
