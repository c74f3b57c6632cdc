// The report of `headroom validate` (docs/validation.md): the scores of headroom/validation.hpp
// as aligned text, Markdown or JSON.

#include "validation_report.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "table.hpp"

namespace headroom::cli {

namespace {

using validation::CaseResult;
using validation::CaseStatus;
using validation::CheckResult;
using validation::KeyStats;
using validation::Metric;
using validation::Threshold;

[[nodiscard]] std::string percent(double fraction) {
  return std::isnan(fraction) ? std::string("-") : fmt::format("{:.1f}%", 100.0 * fraction);
}

/// A measured or predicted value with sensible digits.
[[nodiscard]] std::string value_text(double v) {
  if (std::isnan(v)) return "-";
  const double a = std::fabs(v);
  if (a >= 1000) return fmt::format("{:.0f}", v);
  if (a >= 10) return fmt::format("{:.1f}", v);
  if (a >= 0.1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3g}", v);
}

[[nodiscard]] std::string count_text(std::size_t n) { return n ? std::to_string(n) : std::string("-"); }

/// Word-wraps `text` at `width` columns, each line starting with `indent`.
[[nodiscard]] std::string wrap(std::string_view text, std::size_t width, std::string_view indent) {
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

[[nodiscard]] Table stats_table(const std::vector<KeyStats>& rows, std::string_view group_column) {
  std::vector<std::string> columns{"key", ">cases", ">scored", ">median APE", ">p90 APE", ">80% band in sample",
                                   ">80% band LOSO", ">fits accuracy", ">not predicted", ">not answered", ">errors"};
  if (!group_column.empty()) columns.insert(columns.begin(), std::string(group_column));
  Table t(std::move(columns));
  for (const auto& s : rows) {
    std::vector<std::string> r;
    if (!group_column.empty()) r.push_back(s.group);
    r.insert(r.end(), {s.key, std::to_string(s.cases), std::to_string(s.scored), percent(s.median_ape),
                       percent(s.p90_ape), percent(s.coverage), percent(s.loso_coverage), percent(s.accuracy), count_text(s.not_predicted),
                       count_text(s.not_answered), count_text(s.errors)});
    t.row(std::move(r));
  }
  return t;
}

[[nodiscard]] std::string threshold_text(const Threshold& t) {
  return fmt::format("{} {}", t.metric == Metric::accuracy || t.metric == Metric::loso_coverage ? ">=" : "<=", percent(t.limit));
}

[[nodiscard]] std::vector<Section> sections(const ValidationReport& rep, const CheckResult& chk) {
  std::vector<Section> out;
  out.push_back({"By key", "", stats_table(rep.by_key, ""), {}});
  Section bands{"80% bands per cell",
                "Band of each cell (key family x runtime class x parallel regime) derived from these cases with sources as the "
                "unit (docs/validation.md). In sample: share of the cell's cases inside it; LOSO: share inside the band derived "
                "without their own source. A cell absent here gets x/÷2. The shipped table (uncertainty.hpp) is regenerated "
                "from this by data/uncertainty/derive_intervals.py.",
                Table({"key", "runtime class", "regime", ">sources", ">cases", ">band", ">in sample", ">LOSO"}),
                {}};
  for (const auto& b : rep.bands)
    bands.table.row({std::string(to_string(b.cell.key)), std::string(to_string(b.cell.runtime)),
                     std::string(to_string(b.cell.regime)), std::to_string(b.sources), std::to_string(b.cases),
                     fmt::format("{:.3f}–{:.3f}", b.band().low, b.band().high), percent(b.coverage),
                     percent(b.loso_coverage)});
  if (!rep.bands.empty()) out.push_back(std::move(bands));
  out.push_back({"By source", "Source: the source_row prefix.", stats_table(rep.by_source, "source"), {}});
  out.push_back({"By runtime", "", stats_table(rep.by_runtime, "runtime"), {}});
  out.push_back({"By GPU", "", stats_table(rep.by_gpu, "gpu"), {}});
  out.push_back({"By confidence", "", stats_table(rep.by_confidence, "confidence"), {}});

  Section worst{fmt::format("Worst {} numeric cases", rep.worst.size()),
                "Largest absolute percentage error first; the notes say what the source states and what was assumed.",
                Table({">#", "case", "key", "gpu", "runtime", "confidence", ">measured", ">predicted", ">APE"}),
                {}};
  for (std::size_t n = 0; n < rep.worst.size(); ++n) {
    const CaseResult& r = rep.results[rep.worst[n]];
    const ValidationCase& c = rep.cases[r.index];
    worst.table.row({std::to_string(n + 1), c.source_row, c.key, r.gpu, r.runtime, c.confidence, value_text(c.expected),
                     value_text(r.predicted), percent(r.ape)});
    worst.notes.emplace_back(c.source_row, c.notes);
  }
  if (!rep.worst.empty()) out.push_back(std::move(worst));

  Section fits{"Wrong memory.fits answers", "Predicted device memory and what the runtime may use (usable) show how far off the verdict is.",
               Table({"case", "gpu", "measured", "predicted", ">device GiB", ">usable GiB", "confidence"}),
               {}};
  for (std::size_t i : rep.wrong_fits) {
    const CaseResult& r = rep.results[i];
    const ValidationCase& c = rep.cases[r.index];
    fits.table.row({c.source_row, r.gpu, c.expected_fits ? "fits" : "OOM", r.predicted_fits ? "fits" : "OOM",
                    value_text(r.device_gib), value_text(r.usable_gib), c.confidence});
    fits.notes.emplace_back(c.source_row, c.notes);
  }
  if (!rep.wrong_fits.empty()) out.push_back(std::move(fits));

  Section errs{"Cases that could not be answered", "", Table({"case", "key", "error"}), {}};
  for (std::size_t i : rep.errors) {
    const CaseResult& r = rep.results[i];
    const ValidationCase& c = rep.cases[r.index];
    errs.table.row({c.source_row, c.key, r.error});
  }
  if (!rep.errors.empty()) out.push_back(std::move(errs));

  // Known gaps, grouped by reason (the per-case list is in the JSON report): what to add next.
  Section gaps{"Cases not answered yet",
               "Not modelled or not in the catalog yet in this version; counted, never dropped. One row per reason.",
               Table({"reason", ">cases", "keys", "first cases"}),
               {}};
  std::vector<std::pair<std::string, std::vector<std::size_t>>> reasons;  // in order of first appearance
  for (std::size_t i : rep.not_answered) {
    // The reason without the list of what is supported, kept to one readable line.
    std::string why = rep.results[i].error.substr(0, rep.results[i].error.find(" (supported:"));
    if (why.size() > 110) why = why.substr(0, 107) + "...";
    auto it = std::find_if(reasons.begin(), reasons.end(), [&](const auto& r) { return r.first == why; });
    if (it == reasons.end()) reasons.push_back({why, {i}});
    else it->second.push_back(i);
  }
  for (const auto& [why, members] : reasons) {
    std::vector<std::string> keys;
    std::string first;
    for (std::size_t n = 0; n < members.size(); ++n) {
      const ValidationCase& c = rep.cases[rep.results[members[n]].index];
      if (std::find(keys.begin(), keys.end(), c.key) == keys.end()) keys.push_back(c.key);
      if (n < 3) first += (n ? ", " : "") + c.source_row;
    }
    if (members.size() > 3) first += ", ...";
    std::string key_list;
    for (std::size_t k = 0; k < keys.size(); ++k) key_list += (k ? ", " : "") + keys[k];
    gaps.table.row({why, std::to_string(members.size()), key_list, first});
  }
  if (!rep.not_answered.empty()) out.push_back(std::move(gaps));

  Section th{"Thresholds",
             chk.passed ? "All thresholds met." : "Thresholds NOT met.",
             Table({"key", "scope", "metric", ">target", ">value", ">scored", ">not predicted", ">not answered",
                    ">errors", "status"}),
             {}};
  for (const auto& it : chk.items)
    th.table.row({std::string(it.threshold.key), std::string(to_string(it.threshold.scope)),
                  std::string(to_string(it.threshold.metric)), threshold_text(it.threshold), percent(it.value),
                  std::to_string(it.scored), count_text(it.not_predicted), count_text(it.not_answered),
                  count_text(it.errors),
                  std::string(to_string(it.status))});
  if (chk.errors) th.intro += fmt::format(" {} case(s) could not be answered, which fails the check.", chk.errors);
  out.push_back(std::move(th));
  return out;
}

[[nodiscard]] std::string summary_line(const ValidationReport& rep) {
  std::size_t scored = 0;
  for (const auto& r : rep.results) scored += r.status == CaseStatus::scored ? 1 : 0;
  std::string files;
  for (std::size_t i = 0; i < rep.files.size(); ++i) files += (i ? ", " : "") + rep.files[i];
  return fmt::format("{} cases from {}: {} scored, {} not predicted yet, {} not answered yet (not modelled or not in "
                     "the catalog), {} could not be answered.",
                     rep.cases.size(), files.empty() ? std::string("(no file)") : files, scored, rep.not_predicted,
                     rep.not_answered.size(), rep.errors.size());
}

}  // namespace

/// The report as aligned plain text (what `headroom validate` prints).
[[nodiscard]] std::string report_text(const ValidationReport& rep, const validation::CheckResult& chk) {
  std::string out = summary_line(rep) + "\n" +
                    "APE = abs(predicted - measured) / measured; median and p90 interpolate linearly.\n";
  for (const auto& s : sections(rep, chk)) {
    out += "\n" + s.title + "\n";
    if (!s.intro.empty()) out += wrap(s.intro, 100, "");
    out += s.table.str();
    for (const auto& [label, text] : s.notes) out += wrap(label + ": " + text, 100, "  ");
  }
  return out;
}

/// The report as Markdown (`headroom validate --report FILE`). Headings start at level 3 so the
/// report can sit under a section of docs/validation.md.
[[nodiscard]] std::string report_markdown(const ValidationReport& rep, const validation::CheckResult& chk) {
  std::string out = summary_line(rep) +
                    " APE = abs(predicted − measured) / measured; median and p90 interpolate linearly between ranks.\n";
  for (const auto& s : sections(rep, chk)) {
    out += "\n### " + s.title + "\n\n";
    if (!s.intro.empty()) out += s.intro + "\n\n";
    out += s.table.markdown();
    if (!s.notes.empty()) {
      out += "\n";
      for (std::size_t i = 0; i < s.notes.size(); ++i)
        out += fmt::format("{}. **{}**: {}\n", i + 1, s.notes[i].first, s.notes[i].second);
    }
  }
  return out;
}

/// The report as JSON (`headroom validate --json`): summary tables, every case result and the check.
[[nodiscard]] nlohmann::json report_json(const ValidationReport& rep, const validation::CheckResult& chk) {
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
                   {"not_answered", s.not_answered},
                   {"errors", s.errors},
                   {"median_ape", num(s.median_ape)},
                   {"p90_ape", num(s.p90_ape)},
                   {"mean_ape", num(s.mean_ape)},
                   {"correct", s.correct},
                   {"accuracy", num(s.accuracy)},
                   {"banded", s.banded},
                   {"covered", s.covered},
                   {"coverage", num(s.coverage)},
                   {"loso_banded", s.loso_banded},
                   {"loso_covered", s.loso_covered},
                   {"loso_coverage", num(s.loso_coverage)}});
    return a;
  };
  auto status_name = [](CaseStatus s) {
    switch (s) {
      case CaseStatus::scored: return "scored";
      case CaseStatus::not_predicted: return "not_predicted";
      case CaseStatus::not_answered: return "not_answered";
      case CaseStatus::error: return "error";
    }
    return "?";
  };
  auto bands = nlohmann::json::array();
  for (const auto& b : rep.bands)
    bands.push_back({{"key", to_string(b.cell.key)},
                     {"runtime_class", to_string(b.cell.runtime)},
                     {"regime", to_string(b.cell.regime)},
                     {"low", b.band().low},
                     {"high", b.band().high},
                     {"half_width_ln", b.half},
                     {"sources", b.sources},
                     {"cases", b.cases},
                     {"coverage", num(b.coverage)},
                     {"loso_coverage", num(b.loso_coverage)}});
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
        if (r.cell) {
          j["cell"] = {{"key", to_string(r.cell->key)},
                       {"runtime_class", to_string(r.cell->runtime)},
                       {"regime", to_string(r.cell->regime)}};
          if (!std::isnan(r.loso_half)) {
            j["loso_band"] = {{"low", std::exp(-r.loso_half)}, {"high", std::exp(r.loso_half)}};
            j["loso_covered"] = r.loso_covered;
          }
        }
        if (r.band.present()) {
          j["band"] = {{"low", r.band.low}, {"high", r.band.high}};
          j["covered"] = r.covered;
        }
      }
    }
    if (r.status == CaseStatus::error || r.status == CaseStatus::not_answered) j["error"] = r.error;
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
                     {"not_answered", it.not_answered},
                     {"errors", it.errors},
                     {"status", to_string(it.status)}});
  return {{"files", rep.files},
          {"cases", rep.cases.size()},
          {"not_predicted", rep.not_predicted},
          {"not_answered", rep.not_answered.size()},
          {"errors", rep.errors.size()},
          {"by_key", stats_rows(rep.by_key)},
          {"by_source", stats_rows(rep.by_source)},
          {"by_runtime", stats_rows(rep.by_runtime)},
          {"by_gpu", stats_rows(rep.by_gpu)},
          {"by_confidence", stats_rows(rep.by_confidence)},
          {"worst", index_list(rep.worst)},
          {"wrong_fits", index_list(rep.wrong_fits)},
          {"error_cases", index_list(rep.errors)},
          {"not_answered_cases", index_list(rep.not_answered)},
          {"check", {{"passed", chk.passed}, {"errors", chk.errors}, {"items", std::move(items)}}},
          {"bands", bands},
          {"results", std::move(results)}};
}

}  // namespace headroom::cli
