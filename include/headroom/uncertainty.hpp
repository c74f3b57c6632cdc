#pragma once
/// @file uncertainty.hpp
/// The 80% prediction band of an answer (docs/cases.md `intervals`): the measured/predicted ratio range
/// expected to hold 80% of the time on sources the band was not derived from. One band per cell:
///
///   cell = (key family, runtime class, parallel regime)
///
/// The key family pools keys that are one quantity in different units (step time = 1 / training
/// tokens per second, TTFT ~ prompt / prefill speed, HFU ~ MFU): a band symmetric in log space is the
/// same for a number and its inverse. Bands are centred on the prediction (never shifted to absorb a
/// bias) and derived with sources, not cases, as the unit (validation.hpp `derive_bands`, the rule in
/// docs/validation.md "Uncertainty bands"):
///
///   two or more sources: h = the 80th percentile of |ln(measured/predicted)|, each source weighing 1
///                        in all (each of its n cases 1/n);
///   one source:          h = twice that source's own 80th percentile;
///   none:                ×/÷2 (h = ln 2);
///   band = [exp(−h), exp(h)].
///
/// With a measured profile the time bands are widened by the profile fit's own 80% half-width in log
/// space, combined in quadrature (docs/reference/formulas.md §5.4).
///
/// data/uncertainty/intervals.json mirrors `interval_bands` (a test checks that they are equal);
/// data/uncertainty/derive_intervals.py regenerates both from `headroom validate --json`.

#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string_view>

#include "headroom/job.hpp"
#include "headroom/names.hpp"
#include "headroom/result.hpp"

namespace headroom {

/// One row of the band table: a cell with at least one source.
struct IntervalBand {
  std::string_view key;            ///< the key family, e.g. "time.train_tokens_per_s_per_gpu"
  std::string_view runtime_class;  ///< names.hpp RuntimeClass spelling
  std::string_view regime;         ///< names.hpp ParallelRegime spelling
  double low = 0, high = 0;        ///< measured/predicted band
  int sources = 0;                 ///< sources it was derived from
  int cases = 0;                   ///< their cases

