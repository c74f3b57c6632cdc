# Tests of `headroom eval` and `headroom validate` (docs/cases.md, docs/validation.md), included
# from tests/cli/CMakeLists.txt. Run as a script (cmake -P eval.cmake) this file is also the
# checker that the tests below call:
#   cmake -DEXE=<headroom> -DARGS="eval|--input|f.jsonl" [-DSTDIN=<file>] [-DCODE=0|any]
#         [-DEXPECT=<file of one regex per stdout line>] [-DOUTPUT_FILE=<file> -DFILE_REGEX=<regex>]
#         -P eval.cmake
if(CMAKE_SCRIPT_MODE_FILE)
  string(REPLACE "|" ";" _args "${ARGS}")
  if(NOT DEFINED CODE)
    set(CODE 0)
  endif()
  if(DEFINED STDIN)
    execute_process(COMMAND ${EXE} ${_args} INPUT_FILE ${STDIN} OUTPUT_VARIABLE _out ERROR_VARIABLE _err
                    RESULT_VARIABLE _code)
  else()
    execute_process(COMMAND ${EXE} ${_args} OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _code)
  endif()
  message("${_out}${_err}")
  if(NOT CODE STREQUAL "any" AND NOT _code EQUAL CODE)
    message(FATAL_ERROR "exit code ${_code}, expected ${CODE}")
  endif()
  if(DEFINED EXPECT)
    # ';' and square brackets are CMake list syntax: neutralise them before splitting into lines.
    string(REPLACE ";" "," _text "${_out}")
    string(REPLACE "[" "(" _text "${_text}")
    string(REPLACE "]" ")" _text "${_text}")
    string(REGEX REPLACE "\n$" "" _text "${_text}")
    string(REPLACE "\n" ";" _lines "${_text}")
    file(STRINGS ${EXPECT} _regexes REGEX "^[^#]")
    list(LENGTH _lines _n)
    list(LENGTH _regexes _want)
    if(NOT _n EQUAL _want)
      message(FATAL_ERROR "${_n} answer lines, expected ${_want}")
    endif()
    math(EXPR _last "${_n} - 1")
    foreach(_i RANGE ${_last})
      list(GET _lines ${_i} _line)
      list(GET _regexes ${_i} _re)
      if(NOT _line MATCHES "${_re}")
        math(EXPR _no "${_i} + 1")
        message(FATAL_ERROR "answer line ${_no} does not match\n  ${_re}\n  ${_line}")
      endif()
    endforeach()
  endif()
  if(DEFINED OUTPUT_FILE)
    file(READ ${OUTPUT_FILE} _file)
    if(NOT _file MATCHES "${FILE_REGEX}")
      message(FATAL_ERROR "${OUTPUT_FILE} does not match ${FILE_REGEX}")
    endif()
  endif()
  return()
endif()

set(_hr_eval_check ${CMAKE_CURRENT_LIST_FILE})
set(_hr_cases ${PROJECT_SOURCE_DIR}/tests/data/cases)
set(_hr_validation ${PROJECT_SOURCE_DIR}/tests/data/validation)

# The memory model meets its thresholds on the public corpus (median APE <= 12%, p90 <= 30%,
# fits accuracy >= 90%); exit code 11 otherwise.
add_test(NAME cli-validate-memory-check
         COMMAND $<TARGET_FILE:headroom-cli> validate --check ${_hr_validation}/public-memory.jsonl)
# The time models meet every threshold on the public time corpus (median APE, one GPU: decode
# tokens/s <= 20%, prefill <= 25%, training tokens/s and MFU <= 20%; several GPUs: decode <= 20%,
# prefill <= 25%, training tokens/s and MFU <= 25%; bus bandwidth <= 30%); exit code 11 otherwise.
add_test(NAME cli-validate-time-check
         COMMAND $<TARGET_FILE:headroom-cli> validate --check ${_hr_validation}/public-time.jsonl)
set_tests_properties(cli-validate-time-check PROPERTIES LABELS "cli;eval")
# The three public files run through validate: every case is scored, not predicted yet, or not
# answered yet with its reason (a model_type without a reader); none is an error.
add_test(NAME cli-validate-public-no-errors
         COMMAND $<TARGET_FILE:headroom-cli> validate ${_hr_validation}/public-memory.jsonl
                 ${_hr_validation}/public-time.jsonl ${_hr_validation}/public-serving.jsonl)
set_tests_properties(cli-validate-public-no-errors PROPERTIES
  PASS_REGULAR_EXPRESSION "3533 cases from .*: 3533 scored, 0 not predicted yet, 0 not answered yet .*, 0 could not be answered"
  FAIL_REGULAR_EXPRESSION "Cases that could not be answered")
# The serving model meets its thresholds on the public serving file (median APE: TPOT <= 20%,
# TTFT <= 60%; docs/serving.md "Error").
add_test(NAME cli-validate-serving-check
         COMMAND $<TARGET_FILE:headroom-cli> validate --check ${_hr_validation}/public-serving.jsonl)
