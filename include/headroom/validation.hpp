#pragma once
/// @file validation.hpp
/// Validation scoring (docs/validation.md): compare answers with published measurements and
/// summarise the errors per key, per source, per runtime, per GPU and per confidence level; check
/// the summary against the accuracy thresholds. Standard library only: reading validation files
/// and answering their cases is headroom/io/validation.hpp, rendering the report is the CLI's.
///
/// Error measures: absolute percentage error |predicted − measured| / measured for numeric keys
/// (median and 90th percentile by linear interpolation, see headroom/stats.hpp), share of correct
/// answers for `memory.fits`. A case whose answer lacks the key (the time model is not there yet)
/// counts as "not predicted", not as an error; a case that this version does not model or know yet
/// (task serving, a GPU or model not in the catalog) is "not answered", listed with its reason; a case
/// that cannot be answered for any other reason is an error.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "headroom/names.hpp"
#include "headroom/stats.hpp"
#include "headroom/uncertainty.hpp"

namespace headroom {

/// One line of a validation file: `{"source_row", "case", "expected": {"key", "value", "kind",
/// "reported_as"?}, "confidence", "notes"}`.
struct ValidationCase {
  std::string file;       ///< where it was read from
  std::size_t line = 0;   ///< 1-based line in `file`
  std::string source_row;  ///< e.g. "TORCHTUNE-005"
  std::string case_text;   ///< the case object as JSON text, as given to `headroom eval`
  std::string key;         ///< expected.key, e.g. "memory.per_gpu_gib"
  double expected = 0;     ///< expected.value of a numeric key
  bool expected_fits = false;  ///< expected.value of "memory.fits"
  std::string kind;        ///< "measured", "estimate", "derived", ...
  std::string reported_as;  ///< e.g. "allocated", "reserved"; empty when not given
  std::string confidence;  ///< "high", "medium", "low"
  std::string notes;

  [[nodiscard]] bool is_fits() const noexcept { return key == "memory.fits"; }
};

namespace validation {

/// The answer keys a validation line may check, in report order.
inline constexpr std::array<std::string_view, 26> keys{
    "memory.per_gpu_gib", "memory.reserved_gib", "memory.device_gib", "memory.fits", "time.prefill_tokens_per_s",
    "time.decode_tokens_per_s", "time.ttft_s", "time.step_time_s", "time.train_tokens_per_s_per_gpu", "time.mfu",
    "time.busbw_gbps", "serving.ttft_s", "serving.tpot_s", "serving.e2e_s", "serving.output_tokens_per_s",
    "serving.requests_per_s", "serving.ttft_p90_s", "serving.ttft_p99_s", "serving.tpot_p90_s", "serving.tpot_p99_s",
    "serving.kv_capacity_tokens", "limits.max_batch", "limits.max_seq", "limits.max_context",
    "limits.max_concurrency", "time.hfu"};

inline constexpr std::array<std::string_view, 3> confidences{"high", "medium", "low"};

/// The source of a case: the source_row prefix before the first '-' ("TORCHTUNE-005" -> "TORCHTUNE").
[[nodiscard]] inline std::string source_of(std::string_view source_row) {
  return std::string(source_row.substr(0, source_row.find('-')));
}

/// Position of a key in `keys` (report order); keys.size() when unknown.
[[nodiscard]] inline std::size_t key_rank(std::string_view key) noexcept {
  return static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin());
}

enum class CaseStatus {
  scored,         ///< the answer has the key: compared with the measurement
  not_predicted,  ///< answered, but the answer lacks the key (that part of the model is not there yet)
  not_answered,   ///< not answered (ok: false) because this version does not model or know it yet
  error           ///< the case could not be answered (ok: false) for another reason
};

/// One case compared with its measurement.
struct CaseResult {
  std::size_t index = 0;  ///< into ValidationReport::cases
  CaseStatus status = CaseStatus::error;
  std::string source, runtime, gpu, confidence;  ///< group labels
  int gpus = 1;
  double predicted = stats::nan_value;  ///< numeric keys
  bool predicted_fits = false;    ///< memory.fits
  double ape = stats::nan_value;        ///< numeric keys, when scored
  bool correct = false;           ///< memory.fits, when scored
  double device_gib = stats::nan_value;   ///< the predicted device memory (what fits compares), when the answer has it
  double usable_gib = stats::nan_value;   ///< what the runtime may use
  std::string error;  ///< when status is error or not_answered: the reason
  std::optional<BandCell> cell;  ///< the key's band cell (uncertainty.hpp), for numeric answer keys
  Interval band{};       ///< the answer's 80% band of the key (its `intervals`), when it has one
  bool covered = false;  ///< measured/predicted fell inside `band` (in sample: the shipped bands)
  double loso_half = stats::nan_value;  ///< half-width (ln) of the cell's band derived without this case's source
  bool loso_covered = false;  ///< measured/predicted fell inside that band
};

/// The errors of one key within one group.
struct KeyStats {
  std::string group;  ///< the group label ("all" for the overall table)
  std::string key;
  std::size_t cases = 0;          ///< cases of this key in the group
  std::size_t scored = 0;         ///< cases compared
  std::size_t not_predicted = 0;  ///< answered without this key
  std::size_t not_answered = 0;   ///< not modelled or known yet (task serving, GPU or model not in the catalog)
  std::size_t errors = 0;         ///< not answered for another reason
  double median_ape = stats::nan_value;  ///< numeric keys
  double p90_ape = stats::nan_value;
  double mean_ape = stats::nan_value;
  std::size_t correct = 0;        ///< memory.fits
  double accuracy = stats::nan_value;   ///< memory.fits: correct / scored
  std::size_t banded = 0;   ///< scored numeric cases with an 80% band
  std::size_t covered = 0;  ///< of those, measured inside the band
  double coverage = stats::nan_value;  ///< covered / banded: in-sample coverage of the shipped bands
  std::size_t loso_banded = 0;   ///< scored cases with a band cell
  std::size_t loso_covered = 0;  ///< of those, inside the band derived without their source
  double loso_coverage = stats::nan_value;  ///< loso_covered / loso_banded (the band aims at 80%)
};

/// The band of one cell derived from the scored cases (derive_bands).
struct DerivedBand {
  BandCell cell;
  double half = 0;  ///< ln half-width: the band is [exp(-half), exp(half)]
  int sources = 0, cases = 0;
  double coverage = stats::nan_value;       ///< share of its cases inside it (in sample)
  double loso_coverage = stats::nan_value;  ///< share inside the band derived without their own source
  [[nodiscard]] Interval band() const noexcept { return Interval{std::exp(-half), std::exp(half)}; }
};

}  // namespace validation

