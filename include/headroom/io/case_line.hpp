#pragma once
/// @file io/case_line.hpp
/// One line of a case stream answered as text, fast: the bytes of
/// `answer_text(eval_line(line, ...))` (io/cases.hpp, the reference) without its slow parts.
///
/// - The line is parsed by a plain SAX builder (no per-event callback, no key-path strings). Any
///   line it does not accept as it stands — a syntax error, a repeated key, deep nesting, a number
///   beyond the double range — goes to the reference `eval_line`, which words the error; so the
///   accepted and rejected lines and the messages are those of strict_json::parse by construction.
/// - The case is read by the one case parser, `job_from_json`, and answered by `evaluate`.
/// - The answer is written straight to text in the key order of the reference (nlohmann objects
///   sort their keys), numbers rounded and printed as answer_to_json / answer_text do. A case
///   that fails gets answer_case's error object; an answer with a part this writer does not know
///   (serving figures), or a figure that is not finite and non-negative, is answered by the
///   reference path instead.
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

/// A key (a spelling of names.hpp: plain ASCII) and its colon.
inline void put_key(std::string& out, std::string_view k) {
  out += '"';
  out += k;
  out += "\":";
}

/// A double as append_json writes it: shortest round trip, ".0" added to a whole number.
inline void put_double(std::string& out, double v) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  const std::string_view text(buf.data(), static_cast<std::size_t>(res.ptr - buf.data()));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

inline void put_int(std::string& out, std::int64_t v) {
  std::array<char, 24> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), res.ptr);
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

/// A figure answer_to_json would reject (not finite, or negative where it may not be).
[[nodiscard]] inline bool bad(double v, bool may_be_negative = false) {
  return !std::isfinite(v) || (v < 0 && !may_be_negative);
}

/// {"high":h,"low":l} rounded as answer_to_json's band(); false on a bad figure.
[[nodiscard]] inline bool put_band(std::string& out, Interval b) {
  using case_parse::round_to;
  const double high = round_to(b.high, 3);
  const double low = round_to(b.low, 3);
  if (bad(high) || bad(low)) return false;
  out += "{\"high\":";
  put_double(out, high);
  out += ",\"low\":";
  put_double(out, low);
  out += '}';
  return true;
}

/// Appends the text of answer_to_json(id, a, w, warnings) (compact, as answer_text writes it).
/// Returns false, with `out` as it was, when the answer has a part this writer does not write
/// (serving figures, a max_concurrency limit) or a figure answer_to_json rejects: the caller then
/// uses the reference.
[[nodiscard]] inline bool put_answer(std::string& out, const json& id, const Answer& a, const Job& w,
                                     const std::vector<std::string>& warnings) {
  using case_parse::round_sig;
  using case_parse::round_to;
  if (a.has_serving || w.question.solve == Solve::max_concurrency) return false;
  if (!id.is_null() && !id.is_string()) return false;
  const std::size_t mark = out.size();
  const auto give_up = [&] {
    out.resize(mark);
    return false;
  };

  out += "{\"id\":";
  if (id.is_null()) out += "null";
  else put_string(out, id.get_ref<const std::string&>());

  if (a.interval.present()) {
    out += ",\"interval\":";
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
    out += ",\"limits\":{";
    put_key(out, to_string(w.question.solve));
    put_int(out, limit);
    out += '}';
  }

  if (a.has_memory) {
    const MemoryResult& m = a.memory;
    const auto gib = [&](std::string_view key, Bytes b, bool last = false) {
      const double v = round_to(to_gib(b), answer_gib_decimals);
      put_key(out, key);
      put_double(out, v);
      if (!last) out += ',';
      return !bad(v);
    };
    out += ",\"memory\":{\"breakdown_gib\":{";
    bool ok = true;
    bool first_comp = true;
    for (const int i : sorted_names<Component>()) {
      if (!first_comp) out += ',';
      first_comp = false;
      ok = gib(to_string(static_cast<Component>(i)), m.breakdown[static_cast<Component>(i)], true) && ok;
    }
    out += "},";
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

  out += ",\"ok\":true";

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
      const double r = round_sig(v, answer_time_digits);
      if (bad(r)) return give_up();
      open();
      put_key(out, k.name);
      put_double(out, r);
    }
    if (!first_time) out += '}';
  }

  if (!warnings.empty()) {
    out += ",\"warnings\":[";
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
  nlohmann::json c;
  if (!detail::case_line::parse(line, c) || !c.is_object()) return reference();
  static const nlohmann::json no_id = nullptr;
  const auto id_it = c.find("id");
  const nlohmann::json& id = id_it == c.end() ? no_id : *id_it;
  // What answer_case does with the parsed case, its errors worded the same way.
  const auto error = [&](std::string_view what) {
    out += answer_text(error_to_json(id, (line_number ? "line " + std::to_string(line_number) + ": " : std::string()) +
                                             std::string(what)));
    return false;
  };
  try {
    StringStore strings;
    std::vector<std::string> warnings;
    const Job w = job_from_json(c, catalog, strings, warnings);
    const Answer a = evaluate(w, profile, profile_log_band);
    if (detail::case_line::put_answer(out, id, a, w, warnings)) return true;
  } catch (const Error& e) {  // NotModelled, UnknownId, UnsupportedModelType, InputError, ...
    return error(e.what());
  } catch (const nlohmann::json::exception& e) {
    return error("malformed value: " + strict_json::without_library_ids(e.what()));
  } catch (const std::exception& e) {
    return error(std::string("internal error: ") + e.what());
  }
  return reference();  // an answer put_answer does not write (serving figures, a bad figure)
}

}  // namespace headroom
