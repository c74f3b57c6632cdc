// The stream runner of `headroom eval` (case_stream.hpp).

#include "case_stream.hpp"

#include <nlohmann/json.hpp>

#include <string>

#include "headroom/io/cases.hpp"

namespace headroom::cli {

EvalSummary eval_stream(std::istream& in, std::ostream& out, const Catalog& catalog,
                        const std::function<void(std::size_t)>& on_line, const EfficiencyProfile& profile,
                        double profile_log_band) {
  EvalSummary s;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
      ++s.blank;
      continue;
    }
    const nlohmann::json answer = eval_line(line, catalog, number, profile, profile_log_band);
    (answer.at("ok").get<bool>() ? s.answered : s.failed) += 1;
    out << answer_text(answer) << '\n';
    // Flush whenever reading on could block, so a caller can drive the stream line by line.
    if (in.rdbuf() == nullptr || in.rdbuf()->in_avail() <= 0) out.flush();
    if (on_line) on_line(s.answered + s.failed);
  }
  out.flush();
  return s;
}

}  // namespace headroom::cli