struct ValidationReport {
  std::vector<std::string> files;
  std::vector<ValidationCase> cases;
  std::vector<validation::CaseResult> results;  ///< one per case, same order
  std::vector<validation::KeyStats> by_key, by_source, by_runtime, by_gpu, by_confidence;
  std::vector<std::size_t> worst;       ///< numeric cases with the largest APE, largest first
  std::vector<std::size_t> wrong_fits;  ///< memory.fits cases answered wrongly
  std::vector<std::size_t> errors;      ///< cases that could not be answered
  std::vector<std::size_t> not_answered;  ///< cases this version does not model or know yet, with the reason
  std::size_t not_predicted = 0;
  std::vector<validation::DerivedBand> bands;  ///< the bands these cases give, per cell (derive_bands)
};

namespace validation {

/// What a case is about, for the group tables: read from its case object
/// (validation::labels_of in headroom/io/validation.hpp).
struct CaseLabels {
  std::string runtime = "pytorch";  ///< the case's runtime (its default when not given); "-" for a collective
  std::string gpu = "(spec)";       ///< the GPU id; "(spec)" for an inline spec without one
  int gpus = 1;
  bool training = false;  ///< task: training
  RuntimeClass runtime_class = RuntimeClass::eager;  ///< of the band cell (uncertainty.hpp)
  ParallelRegime regime = ParallelRegime::one_gpu;   ///< of the band cell
};

/// What an answer says, as far as scoring needs it (validation::prediction_of in
/// headroom/io/validation.hpp reads it from an answer object).
struct Prediction {
  bool ok = false;      ///< the case was answered
  bool not_modelled = false;  ///< when not ok: because this version does not model or know it yet
  std::string error;    ///< when not ok
  std::optional<double> value;  ///< the answer's number at the case's key, when it has one
  std::optional<bool> fits;     ///< the answer's memory.fits, when the key is memory.fits and it has one
  double device_gib = stats::nan_value;  ///< the predicted device memory, when the answer has it
  double usable_gib = stats::nan_value;  ///< what the runtime may use
  Interval band{};  ///< the answer's band of the key (its `intervals`), when it has one
};

/// Compares one answer with the case's measurement.
[[nodiscard]] inline CaseResult score(const ValidationCase& c, std::size_t index, const CaseLabels& labels,
                                     const Prediction& p) {
  CaseResult r;
  r.index = index;
  r.source = validation::source_of(c.source_row);
  r.confidence = c.confidence;
  r.runtime = labels.runtime;
  r.gpu = labels.gpu;
  r.gpus = labels.gpus;

  if (!p.ok) {
    r.status = p.not_modelled ? CaseStatus::not_answered : CaseStatus::error;
    r.error = p.error;
    return r;
  }
  r.device_gib = p.device_gib;
  r.usable_gib = p.usable_gib;
  if (c.is_fits()) {
    if (!p.fits) {
      r.status = CaseStatus::not_predicted;
      return r;
    }
    r.predicted_fits = *p.fits;
    r.correct = r.predicted_fits == c.expected_fits;
  } else {
    if (!p.value || *p.value == 0) {
      r.status = CaseStatus::not_predicted;
      return r;
    }
    r.predicted = *p.value;
    r.ape = stats::ape(r.predicted, c.expected);
    if (const auto k = names::value<AnswerKey>(c.key, false))
      r.cell = BandCell{band_key(*k), labels.runtime_class, labels.regime};
    r.band = p.band;
    if (r.band.present()) {
      const double ratio = c.expected / r.predicted;
      r.covered = ratio >= r.band.low && ratio <= r.band.high;
    }
  }
  r.status = CaseStatus::scored;
  return r;
}

}  // namespace validation

