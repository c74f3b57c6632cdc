#pragma once
// What the C ABI (headroom_c.cpp) and the Python module (python/src/module.cpp) share: a case line
// answered exactly as `headroom eval` answers it (io/cases.hpp eval_line, the one answer writer),
// plus the kind of error of a case that was not answered, so that each binding can hand back its own
// typed error (a C error code, a Python exception class).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

#include "headroom/catalog.hpp"
#include "headroom/error.hpp"
#include "headroom/io/cases.hpp"

namespace headroom::bindings {

/// The error classes of error.hpp, as both bindings name them (docs/c-api.md, docs/python.md).
enum class ErrorKind { none, input, unknown_id, data, unsupported_model_type, not_modelled, io, internal };

/// The C++ class of an exception as an ErrorKind; a JSON library error is bad input (a value of
/// the wrong type that the parser read), anything else is internal.
[[nodiscard]] inline ErrorKind kind_of(const std::exception_ptr& p) {
  try {
    std::rethrow_exception(p);
  } catch (const InputError&) {
    return ErrorKind::input;
  } catch (const UnknownId&) {
    return ErrorKind::unknown_id;
  } catch (const UnsupportedModelType&) {
    return ErrorKind::unsupported_model_type;
  } catch (const DataError&) {
    return ErrorKind::data;
  } catch (const NotModelled&) {
    return ErrorKind::not_modelled;
  } catch (const IoError&) {
    return ErrorKind::io;
  } catch (const nlohmann::json::exception&) {
    return ErrorKind::input;
  } catch (...) {
    return ErrorKind::internal;
  }
}

/// One answer line: the text `headroom eval` writes for the case (no newline) and, when the case
/// was not answered, the kind of its error and the message of its `error` field.
struct LineAnswer {
  std::string text;
  ErrorKind kind = ErrorKind::none;
  std::string message;
};

/// Answers one case line as `headroom eval` does (`line_number` > 0 prefixes errors "line N: "); the
/// kind of an error is that of what answering it threw (answer_case_line keeps it).
[[nodiscard]] inline LineAnswer answer_line(std::string_view line, const Catalog& catalog, std::size_t line_number = 0) {
  CaseAnswer a = answer_case_line(line, catalog, line_number);
  LineAnswer out{answer_text(a.answer), ErrorKind::none, {}};
  if (!a.error) return out;
  out.kind = kind_of(a.error);
  out.message = a.answer.at("error").get<std::string>();
  return out;
}

/// Counts of a JSON Lines text answered by answer_lines.
struct LinesSummary {
  std::size_t answered = 0;
  std::size_t failed = 0;
  ErrorKind first_kind = ErrorKind::none;  ///< of the first line not answered
  std::string first_message;
};

/// Answers a JSON Lines text as `headroom eval` answers a stream (src/cli/case_stream.cpp, whose
/// line rules this repeats; a test compares the two on the validation files): one answer line, ending
/// in '\n', per non-blank line, in order; a UTF-8 byte-order mark at the start and a CR before each
/// newline are ignored; blank lines are skipped but counted in the "line N: " of error messages.
inline LinesSummary answer_lines(std::string_view text, const Catalog& catalog, std::string& out) {
  LinesSummary s;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) continue;
    LineAnswer a = answer_line(line, catalog, number);
    if (a.kind == ErrorKind::none) {
      ++s.answered;
    } else if (s.failed++ == 0) {
      s.first_kind = a.kind;
      s.first_message = std::move(a.message);
    }
    out += a.text;
    out += '\n';
  }
  return s;
}

}  // namespace headroom::bindings
