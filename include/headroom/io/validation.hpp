#pragma once
/// @file io/validation.hpp
/// Validation against published measurements (docs/validation.md): read a validation .jsonl,
/// answer each case, compare the answer with the measured value and summarise the errors per key,
/// per source, per runtime, per GPU and per confidence level; render the summary as text, Markdown
/// or JSON; and check it against the accuracy thresholds.
///
/// Error measures: absolute percentage error |predicted − measured| / measured for numeric keys
/// (median and 90th percentile by linear interpolation, see headroom/stats.hpp), share of correct
/// answers for `memory.fits`. A case whose answer lacks the key (the time model is not there yet)
/// counts as "not predicted", not as an error; a case that cannot be answered at all is an error.
///
/// Needs nlohmann_json and fmt (the consumer links them).

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <initializer_list>
#include <istream>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/stats.hpp"
#include "headroom/uncertainty.hpp"

namespace headroom {

/// One line of a validation file: `{"source_row", "case", "expected": {"key", "value", "kind",
/// "reported_as"?}, "confidence", "notes"}`.
struct ValidationCase {
  std::string file;       ///< where it was read from
  std::size_t line = 0;   ///< 1-based line in `file`
  std::string source_row;  ///< e.g. "TORCHTUNE-005"
  nlohmann::json case_json;  ///< the case, as given to `headroom eval`
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
inline constexpr std::array<std::string_view, 12> keys{
    "memory.per_gpu_gib", "memory.fits", "time.prefill_tokens_per_s", "time.decode_tokens_per_s", "time.ttft_s",
    "time.step_time_s", "time.train_tokens_per_s_per_gpu", "time.mfu", "time.busbw_gbps", "limits.max_batch",
    "limits.max_seq", "limits.max_context"};

inline constexpr std::array<std::string_view, 3> confidences{"high", "medium", "low"};

/// The source of a case: the source_row prefix before the first '-' ("TORCHTUNE-005" -> "TORCHTUNE").
[[nodiscard]] inline std::string source_of(std::string_view source_row) {
  return std::string(source_row.substr(0, source_row.find('-')));
}

/// Position of a key in `keys` (report order); keys.size() when unknown.
[[nodiscard]] inline std::size_t key_rank(std::string_view key) noexcept {
  return static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin());
}

}  // namespace validation