namespace detail::validation_impl {

using validation::CaseResult;
using validation::CaseStatus;
using validation::KeyStats;

template <class LabelFn>
std::vector<KeyStats> aggregate(const ValidationReport& rep, LabelFn label) {
  // (group, key rank) -> result indices
  std::map<std::pair<std::string, std::size_t>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < rep.results.size(); ++i)
    groups[{label(rep.results[i]), validation::key_rank(rep.cases[rep.results[i].index].key)}].push_back(i);
  std::vector<KeyStats> out;
  for (const auto& [k, members] : groups) {
    KeyStats s;
    s.group = k.first;
    s.key = std::string(validation::keys[k.second]);
    std::vector<double> apes;
    for (std::size_t i : members) {
      const CaseResult& r = rep.results[i];
      ++s.cases;
      switch (r.status) {
        case CaseStatus::scored:
          ++s.scored;
          if (rep.cases[r.index].is_fits()) s.correct += r.correct ? 1 : 0;
          else apes.push_back(r.ape);
          if (r.band.present()) {
            ++s.banded;
            s.covered += r.covered ? 1 : 0;
          }
          if (!std::isnan(r.loso_half)) {
            ++s.loso_banded;
            s.loso_covered += r.loso_covered ? 1 : 0;
          }
          break;
        case CaseStatus::not_predicted: ++s.not_predicted; break;
        case CaseStatus::not_answered: ++s.not_answered; break;
        case CaseStatus::error: ++s.errors; break;
      }
    }
    if (!apes.empty()) {
      const auto sum = stats::summarize(apes);
      s.median_ape = sum.median;
      s.p90_ape = sum.p90;
      s.mean_ape = sum.mean;
    }
    if (validation::keys[k.second] == "memory.fits") s.accuracy = stats::share(s.correct, s.scored);
    if (s.banded) s.coverage = stats::share(s.covered, s.banded);
    if (s.loso_banded) s.loso_coverage = stats::share(s.loso_covered, s.loso_banded);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace detail::validation_impl

namespace validation {

/// One residual of a band cell: ln(measured / predicted) of a scored case, and its source.
struct SourceResidual {
  std::string_view source;
  double r = 0;
};

/// The 80th percentile of |r| with sources, not cases, as the unit: each source weighs 1 in all
/// (each of its n residuals 1/n); the smallest |r| at which the cumulative weight reaches 80% of the
/// number of sources. NaN without residuals.
[[nodiscard]] inline double source_weighted_q80(std::vector<SourceResidual> xs) {
  if (xs.empty()) return stats::nan_value;
  std::map<std::string_view, int> per_source;
  for (const auto& x : xs) ++per_source[x.source];
  std::sort(xs.begin(), xs.end(), [](const SourceResidual& a, const SourceResidual& b) {
    return std::abs(a.r) < std::abs(b.r);
  });
  const double target = 0.8 * static_cast<double>(per_source.size());
  double cumulative = 0;
  for (const auto& x : xs) {
    cumulative += 1.0 / per_source[x.source];
    if (cumulative >= target - 1e-9) return std::abs(x.r);
  }
  return std::abs(xs.back().r);
}

/// The ln half-width of a cell's band from its residuals, leaving out source `without` (empty: none),
/// by the rule of uncertainty.hpp: two or more sources: source_weighted_q80; one source: twice its
/// own; none: ln 2 (×/÷2). `sources` receives the number of sources used.
[[nodiscard]] inline double band_half_width(std::span<const SourceResidual> xs, std::string_view without = {},
                                            int* sources = nullptr) {
  std::vector<SourceResidual> kept;
  std::vector<std::string_view> names;
  for (const auto& x : xs) {
    if (!without.empty() && x.source == without) continue;
    kept.push_back(x);
    if (std::find(names.begin(), names.end(), x.source) == names.end()) names.push_back(x.source);
  }
  if (sources) *sources = static_cast<int>(names.size());
  if (names.empty()) return std::log(no_data_band.high);
  const double q = source_weighted_q80(std::move(kept));
  return names.size() == 1 ? 2 * q : q;
}

/// Derives the band of every cell from the scored cases of `rep` (rep.bands), and judges each case
/// against the band derived without its own source (CaseResult::loso_half, loso_covered): the
/// leave-one-source-out coverage that says how the shipped bands hold on sources they did not see.
inline void derive_bands(ValidationReport& rep) {
  const auto order = [](const BandCell& c) {
    return std::tuple(static_cast<int>(c.key), static_cast<int>(c.runtime), static_cast<int>(c.regime));
  };
  std::map<std::tuple<int, int, int>, std::vector<std::size_t>> cells;  // cell -> result indices
  for (std::size_t i = 0; i < rep.results.size(); ++i) {
    const CaseResult& r = rep.results[i];
    if (r.status == CaseStatus::scored && r.cell && r.predicted > 0 && rep.cases[r.index].expected > 0)
      cells[order(*r.cell)].push_back(i);
  }
  rep.bands.clear();
  for (const auto& [_, members] : cells) {
    std::vector<SourceResidual> xs;
    for (std::size_t i : members)
      xs.push_back({rep.results[i].source, std::log(rep.cases[rep.results[i].index].expected / rep.results[i].predicted)});
    DerivedBand b;
    b.cell = *rep.results[members.front()].cell;
    b.half = band_half_width(xs, {}, &b.sources);
    b.cases = static_cast<int>(members.size());
    std::size_t in = 0, loso_in = 0;
    for (std::size_t j = 0; j < members.size(); ++j) {
      CaseResult& r = rep.results[members[j]];
      r.loso_half = band_half_width(xs, r.source);
      r.loso_covered = std::abs(xs[j].r) <= r.loso_half;
      in += std::abs(xs[j].r) <= b.half ? 1u : 0u;
      loso_in += r.loso_covered ? 1u : 0u;
    }
    b.coverage = stats::share(in, members.size());
    b.loso_coverage = stats::share(loso_in, members.size());
    rep.bands.push_back(b);
  }
}

/// Fills the tables and lists of a report whose cases are scored (rep.results, one per case):
/// rep.files (in order of first appearance), the group tables, and the `worst_count` numeric cases
/// with the largest APE, the wrong memory.fits answers and the unanswered cases.
inline void summarize(ValidationReport& rep, std::size_t worst_count = 10) {
  using namespace detail::validation_impl;
  derive_bands(rep);
  for (const auto& c : rep.cases)
    if (std::find(rep.files.begin(), rep.files.end(), c.file) == rep.files.end()) rep.files.push_back(c.file);
  rep.by_key = aggregate(rep, [](const CaseResult&) { return std::string("all"); });
  rep.by_source = aggregate(rep, [](const CaseResult& r) { return r.source; });
  rep.by_runtime = aggregate(rep, [](const CaseResult& r) { return r.runtime; });
  rep.by_gpu = aggregate(rep, [](const CaseResult& r) { return r.gpu; });
  rep.by_confidence = aggregate(rep, [](const CaseResult& r) {
    // high, medium, low in that order
    const auto rank = std::find(validation::confidences.begin(), validation::confidences.end(), r.confidence) -
                      validation::confidences.begin();
    return std::to_string(rank) + " " + r.confidence;
  });
  for (auto& s : rep.by_confidence) s.group = s.group.substr(s.group.find(' ') + 1);

  for (std::size_t i = 0; i < rep.results.size(); ++i) {
    const CaseResult& r = rep.results[i];
    if (r.status == CaseStatus::error) rep.errors.push_back(i);
    else if (r.status == CaseStatus::not_answered) rep.not_answered.push_back(i);
    else if (r.status == CaseStatus::not_predicted) ++rep.not_predicted;
    else if (rep.cases[r.index].is_fits()) {
      if (!r.correct) rep.wrong_fits.push_back(i);
    } else if (!std::isnan(r.ape)) {
      rep.worst.push_back(i);
    }
  }
  std::stable_sort(rep.worst.begin(), rep.worst.end(),
                   [&](std::size_t a, std::size_t b) { return rep.results[a].ape > rep.results[b].ape; });
  if (rep.worst.size() > worst_count) rep.worst.resize(worst_count);
}

}  // namespace validation

// ---------------------------------------------------------------------------------------------
// Thresholds

namespace validation {

enum class Metric { median_ape, p90_ape, accuracy, loso_coverage };
enum class GpuScope { any, single, multi };  ///< which cases: all, gpus == 1, gpus > 1

/// Spellings of the report (names.hpp tables; found by argument-dependent lookup).
inline constexpr auto metric_names = std::to_array<Name<Metric>>({
    {"median APE", Metric::median_ape, "median absolute percentage error"},
    {"p90 APE", Metric::p90_ape, "90th percentile of the absolute percentage error"},
    {"accuracy", Metric::accuracy, "share of fit verdicts that match the measurement"},
    {"LOSO coverage", Metric::loso_coverage,
     "share of cases inside the 80% band derived without their own source (leave-one-source-out)"},
});
inline constexpr auto gpu_scope_names = std::to_array<Name<GpuScope>>({
    {"all", GpuScope::any, "every case"},
    {"1 GPU", GpuScope::single, "cases on one GPU"},
    {"multi-GPU", GpuScope::multi, "cases on more than one GPU"},
});
constexpr std::span<const Name<Metric>> name_table(Metric) noexcept { return metric_names; }
constexpr std::span<const Name<GpuScope>> name_table(GpuScope) noexcept { return gpu_scope_names; }

/// One accuracy target: `metric` of `key` over the cases in `scope` must be <= limit (APE) or
/// >= limit (accuracy). A `required` threshold fails when cases of its key exist but are not all
/// predicted; one that is not required reports "not predicted yet" until its part of the model
/// lands, then it is checked like the others.
struct Threshold {
  std::string_view key;
  Metric metric = Metric::median_ape;
  double limit = 0;  ///< a fraction: 0.12 = 12%
  GpuScope scope = GpuScope::any;
  bool required = true;
};

/// The thresholds of `headroom validate --check` (docs/validation.md). Add a row to add a target.
/// Every row is required: the memory, single-GPU time and parallel (scaling.hpp) models meet them
/// on the public cases. A new target for a model that does not cover its cases yet starts as
/// not required.
inline constexpr std::array<Threshold, 19> default_thresholds{{
    {"memory.per_gpu_gib", Metric::median_ape, 0.12, GpuScope::any, true},
    {"memory.per_gpu_gib", Metric::p90_ape, 0.30, GpuScope::any, true},
    {"memory.fits", Metric::accuracy, 0.90, GpuScope::any, true},
    {"time.decode_tokens_per_s", Metric::median_ape, 0.20, GpuScope::single, true},
    {"time.prefill_tokens_per_s", Metric::median_ape, 0.25, GpuScope::single, true},
    {"time.train_tokens_per_s_per_gpu", Metric::median_ape, 0.20, GpuScope::single, true},
    {"time.mfu", Metric::median_ape, 0.20, GpuScope::single, true},
    {"time.decode_tokens_per_s", Metric::median_ape, 0.20, GpuScope::multi, true},
    {"time.prefill_tokens_per_s", Metric::median_ape, 0.25, GpuScope::multi, true},
    {"time.train_tokens_per_s_per_gpu", Metric::median_ape, 0.25, GpuScope::multi, true},
    {"time.mfu", Metric::median_ape, 0.25, GpuScope::multi, true},
    {"time.busbw_gbps", Metric::median_ape, 0.30, GpuScope::any, true},
    {"memory.reserved_gib", Metric::median_ape, 0.12, GpuScope::any, true},
    {"memory.per_gpu_gib", Metric::loso_coverage, 0.70, GpuScope::any, true},
    {"time.decode_tokens_per_s", Metric::loso_coverage, 0.70, GpuScope::any, true},
    {"time.prefill_tokens_per_s", Metric::loso_coverage, 0.70, GpuScope::any, true},
    {"time.train_tokens_per_s_per_gpu", Metric::loso_coverage, 0.70, GpuScope::any, true},
    // Serving (docs/serving.md "Error"): where the model stands on the public file, with a margin; the
    // issue's targets are 20% (TPOT) and 35% (TTFT).
    {"serving.tpot_s", Metric::median_ape, 0.20, GpuScope::any, true},
    {"serving.ttft_s", Metric::median_ape, 0.37, GpuScope::any, true},
}};

enum class CheckStatus {
  pass,
  fail,
  not_predicted,  ///< cases exist but none is predicted yet (threshold not required)
  no_cases        ///< the input has no case of this key and scope
};

inline constexpr auto check_status_names = std::to_array<Name<CheckStatus>>({
    {"pass", CheckStatus::pass, "the error is within the threshold"},
    {"FAIL", CheckStatus::fail, "the error is above the threshold"},
    {"not predicted yet", CheckStatus::not_predicted, "cases exist but none is predicted yet"},
    {"no cases", CheckStatus::no_cases, "the input has no case of this key and scope"},
});
constexpr std::span<const Name<CheckStatus>> name_table(CheckStatus) noexcept { return check_status_names; }

struct CheckItem {
  Threshold threshold;
  CheckStatus status = CheckStatus::no_cases;
  std::size_t cases = 0;  ///< cases of the key and scope that were answered or failed (not the known gaps)
  std::size_t scored = 0, not_predicted = 0, not_answered = 0, errors = 0;
  double value = stats::nan_value;
};

struct CheckResult {
  std::vector<CheckItem> items;
  std::size_t errors = 0;  ///< cases that could not be answered: any fails the check
  bool passed = true;
};

/// Checks a report against thresholds. It fails when a threshold is missed, when a required
/// threshold's cases are not all predicted, or when any case could not be answered for a reason other
/// than a known gap (not answered: not modelled or not in the catalog yet, which the report lists).
[[nodiscard]] inline CheckResult check(const ValidationReport& rep, std::span<const Threshold> thresholds = default_thresholds) {
  CheckResult out;
  for (const CaseResult& r : rep.results) out.errors += r.status == CaseStatus::error ? 1 : 0;
  for (const Threshold& t : thresholds) {
    CheckItem item;
    item.threshold = t;
    std::vector<double> apes;
    std::size_t correct = 0, loso_banded = 0, loso_covered = 0;
    for (const CaseResult& r : rep.results) {
      const ValidationCase& c = rep.cases[r.index];
      if (c.key != t.key) continue;
      if (t.scope == GpuScope::single && r.gpus != 1) continue;
      if (t.scope == GpuScope::multi && r.gpus <= 1) continue;
      if (r.status == CaseStatus::not_answered) {  // a known gap: listed in the report, outside the threshold
        ++item.not_answered;
        continue;
      }
      ++item.cases;
      if (r.status == CaseStatus::error) ++item.errors;
      if (r.status == CaseStatus::not_predicted) ++item.not_predicted;
      if (r.status != CaseStatus::scored) continue;
      ++item.scored;
      if (c.is_fits()) correct += r.correct ? 1 : 0;
      else apes.push_back(r.ape);
      if (!std::isnan(r.loso_half)) {
        ++loso_banded;
        loso_covered += r.loso_covered ? 1 : 0;
      }
    }
    switch (t.metric) {
      case Metric::median_ape: item.value = stats::median(apes); break;
      case Metric::p90_ape: item.value = stats::percentile(apes, 90); break;
      case Metric::accuracy: item.value = stats::share(correct, item.scored); break;
      case Metric::loso_coverage: item.value = stats::share(loso_covered, loso_banded); break;
    }
    if (item.cases == 0) item.status = CheckStatus::no_cases;
    else if (item.scored == 0 && !t.required) item.status = CheckStatus::not_predicted;
    else if (item.scored == 0 || (t.required && item.not_predicted > 0) || std::isnan(item.value))
      item.status = CheckStatus::fail;
    else if (t.metric == Metric::accuracy || t.metric == Metric::loso_coverage)
      item.status = item.value >= t.limit ? CheckStatus::pass : CheckStatus::fail;
    else item.status = item.value <= t.limit ? CheckStatus::pass : CheckStatus::fail;
    if (item.status == CheckStatus::fail) out.passed = false;
    out.items.push_back(item);
  }
  if (out.errors > 0) out.passed = false;
  return out;
}

}  // namespace validation

}  // namespace headroom
