// The C ABI of include/headroom/c/headroom.h over the case format (docs/c-api.md). Every answer is
// written by io/cases.hpp (case_answers.hpp), so it is the line `headroom eval` writes.

#include "headroom/c/headroom.h"

#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "case_answers.hpp"
#include "headroom/version.hpp"

namespace {

using headroom::bindings::ErrorKind;

thread_local std::string last_error;

int status_of(ErrorKind k) {
  switch (k) {
    case ErrorKind::none: return HEADROOM_OK;
    case ErrorKind::input: return HEADROOM_ERR_INPUT;
    case ErrorKind::unknown_id: return HEADROOM_ERR_UNKNOWN_ID;
    case ErrorKind::data: return HEADROOM_ERR_DATA;
    case ErrorKind::unsupported_model_type: return HEADROOM_ERR_UNSUPPORTED_MODEL;
    case ErrorKind::not_modelled: return HEADROOM_ERR_NOT_MODELLED;
    case ErrorKind::io: return HEADROOM_ERR_INTERNAL;  // the case format reads no files
    case ErrorKind::internal: return HEADROOM_ERR_INTERNAL;
  }
  return HEADROOM_ERR_INTERNAL;
}

int fail(int status, std::string message) {
  last_error = std::move(message);
  return status;
}

/// Copies `text` and a NUL into `out` when it fits; the status of the call otherwise.
int deliver(const std::string& text, char* out, std::size_t out_size, std::size_t* needed, int status,
            std::string message) {
  *needed = text.size() + 1;
  if (out == nullptr && out_size > 0) return fail(HEADROOM_ERR_ARGUMENT, "'out' is NULL but 'out_size' is not 0");
  if (out_size < *needed)
    return fail(HEADROOM_ERR_BUFFER_TOO_SMALL, "the answer needs " + std::to_string(*needed) + " bytes; " +
                                                   std::to_string(out_size) + " were given");
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  last_error = std::move(message);
  return status;
}

/// Runs `body`, turning an exception that escapes it (memory exhausted) into HEADROOM_ERR_INTERNAL:
/// no C++ exception crosses the boundary.
template <class F>
int guarded(F&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    return fail(HEADROOM_ERR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(HEADROOM_ERR_INTERNAL, "internal error");
  }
}

}  // namespace

extern "C" {

const char* headroom_version(void) {
  static const std::string v(headroom::version_string);
  return v.c_str();
}

int headroom_version_number(void) { return HEADROOM_VERSION; }

int headroom_abi_version(void) { return HEADROOM_C_ABI_VERSION; }

const char* headroom_status_name(int status) {
  switch (status) {
    case HEADROOM_OK: return "HEADROOM_OK";
    case HEADROOM_ERR_INPUT: return "HEADROOM_ERR_INPUT";
    case HEADROOM_ERR_UNKNOWN_ID: return "HEADROOM_ERR_UNKNOWN_ID";
    case HEADROOM_ERR_DATA: return "HEADROOM_ERR_DATA";
    case HEADROOM_ERR_UNSUPPORTED_MODEL: return "HEADROOM_ERR_UNSUPPORTED_MODEL";
    case HEADROOM_ERR_NOT_MODELLED: return "HEADROOM_ERR_NOT_MODELLED";
    case HEADROOM_ERR_INTERNAL: return "HEADROOM_ERR_INTERNAL";
    case HEADROOM_ERR_BUFFER_TOO_SMALL: return "HEADROOM_ERR_BUFFER_TOO_SMALL";
    case HEADROOM_ERR_ARGUMENT: return "HEADROOM_ERR_ARGUMENT";
    default: return "unknown";
  }
}

const char* headroom_last_error(void) { return last_error.c_str(); }

int headroom_evaluate(const char* case_json, size_t case_len, char* out, size_t out_size, size_t* needed) {
  return guarded([&] {
    if (needed == nullptr) return fail(HEADROOM_ERR_ARGUMENT, "'needed' is NULL; pass the address of a size_t");
    *needed = 0;
    if (case_json == nullptr) return fail(HEADROOM_ERR_ARGUMENT, "'case_json' is NULL; pass the text of one case");
    const auto a = headroom::bindings::answer_line(std::string_view(case_json, case_len), headroom::Catalog::builtin());
    return deliver(a.text, out, out_size, needed, status_of(a.kind), a.message);
  });
}

int headroom_evaluate_lines(const char* lines, size_t len, char* out, size_t out_size, size_t* needed,
                            size_t* failed) {
  return guarded([&] {
    if (needed == nullptr) return fail(HEADROOM_ERR_ARGUMENT, "'needed' is NULL; pass the address of a size_t");
    *needed = 0;
    if (failed != nullptr) *failed = 0;
    if (lines == nullptr && len > 0) return fail(HEADROOM_ERR_ARGUMENT, "'lines' is NULL; pass JSON Lines text");
    std::string text;
    const auto s = headroom::bindings::answer_lines(std::string_view(lines == nullptr ? "" : lines, len),
                                                    headroom::Catalog::builtin(), text);
    if (failed != nullptr) *failed = s.failed;
    return deliver(text, out, out_size, needed, status_of(s.first_kind), s.first_message);
  });
}

}  // extern "C"