  constexpr bool operator==(const IntervalBand&) const noexcept = default;
};

// BEGIN GENERATED BAND TABLE (data/uncertainty/derive_intervals.py)
inline constexpr std::array<IntervalBand, 27> interval_bands{{
    {"memory.per_gpu_gib", "eager", "one-gpu", 0.8781, 1.139, 3, 74},
    {"memory.per_gpu_gib", "eager", "data-parallel", 0.8794, 1.137, 3, 14},
    {"memory.per_gpu_gib", "eager", "model-parallel", 0.8935, 1.119, 1, 6},
    {"memory.reserved_gib", "eager", "one-gpu", 0.3573, 2.799, 1, 4},
    {"memory.reserved_gib", "eager", "data-parallel", 0.7214, 1.386, 1, 24},
    {"time.prefill_tokens_per_s", "server", "one-gpu", 0.6421, 1.557, 1, 6},
    {"time.prefill_tokens_per_s", "server", "model-parallel", 0.4133, 2.42, 1, 3},
    {"time.prefill_tokens_per_s", "local", "one-gpu", 0.5982, 1.672, 1, 34},
    {"time.prefill_tokens_per_s", "local", "model-parallel", 0.398, 2.513, 1, 42},
    {"time.decode_tokens_per_s", "eager", "one-gpu", 0.7141, 1.4, 2, 47},
    {"time.decode_tokens_per_s", "eager", "model-parallel", 0.6438, 1.553, 1, 10},
    {"time.decode_tokens_per_s", "server", "one-gpu", 0.7608, 1.315, 2, 51},
    {"time.decode_tokens_per_s", "server", "model-parallel", 0.6758, 1.48, 2, 29},
    {"time.decode_tokens_per_s", "local", "one-gpu", 0.8279, 1.208, 1, 36},
    {"time.decode_tokens_per_s", "local", "model-parallel", 0.8885, 1.125, 1, 45},
    {"time.train_tokens_per_s_per_gpu", "eager", "one-gpu", 0.4733, 2.113, 1, 13},
    {"time.train_tokens_per_s_per_gpu", "eager", "data-parallel", 0.6626, 1.509, 4, 181},
    {"time.train_tokens_per_s_per_gpu", "distributed", "model-parallel", 0.4579, 2.184, 1, 23},
    {"time.mfu", "distributed", "data-parallel", 0.4062, 2.462, 1, 1},
    {"time.mfu", "distributed", "model-parallel", 0.6251, 1.6, 1, 8},
    {"time.busbw_gbps", "collective", "data-parallel", 0.5443, 1.837, 1, 4},
    {"serving.ttft_s", "server", "one-gpu", 0.2178, 4.591, 1, 180},
    {"serving.ttft_s", "server", "data-parallel", 0.0283, 35.34, 1, 13},
    {"serving.ttft_s", "server", "model-parallel", 0.1855, 5.391, 1, 1226},
    {"serving.tpot_s", "server", "one-gpu", 0.6526, 1.532, 1, 180},
    {"serving.tpot_s", "server", "data-parallel", 0.2037, 4.91, 1, 13},
    {"serving.tpot_s", "server", "model-parallel", 0.5262, 1.901, 1, 1226},
}};
// END GENERATED BAND TABLE

/// The band of a cell without a source: ×/÷2.
inline constexpr Interval no_data_band{0.5, 2.0};

/// The key whose residuals a key's band is derived from (see the file comment).
[[nodiscard]] constexpr AnswerKey band_key(AnswerKey k) noexcept {
  switch (k) {
    case AnswerKey::time_step_time_s: return AnswerKey::time_train_tokens_per_s_per_gpu;
    case AnswerKey::time_ttft_s: return AnswerKey::time_prefill_tokens_per_s;
    case AnswerKey::time_hfu: return AnswerKey::time_mfu;
    // Serving: the TTFT percentiles with the mean TTFT; TPOT percentiles, the end-to-end latency and
    // the throughputs (output tokens / e2e, decode-dominated) with the mean TPOT.
    case AnswerKey::serving_ttft_p90_s: case AnswerKey::serving_ttft_p99_s: return AnswerKey::serving_ttft_s;
    case AnswerKey::serving_tpot_p90_s: case AnswerKey::serving_tpot_p99_s: case AnswerKey::serving_e2e_s:
    case AnswerKey::serving_output_tokens_per_s: case AnswerKey::serving_requests_per_s:
      return AnswerKey::serving_tpot_s;
    default: return k;
  }
}

/// The runtime class of a job (names.hpp `runtime_class` lists the members).
[[nodiscard]] constexpr RuntimeClass runtime_class(const Job& w) noexcept {
  if (w.task == Task::collective) return RuntimeClass::collective;
  switch (w.runtime) {
    case Runtime::megatron: case Runtime::torchtitan: case Runtime::deepspeed: return RuntimeClass::distributed;
    case Runtime::vllm: case Runtime::sglang: case Runtime::tensorrt_llm: return RuntimeClass::server;
    case Runtime::llama_cpp: case Runtime::mlc: case Runtime::exllama: return RuntimeClass::local;
    case Runtime::pytorch: case Runtime::hf: case Runtime::torchtune: case Runtime::litgpt: case Runtime::unsloth:
      return RuntimeClass::eager;
  }
  return RuntimeClass::eager;
}

/// The parallel regime of a job: one GPU, data parallel only, or model parallel.
[[nodiscard]] constexpr ParallelRegime parallel_regime(const Job& w) noexcept {
  if (w.hardware.count <= 1) return ParallelRegime::one_gpu;
  const Parallel& p = w.parallel;
  return p.tp > 1 || p.pp > 1 || p.cp > 1 || p.ep > 1 ? ParallelRegime::model_parallel : ParallelRegime::data_parallel;
}

/// The band cell of one key of a job's answer.
struct BandCell {
  AnswerKey key = AnswerKey::memory_per_gpu_gib;  ///< the key family (band_key)
  RuntimeClass runtime = RuntimeClass::eager;
  ParallelRegime regime = ParallelRegime::one_gpu;
  constexpr bool operator==(const BandCell&) const noexcept = default;
};

/// The band of a cell: its row of the table, else ×/÷2.
[[nodiscard]] constexpr Interval band_for(const BandCell& c) noexcept {
  for (const auto& b : interval_bands)
    if (b.key == to_string(c.key) && b.runtime_class == to_string(c.runtime) && b.regime == to_string(c.regime))
      return Interval{b.low, b.high};
  return no_data_band;
}

namespace detail {
/// band_for of every cell, worked out once at compile time from the table: the index of the cell's row
/// in interval_bands, or -1 (×/÷2). fill_intervals looks cells up here instead of comparing spellings.
struct BandIndex {
  static constexpr int keys = names::count<AnswerKey>, classes = names::count<RuntimeClass>,
                       regimes = names::count<ParallelRegime>;
  std::array<signed char, static_cast<std::size_t>(keys * classes * regimes)> row{};

