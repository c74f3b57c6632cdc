#pragma once
/// @file io/case_line.hpp
/// One line of a case stream answered as text, fast: the bytes of
/// `answer_text(eval_line(line, ...))` (io/cases.hpp, the reference) without its slow parts.
///
/// - A line that is one object of case fields in plain JSON (no escapes, printable ASCII, each
///   field once) is read without the object around them (PlainReader::read_case into FlatCase: each
///   field's value by its index; nested values such as an inline GPU or config.json still as DOM)
///   and parsed by job_from_case, the same parser as for the DOM. Whatever that path does not
///   answer — a line it does not read, an error of any kind — goes down the path below from the
///   start, so every error is worded there.
/// - Any other line of plain JSON is read directly into the DOM (PlainReader);
///   any other line by a plain SAX builder (no per-event callback, no key-path strings). Any
///   line it does not accept as it stands — a syntax error, a repeated key, deep nesting, a number
///   beyond the double range — goes to the reference `eval_line`, which words the error; so the
///   accepted and rejected lines and the messages are those of strict_json::parse by construction.
/// - The case is read by the one case parser, `job_from_case` (`job_from_json`), and answered by `evaluate`.
/// - The answer is written straight to text in the key order of the reference (nlohmann objects
///   sort their keys), numbers rounded and printed as answer_to_json / answer_text do. A case
///   that fails gets answer_case's error object (error_answer); an answer with a part this writer
///   does not know (serving figures) goes to the DOM writer answer_to_json, which also words a
///   figure that is not finite and non-negative as the reference does.
///
/// tests/io/case_line_test.cpp holds both paths to the same bytes on every public validation case,
/// the bad-line files and the fuzz corpus.
///
/// Needs nlohmann_json (the consumer links it).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/efficiency.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/names.hpp"
#include "headroom/result.hpp"
#include "headroom/string_store.hpp"

namespace headroom {

namespace detail::case_line {

using json = nlohmann::json;

/// Nesting the fast parser takes; deeper lines (never a valid case) go to the reference parser,
/// which rejects them beyond strict_json::max_depth.
inline constexpr std::size_t max_fast_depth = 16;

/// A nlohmann SAX consumer that builds the document like json::parse, and gives up (returns false)
/// on anything the reference reader has a message for: syntax errors, number overflow, repeated
/// keys, deep nesting.
class DomBuilder {
 public:
  explicit DomBuilder(json& root) : root_(root) {}

  bool null() { return put(nullptr); }
  bool boolean(bool b) { return put(b); }
  bool number_integer(json::number_integer_t i) { return put(i); }
  bool number_unsigned(json::number_unsigned_t u) { return put(u); }
  bool number_float(json::number_float_t d, const json::string_t& /*text*/) { return put(d); }
  bool string(json::string_t& s) { return put(std::move(s)); }
  bool binary(json::binary_t& /*b*/) { return false; }  // JSON text has no binary values