/// Parses one validation line (already parsed as JSON). `where` names it in errors ("file:line").
/// @throws DataError naming the field.
[[nodiscard]] inline ValidationCase validation_case_from_json(const nlohmann::json& j, const std::string& where) {
  using detail::case_parse::described;
  if (!j.is_object()) throw DataError(where, "", "a validation line is a JSON object; got " + described(j));
  static constexpr std::array<std::string_view, 5> top{"source_row", "case", "expected", "confidence", "notes"};
  static constexpr std::array<std::string_view, 4> exp{"key", "value", "kind", "reported_as"};
  auto reject_unknown = [&](const nlohmann::json& obj, auto allowed, const std::string& prefix) {
    for (const auto& item : obj.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
      const std::vector<std::string_view> cands(allowed.begin(), allowed.end());
      throw DataError(where, prefix + item.key(),
                      "unknown field" + detail::case_parse::did_you_mean(detail::case_parse::suggest(item.key(), cands)) +
                          " (allowed here: " + detail::case_parse::joined(cands) + ")");
    }
  };
  auto string_field = [&](const nlohmann::json& obj, const char* key, const std::string& name, bool required) {
    if (!obj.contains(key)) {
      if (required) throw DataError(where, name, "is required");
      return std::string();
    }
    const auto& v = obj.at(key);
    if (!v.is_string()) throw DataError(where, name, "must be a string; got " + described(v));
    return v.get<std::string>();
  };
  reject_unknown(j, top, "");
  ValidationCase c;
  c.source_row = string_field(j, "source_row", "source_row", true);
  if (c.source_row.empty()) throw DataError(where, "source_row", "is empty");
  if (!j.contains("case")) throw DataError(where, "case", "is required");
  c.case_json = j.at("case");
  if (!c.case_json.is_object()) throw DataError(where, "case", "must be a case object; got " + described(c.case_json));
  if (!j.contains("expected")) throw DataError(where, "expected", "is required");
  const auto& e = j.at("expected");
  if (!e.is_object()) throw DataError(where, "expected", "must be an object; got " + described(e));
  reject_unknown(e, exp, "expected.");
  c.key = string_field(e, "key", "expected.key", true);
  if (validation::key_rank(c.key) == validation::keys.size())
    throw DataError(where, "expected.key",
                    "unknown key '" + c.key + "'" +
                        detail::case_parse::did_you_mean(detail::case_parse::suggest(c.key, validation::keys)));
  if (!e.contains("value")) throw DataError(where, "expected.value", "is required");
  const auto& v = e.at("value");
  if (c.is_fits()) {
    if (!v.is_boolean()) throw DataError(where, "expected.value", "memory.fits expects true or false; got " + described(v));
    c.expected_fits = v.get<bool>();
  } else {
    if (!v.is_number()) throw DataError(where, "expected.value", "must be a number; got " + described(v));
    c.expected = v.get<double>();
    if (!(c.expected > 0) || !std::isfinite(c.expected))
      throw DataError(where, "expected.value", "must be > 0 (percentage errors divide by it); got " + described(v));
  }
  c.kind = string_field(e, "kind", "expected.kind", true);
  c.reported_as = string_field(e, "reported_as", "expected.reported_as", false);
  c.confidence = string_field(j, "confidence", "confidence", true);
  if (std::find(validation::confidences.begin(), validation::confidences.end(), c.confidence) ==
      validation::confidences.end())
    throw DataError(where, "confidence", "must be high, medium or low; got '" + c.confidence + "'");
  c.notes = string_field(j, "notes", "notes", true);
  return c;
}

/// Reads a validation JSON Lines stream; blank lines are skipped. `name` is the file name used in
/// errors and in ValidationCase::file.
/// @throws DataError naming the line and field.
[[nodiscard]] inline std::vector<ValidationCase> read_validation(std::istream& in, const std::string& name) {
  std::vector<ValidationCase> out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r\n\f\v") == std::string::npos) continue;
    const std::string where = name + ":" + std::to_string(number);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw DataError(where, "", std::string("not valid JSON: ") + e.what());
    }
    ValidationCase c = validation_case_from_json(j, where);
    c.file = name;
    c.line = number;
    out.push_back(std::move(c));
  }
  return out;
}

/// Reads a validation .jsonl file.
/// @throws IoError when it cannot be opened, DataError when a line is malformed.
[[nodiscard]] inline std::vector<ValidationCase> read_validation_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot read '" + path + "'");
  return read_validation(in, path);
}

