/* The C ABI (include/headroom/c/headroom.h) from a C11 program: the buffer protocol, the error codes
 * and messages, the version query. `capi_test` alone runs the checks; `capi_test FILE` writes the
 * answers of a JSON Lines file to stdout (compared with `headroom eval` by capi_eval.cmake). */
#include "headroom/c/headroom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

/* Answers `case_json` into a fresh buffer of the size the library asks for; returns the status. */
static int answer(const char* case_json, char** out) {
  size_t needed = 0;
  int st = headroom_evaluate(case_json, strlen(case_json), NULL, 0, &needed);
  CHECK(st == HEADROOM_ERR_BUFFER_TOO_SMALL);
  CHECK(needed > 1);
  *out = malloc(needed);
  size_t again = 0;
  st = headroom_evaluate(case_json, strlen(case_json), *out, needed, &again);
  CHECK(again == needed);
  CHECK(strlen(*out) + 1 == needed);
  return st;
}

static void check_version(void) {
  int major = -1, minor = -1, patch = -1;
  CHECK(sscanf(headroom_version(), "%d.%d.%d", &major, &minor, &patch) == 3);
  CHECK(headroom_version_number() == major * 10000 + minor * 100 + patch);
  CHECK(headroom_abi_version() == HEADROOM_C_ABI_VERSION);
  CHECK(strcmp(headroom_status_name(HEADROOM_OK), "HEADROOM_OK") == 0);
  CHECK(strcmp(headroom_status_name(HEADROOM_ERR_UNKNOWN_ID), "HEADROOM_ERR_UNKNOWN_ID") == 0);
  CHECK(strcmp(headroom_status_name(12345), "unknown") == 0);
}

static void check_answered(void) {
  /* Llama-3-8B has 8,030,261,248 parameters (Meta's model card); bf16 weights are 2 bytes each:
   * 16,060,522,496 B = 14.9575 GiB, the answer's breakdown_gib.weights rounded to 4 decimals. */
  char* out = NULL;
  const int st = answer("{\"id\": \"w\", \"model\": \"llama-3-8b\", \"gpu\": \"h100-sxm5-80gb\"}", &out);
  CHECK(st == HEADROOM_OK);
  CHECK(strncmp(out, "{\"id\":\"w\",", 9) == 0);
  CHECK(strstr(out, "\"ok\":true") != NULL);
  CHECK(strstr(out, "\"weights\":14.9575") != NULL);
  CHECK(strstr(out, "\"fits\":true") != NULL);
  CHECK(strchr(out, '\n') == NULL);
  CHECK(strcmp(headroom_last_error(), "") == 0);

  /* Too small by one byte: nothing written, the size asked for again. */
  size_t needed = 0;
  const size_t n = strlen(out) + 1;
  char* small = malloc(n - 1);
  memset(small, 'x', n - 1);
  const char* c = "{\"id\": \"w\", \"model\": \"llama-3-8b\", \"gpu\": \"h100-sxm5-80gb\"}";
  CHECK(headroom_evaluate(c, strlen(c), small, n - 1, &needed) == HEADROOM_ERR_BUFFER_TOO_SMALL);
  CHECK(needed == n);
  CHECK(small[0] == 'x');
  CHECK(strstr(headroom_last_error(), "bytes") != NULL);
  free(small);
  free(out);
}

/* A case that cannot be answered: its status, the error object written, the message kept. */
static void check_error(const char* case_json, int status, const char* in_message) {
  char* out = NULL;
  const int st = answer(case_json, &out);
  if (st != status) fprintf(stderr, "case %s: status %s, expected %s\n", case_json, headroom_status_name(st), headroom_status_name(status));
  CHECK(st == status);
  CHECK(strstr(out, "\"ok\":false") != NULL);
  CHECK(strstr(headroom_last_error(), in_message) != NULL);
  /* The answer's error is the message. */
  CHECK(strstr(out, in_message) != NULL);
  free(out);
}

