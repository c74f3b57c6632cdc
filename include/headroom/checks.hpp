#pragma once
/// @file checks.hpp
/// check(job): the consistency of a job with its model and its GPU, as a short list of findings.
/// An error finding means the job cannot run as written (the case path turns it into an InputError
/// naming the field, the value and a fix); a warning means it runs but not quite as written
/// (the answer's `warnings`). The rules and their sources are in docs/cases.md "Checks".
///
/// Allocation-free and constexpr: messages are composed into a fixed buffer.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "headroom/job.hpp"
#include "headroom/model.hpp"
#include "headroom/names.hpp"

namespace headroom {

enum class Severity { warning, error };

/// A message in a fixed buffer (longer text is cut).
class CheckText {
 public:
  static constexpr std::size_t capacity = 240;

  constexpr CheckText& operator<<(std::string_view s) noexcept {
    for (const char c : s)
      if (size_ < capacity) buf_[size_++] = c;
    return *this;
  }
  constexpr CheckText& operator<<(std::int64_t v) noexcept {
    std::array<char, 24> digits{};
    std::size_t n = 0;
    const bool negative = v < 0;
    // Work on the negative side so that INT64_MIN prints too.
    std::int64_t x = negative ? v : -v;
    do {
      digits[n++] = static_cast<char>('0' - x % 10);
      x /= 10;
    } while (x != 0);
    if (negative) *this << "-";
    while (n > 0) *this << std::string_view(&digits[--n], 1);
    return *this;
  }
  constexpr CheckText& operator<<(int v) noexcept { return *this << static_cast<std::int64_t>(v); }
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {buf_.data(), size_}; }

 private:
  std::array<char, capacity> buf_{};
  std::size_t size_ = 0;
};

/// One finding: how serious, the case field it is about (dotted, e.g. "parallel.tp") and the text.
struct Finding {
  Severity severity = Severity::warning;
  std::string_view field{};
  CheckText message{};
};

/// The findings of check(), errors and warnings in the order found.
class Findings {
 public:
  static constexpr std::size_t capacity = 12;  ///< more than the rules can raise at once

  constexpr CheckText& add(Severity s, std::string_view field) noexcept {
    if (size_ == capacity) return items_[capacity - 1].message;  // unreachable with today's rules
    items_[size_] = Finding{s, field, {}};
    return items_[size_++].message;
  }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  [[nodiscard]] constexpr const Finding* begin() const noexcept { return items_.data(); }
  [[nodiscard]] constexpr const Finding* end() const noexcept { return items_.data() + size_; }
  /// The first error, or nullptr.
  [[nodiscard]] constexpr const Finding* first_error() const noexcept {
    for (const Finding& f : *this)
      if (f.severity == Severity::error) return &f;
    return nullptr;
  }
  [[nodiscard]] constexpr std::size_t warnings() const noexcept {
    std::size_t n = 0;
    for (const Finding& f : *this) n += f.severity == Severity::warning ? 1 : 0;
    return n;
  }

 private:
  std::array<Finding, capacity> items_{};
  std::size_t size_ = 0;
};