namespace validation {

enum class CaseStatus {
  scored,         ///< the answer has the key: compared with the measurement
  not_predicted,  ///< answered, but the answer lacks the key (that part of the model is not there yet)
  error           ///< the case could not be answered (ok: false)
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
  double per_gpu_gib = stats::nan_value;   ///< the predicted memory, when the answer has it
  double capacity_gib = stats::nan_value;
  std::string error;  ///< when status is error
  std::string regime;  ///< of the band: the answer's bound (time keys) or task (memory)
  Interval band{};     ///< the 80% measured/predicted band of the key (uncertainty.hpp), when it has one
  bool covered = false;  ///< measured/predicted fell inside `band`
};

/// The errors of one key within one group.
struct KeyStats {
  std::string group;  ///< the group label ("all" for the overall table)
  std::string key;
  std::size_t cases = 0;          ///< cases of this key in the group
  std::size_t scored = 0;         ///< cases compared
  std::size_t not_predicted = 0;  ///< answered without this key
  std::size_t errors = 0;         ///< not answered
  double median_ape = stats::nan_value;  ///< numeric keys
  double p90_ape = stats::nan_value;
  double mean_ape = stats::nan_value;
  std::size_t correct = 0;        ///< memory.fits
  double accuracy = stats::nan_value;   ///< memory.fits: correct / scored
  std::size_t banded = 0;   ///< scored numeric cases with an 80% band
  std::size_t covered = 0;  ///< of those, measured inside the band
  double coverage = stats::nan_value;  ///< covered / banded (the band aims at 80%)
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
  std::size_t not_predicted = 0;
};

namespace detail::validation_impl {

using validation::CaseResult;
using validation::CaseStatus;
using validation::KeyStats;

/// The value at a dotted path ("memory.per_gpu_gib") of an answer, or nullptr.
inline const nlohmann::json* at_path(const nlohmann::json& j, std::string_view path) {
  const nlohmann::json* cur = &j;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string part(path.substr(0, dot));
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &cur->at(part);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return cur;
}

inline CaseResult score(const ValidationCase& c, std::size_t index, const nlohmann::json& answer,
                        double profile_log_band = 0) {
  CaseResult r;
  r.index = index;
  r.source = validation::source_of(c.source_row);
  r.confidence = c.confidence;
  const auto& cj = c.case_json;
  const bool collective = cj.contains("task") && cj.at("task") == "collective";
  if (collective) r.runtime = "-";
  else if (cj.contains("runtime") && cj.at("runtime").is_string()) r.runtime = cj.at("runtime").get<std::string>();
  else r.runtime = "pytorch";
  if (cj.contains("gpu") && cj.at("gpu").is_string()) r.gpu = cj.at("gpu").get<std::string>();
  else if (cj.contains("gpu") && cj.at("gpu").is_object() && cj.at("gpu").contains("id") && cj.at("gpu").at("id").is_string())
    r.gpu = cj.at("gpu").at("id").get<std::string>();
  else r.gpu = "(spec)";
  if (cj.contains("gpus") && cj.at("gpus").is_number_integer()) r.gpus = cj.at("gpus").get<int>();

  if (!answer.value("ok", false)) {
    r.status = CaseStatus::error;
    r.error = answer.value("error", std::string("no answer"));
    return r;
  }
  if (const auto* m = at_path(answer, "memory.per_gpu_gib"); m && m->is_number()) r.per_gpu_gib = m->get<double>();
  if (const auto* m = at_path(answer, "memory.capacity_gib"); m && m->is_number()) r.capacity_gib = m->get<double>();
  const nlohmann::json* v = at_path(answer, c.key);
  if (c.is_fits()) {
    if (v == nullptr || !v->is_boolean()) {
      r.status = CaseStatus::not_predicted;
      return r;
    }
    r.predicted_fits = v->get<bool>();
    r.correct = r.predicted_fits == c.expected_fits;
  } else {
    if (v == nullptr || !v->is_number() || v->get<double>() == 0) {
      r.status = CaseStatus::not_predicted;
      return r;
    }
    r.predicted = v->get<double>();
    r.ape = stats::ape(r.predicted, c.expected);
    // Coverage of the 80% band of this key and regime (the band the answer's `interval` uses for its key).
    const bool time_key = c.key.starts_with("time.");
    if (time_key) {
      const auto* b = at_path(answer, "time.bound");
      r.regime = b && b->is_string() ? b->get<std::string>() : std::string("any");
    } else {
      r.regime = cj.contains("task") && cj.at("task") == "training" ? "training" : "inference";
    }
    r.band = interval_for(c.key, r.regime);
    if (time_key) r.band = widen(r.band, profile_log_band);
    if (r.band.present()) {
      const double ratio = c.expected / r.predicted;
      r.covered = ratio >= r.band.low && ratio <= r.band.high;
    }
  }
  r.status = CaseStatus::scored;
  return r;
}

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
          break;
        case CaseStatus::not_predicted: ++s.not_predicted; break;
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
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace detail::validation_impl

/// Answers every case with `catalog` and summarises the errors. `worst_count` numeric cases with
/// the largest APE are listed in ValidationReport::worst. `profile` (a measured calibration) replaces the
/// built-in efficiencies; `profile_log_band` is its fit's 80% log half-width (widens the time bands).
[[nodiscard]] inline ValidationReport run_validation(std::vector<ValidationCase> cases, const Catalog& catalog,
                                                     std::size_t worst_count = 10,
                                                     const EfficiencyProfile& profile = builtin_efficiency,
                                                     double profile_log_band = 0) {
  using namespace detail::validation_impl;
  ValidationReport rep;
  rep.cases = std::move(cases);
  for (const auto& c : rep.cases)
    if (std::find(rep.files.begin(), rep.files.end(), c.file) == rep.files.end()) rep.files.push_back(c.file);
  rep.results.reserve(rep.cases.size());
  for (std::size_t i = 0; i < rep.cases.size(); ++i) {
    const ValidationCase& c = rep.cases[i];
    rep.results.push_back(
        score(c, i, eval_case(c.case_json, catalog, profile, profile_log_band), profile_log_band));
  }
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
  return rep;
}

/// Reads the files and runs the validation over all their cases.
[[nodiscard]] inline ValidationReport run_validation_files(const std::vector<std::string>& paths, const Catalog& catalog,
                                                           std::size_t worst_count = 10,
                                                           const EfficiencyProfile& profile = builtin_efficiency,
                                                           double profile_log_band = 0) {
  std::vector<ValidationCase> all;
  for (const auto& p : paths) {
    auto part = read_validation_file(p);
    all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  auto rep = run_validation(std::move(all), catalog, worst_count, profile, profile_log_band);
  rep.files = paths;
  return rep;
}

// ---------------------------------------------------------------------------------------------
// Thresholds

namespace validation {

enum class Metric { median_ape, p90_ape, accuracy };
enum class GpuScope { any, single, multi };  ///< which cases: all, gpus == 1, gpus > 1

[[nodiscard]] constexpr std::string_view to_string(Metric m) noexcept {
  switch (m) {
    case Metric::median_ape: return "median APE";
    case Metric::p90_ape: return "p90 APE";
    case Metric::accuracy: return "accuracy";
  }
  return "?";
}
[[nodiscard]] constexpr std::string_view to_string(GpuScope s) noexcept {
  switch (s) {
    case GpuScope::any: return "all";
    case GpuScope::single: return "1 GPU";
    case GpuScope::multi: return "multi-GPU";
  }
  return "?";
}

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
inline constexpr std::array<Threshold, 12> default_thresholds{{
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
}};

enum class CheckStatus {
  pass,
  fail,
  not_predicted,  ///< cases exist but none is predicted yet (threshold not required)
  no_cases        ///< the input has no case of this key and scope
};

[[nodiscard]] constexpr std::string_view to_string(CheckStatus s) noexcept {
  switch (s) {
    case CheckStatus::pass: return "pass";
    case CheckStatus::fail: return "FAIL";
    case CheckStatus::not_predicted: return "not predicted yet";
    case CheckStatus::no_cases: return "no cases";
  }
  return "?";
}

struct CheckItem {
  Threshold threshold;
  CheckStatus status = CheckStatus::no_cases;
  std::size_t cases = 0, scored = 0, not_predicted = 0, errors = 0;
  double value = stats::nan_value;
};

struct CheckResult {
  std::vector<CheckItem> items;
  std::size_t errors = 0;  ///< cases that could not be answered: any fails the check
  bool passed = true;
};

/// Checks a report against thresholds. It fails when a threshold is missed, when a required
/// threshold's cases are not all predicted, or when any case could not be answered.
[[nodiscard]] inline CheckResult check(const ValidationReport& rep, std::span<const Threshold> thresholds = default_thresholds) {
  CheckResult out;
  for (const CaseResult& r : rep.results) out.errors += r.status == CaseStatus::error ? 1 : 0;
  for (const Threshold& t : thresholds) {
    CheckItem item;
    item.threshold = t;
    std::vector<double> apes;
    std::size_t correct = 0;
    for (const CaseResult& r : rep.results) {
      const ValidationCase& c = rep.cases[r.index];
      if (c.key != t.key) continue;
      if (t.scope == GpuScope::single && r.gpus != 1) continue;
      if (t.scope == GpuScope::multi && r.gpus <= 1) continue;
      ++item.cases;
      if (r.status == CaseStatus::error) ++item.errors;
      if (r.status == CaseStatus::not_predicted) ++item.not_predicted;
      if (r.status != CaseStatus::scored) continue;
      ++item.scored;
      if (c.is_fits()) correct += r.correct ? 1 : 0;
      else apes.push_back(r.ape);
    }
    switch (t.metric) {
      case Metric::median_ape: item.value = stats::median(apes); break;
      case Metric::p90_ape: item.value = stats::percentile(apes, 90); break;
      case Metric::accuracy: item.value = stats::share(correct, item.scored); break;
    }
    if (item.cases == 0) item.status = CheckStatus::no_cases;
    else if (item.scored == 0 && !t.required) item.status = CheckStatus::not_predicted;
    else if (item.scored == 0 || (t.required && item.not_predicted > 0) || std::isnan(item.value))
      item.status = CheckStatus::fail;
    else if (t.metric == Metric::accuracy) item.status = item.value >= t.limit ? CheckStatus::pass : CheckStatus::fail;
    else item.status = item.value <= t.limit ? CheckStatus::pass : CheckStatus::fail;
    if (item.status == CheckStatus::fail) out.passed = false;
    out.items.push_back(item);
  }
  if (out.errors > 0) out.passed = false;
  return out;
}

}  // namespace validation

// ---------------------------------------------------------------------------------------------
// Rendering

namespace validation {

/// A table rendered as aligned plain text or as a Markdown pipe table.
struct Table {
  std::vector<std::string> header;
  std::vector<bool> right;  ///< right-aligned columns (numbers)
  std::vector<std::vector<std::string>> rows;

  Table(std::initializer_list<std::string_view> columns) {
    // A column name starting with '>' is right-aligned; the '>' is not shown.
    for (std::string_view c : columns) {
      const bool r = !c.empty() && c.front() == '>';
      right.push_back(r);
      header.emplace_back(r ? c.substr(1) : c);
    }
  }
  void row(std::vector<std::string> cells) {
    cells.resize(header.size());
    rows.push_back(std::move(cells));
  }
};

[[nodiscard]] inline std::vector<std::size_t> widths(const Table& t) {
  std::vector<std::size_t> w(t.header.size());
  for (std::size_t c = 0; c < w.size(); ++c) {
    w[c] = t.header[c].size();
    for (const auto& r : t.rows) w[c] = std::max(w[c], r[c].size());
  }
  return w;
}

[[nodiscard]] inline std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::string fill(width > s.size() ? width - s.size() : 0, ' ');
  return right ? fill + s : s + fill;
}

/// Columns separated by two spaces, a dashed rule under the header.
[[nodiscard]] inline std::string render_text(const Table& t) {
  const auto w = widths(t);
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (std::size_t c = 0; c < cells.size(); ++c) l += (c ? "  " : "") + pad(cells[c], w[c], t.right[c]);
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(t.header);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < w.size(); ++c) rule.emplace_back(w[c], '-');
  line(rule);
  for (const auto& r : t.rows) line(r);
  return out;
}

/// A GitHub-flavoured Markdown pipe table, padded so the source reads as a table too.
[[nodiscard]] inline std::string render_markdown(const Table& t) {
  auto esc = [](const std::string& s) {
    std::string r;
    for (char ch : s) {
      if (ch == '|') r += '\\';
      r += ch;
    }
    return r;
  };
  Table e = t;
  for (auto& h : e.header) h = esc(h);
  for (auto& r : e.rows)
    for (auto& cell : r) cell = esc(cell);
  auto w = widths(e);
  for (auto& x : w) x = std::max<std::size_t>(x, 3);
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l = "|";
    for (std::size_t c = 0; c < cells.size(); ++c) l += " " + pad(cells[c], w[c], e.right[c]) + " |";
    out += l + "\n";
  };
  line(e.header);
  std::string rule = "|";
  for (std::size_t c = 0; c < w.size(); ++c)
    rule += " " + (e.right[c] ? std::string(w[c] - 1, '-') + ":" : std::string(w[c], '-')) + " |";
  out += rule + "\n";
  for (const auto& r : e.rows) line(r);
  return out;
}

[[nodiscard]] inline std::string percent(double fraction) {
  return std::isnan(fraction) ? std::string("-") : fmt::format("{:.1f}%", 100.0 * fraction);
}

/// A measured or predicted value with sensible digits.
[[nodiscard]] inline std::string value_text(double v) {
  if (std::isnan(v)) return "-";
  const double a = std::fabs(v);
  if (a >= 1000) return fmt::format("{:.0f}", v);
  if (a >= 10) return fmt::format("{:.1f}", v);
  if (a >= 0.1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3g}", v);
}

[[nodiscard]] inline std::string count_text(std::size_t n) { return n ? std::to_string(n) : std::string("-"); }

/// Word-wraps `text` at `width` columns, each line starting with `indent`.
[[nodiscard]] inline std::string wrap(std::string_view text, std::size_t width, std::string_view indent) {
  std::string out, line(indent);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(text.find(' ', start), text.size());
    const std::string_view word = text.substr(start, end - start);
    if (line.size() > indent.size() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = std::string(indent);
    }
    if (line.size() > indent.size()) line += ' ';
    line += word;
    pos = end;
  }
  if (line.size() > indent.size()) out += line + "\n";
  return out;
}

