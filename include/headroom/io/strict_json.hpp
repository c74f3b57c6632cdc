#pragma once
/// @file io/strict_json.hpp
/// The one strict JSON reader of the formats (cases, GPU records, efficiency profiles, calibration
/// files): parsing that names the field of a number beyond the double range, an object Reader whose
/// every error names the field by its JSON path (`memory.bandwidth_gbps`, `families.ada.gemm`),
/// unknown keys with "did you mean", and the helpers that describe a value in a message.
///
/// Needs nlohmann_json (the consumer links it).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/names.hpp"
#include "headroom/string_store.hpp"

namespace headroom::strict_json {

using json = nlohmann::json;

/// "a.b": a key under a path ("" is the top).
[[nodiscard]] inline std::string join(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
}

/// A value as it appears in the input, shortened for messages.
[[nodiscard]] inline std::string shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

/// "string \"8\"", "number 2.5", "array [...]", "null": what was given.
[[nodiscard]] inline std::string described(const json& v) {
  return v.is_null() ? std::string("null") : std::string(v.type_name()) + " " + shown(v);
}

/// An exception text without the JSON library's ids ("[json.exception.parse_error.101] "), which
/// mean nothing to a user.
[[nodiscard]] inline std::string without_library_ids(std::string message) {
  for (std::size_t at; (at = message.find("[json.exception.")) != std::string::npos;) {
    const std::size_t end = message.find("] ", at);
    if (end == std::string::npos) break;
    message.erase(at, end + 2 - at);
  }
  return message;
}

/// The kinds of record the formats read, told apart by their markers, so that a file given where
/// another kind belongs says what it is.
enum class RecordKind { unknown, gpu, hf_config, profile, calibration };

/// "a GPU record", "a Hugging Face config.json", ...
[[nodiscard]] inline std::string_view kind_name(RecordKind k) {
  switch (k) {
    case RecordKind::gpu: return "a GPU record";
    case RecordKind::hf_config: return "a Hugging Face config.json";
    case RecordKind::profile: return "an efficiency profile";
    case RecordKind::calibration: return "a calibration file";
    case RecordKind::unknown: break;
  }
  return "a record of unknown kind";
}

/// The kind by its marker: `kind: "headroom-calibration"` (calibration), `dense_tflops` (GPU),
/// `model_type` (Hugging Face config), `families` or `runtimes` (efficiency profile).
[[nodiscard]] inline RecordKind record_kind(const json& j) {
  if (!j.is_object()) return RecordKind::unknown;
  if (const auto k = j.find("kind"); k != j.end() && *k == "headroom-calibration") return RecordKind::calibration;
  if (j.contains("dense_tflops")) return RecordKind::gpu;
  if (j.contains("model_type")) return RecordKind::hf_config;
  if (j.contains("families") || j.contains("runtimes")) return RecordKind::profile;
  return RecordKind::unknown;
}

/// Throws DataError(where) "this is a GPU record, not an efficiency profile" when `j` carries the
/// marker of another kind than `want`; `hint` follows (e.g. "; give it to --data").
inline void expect_kind(const json& j, RecordKind want, std::string_view where, std::string_view hint = {}) {
  const RecordKind is = record_kind(j);
  if (is == RecordKind::unknown || is == want) return;
  throw DataError(std::string(where), "",
                  "this is " + std::string(kind_name(is)) + ", not " + std::string(kind_name(want)) + std::string(hint));
}

/// 'a', 'b' or 'c'.
[[nodiscard]] inline std::string quoted_list(const std::vector<std::string>& s, std::string_view last_sep) {
  std::string m;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i) m += i + 1 == s.size() ? std::string(last_sep) : std::string(", ");
    m += "'" + s[i] + "'";
  }
  return m;
}

/// The closest candidates (detail::closest); failing those, the candidates that share a long
/// prefix with the query ("flash_attn" -> "flash_attention").
template <class Range>
[[nodiscard]] std::vector<std::string> suggest(std::string_view query, const Range& candidates) {
  auto out = detail::closest(query, candidates);
  if (!out.empty() || query.size() < 4) return out;
  const std::size_t need = std::max<std::size_t>(4, (query.size() * 2 + 2) / 3);
  for (const auto& cand : candidates) {
    const std::string_view c(cand);
    std::size_t common = 0;
    while (common < c.size() && common < query.size() && c[common] == query[common]) ++common;
    if (common >= need && out.size() < 3) out.emplace_back(c);
  }
  return out;
}