namespace detail {

/// Parallel degrees against the model: Megatron-LM and vLLM split attention heads, KV heads, layers
/// and experts evenly across the ranks of a degree.
constexpr void check_parallel(const Job& w, const ModelArch& m, Findings& out) {
  const Parallel& p = w.parallel;
  if (m.layers > 0 && p.pp > m.layers)
    out.add(Severity::error, "parallel.pp") << "pp = " << p.pp << " is more pipeline stages than the model's "
                                            << m.layers << " layers; use pp <= " << m.layers;
  if (p.tp > 1 && m.heads > 0) {
    if (p.tp > m.heads)
      out.add(Severity::error, "parallel.tp") << "tp = " << p.tp << " is more than the model's " << m.heads
                                              << " attention heads; use a tp that divides " << m.heads;
    else if (m.heads % p.tp != 0)
      out.add(Severity::error, "parallel.tp") << "tp = " << p.tp << " does not divide the model's " << m.heads
                                              << " attention heads (each rank holds heads/tp); use a divisor of "
                                              << m.heads;
    else if (m.kv_heads > 0 && m.kv_heads % p.tp != 0) {
      if (p.tp > m.kv_heads && p.tp % m.kv_heads == 0)
        out.add(Severity::warning, "parallel.tp")
            << "tp = " << p.tp << " is more than the model's " << m.kv_heads << " KV heads: each KV head is replicated "
            << p.tp / m.kv_heads << " times (as vLLM does); the KV cache is counted per rank as if split";
      else
        out.add(Severity::error, "parallel.tp") << "tp = " << p.tp << " does not divide the model's " << m.kv_heads
                                                << " KV heads and is not a multiple of them; use a divisor of "
                                                << m.kv_heads << " or a multiple of it that divides " << m.heads;
    }
  }
  if (p.ep > 1) {
    if (!m.is_moe())
      out.add(Severity::error, "parallel.ep") << "ep = " << p.ep << " but the model is dense (no experts); "
                                              << "expert parallelism needs a mixture-of-experts model; use ep = 1";
    else if (m.experts % p.ep != 0)
      out.add(Severity::error, "parallel.ep") << "ep = " << p.ep << " does not divide the model's " << m.experts
                                              << " experts; use a divisor of " << m.experts;
    else if (w.task != Task::training && (p.dp * p.tp) % p.ep != 0)
      // Inference spreads the experts over the dp x tp GPUs of a stage (docs/cases.md `parallel`).
      out.add(Severity::error, "parallel.ep") << "ep = " << p.ep << " does not divide dp x tp = " << p.dp << " x "
                                              << p.tp << " = " << p.dp * p.tp
                                              << " (inference spreads the experts over the dp x tp GPUs); use a "
                                              << "divisor of " << p.dp * p.tp;
    else if (w.task == Task::training && (p.dp * p.tp * p.cp) % p.ep != 0)
      // Megatron-Core's expert ranks tile the dp x tp x cp GPUs of a stage (parallel_state.py
      // initialize_model_parallel raises otherwise; docs/time.md section 12).
      out.add(Severity::error, "parallel.ep") << "ep = " << p.ep << " does not divide dp x tp x cp = " << p.dp
                                              << " x " << p.tp << " x " << p.cp << " = " << p.dp * p.tp * p.cp
                                              << " (training spreads the experts over those GPUs); use a divisor of "
                                              << p.dp * p.tp * p.cp;
  }
  if (w.task == Task::training && p.cp > 1 && w.training.seq % p.cp != 0)
    out.add(Severity::error, "parallel.cp") << "cp = " << p.cp << " does not divide seq = " << w.training.seq
                                            << " (each rank holds seq/cp tokens); use a seq that is a multiple of "
                                            << p.cp;
}

/// The context against the model's positions. Inference runs a trained checkpoint: a learned
/// position table ends at max_positions (an error); RoPE beyond it needs RoPE scaling, from the
/// config or set in the runtime (SGLang and vLLM take a config override: published long-context
/// runs of Qwen3 do so), so a warning; ALiBi extrapolates. Training may build the model for its own
/// length (llm-foundry sets max_seq_len to the run's sequence), so there it is a warning.
constexpr void check_context(const Job& w, const ModelArch& m, Findings& out) {
  if (m.max_positions <= 0 || w.question.solve == Solve::max_seq || w.question.solve == Solve::max_context) return;
  const bool training = w.task == Task::training;
  const std::int64_t context = training ? w.training.seq : w.inference.prompt + w.inference.generate;
  if (context <= m.max_positions) return;
  const std::string_view field = training ? "seq" : "prompt";
  const std::string_view what = training ? "seq = " : "prompt + generate = ";
  if (m.rope_scaling)
    out.add(Severity::warning, field) << what << context << " is beyond the model's " << m.max_positions
                                      << " positions; it relies on the config's RoPE scaling (rope_scaling)";
  else if (m.position == PositionKind::alibi)
    out.add(Severity::warning, field) << what << context << " is beyond the " << m.max_positions
                                      << " positions the model was trained at; ALiBi extrapolates, quality may drop";
  else if (training)
    out.add(Severity::warning, field) << what << context << " is beyond the config's " << m.max_positions
                                      << " positions: the model must be built for this length (max_position_embeddings"
                                      << " >= seq); counted as configured";
  else if (m.position == PositionKind::rotary)
    out.add(Severity::warning, field) << what << context << " is beyond the model's " << m.max_positions
                                      << " positions: it runs with RoPE scaling enabled in the runtime (YaRN through"
                                      << " the runtime's config override); counted as asked";
  else
    out.add(Severity::error, field) << what << context << " is beyond the model's " << m.max_positions
                                    << " learned positions (max_position_embeddings); use at most " << m.max_positions;
}

}  // namespace detail

/// The consistency checks of a job (docs/cases.md "Checks"): parallel degrees against the model,
/// the context against its positions, the GPU x runtime x format table (can_run, job.hpp) and a
/// collective's GPU count. Reads the normalized job.
[[nodiscard]] constexpr Findings check(const Job& job) noexcept {
  const Job w = normalize(job);
  Findings out;
  if (w.hardware.gpu != nullptr)
    if (const RunRule* r = cannot_run(*w.hardware.gpu, w)) {
      const std::string_view value = r->field == "runtime"        ? to_string(w.runtime)
                                     : r->field == "compute"      ? to_string(w.compute)
                                     : r->field == "weights"      ? to_string(*w.weights)
                                     : r->field == "interconnect" ? to_string(w.hardware.interconnect)
                                                                  : std::string_view{};
      out.add(Severity::error, r->field) << r->field << " \"" << value << "\" cannot run on " << w.hardware.gpu->id
                                         << ": " << r->why;
    }
  if (w.task == Task::collective) {
    if (w.hardware.count < 2)
      out.add(Severity::error, "gpus") << "a collective needs gpus >= 2 (gpus = " << w.hardware.count
                                       << " has no one to talk to)";
    return out;
  }
  if (w.model == nullptr) return out;
  detail::check_parallel(w, *w.model, out);
  detail::check_context(w, *w.model, out);
  return out;
}

}  // namespace headroom