  [[nodiscard]] static constexpr std::size_t at(const BandCell& c) noexcept {
    return static_cast<std::size_t>((static_cast<int>(c.key) * classes + static_cast<int>(c.runtime)) * regimes +
                                    static_cast<int>(c.regime));
  }
  [[nodiscard]] constexpr Interval band(const BandCell& c) const noexcept {
    const int i = row[at(c)];
    return i < 0 ? no_data_band : Interval{interval_bands[static_cast<std::size_t>(i)].low,
                                           interval_bands[static_cast<std::size_t>(i)].high};
  }
};
static_assert(names::dense<RuntimeClass>() && names::dense<ParallelRegime>() && interval_bands.size() < 128);

// Each row read once (a loop over every cell and row ran past clang's constexpr step limit). The last
// row is placed first, so that the first row of a cell wins, as in band_for.
inline constexpr BandIndex band_index = [] {
  BandIndex t;
  for (signed char& row : t.row) row = -1;
  for (std::size_t i = interval_bands.size(); i-- > 0;) {
    const IntervalBand& b = interval_bands[i];
    const auto key = names::value<AnswerKey>(b.key, false);
    const auto runtime = names::value<RuntimeClass>(b.runtime_class, false);
    const auto regime = names::value<ParallelRegime>(b.regime, false);
    if (key && runtime && regime) t.row[BandIndex::at(BandCell{*key, *runtime, *regime})] = static_cast<signed char>(i);
  }
  return t;
}();
}  // namespace detail

/// `band` widened by a profile fit's 80% half-width `log_half_width` (ln units), in quadrature on the
/// log half-width around the band's log centre.
[[nodiscard]] inline Interval widen(Interval band, double log_half_width) noexcept {
  if (!band.present() || !(log_half_width > 0)) return band;
  const double lo = std::log(band.low), hi = std::log(band.high);
  const double c = 0.5 * (lo + hi), h = 0.5 * (hi - lo);
  const double w = std::sqrt(h * h + log_half_width * log_half_width);
  return Interval{std::exp(c - w), std::exp(c + w)};
}

/// The answer key `interval` describes: the task's time key when the answer has time (inference:
/// decode_tokens_per_s, or prefill_tokens_per_s without generated tokens; training:
/// train_tokens_per_s_per_gpu; collective: busbw_gbps; serving: tpot_s, or ttft_s with one generated
/// token), else memory.per_gpu_gib; none when the answer has no key to describe.
[[nodiscard]] constexpr std::optional<AnswerKey> headline_answer_key(const Job& w, const Answer& a) noexcept {
  if (a.has_time) {
    switch (w.task) {
      case Task::inference:
        return w.inference.generate > 0 && a.time.decode_tokens_per_s > 0 ? AnswerKey::time_decode_tokens_per_s
                                                                          : AnswerKey::time_prefill_tokens_per_s;
      case Task::training: return AnswerKey::time_train_tokens_per_s_per_gpu;
      case Task::collective: return AnswerKey::time_busbw_gbps;
      case Task::serving: break;
    }
  }
  if (w.task == Task::serving && a.has_serving)
    return w.inference.generate > 1 ? AnswerKey::serving_tpot_s : AnswerKey::serving_ttft_s;
  if (a.has_memory) return AnswerKey::memory_per_gpu_gib;
  return std::nullopt;
}

/// The value an answer gives a key (0: the answer does not write it; limits: -1 when not asked).
[[nodiscard]] constexpr double answer_value(const Answer& a, AnswerKey k) noexcept {
  const MemoryResult& m = a.memory;
  const TimeResult& t = a.time;
  switch (k) {
    case AnswerKey::memory_per_gpu_gib: return a.has_memory ? m.per_gpu.value() : 0;
    case AnswerKey::memory_reserved_gib: return a.has_memory ? m.reserved.value() : 0;
    case AnswerKey::memory_device_gib: return a.has_memory ? m.device.value() : 0;
    case AnswerKey::time_prefill_tokens_per_s: return a.has_time ? t.prefill_tokens_per_s : 0;
    case AnswerKey::time_decode_tokens_per_s: return a.has_time ? t.decode_tokens_per_s : 0;
    case AnswerKey::time_ttft_s: return a.has_time ? t.ttft_s : 0;
    case AnswerKey::time_step_time_s: return a.has_time ? t.step_time_s : 0;
    case AnswerKey::time_train_tokens_per_s_per_gpu: return a.has_time ? t.train_tokens_per_s_per_gpu : 0;
    case AnswerKey::time_mfu: return a.has_time ? t.mfu : 0;
    case AnswerKey::time_hfu: return a.has_time ? t.hfu : 0;
    case AnswerKey::time_busbw_gbps: return a.has_time ? t.busbw_gbps : 0;
    case AnswerKey::limits_max_batch: return static_cast<double>(a.limits.max_batch);
    case AnswerKey::limits_max_seq: return static_cast<double>(a.limits.max_seq);
    case AnswerKey::limits_max_context: return static_cast<double>(a.limits.max_context);
    case AnswerKey::serving_ttft_s: return a.has_serving ? a.serving.ttft_s : 0;
    case AnswerKey::serving_ttft_p90_s: return a.has_serving ? a.serving.ttft_p90_s : 0;
    case AnswerKey::serving_ttft_p99_s: return a.has_serving ? a.serving.ttft_p99_s : 0;
    case AnswerKey::serving_tpot_s: return a.has_serving ? a.serving.tpot_s : 0;
    case AnswerKey::serving_tpot_p90_s: return a.has_serving ? a.serving.tpot_p90_s : 0;
    case AnswerKey::serving_tpot_p99_s: return a.has_serving ? a.serving.tpot_p99_s : 0;
    case AnswerKey::serving_e2e_s: return a.has_serving ? a.serving.e2e_s : 0;
    case AnswerKey::serving_output_tokens_per_s: return a.has_serving ? a.serving.output_tokens_per_s : 0;
    case AnswerKey::serving_requests_per_s: return a.has_serving ? a.serving.requests_per_s : 0;
    case AnswerKey::serving_kv_capacity_tokens: return a.has_serving ? a.serving.kv_capacity_tokens : 0;
    case AnswerKey::limits_max_concurrency: return static_cast<double>(a.limits.max_concurrency);
  }
  return 0;
}

namespace detail {
/// Whether the answer writes key k under `solve`: every key but a limit, and the limit `solve` names
/// ("limits." + its spelling). Worked out at compile time: asked_keys[solve][key].
inline constexpr auto asked_keys = [] {
  std::array<std::array<bool, names::count<AnswerKey>>, names::count<Solve>> t{};
  for (const auto& s : names::table<Solve>())  // every Solve, each below count<Solve>
    for (int i = 0; i < names::count<AnswerKey>; ++i) {
      const std::string_view key = to_string(static_cast<AnswerKey>(i));
      const bool limit = key.starts_with("limits.");
      t[static_cast<std::size_t>(s.value)][static_cast<std::size_t>(i)] = !limit || key.substr(7) == s.name;
    }
  return t;
}();
}  // namespace detail

/// Fills `a.intervals` for every key the answer writes (limits: the one `solve` asked for, when it
/// is positive; a limit of 0 or a not-asked -1 has no ratio) and sets `a.interval` to the headline
/// key's band.
constexpr void fill_intervals(const Job& w, Answer& a) noexcept {
  const auto& asked = detail::asked_keys[static_cast<std::size_t>(w.question.solve)];
  const RuntimeClass runtime = runtime_class(w);
  const ParallelRegime regime = parallel_regime(w);
  for (int i = 0; i < names::count<AnswerKey>; ++i) {
    const auto k = static_cast<AnswerKey>(i);
    a.intervals[k] = answer_value(a, k) > 0 && asked[static_cast<std::size_t>(i)]
                         ? detail::band_index.band(BandCell{band_key(k), runtime, regime})
                         : Interval{};
  }
  const std::optional<AnswerKey> head = headline_answer_key(w, a);
  a.interval = head ? a.intervals[*head] : Interval{};
}

}  // namespace headroom