/// One titled part of a report: a table and free text after it.
struct Section {
  std::string title;
  std::string intro;  ///< a sentence before the table, may be empty
  Table table;
  std::vector<std::pair<std::string, std::string>> notes;  ///< (label, text) listed after the table
};

[[nodiscard]] inline Table stats_table(const std::vector<KeyStats>& rows, std::string_view group_column) {
  Table t = group_column.empty()
                ? Table{"key", ">cases", ">scored", ">median APE", ">p90 APE", ">80% band coverage", ">fits accuracy",
                        ">not predicted", ">errors"}
                : Table{"group", "key", ">cases", ">scored", ">median APE", ">p90 APE", ">80% band coverage",
                        ">fits accuracy", ">not predicted", ">errors"};
  if (!group_column.empty()) t.header[0] = std::string(group_column);
  for (const auto& s : rows) {
    std::vector<std::string> r;
    if (!group_column.empty()) r.push_back(s.group);
    r.insert(r.end(), {s.key, std::to_string(s.cases), std::to_string(s.scored), percent(s.median_ape),
                       percent(s.p90_ape), percent(s.coverage), percent(s.accuracy), count_text(s.not_predicted),
                       count_text(s.errors)});
    t.row(std::move(r));
  }
  return t;
}

[[nodiscard]] inline std::string threshold_text(const Threshold& t) {
  return fmt::format("{} {}", t.metric == Metric::accuracy ? ">=" : "<=", percent(t.limit));
}