/// "; did you mean 'x' or 'y'?" or "".
[[nodiscard]] inline std::string did_you_mean(const std::vector<std::string>& s) {
  return s.empty() ? std::string() : "; did you mean " + quoted_list(s, " or ") + "?";
}

/// The first key of `obj` that is not in `allowed`, or nullptr.
template <class Range>
[[nodiscard]] const std::string* unknown_key(const json& obj, const Range& allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (std::find(std::begin(allowed), std::end(allowed), it.key()) == std::end(allowed)) return &it.key();
  return nullptr;
}

/// Thrown by PathTracker's callback at the second occurrence of a key in one object; parse() turns
/// it into InputError / DataError naming the key's path.
struct DuplicateKey {
  std::string path;
};

/// The deepest nesting of objects and arrays the readers accept. No format nests deeper than 6
/// (a calibration's fit.memory.copy.residuals.log_ratio); the library's writer recurses once per
/// level, so a line of 100,000 '[' would overflow the stack when a message shows the value.
inline constexpr int max_depth = 64;

/// The key path of the value being parsed, kept by a parser callback: a number beyond the double
/// range (1e400) stops the parser with nlohmann's out_of_range before any value reaches the reader,
/// nesting beyond max_depth stops it with TooDeep.
/// It also keeps the keys of each open object: nlohmann keeps the last of two equal keys silently,
/// so a repeated key is reported here (DuplicateKey) before it can hide the first value.
class PathTracker {
 public:
  struct TooDeep {};

  [[nodiscard]] nlohmann::json::parser_callback_t callback() {
    return [this](int depth, json::parse_event_t event, json& parsed) {
      const auto d = static_cast<std::size_t>(std::max(depth, 0));
      if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
          depth >= max_depth)
        throw TooDeep{};
      if (event == json::parse_event_t::object_start) {
        open_.emplace_back();
      } else if (event == json::parse_event_t::key) {
        keys_.resize(d > 0 ? d - 1 : 0);
        keys_.push_back(parsed.get<std::string>());
        if (!open_.empty()) {
          auto& seen = open_.back();
          if (std::find(seen.begin(), seen.end(), keys_.back()) != seen.end()) throw DuplicateKey{path()};
          seen.push_back(keys_.back());
        }
      } else if (event == json::parse_event_t::object_end || event == json::parse_event_t::array_end) {
        if (event == json::parse_event_t::object_end && !open_.empty()) open_.pop_back();
        keys_.resize(std::min(keys_.size(), d));
      }
      return true;
    };
  }
  [[nodiscard]] std::string path() const {
    std::string p;
    for (const auto& k : keys_)
      if (!k.empty()) p = join(p, k);
    return p;
  }

 private:
  std::vector<std::string> keys_;
  std::vector<std::vector<std::string>> open_;  ///< keys seen in each open object, innermost last
};

/// "number 1e400 is beyond the range of a double (about 1.8e308)" from nlohmann's out_of_range.406.
[[nodiscard]] inline std::string overflow_text(const json::out_of_range& e) {
  const std::string what = e.what();
  const auto open = what.find('\'');
  const auto close = open == std::string::npos ? std::string::npos : what.find('\'', open + 1);
  const std::string literal = close == std::string::npos ? "" : " " + what.substr(open + 1, close - open - 1);
  return "number" + literal + " is beyond the range of a double (about 1.8e308)";
}