  bool start_object(std::size_t /*size*/) { return open(json::value_t::object); }
  bool start_array(std::size_t /*size*/) { return open(json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& k) {
    auto& obj = stack_.back()->get_ref<json::object_t&>();
    const auto [it, inserted] = obj.emplace(std::move(k), nullptr);
    if (!inserted) return false;  // a repeated key: the reference names it
    slot_ = &it->second;
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const nlohmann::detail::exception& /*e*/) {
    return false;
  }

 private:
  /// Where the next value goes: the root, the slot of the last key, or a new array element.
  json* place() {
    if (stack_.empty()) return &root_;
    json* top = stack_.back();
    if (top->is_array()) {
      top->get_ref<json::array_t&>().emplace_back();
      return &top->get_ref<json::array_t&>().back();
    }
    return slot_;
  }
  template <class V>
  bool put(V&& v) {
    *place() = json(std::forward<V>(v));
    return true;
  }
  bool open(json::value_t t) {
    if (stack_.size() >= max_fast_depth) return false;
    json* p = place();
    *p = json(t);
    stack_.push_back(p);
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  json& root_;
  std::vector<json*> stack_;
  json* slot_ = nullptr;
};

/// Parses `line` into `out` as strict_json::parse would; false when the line needs the reference
/// reader (invalid JSON, a repeated key, nesting deeper than max_fast_depth, a number overflow).
[[nodiscard]] inline bool parse(std::string_view line, json& out) {
  DomBuilder sax(out);
  return json::sax_parse(line.begin(), line.end(), &sax);
}

/// The fields of a case line read by PlainReader::read_case: the value of each field given, by its
/// index in cases::fields, without the object around them. job_from_case reads it as it reads a
/// nlohmann object (detail::case_parse::JsonCase): the same values, found without a map.
class FlatCase {
 public:
  static_assert(cases::fields.size() < 64, "one bit per field");
  /// Nothing to check: read_case takes only fields of a case, each once.
  void check_fields() const {}
  [[nodiscard]] const json* find(cases::Field f) const { return given(f.index) ? &values_[f.index] : nullptr; }
  /// Calls `f` with the name of each field given, in the order of their spellings (a nlohmann object's).
  template <class F>
  void each_field(F&& f) const {
    for (const std::size_t i : cases::fields_by_name)
      if (given(i)) f(cases::fields[i]);
  }
  [[nodiscard]] bool given(std::size_t i) const { return (given_ >> i & 1U) != 0; }
  /// The slot of field `i`, marked given.
  json& give(std::size_t i) {
    given_ |= std::uint64_t{1} << i;
    return values_[i];
  }

 private:
  std::array<json, cases::fields.size()> values_{};
  std::uint64_t given_ = 0;
};

/// A direct reader of the plain JSON most case lines are: strings of printable ASCII without
/// escapes, numbers, literals, objects and arrays up to max_fast_depth. It builds the same
/// document as nlohmann's parser (integers as number_unsigned, or number_integer with a minus;
/// other numbers read by from_chars, correctly rounded as nlohmann's strtod), and declines (false)
/// anything else — an escape, a byte outside printable ASCII, an integer of 19 characters or more (sign included), a
/// number out of the double range, a repeated key, a syntax error — which then goes to parse().
class PlainReader {
 public:
  explicit PlainReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  [[nodiscard]] bool read(json& out) {
    if (!value(out, 0)) return false;
    space();
    return p_ == end_;
  }

  /// Reads a line that is one object into `c`, each value as read() reads it; false (the line then
  /// goes to read() and the reference) when it is not an object, or a key is not a field of a case
  /// or comes twice, or read() would decline it.
  [[nodiscard]] bool read_case(FlatCase& c) {
    space();
    if (p_ == end_ || *p_ != '{') return false;
    const bool ok = items('}', [&] {
      std::string_view key;
      if (p_ == end_ || *p_ != '"' || !string(key)) return false;
      const std::size_t i = cases::field_index(key);
      if (i == cases::fields.size() || c.given(i)) return false;
      space();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      return value(c.give(i), 1);
    });
    if (!ok) return false;
    space();
    return p_ == end_;
  }

 private:
  void space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }
  /// The characters of a string at p_ (its opening quote), without copying them.
  bool string(std::string_view& s) {
    const char* first = ++p_;  // after the opening quote
    for (; p_ != end_; ++p_) {
      const auto u = static_cast<unsigned char>(*p_);
      if (u == '"') {
        s = std::string_view(first, static_cast<std::size_t>(p_ - first));
        ++p_;
        return true;
      }
      if (u < 0x20 || u >= 0x7F || u == '\\') return false;
    }
    return false;
  }
  bool string(std::string& s) {
    std::string_view v;
    if (!string(v)) return false;
    s.assign(v);
    return true;
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  bool number(json& v) {
    const char* first = p_;
    const bool minus = p_ != end_ && *p_ == '-';
    if (minus) ++p_;
    if (p_ == end_ || !digit(*p_)) return false;
    if (*p_ == '0') ++p_;
    else
      while (p_ != end_ && digit(*p_)) ++p_;
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (integer) {
      if (p_ - first > 18) return false;  // may not fit: nlohmann's own rules decide
      std::int64_t i = 0;
      (void)std::from_chars(first, p_, i);
      if (minus) v = static_cast<json::number_integer_t>(i);
      else v = static_cast<json::number_unsigned_t>(i);
      return true;
    }
    double d = 0;
    const auto res = std::from_chars(first, p_, d);
    if (res.ec != std::errc{} || res.ptr != p_ || !std::isfinite(d)) return false;
    v = d;
    return true;
  }
  /// The items of an object or array after its opening bracket (at p_), up to `close`: `item()` reads
  /// one at its first non-space character, then a ',' or `close` follows.
  template <class Item>
  bool items(char close, Item&& item) {
    ++p_;
    space();
    if (p_ != end_ && *p_ == close) {
      ++p_;
      return true;
    }
    for (;;) {
      space();
      if (!item()) return false;
      space();
      if (p_ == end_) return false;
      if (*p_ == close) {
        ++p_;
        return true;
      }
      if (*p_++ != ',') return false;
    }
  }
  bool value(json& v, std::size_t depth) {
    space();
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': {
        if (depth >= max_fast_depth) return false;
        v = json::object();
        auto& obj = v.get_ref<json::object_t&>();
        return items('}', [&] {
          if (p_ == end_ || *p_ != '"') return false;
          std::string key;
          if (!string(key)) return false;
          space();
          if (p_ == end_ || *p_ != ':') return false;
          ++p_;
          const auto [it, inserted] = obj.emplace(std::move(key), nullptr);
          return inserted && value(it->second, depth + 1);  // a repeated key: the reference names it
        });
      }
      case '[': {
        if (depth >= max_fast_depth) return false;
        v = json::array();
        auto& arr = v.get_ref<json::array_t&>();
        return items(']', [&] { return value(arr.emplace_back(), depth + 1); });
      }
      case '"': {
        std::string s;
        if (!string(s)) return false;
        v = std::move(s);
        return true;
      }
      case 't':
        v = true;
        return literal("true");
      case 'f':
        v = false;
        return literal("false");
      case 'n':
        v = nullptr;
        return literal("null");
      default:
        return number(v);
    }
  }