static void check_errors(void) {
  check_error("{\"model\": \"llama-3-8b\", \"gpu\": \"rtx-4090\", \"batch\": 0}", HEADROOM_ERR_INPUT, "'batch'");
  check_error("{\"model\": \"llama-3-8b\", \"gpu\": \"rtx-4090\", \"bacth\": 2}", HEADROOM_ERR_INPUT, "did you mean");
  check_error("{not json", HEADROOM_ERR_INPUT, "not valid JSON");
  check_error("{\"model\": \"llama-3-8b\", \"gpu\": \"rtx-4091\"}", HEADROOM_ERR_UNKNOWN_ID, "unknown gpu 'rtx-4091'");
  check_error("{\"model\": {\"hf_config\": {\"model_type\": \"no-such-arch\"}}, \"gpu\": \"rtx-4090\"}",
              HEADROOM_ERR_UNSUPPORTED_MODEL, "no-such-arch");
  check_error("{\"model\": {\"hf_config\": {\"model_type\": \"llama\"}}, \"gpu\": \"rtx-4090\"}", HEADROOM_ERR_DATA,
              "model.hf_config");

  size_t needed = 7;
  CHECK(headroom_evaluate(NULL, 0, NULL, 0, &needed) == HEADROOM_ERR_ARGUMENT);
  CHECK(needed == 0);
  CHECK(headroom_evaluate("{}", 2, NULL, 0, NULL) == HEADROOM_ERR_ARGUMENT);
  CHECK(headroom_evaluate("{}", 2, NULL, 8, &needed) == HEADROOM_ERR_ARGUMENT);
}

static void check_lines(void) {
  /* Blank lines are skipped but counted; CRLF line ends are read; the first error's code is returned. */
  const char* text =
      "{\"id\": \"a\", \"model\": \"llama-3-8b\", \"gpu\": \"h100-sxm5-80gb\"}\r\n"
      "\n"
      "{\"id\": \"b\", \"model\": \"llama-3-8b\", \"gpu\": \"rtx-4091\"}\n"
      "{\"id\": \"c\", \"model\": \"llama-3-8b\", \"gpu\": \"rtx-4090\", \"batch\": -1}";
  size_t needed = 0, failed = 99;
  CHECK(headroom_evaluate_lines(text, strlen(text), NULL, 0, &needed, &failed) == HEADROOM_ERR_BUFFER_TOO_SMALL);
  char* out = malloc(needed);
  CHECK(headroom_evaluate_lines(text, strlen(text), out, needed, &needed, &failed) == HEADROOM_ERR_UNKNOWN_ID);
  CHECK(failed == 2);
  CHECK(strncmp(headroom_last_error(), "line 3: unknown gpu", 19) == 0);
  int lines = 0;
  for (const char* p = out; *p; ++p) lines += *p == '\n';
  CHECK(lines == 3);
  CHECK(strncmp(out, "{\"id\":\"a\",", 9) == 0);
  CHECK(strstr(out, "\"error\":\"line 4: 'batch'") != NULL);
  /* The single call writes the same first line. */
  char* one = NULL;
  CHECK(answer("{\"id\": \"a\", \"model\": \"llama-3-8b\", \"gpu\": \"h100-sxm5-80gb\"}", &one) == HEADROOM_OK);
  CHECK(strncmp(out, one, strlen(one)) == 0 && out[strlen(one)] == '\n');
  free(one);
  free(out);

  CHECK(headroom_evaluate_lines("", 0, NULL, 0, &needed, &failed) == HEADROOM_ERR_BUFFER_TOO_SMALL);
  CHECK(needed == 1);
}

/* Writes the answers of a JSON Lines file to stdout. */
static int eval_file(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return 2;
  size_t cap = 1 << 16, len = 0;
  char* text = malloc(cap);
  size_t got;
  while ((got = fread(text + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) text = realloc(text, cap *= 2);
  }
  fclose(f);
  size_t needed = 0;
  headroom_evaluate_lines(text, len, NULL, 0, &needed, NULL);
  char* out = malloc(needed);
  const int st = headroom_evaluate_lines(text, len, out, needed, &needed, NULL);
  fputs(out, stdout);
  free(out);
  free(text);
  return st == HEADROOM_ERR_BUFFER_TOO_SMALL || st == HEADROOM_ERR_ARGUMENT ? 1 : 0;
}

int main(int argc, char** argv) {
  if (argc == 2) return eval_file(argv[1]);
  check_version();
  check_answered();
  check_errors();
  check_lines();
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  else printf("all checks passed\n");
  return failures ? 1 : 0;
}