/// Parses JSON text. Syntax errors throw nlohmann's parse_error as they are (callers word them);
/// a key repeated in one object throws InputError / DataError naming it;
/// a number beyond the double range, or nesting deeper than max_depth, throws InputError naming its
/// field, or DataError(where, field) when `where` (a file, a record) is given.
template <class Input>
[[nodiscard]] json parse(Input&& input, std::string_view where = {}) {
  PathTracker tracker;
  try {
    return json::parse(std::forward<Input>(input), tracker.callback());
  } catch (const json::out_of_range& e) {
    const std::string field = tracker.path().empty() ? std::string("(top)") : tracker.path();
    if (where.empty()) throw InputError(field, overflow_text(e));
    throw DataError(std::string(where), field, overflow_text(e));
  } catch (const DuplicateKey& d) {
    const std::string what = "the key appears twice in one object; keep one (JSON readers differ on which one wins)";
    if (where.empty()) throw InputError(d.path, what);
    throw DataError(std::string(where), d.path, what);
  } catch (const PathTracker::TooDeep&) {
    const std::string field = tracker.path().empty() ? std::string("(top)") : tracker.path();
    const std::string what = "objects and arrays nested deeper than " + std::to_string(max_depth) +
                             " levels (no headroom format nests more than 6)";
    if (where.empty()) throw InputError(field, what);
    throw DataError(std::string(where), field, what);
  }
}

/// `v` is a whole number that T holds (a float such as 8.0 counts).
template <class T>
[[nodiscard]] bool in_range(const json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    return i >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
           (i < 0 || static_cast<std::uint64_t>(i) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max()));
  }
  if (v.is_number_float()) {
    // 2^63 and -2^63 are exact doubles; the limits of a narrower T convert exactly too.
    const double d = v.get<double>();
    const double lo = static_cast<double>(std::numeric_limits<T>::min());
    const double hi = static_cast<double>(std::numeric_limits<T>::max());
    return d == std::floor(d) && d >= lo && (std::numeric_limits<T>::digits < 53 ? d <= hi : d < hi);
  }
  return true;  // not a number: get<T>() reports the wrong type
}

/// `obj[key]` as T (a bool, number, string or a vector of them): a missing key or a value nlohmann
/// cannot convert is a DataError(where, "path.key") that shows the value.
template <class T>
[[nodiscard]] T read(const json& obj, std::string_view key, std::string_view where, std::string_view path) {
  if (!obj.is_object())
    throw DataError(std::string(where), std::string(path), std::string("expected an object, got ") + obj.type_name());
  const auto it = obj.find(key);
  if (it == obj.end()) throw DataError(std::string(where), join(path, key), "missing required key");
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // nlohmann converts with a plain cast: 1e300 to int is undefined behaviour, 2^32 + 1 wraps to 1.
    if (!in_range<T>(*it))
      throw DataError(std::string(where), join(path, key),
                      "expected a whole number from " + std::to_string(std::numeric_limits<T>::min()) + " to " +
                          std::to_string(std::numeric_limits<T>::max()) + ", got " + described(*it));
  }
  try {
    return it->template get<T>();
  } catch (const json::exception&) {
    throw DataError(std::string(where), join(path, key), "has the wrong type: " + described(*it));
  }
}