# The two runs over the whole public corpus are labelled corpus: the dev preset runs them, the asan
# preset leaves them out (thousands of cases through code the fuzz and unit tests already cover).
set_tests_properties(cli-validate-serving-check PROPERTIES LABELS "cli;eval;corpus"
  PASS_REGULAR_EXPRESSION "2838 cases from .*: 2838 scored, 0 not predicted yet, 0 not answered yet")
# Missed thresholds exit with 11.
add_test(NAME cli-validate-check-fails
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli>
                 "-DARGS=validate|--check|${_hr_cases}/validation-off.jsonl" -DCODE=11 -P ${_hr_eval_check})
set_tests_properties(cli-validate-check-fails PROPERTIES PASS_REGULAR_EXPRESSION "OFF-1.*FAIL.*thresholds NOT met")
# --report writes Markdown, --json prints the report as JSON.
add_test(NAME cli-validate-report
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli>
                 "-DARGS=validate|${_hr_validation}/public-memory.jsonl|--report|${CMAKE_CURRENT_BINARY_DIR}/validate-report.md"
                 -DOUTPUT_FILE=${CMAKE_CURRENT_BINARY_DIR}/validate-report.md "-DFILE_REGEX=### By key.*\\| memory\\.per_gpu_gib +\\|.*### Thresholds"
                 -P ${_hr_eval_check})
add_test(NAME cli-validate-json COMMAND $<TARGET_FILE:headroom-cli> validate --json ${_hr_cases}/validation-off.jsonl)
set_tests_properties(cli-validate-json PROPERTIES
  PASS_REGULAR_EXPRESSION "\"check\": {\n +\"errors\": 0,.*\"passed\": false.*\"source_row\": \"OFF-1\"")
# A missing file is an I/O error (5).
add_test(NAME cli-validate-missing-file
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli> "-DARGS=validate|no/such/file.jsonl" -DCODE=5
                 -P ${_hr_eval_check})
set_tests_properties(cli-validate-missing-file PROPERTIES PASS_REGULAR_EXPRESSION "cannot read 'no/such/file.jsonl'")

# eval: one answer per non-blank line, in order; bad lines get "ok": false and the rest are answered;
# exit code 0. From --input, and from stdin.
add_test(NAME cli-eval-bad-lines
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli> "-DARGS=eval|--input|${_hr_cases}/bad-lines.jsonl"
                 -DEXPECT=${_hr_cases}/bad-lines.expect -P ${_hr_eval_check})
add_test(NAME cli-eval-stdin
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli> "-DARGS=eval" -DSTDIN=${_hr_cases}/bad-lines.jsonl
                 -DEXPECT=${_hr_cases}/bad-lines.expect -P ${_hr_eval_check})
add_test(NAME cli-eval-output-file
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli>
                 "-DARGS=eval|--input|${_hr_cases}/bad-lines.jsonl|--output|${CMAKE_CURRENT_BINARY_DIR}/eval-answers.jsonl"
                 -DOUTPUT_FILE=${CMAKE_CURRENT_BINARY_DIR}/eval-answers.jsonl
                 "-DFILE_REGEX=^{\"id\":\"ok-1\".*\"id\":\"typo\".*\"id\":\"ok-2\"[^\n]*\n$" -P ${_hr_eval_check})
# --threads 0 takes the hardware threads (this short file stays on one; the threaded path is
# cli-eval-threads-stream below and tests/cli/case_stream_test.cpp).
add_test(NAME cli-eval-threads
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli>
                 "-DARGS=eval|--threads|0|--input|${_hr_cases}/bad-lines.jsonl"
                 -DEXPECT=${_hr_cases}/bad-lines.expect -P ${_hr_eval_check})
add_test(NAME cli-eval-missing-input
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli> "-DARGS=eval|--input|no/such/cases.jsonl" -DCODE=5
                 -P ${_hr_eval_check})
set_tests_properties(cli-validate-public-no-errors PROPERTIES LABELS "cli;eval;corpus")
set_tests_properties(cli-validate-memory-check cli-validate-check-fails
                     cli-validate-report cli-validate-json cli-validate-missing-file cli-eval-bad-lines cli-eval-stdin
                     cli-eval-threads cli-eval-output-file cli-eval-missing-input PROPERTIES LABELS "cli;eval")
# eval through a pipe: each answer comes back while stdin is still open, before the next case is
# written (the stream flushes only when reading on would block); a burst is answered in order.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND NOT WIN32)
  add_test(NAME cli-eval-pipe COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/eval_pipe.py
                                      $<TARGET_FILE:headroom-cli>)
  set_tests_properties(cli-eval-pipe PROPERTIES LABELS "cli;eval" TIMEOUT 300)
  # --threads on a stream long enough for the threaded path: the same bytes as one thread.
  add_test(NAME cli-eval-threads-stream
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/eval_threads.py $<TARGET_FILE:headroom-cli>
                   ${_hr_cases} ${PROJECT_SOURCE_DIR}/tests/data/validation)
  set_tests_properties(cli-eval-threads-stream PROPERTIES LABELS "cli;eval" TIMEOUT 300)
endif()
