#pragma once
// The report of `headroom validate`: a scored ValidationReport and its check as aligned text (what
// the command prints), Markdown (--report) or JSON (--json). Tables are the CLI's one Table.

#include <nlohmann/json.hpp>

#include <string>

#include "headroom/validation.hpp"

namespace headroom::cli {

/// The report as aligned plain text (what `headroom validate` prints).
[[nodiscard]] std::string report_text(const ValidationReport& rep, const validation::CheckResult& chk);

/// The report as Markdown (`headroom validate --report FILE`). Headings start at level 3 so the
/// report can sit under a section of docs/validation.md.
[[nodiscard]] std::string report_markdown(const ValidationReport& rep, const validation::CheckResult& chk);

/// The report as JSON (`headroom validate --json`): summary tables, every case result and the check.
[[nodiscard]] nlohmann::json report_json(const ValidationReport& rep, const validation::CheckResult& chk);

}  // namespace headroom::cli