  const char* p_;
  const char* end_;
};

/// A string as append_json writes it (nlohmann's escaping, invalid UTF-8 replaced): plain
/// printable ASCII is copied, anything else is written by the library.
inline void put_string(std::string& out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x20 && u < 0x7F && ch != '"' && ch != '\\';
  });
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

/// A literal appended without measuring it at run time.
template <std::size_t N>
inline void put_text(std::string& out, const char (&text)[N]) {
  out.append(text, N - 1);
}

/// A key (a spelling of names.hpp: plain ASCII) and its colon.
inline void put_key(std::string& out, std::string_view k) {
  out += '"';
  out += k;
  put_text(out, "\":");
}

/// A double as append_json writes it: shortest round trip, ".0" added to a whole number.
inline void put_double(std::string& out, double v) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  const std::string_view text(buf.data(), static_cast<std::size_t>(res.ptr - buf.data()));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) put_text(out, ".0");
}

inline void put_int(std::string& out, std::int64_t v) {
  std::array<char, 24> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), res.ptr);
}

/// A figure answer_to_json would reject (not finite, or negative where it may not be).
[[nodiscard]] inline bool bad(double v, bool may_be_negative = false) {
  return !std::isfinite(v) || (v < 0 && !may_be_negative);
}

/// Writes the decimal (-1)^negative * m * 10^e as put_double writes the double nearest to it,
/// without forming that double: false (nothing written) when m has more than 15 significant digits or
/// the exponent is far out. Why the digits are m's: the double nearest a decimal of at most 15
/// significant digits reads back as that decimal (DBL_DIG), so no other decimal of that many digits
/// or fewer is nearest the same double, and the shortest round trip of to_chars gives m's digits.
/// to_chars then writes them fixed or scientific, whichever is shorter, fixed on a tie (C++
/// [charconv.to.chars]); this does the same count. Zero (-0 included) is "0.0", as from_decimal
/// turns -0 into 0.
[[nodiscard]] inline bool put_decimal(std::string& out, bool negative, std::uint64_t m, int e) {
  if (m == 0) {
    put_text(out, "0.0");
    return true;
  }
  while (m % 10 == 0) {
    m /= 10;
    ++e;
  }
  char d[24];  // NOLINT: written by to_chars before it is read
  const int n = static_cast<int>(std::to_chars(d, d + sizeof d, m).ptr - d);
  const int x = n - 1 + e;  // the exponent of the scientific form
  if (n > 15 || x > 300 || x < -300) return false;
  const int fixed_length = e >= 0 ? n + e : (n + e > 0 ? n + 1 : 2 - e);
  const int scientific_length = n + (n > 1 ? 1 : 0) + 2 + (x >= 100 || x <= -100 ? 3 : 2);
  // The text is composed here and appended once: at most 24 characters (a sign, the fixed form,
  // chosen only when no longer than the scientific one's 21, and ".0").
  char text[48];  // NOLINT: only the written part is appended
  char* p = text;
  const auto digits = [&](int from, int to) {
    std::memcpy(p, d + from, static_cast<std::size_t>(to - from));
    p += to - from;
  };
  const auto zeros = [&](int count) {
    std::memset(p, '0', static_cast<std::size_t>(count));
    p += count;
  };
  if (negative) *p++ = '-';
  if (fixed_length <= scientific_length) {
    if (e >= 0) {
      digits(0, n);
      zeros(e);
      *p++ = '.';  // a whole number stays a float, as put_double writes it
      *p++ = '0';
    } else if (n + e > 0) {
      digits(0, n + e);
      *p++ = '.';
      digits(n + e, n);
    } else {
      *p++ = '0';
      *p++ = '.';
      zeros(-(n + e));
      digits(0, n);
    }
  } else {
    *p++ = d[0];
    if (n > 1) {
      *p++ = '.';
      digits(1, n);
    }
    *p++ = 'e';
    *p++ = x < 0 ? '-' : '+';
    const int ax = x < 0 ? -x : x;
    if (ax >= 100) *p++ = static_cast<char>('0' + ax / 100);
    *p++ = static_cast<char>('0' + ax / 10 % 10);
    *p++ = static_cast<char>('0' + ax % 10);
  }
  out.append(text, static_cast<std::size_t>(p - text));
  return true;
}

