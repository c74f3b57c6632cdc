# Runs the CLI and fails unless it exits with CODE and its output (stdout and stderr) matches REGEX.
#   cmake -DEXE=<headroom> -DARGS="gpu|rtx-409" -DCODE=3 -DREGEX="did you mean" -P expect_code.cmake
# (ctest's PASS_REGULAR_EXPRESSION would ignore the exit code, so both are checked here.)
string(REPLACE "|" ";" _args "${ARGS}")
execute_process(COMMAND ${EXE} ${_args} OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _code)
message("${_out}${_err}")
if(NOT _code STREQUAL CODE)
  message(FATAL_ERROR "exit code ${_code}, expected ${CODE}")
endif()
if(NOT "${_out}${_err}" MATCHES "${REGEX}")
  message(FATAL_ERROR "the output does not match: ${REGEX}")
endif()