[[nodiscard]] inline std::vector<Section> sections(const ValidationReport& rep, const CheckResult& chk) {
  std::vector<Section> out;
  out.push_back({"By key", "", stats_table(rep.by_key, ""), {}});
  out.push_back({"By source", "Source: the source_row prefix.", stats_table(rep.by_source, "source"), {}});
  out.push_back({"By runtime", "", stats_table(rep.by_runtime, "runtime"), {}});
  out.push_back({"By GPU", "", stats_table(rep.by_gpu, "gpu"), {}});
  out.push_back({"By confidence", "", stats_table(rep.by_confidence, "confidence"), {}});

  Section worst{fmt::format("Worst {} numeric cases", rep.worst.size()),
                "Largest absolute percentage error first; the notes say what the source states and what was assumed.",
                Table{">#", "case", "key", "gpu", "runtime", "confidence", ">measured", ">predicted", ">APE"},
                {}};
  for (std::size_t n = 0; n < rep.worst.size(); ++n) {
    const CaseResult& r = rep.results[rep.worst[n]];
    const ValidationCase& c = rep.cases[r.index];
    worst.table.row({std::to_string(n + 1), c.source_row, c.key, r.gpu, r.runtime, c.confidence, value_text(c.expected),
                     value_text(r.predicted), percent(r.ape)});
    worst.notes.emplace_back(c.source_row, c.notes);
  }
  if (!rep.worst.empty()) out.push_back(std::move(worst));

  Section fits{"Wrong memory.fits answers", "Predicted memory and capacity show how far off the verdict is.",
               Table{"case", "gpu", "measured", "predicted", ">predicted GiB", ">capacity GiB", "confidence"},
               {}};
  for (std::size_t i : rep.wrong_fits) {
    const CaseResult& r = rep.results[i];
    const ValidationCase& c = rep.cases[r.index];
    fits.table.row({c.source_row, r.gpu, c.expected_fits ? "fits" : "OOM", r.predicted_fits ? "fits" : "OOM",
                    value_text(r.per_gpu_gib), value_text(r.capacity_gib), c.confidence});
    fits.notes.emplace_back(c.source_row, c.notes);
  }
  if (!rep.wrong_fits.empty()) out.push_back(std::move(fits));

  Section errs{"Cases that could not be answered", "", Table{"case", "key", "error"}, {}};
  for (std::size_t i : rep.errors) {
    const CaseResult& r = rep.results[i];
    const ValidationCase& c = rep.cases[r.index];
    errs.table.row({c.source_row, c.key, r.error});
  }
  if (!rep.errors.empty()) out.push_back(std::move(errs));

  Section th{"Thresholds",
             chk.passed ? "All thresholds met." : "Thresholds NOT met.",
             Table{"key", "scope", "metric", ">target", ">value", ">scored", ">not predicted", ">errors", "status"},
             {}};
  for (const auto& it : chk.items)
    th.table.row({std::string(it.threshold.key), std::string(to_string(it.threshold.scope)),
                  std::string(to_string(it.threshold.metric)), threshold_text(it.threshold), percent(it.value),
                  std::to_string(it.scored), count_text(it.not_predicted), count_text(it.errors),
                  std::string(to_string(it.status))});
  if (chk.errors) th.intro += fmt::format(" {} case(s) could not be answered, which fails the check.", chk.errors);
  out.push_back(std::move(th));
  return out;
}