/// put_decimal of a number as to_chars writes it with a precision ("[-]D[.D]" or "[-]D[.D]e+-X");
/// false, nothing written, when it has more than 19 digits or put_decimal declines.
[[nodiscard]] inline bool put_decimal_text(std::string& out, std::string_view text, bool& negative) {
  std::size_t i = 0;
  negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  std::uint64_t m = 0;
  int e = 0;
  int digits = 0;
  bool fraction = false;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      fraction = true;
      continue;
    }
    if (m != 0 && ++digits > 19) return false;
    m = m * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (m != 0 && digits == 0) digits = 1;
    if (fraction) --e;
  }
  if (i < text.size()) {  // the exponent of the scientific form
    int x = 0;
    if (std::from_chars(text.data() + i + 2, text.data() + text.size(), x).ec != std::errc{}) return false;
    e += text[i + 1] == '-' ? -x : x;
  }
  if (m == 0) negative = false;
  return put_decimal(out, negative, m, e);
}

/// Writes round_to(v, decimals) as put_double would; false when the rounded figure is one
/// answer_to_json rejects (see bad()).
[[nodiscard]] inline bool put_round_to(std::string& out, double v, int decimals) {
  // |v| * 10^decimals in a double is within y * 2^-52 of the exact product, so unless its fraction
  // is within that of one half, rounding it to the nearest integer rounds the exact product, as
  // to_chars does (no exact tie exists: k + 1/2 over 10^decimals is not a binary fraction).
  static constexpr std::array<double, 7> scale{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  if (decimals >= 0 && decimals < static_cast<int>(scale.size()) && std::fabs(v) < 1e9) {
    const double y = std::fabs(v) * scale[static_cast<std::size_t>(decimals)];
    const double whole = std::floor(y);
    const double fraction = y - whole;  // exact
    if (std::fabs(fraction - 0.5) > y * 0x1p-50 + 0x1p-60) {
      const auto m = static_cast<std::uint64_t>(whole) + (fraction > 0.5 ? 1U : 0U);
      const bool negative = v < 0 && m != 0;
      if (put_decimal(out, negative, m, -decimals)) return !negative;
    }
  }
  if (std::isfinite(v)) {
    std::array<char, 64> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    bool negative = false;
    if (res.ec == std::errc{} &&
        put_decimal_text(out, std::string_view(buf.data(), static_cast<std::size_t>(res.ptr - buf.data())), negative))
      return !negative;
  }
  const double r = case_parse::round_to(v, decimals);  // large, or not finite: the reference's way
  put_double(out, r);
  return !bad(r);
}

/// Writes round_sig(v, digits) as put_double would; false when answer_to_json rejects the figure.
[[nodiscard]] inline bool put_round_sig(std::string& out, double v, int digits) {
  if (std::isfinite(v)) {
    std::array<char, 64> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific, digits - 1);
    bool negative = false;
    if (res.ec == std::errc{} &&
        put_decimal_text(out, std::string_view(buf.data(), static_cast<std::size_t>(res.ptr - buf.data())), negative))
      return !negative;
  }
  const double r = case_parse::round_sig(v, digits);
  put_double(out, r);
  return !bad(r);
}