/// Reads one JSON object of a file or record: every accessor names the field by its dotted path
/// from the record's top, every error is a DataError(where, path, what).
class Reader {
 public:
  Reader(const json& object, std::string_view where, std::string path)
      : j_(object), where_(where), path_(std::move(path)) {
    if (!j_.is_object()) fail(path_, std::string("expected an object, got ") + j_.type_name());
  }

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw DataError(std::string(where_), field, message);
  }
  [[nodiscard]] std::string field(std::string_view key) const { return join(path_, key); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const json& value() const noexcept { return j_; }

  /// Rejects every key not in `keys`, suggesting the closest; at the top, a key of `misplaced`
  /// (key, where it belongs) says where it belongs.
  template <class Range>
  void only(const Range& keys, std::span<const std::pair<std::string_view, std::string_view>> misplaced = {}) const {
    const std::string* key = unknown_key(j_, keys);
    if (key == nullptr) return;
    std::string message = "unknown key";
    const auto suggestions = detail::closest(*key, keys, 1);
    if (!suggestions.empty()) {
      message += "; did you mean '" + suggestions.front() + "'?";
    } else {
      for (const auto& [name, home] : misplaced)
        if (name == *key) message += "; it belongs at '" + std::string(home) + "'";
    }
    fail(field(*key), message);
  }

  /// The member, or nullptr when absent; throws when absent and `required`.
  [[nodiscard]] const json* get(std::string_view key, bool required) const {
    const auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) fail(field(key), "missing required key");
      return nullptr;
    }
    return &*it;
  }

  /// A number; absent or null gives 0 (unless required / not nullable). Never negative.
  [[nodiscard]] double number(std::string_view key, bool required = false, bool nullable = true) const {
    const json* v = get(key, required);
    if (v == nullptr) return 0;
    if (v->is_null()) {
      if (!nullable) fail(field(key), "expected a number, got null");
      return 0;
    }
    if (!v->is_number()) fail(field(key), std::string("expected a number, got ") + v->type_name());
    const double d = v->get<double>();
    if (d < 0) fail(field(key), "must not be negative");
    return d;
  }
  /// A number that must be present and greater than 0.
  [[nodiscard]] double positive(std::string_view key) const {
    const double d = number(key, true, false);
    if (!(d > 0)) fail(field(key), "must be greater than 0");
    return d;
  }

  /// A non-negative integer that fits an int; absent or null gives 0 (unless required / not nullable).
  [[nodiscard]] int integer(std::string_view key, bool required = false, bool nullable = true) const {
    const json* v = get(key, required);
    if (v == nullptr) return 0;
    if (v->is_null()) {
      if (!nullable) fail(field(key), "expected an integer, got null");
      return 0;
    }
    if (!v->is_number_integer())
      fail(field(key), std::string("expected an integer, got ") + (v->is_number() ? "a fractional number" : v->type_name()));
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
      fail(field(key), "is too large");
    const auto i = v->get<std::int64_t>();
    if (i < 0) fail(field(key), "must not be negative");
    if (i > std::numeric_limits<int>::max()) fail(field(key), "is too large");
    return static_cast<int>(i);
  }

  [[nodiscard]] std::string_view text(std::string_view key, StringStore& store, bool required = false,
                                      bool nullable = true) const {
    const json* v = get(key, required);
    if (v == nullptr) return {};
    if (v->is_null()) {
      if (!nullable) fail(field(key), "expected a string, got null");
      return {};
    }
    if (!v->is_string()) fail(field(key), std::string("expected a string, got ") + v->type_name());
    return store.keep(v->get_ref<const std::string&>());
  }

  /// true or false; absent gives false unless `required`.
  [[nodiscard]] bool boolean(std::string_view key, bool required = false) const {
    const json* v = get(key, required);
    if (v == nullptr) return false;
    if (!v->is_boolean()) fail(field(key), std::string("expected true or false, got ") + v->type_name());
    return v->get<bool>();
  }

  /// A nested object: nullptr when absent or null (unless required).
  [[nodiscard]] const json* object(std::string_view key, bool required = false, bool nullable = true) const {
    const json* v = get(key, required);
    if (v == nullptr) return nullptr;
    if (v->is_null()) {
      if (!nullable) fail(field(key), "expected an object, got null");
      return nullptr;
    }
    if (!v->is_object()) fail(field(key), std::string("expected an object, got ") + v->type_name());
    return v;
  }

  /// A required nested object, as a Reader one level down.
  [[nodiscard]] Reader child(std::string_view key) const {
    return Reader(*object(key, true, false), where_, field(key));
  }

  /// A spelling of names.hpp (required); an unknown value names the closest one.
  template <names::Named E>
  [[nodiscard]] E choice(std::string_view key) const {
    const json* v = get(key, true);
    if (!v->is_string()) fail(field(key), std::string("expected a string, got ") + v->type_name());
    const std::string& s = v->get_ref<const std::string&>();
    if (const auto e = names::value<E>(s)) return *e;
    std::string message = "'" + s + "' is not one of " + names::list<E>();
    const auto suggestions = detail::closest(s, names::spellings<E>(), 1);
    if (!suggestions.empty()) message += "; did you mean '" + suggestions.front() + "'?";
    fail(field(key), message);
  }

 private:
  const json& j_;
  std::string_view where_;
  std::string path_;
};

}  // namespace headroom::strict_json