[[nodiscard]] inline std::string summary_line(const ValidationReport& rep) {
  std::size_t scored = 0;
  for (const auto& r : rep.results) scored += r.status == CaseStatus::scored ? 1 : 0;
  std::string files;
  for (std::size_t i = 0; i < rep.files.size(); ++i) files += (i ? ", " : "") + rep.files[i];
  return fmt::format("{} cases from {}: {} scored, {} not predicted yet, {} could not be answered.", rep.cases.size(),
                     files.empty() ? std::string("(no file)") : files, scored, rep.not_predicted, rep.errors.size());
}

}  // namespace validation

/// The report as aligned plain text (what `headroom validate` prints).
[[nodiscard]] inline std::string report_text(const ValidationReport& rep, const validation::CheckResult& chk) {
  std::string out = validation::summary_line(rep) + "\n" +
                    "APE = abs(predicted - measured) / measured; median and p90 interpolate linearly.\n";
  for (const auto& s : validation::sections(rep, chk)) {
    out += "\n" + s.title + "\n";
    if (!s.intro.empty()) out += validation::wrap(s.intro, 100, "");
    out += validation::render_text(s.table);
    for (const auto& [label, text] : s.notes) out += validation::wrap(label + ": " + text, 100, "  ");
  }
  return out;
}

