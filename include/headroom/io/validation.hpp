#pragma once
/// @file io/validation.hpp
/// Validation files (docs/validation.md): read a validation .jsonl, answer each case with
/// eval_case and score the answers with headroom/validation.hpp. Needs nlohmann_json
/// (headroom::io); the report is rendered by the CLI (`headroom validate`).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <istream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/error.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/validation.hpp"

namespace headroom {

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
  const auto& case_json = j.at("case");
  if (!case_json.is_object()) throw DataError(where, "case", "must be a case object; got " + described(case_json));
  c.case_text = case_json.dump();
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
      j = strict_json::parse(line, where);  // a number beyond the double range: DataError naming its field
    } catch (const nlohmann::json::exception& e) {
      throw DataError(where, "", "not valid JSON: " + strict_json::without_library_ids(e.what()));
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
  not_a_directory(path, "a .jsonl file of validation cases");
  std::ifstream in(path);
  if (!in) throw IoError("cannot read '" + path + "'");
  return read_validation(in, path);
}

namespace validation {

/// The group labels of a case object (its runtime, GPU id, GPU count and task).
[[nodiscard]] inline CaseLabels labels_of(const nlohmann::json& cj) {
  CaseLabels l;
  const bool collective = cj.contains("task") && cj.at("task") == "collective";
  if (collective) l.runtime = "-";
  else if (cj.contains("runtime") && cj.at("runtime").is_string()) l.runtime = cj.at("runtime").get<std::string>();
  if (cj.contains("gpu") && cj.at("gpu").is_string()) l.gpu = cj.at("gpu").get<std::string>();
  else if (cj.contains("gpu") && cj.at("gpu").is_object() && cj.at("gpu").contains("id") && cj.at("gpu").at("id").is_string())
    l.gpu = cj.at("gpu").at("id").get<std::string>();
  if (cj.contains("gpus") && cj.at("gpus").is_number_integer()) l.gpus = cj.at("gpus").get<int>();
  l.training = cj.contains("task") && cj.at("task") == "training";
  // The band cell from the fields that decide it (uncertainty.hpp); a field that does not parse
  // leaves its default, and such a case is an error that never reaches the bands.
  Job w;
  if (collective) w.task = Task::collective;
  if (cj.contains("runtime") && cj.at("runtime").is_string())
    w.runtime = names::value<Runtime>(cj.at("runtime").get<std::string>(), false).value_or(Runtime::pytorch);
  w.hardware.count = l.gpus;
  if (cj.contains("parallel") && cj.at("parallel").is_object()) {
    const auto& p = cj.at("parallel");
    const auto degree = [&](const char* k) { return p.contains(k) && p.at(k).is_number_integer() ? p.at(k).get<int>() : 1; };
    w.parallel.tp = degree("tp");
    w.parallel.pp = degree("pp");
    w.parallel.cp = degree("cp");
    w.parallel.ep = degree("ep");
  }
  l.runtime_class = runtime_class(w);
  l.regime = parallel_regime(w);
  return l;
}

}  // namespace validation

namespace detail::validation_impl {

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

}  // namespace detail::validation_impl

namespace validation {

/// What an answer object says about `key` (a dotted path, e.g. "memory.per_gpu_gib").
[[nodiscard]] inline Prediction prediction_of(const nlohmann::json& answer, std::string_view key) {
  using detail::validation_impl::at_path;
  Prediction p;
  p.ok = answer.value("ok", false);
  if (!p.ok) {
    p.error = answer.value("error", std::string("no answer"));
    return p;
  }
  if (const auto* m = at_path(answer, "memory.device_gib"); m && m->is_number()) p.device_gib = m->get<double>();
  if (const auto* m = at_path(answer, "memory.usable_gib"); m && m->is_number()) p.usable_gib = m->get<double>();
  if (const nlohmann::json* v = at_path(answer, key)) {
    if (v->is_boolean() && key == "memory.fits") p.fits = v->get<bool>();
    else if (v->is_number() && key != "memory.fits") p.value = v->get<double>();
  }
  if (answer.contains("intervals") && answer.at("intervals").is_object()) {
    const auto& all = answer.at("intervals");
    if (const auto it = all.find(std::string(key)); it != all.end() && it->is_object())
      p.band = Interval{it->value("low", 0.0), it->value("high", 0.0)};
  }
  return p;
}

}  // namespace validation

namespace detail::validation_impl {

/// Scores one answer object for a case (its labels read from ValidationCase::case_text).
inline CaseResult score(const ValidationCase& c, std::size_t index, const nlohmann::json& answer) {
  return validation::score(c, index, validation::labels_of(nlohmann::json::parse(c.case_text)),
                           validation::prediction_of(answer, c.key));
}

}  // namespace detail::validation_impl

/// Answers every case with `catalog` and summarises the errors (validation::summarize). `worst_count` numeric cases with
/// the largest APE are listed in ValidationReport::worst. `profile` (a measured calibration) replaces the
/// built-in efficiencies; `profile_log_band` is its fit's 80% log half-width (widens the time bands).
[[nodiscard]] inline ValidationReport run_validation(std::vector<ValidationCase> cases, const Catalog& catalog,
                                                     std::size_t worst_count = 10,
                                                     const EfficiencyProfile& profile = builtin_efficiency,
                                                     double profile_log_band = 0) {
  ValidationReport rep;
  rep.cases = std::move(cases);
  rep.results.reserve(rep.cases.size());
  for (std::size_t i = 0; i < rep.cases.size(); ++i) {
    const ValidationCase& c = rep.cases[i];
    const nlohmann::json case_json = nlohmann::json::parse(c.case_text);
    const CaseAnswer answered = answer_case(case_json, catalog, profile, profile_log_band);
    validation::Prediction p = validation::prediction_of(answered.answer, c.key);
    p.not_modelled = answered.outcome == CaseOutcome::not_modelled;
    rep.results.push_back(validation::score(c, i, validation::labels_of(case_json), p));
  }
  validation::summarize(rep, worst_count);
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

}  // namespace headroom