/// The indices 0..N-1 of a names.hpp table in the order of their spellings (nlohmann's object order).
template <class E>
[[nodiscard]] const std::array<int, names::count<E>>& sorted_names() {
  static const std::array<int, names::count<E>> order = [] {
    std::array<int, names::count<E>> o{};
    for (int i = 0; i < names::count<E>; ++i) o[static_cast<std::size_t>(i)] = i;
    std::sort(o.begin(), o.end(),
              [](int a, int b) { return to_string(static_cast<E>(a)) < to_string(static_cast<E>(b)); });
    return o;
  }();
  return order;
}

/// The figures of `time` in answer_to_json, by key, and their written order.
struct TimeKey {
  std::string_view name;
  double TimeResult::*value;
};
[[nodiscard]] inline const std::array<TimeKey, 8>& time_keys() {
  static const std::array<TimeKey, 8> keys = [] {
    std::array<TimeKey, 8> k{{{"prefill_tokens_per_s", &TimeResult::prefill_tokens_per_s},
                              {"decode_tokens_per_s", &TimeResult::decode_tokens_per_s},
                              {"ttft_s", &TimeResult::ttft_s},
                              {"step_time_s", &TimeResult::step_time_s},
                              {"train_tokens_per_s_per_gpu", &TimeResult::train_tokens_per_s_per_gpu},
                              {"mfu", &TimeResult::mfu},
                              {"hfu", &TimeResult::hfu},
                              {"busbw_gbps", &TimeResult::busbw_gbps}}};
    std::sort(k.begin(), k.end(), [](const TimeKey& a, const TimeKey& b) { return a.name < b.name; });
    return k;
  }();
  return keys;
}

/// {"high":h,"low":l} rounded as answer_to_json's band(); false on a bad figure.
[[nodiscard]] inline bool put_band(std::string& out, Interval b) {
  put_text(out, "{\"high\":");
  if (!put_round_to(out, b.high, 3)) return false;
  put_text(out, ",\"low\":");
  if (!put_round_to(out, b.low, 3)) return false;
  out += '}';
  return true;
}

/// Appends the text of answer_to_json(id, a, w, warnings) (compact, as answer_text writes it).
/// Returns false, with `out` as it was, when the answer has a part this writer does not write
/// (serving figures, a max_concurrency limit) or a figure answer_to_json rejects: the caller then
/// writes it with answer_to_json.
[[nodiscard]] inline bool put_answer(std::string& out, const json& id, const Answer& a, const Job& w,
                                     const std::vector<std::string>& warnings) {
  if (a.has_serving || w.question.solve == Solve::max_concurrency) return false;
  if (!id.is_null() && !id.is_string()) return false;
  const std::size_t mark = out.size();
  const auto give_up = [&] {
    out.resize(mark);
    return false;
  };

  put_text(out, "{\"id\":");
  if (id.is_null()) put_text(out, "null");
  else put_string(out, id.get_ref<const std::string&>());

  if (a.interval.present()) {
    put_text(out, ",\"interval\":");
    if (!put_band(out, a.interval)) return give_up();
  }
  bool first = true;
  for (const int i : sorted_names<AnswerKey>()) {
    const Interval b = a.intervals[static_cast<AnswerKey>(i)];
    if (!b.present()) continue;
    out += first ? ",\"intervals\":{" : ",";
    first = false;
    put_key(out, to_string(static_cast<AnswerKey>(i)));
    if (!put_band(out, b)) return give_up();
  }
  if (!first) out += '}';

  const std::int64_t limit = w.question.solve == Solve::max_batch     ? a.limits.max_batch
                             : w.question.solve == Solve::max_seq     ? a.limits.max_seq
                             : w.question.solve == Solve::max_context ? a.limits.max_context
                                                                      : -1;
  if (w.question.solve != Solve::none && limit >= 0) {
    put_text(out, ",\"limits\":{");
    put_key(out, to_string(w.question.solve));
    put_int(out, limit);
    out += '}';
  }

  if (a.has_memory) {
    const MemoryResult& m = a.memory;
    const auto gib = [&](std::string_view key, Bytes b, bool last = false) {
      put_key(out, key);
      const bool fine = put_round_to(out, to_gib(b), answer_gib_decimals);
      if (!last) out += ',';
      return fine;
    };
    put_text(out, ",\"memory\":{\"breakdown_gib\":{");
    bool ok = true;
    bool first_comp = true;
    for (const int i : sorted_names<Component>()) {
      if (!first_comp) out += ',';
      first_comp = false;
      ok = gib(to_string(static_cast<Component>(i)), m.breakdown[static_cast<Component>(i)], true) && ok;
    }
    put_text(out, "},");
    ok = gib("capacity_gib", m.capacity) && ok;
    ok = gib("device_gib", m.device) && ok;
    out += m.fits ? "\"fits\":true," : "\"fits\":false,";
    const double headroom = headroom_gib_of(m);
    if (bad(headroom, true)) ok = false;
    put_key(out, "headroom_gib");
    put_double(out, headroom);
    out += ',';
    ok = gib("per_gpu_gib", m.per_gpu) && ok;
    ok = gib("reserved_gib", m.reserved) && ok;
    ok = gib("usable_gib", m.usable, true) && ok;
    out += '}';
    if (!ok) return give_up();
  }

  put_text(out, ",\"ok\":true");

  if (a.has_time) {
    const TimeResult& t = a.time;
    bool first_time = true;
    const auto open = [&] {
      out += first_time ? ",\"time\":{" : ",";
      first_time = false;
    };
    // "bound" sorts before every figure ("bound" < "busbw_gbps").
    if (t.bound != Bound::none) {
      open();
      put_key(out, "bound");
      put_string(out, to_string(t.bound));
    }
    for (const TimeKey& k : time_keys()) {
      const double v = t.*k.value;
      if (v == 0) continue;
      open();
      put_key(out, k.name);
      if (!put_round_sig(out, v, answer_time_digits)) return give_up();
    }
    if (!first_time) out += '}';
  }

  if (!warnings.empty()) {
    put_text(out, ",\"warnings\":[");
    for (std::size_t i = 0; i < warnings.size(); ++i) {
      if (i) out += ',';
      put_string(out, warnings[i]);
    }
    out += ']';
  }
  out += '}';
  return true;
}

}  // namespace detail::case_line