/// The report as Markdown (`headroom validate --report FILE`). Headings start at level 3 so the
/// report can sit under a section of docs/validation.md.
[[nodiscard]] inline std::string report_markdown(const ValidationReport& rep, const validation::CheckResult& chk) {
  std::string out = validation::summary_line(rep) +
                    " APE = abs(predicted − measured) / measured; median and p90 interpolate linearly between ranks.\n";
  for (const auto& s : validation::sections(rep, chk)) {
    out += "\n### " + s.title + "\n\n";
    if (!s.intro.empty()) out += s.intro + "\n\n";
    out += validation::render_markdown(s.table);
    if (!s.notes.empty()) {
      out += "\n";
      for (std::size_t i = 0; i < s.notes.size(); ++i)
        out += fmt::format("{}. **{}**: {}\n", i + 1, s.notes[i].first, s.notes[i].second);
    }
  }
  return out;
}

/// The report as JSON (`headroom validate --json`): summary tables, every case result and the check.
[[nodiscard]] inline nlohmann::json report_json(const ValidationReport& rep, const validation::CheckResult& chk) {
  using validation::CaseStatus;
  using validation::KeyStats;
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  auto stats_rows = [&](const std::vector<KeyStats>& rows) {
    auto a = nlohmann::json::array();
    for (const auto& s : rows)
      a.push_back({{"group", s.group},
                   {"key", s.key},
                   {"cases", s.cases},
                   {"scored", s.scored},
                   {"not_predicted", s.not_predicted},
                   {"errors", s.errors},
                   {"median_ape", num(s.median_ape)},
                   {"p90_ape", num(s.p90_ape)},
                   {"mean_ape", num(s.mean_ape)},
                   {"correct", s.correct},
                   {"accuracy", num(s.accuracy)},
                   {"banded", s.banded},
                   {"covered", s.covered},
                   {"coverage", num(s.coverage)}});
    return a;
  };
  auto status_name = [](CaseStatus s) {
    switch (s) {
      case CaseStatus::scored: return "scored";
      case CaseStatus::not_predicted: return "not_predicted";
      case CaseStatus::error: return "error";
    }
    return "?";
  };
  auto results = nlohmann::json::array();
  for (const auto& r : rep.results) {
    const ValidationCase& c = rep.cases[r.index];
    nlohmann::json j{{"source_row", c.source_row}, {"file", c.file},   {"line", c.line},
                     {"key", c.key},               {"status", status_name(r.status)},
                     {"source", r.source},         {"runtime", r.runtime}, {"gpu", r.gpu},
                     {"gpus", r.gpus},             {"confidence", r.confidence}};
    if (c.is_fits()) {
      j["measured"] = c.expected_fits;
      if (r.status == CaseStatus::scored) {
        j["predicted"] = r.predicted_fits;
        j["correct"] = r.correct;
      }
    } else {
      j["measured"] = c.expected;
      if (r.status == CaseStatus::scored) {
        j["predicted"] = r.predicted;
        j["ape"] = num(r.ape);
        j["regime"] = r.regime;
        if (r.band.present()) {
          j["band"] = {{"low", r.band.low}, {"high", r.band.high}};
          j["covered"] = r.covered;
        }
      }
    }
    if (r.status == CaseStatus::error) j["error"] = r.error;
    results.push_back(std::move(j));
  }
  auto index_list = [&](const std::vector<std::size_t>& v) {
    auto a = nlohmann::json::array();
    for (std::size_t i : v) a.push_back(rep.cases[rep.results[i].index].source_row);
    return a;
  };
  auto items = nlohmann::json::array();
  for (const auto& it : chk.items)
    items.push_back({{"key", it.threshold.key},
                     {"scope", to_string(it.threshold.scope)},
                     {"metric", to_string(it.threshold.metric)},
                     {"limit", it.threshold.limit},
                     {"required", it.threshold.required},
                     {"value", num(it.value)},
                     {"cases", it.cases},
                     {"scored", it.scored},
                     {"not_predicted", it.not_predicted},
                     {"errors", it.errors},
                     {"status", to_string(it.status)}});
  return {{"files", rep.files},
          {"cases", rep.cases.size()},
          {"not_predicted", rep.not_predicted},
          {"errors", rep.errors.size()},
          {"by_key", stats_rows(rep.by_key)},
          {"by_source", stats_rows(rep.by_source)},
          {"by_runtime", stats_rows(rep.by_runtime)},
          {"by_gpu", stats_rows(rep.by_gpu)},
          {"by_confidence", stats_rows(rep.by_confidence)},
          {"worst", index_list(rep.worst)},
          {"wrong_fits", index_list(rep.wrong_fits)},
          {"error_cases", index_list(rep.errors)},
          {"check", {{"passed", chk.passed}, {"errors", chk.errors}, {"items", std::move(items)}}},
          {"results", std::move(results)}};
}

}  // namespace headroom
