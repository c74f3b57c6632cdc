#pragma once
// Aligned tables for human output: plain text, or Markdown (the validate report).

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace headroom::cli {

/// The 80% band of a headline number as the range it puts the measurement in: "80%: 37.1–47.4"
/// (value × the measured/predicted band); empty without a band.
[[nodiscard]] inline std::string band_text(double value, double low, double high, int decimals = 1) {
  if (!(high > 0)) return {};
  return fmt::format("80%: {:.{}f}\u2013{:.{}f}", value * low, decimals, value * high, decimals);
}

class Table {
 public:
  /// Column headers; a header starting with '>' is right-aligned (numbers), the '>' is not printed.
  explicit Table(std::vector<std::string> headers) {
    for (auto& h : headers) {
      const bool right = !h.empty() && h.front() == '>';
      right_.push_back(right);
      header_.push_back(right ? h.substr(1) : h);
    }
  }
  void row(std::vector<std::string> cells) {
    cells.resize(header_.size());
    rows_.push_back(std::move(cells));
  }
  [[nodiscard]] std::string str() const {
    std::vector<std::size_t> w(header_.size());
    for (std::size_t c = 0; c < header_.size(); ++c) {
      w[c] = header_[c].size();
      for (const auto& r : rows_) w[c] = std::max(w[c], r[c].size());
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
      std::string l;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (c) l += "  ";
        const std::string pad(w[c] - cells[c].size(), ' ');
        l += right_[c] ? pad + cells[c] : cells[c] + (c + 1 == cells.size() ? "" : pad);
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out += l + "\n";
    };
    line(header_);
    std::vector<std::string> rule;
    for (std::size_t c = 0; c < header_.size(); ++c) rule.emplace_back(w[c], '-');
    line(rule);
    for (const auto& r : rows_) line(r);
    return out;
  }

  /// A GitHub-flavoured Markdown pipe table, padded so the source reads as a table too.
  [[nodiscard]] std::string markdown() const {
    auto esc = [](const std::string& s) {
      std::string r;
      for (char ch : s) {
        if (ch == '|') r += '\\';
        r += ch;
      }
      return r;
    };
    std::vector<std::string> header;
    for (const auto& h : header_) header.push_back(esc(h));
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : rows_) {
      rows.emplace_back();
      for (const auto& cell : r) rows.back().push_back(esc(cell));
    }
    std::vector<std::size_t> w(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
      w[c] = std::max<std::size_t>(header[c].size(), 3);
      for (const auto& r : rows) w[c] = std::max(w[c], r[c].size());
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
      std::string l = "|";
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::string pad(w[c] - cells[c].size(), ' ');
        l += " " + (right_[c] ? pad + cells[c] : cells[c] + pad) + " |";
      }
      out += l + "\n";
    };
    line(header);
    std::string rule = "|";
    for (std::size_t c = 0; c < w.size(); ++c)
      rule += " " + (right_[c] ? std::string(w[c] - 1, '-') + ":" : std::string(w[c], '-')) + " |";
    out += rule + "\n";
    for (const auto& r : rows) line(r);
    return out;
  }

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

/// A number with a fixed number of decimals, or "-" for 0 (unknown / not applicable).
inline std::string num(double v, int decimals = 1) { return v == 0 ? "-" : fmt::format("{:.{}f}", v, decimals); }

}  // namespace headroom::cli