/// Appends the answer to one line of a case stream, without a newline: the same bytes as
/// `answer_text(eval_line(line, catalog, line_number, profile, profile_log_band))`.
/// Returns the answer's `ok`.
inline bool append_answer_line(std::string& out, std::string_view line, const Catalog& catalog,
                               std::size_t line_number = 0, const EfficiencyProfile& profile = builtin_efficiency,
                               double profile_log_band = 0) {
  const auto reference = [&] {
    const nlohmann::json answer = eval_line(line, catalog, line_number, profile, profile_log_band);
    out += answer_text(answer);
    return answer.at("ok").get<bool>();
  };
  // The case read as `fields` (FlatCase or JsonCase) parsed, evaluated and written; throws what
  // job_from_case, evaluate and the writers throw (the callers cut `out` back to where it was).
  const auto answer = [&](const auto& fields, const nlohmann::json& id) {
    StringStore strings;
    std::vector<std::string> warnings;
    const Job w = job_from_case(fields, catalog, strings, warnings);
    const Answer a = evaluate(w, profile, profile_log_band);
    // An answer put_answer does not write (serving figures): the DOM writer.
    if (!detail::case_line::put_answer(out, id, a, w, warnings)) out += answer_text(answer_to_json(id, a, w, warnings));
  };
  static const nlohmann::json no_id = nullptr;  // find() of a value that is not an object is end()
  {
    // The common case: the fields read without the object around them. A line this path does not
    // answer, an error included, is answered again below, so an error keeps the reference's words.
    detail::case_line::FlatCase fields;
    if (detail::case_line::PlainReader(line).read_case(fields)) {
      const nlohmann::json* id = fields.find("id");
      const std::size_t mark = out.size();
      try {
        answer(fields, id != nullptr ? *id : no_id);
        return true;
      } catch (...) {  // answered below, without what a throwing writer left
        out.resize(mark);
      }
    }
  }
  nlohmann::json c;
  if (!detail::case_line::PlainReader(line).read(c)) {
    c = nullptr;
    if (!detail::case_line::parse(line, c)) return reference();
  }
  const auto id_it = c.find("id");
  const nlohmann::json& id = id_it == c.end() ? no_id : *id_it;
  const std::size_t mark = out.size();
  try {
    answer(detail::case_parse::JsonCase(c), id);
    return true;
  } catch (...) {
    out.resize(mark);
    // Worded by error_answer, as every other caller words it, without answering the case again.
    const std::string where = line_number ? "line " + std::to_string(line_number) + ": " : std::string();
    out += answer_text(error_answer(id, std::current_exception(), where).answer);
    return false;
  }
}

}  // namespace headroom
