# Runs the CLI, prints its output, and fails unless it exits with CODE.
#   cmake -DEXE=<headroom> -DARGS="gpu|rtx-409" -DCODE=3 -P expect_code.cmake
string(REPLACE "|" ";" _args "${ARGS}")
execute_process(COMMAND ${EXE} ${_args} OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _code)
message("${_out}${_err}")
if(NOT _code EQUAL CODE)
  message(FATAL_ERROR "exit code ${_code}, expected ${CODE}")
endif()
