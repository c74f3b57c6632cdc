/* headroom C ABI: the case format of docs/cases.md through a plain C interface (docs/c-api.md).
 *
 * A case goes in as JSON text (one line of `headroom eval`); its answer comes out as JSON text,
 * exactly the line `headroom eval` writes for it, in a buffer the caller owns. No C++ type crosses
 * this boundary: only char, size_t and int. Every function may be called from any thread; none
 * keeps state between calls except the thread's last error message.
 *
 * Link with -lheadroom_c (CMake: headroom::c). C99 or later; C++ callers get extern "C". */
#ifndef HEADROOM_C_HEADROOM_H
#define HEADROOM_C_HEADROOM_H

#include <stddef.h>

#if defined(_WIN32)
#if defined(HEADROOM_C_BUILDING)
#define HEADROOM_C_API __declspec(dllexport)
#else
#define HEADROOM_C_API __declspec(dllimport)
#endif
#else
#define HEADROOM_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface: changes when a function or code changes meaning. */
#define HEADROOM_C_ABI_VERSION 1

/* Return codes. A case that cannot be answered still gets an answer written: the error object
 * {"id": ..., "ok": false, "error": "..."} of `headroom eval`, and the code of its error class. */
enum headroom_status {
  HEADROOM_OK = 0,                      /* answered */
  HEADROOM_ERR_INPUT = 1,               /* bad case: not JSON, unknown field, bad value (InputError) */
  HEADROOM_ERR_UNKNOWN_ID = 2,          /* a GPU or model id not in the catalog (UnknownId) */
  HEADROOM_ERR_DATA = 3,                /* a malformed inline GPU spec or config.json (DataError) */
  HEADROOM_ERR_UNSUPPORTED_MODEL = 4,   /* a config.json model_type without a reader (UnsupportedModelType) */
  HEADROOM_ERR_NOT_MODELLED = 5,        /* parsed, but this version does not model it (NotModelled) */
  HEADROOM_ERR_INTERNAL = 6,            /* a bug or an answer outside the model's range */
  HEADROOM_ERR_BUFFER_TOO_SMALL = 7,    /* nothing written; *needed says how many bytes to give */
  HEADROOM_ERR_ARGUMENT = 8             /* a NULL pointer where text or a result was required */
};

/* The library version, "MAJOR.MINOR.PATCH" (a static string), and its number MAJOR*10000 +
 * MINOR*100 + PATCH (HEADROOM_VERSION of version.hpp). */
HEADROOM_C_API const char* headroom_version(void);
HEADROOM_C_API int headroom_version_number(void);
/* HEADROOM_C_ABI_VERSION of the library that is loaded. */
HEADROOM_C_API int headroom_abi_version(void);

/* The name of a status code ("HEADROOM_ERR_INPUT"), a static string; "unknown" for other values. */
HEADROOM_C_API const char* headroom_status_name(int status);

/* The message of the last call on this thread that did not return HEADROOM_OK (for a case: the
 * `error` of its answer), or "" after a call that did. Valid until the thread's next call. */
HEADROOM_C_API const char* headroom_last_error(void);

/* Answers one case: `case_json` holds `case_len` bytes of one JSON object (docs/cases.md). Writes
 * the answer (JSON, no newline) and a terminating NUL into `out`, and the bytes that takes, NUL
 * included, into *needed. When `out_size` < *needed, writes nothing into `out` and returns
 * HEADROOM_ERR_BUFFER_TOO_SMALL: call again with *needed bytes (the answer does not change). `out`
 * may be NULL when `out_size` is 0, to ask for the size. Returns HEADROOM_OK or the case's error
 * code (its answer, the error object, is written all the same). */
HEADROOM_C_API int headroom_evaluate(const char* case_json, size_t case_len, char* out, size_t out_size,
                                     size_t* needed);

/* Answers a JSON Lines text of cases (`len` bytes) as `headroom eval` answers a file: one answer
 * line, ending in '\n', per non-blank line, in order; the whole text NUL-terminated in `out`.
 * *needed and the buffer rule as headroom_evaluate. `failed`, when not NULL, gets the number of lines
 * not answered. Returns HEADROOM_OK when every line was answered, else the code of the first line
 * that was not (headroom_last_error gives its message, "line N: ..."). */
HEADROOM_C_API int headroom_evaluate_lines(const char* lines, size_t len, char* out, size_t out_size, size_t* needed,
                                           size_t* failed);

#ifdef __cplusplus
}
#endif

#endif /* HEADROOM_C_HEADROOM_H */
