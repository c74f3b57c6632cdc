# Runs `EXE ARGS`, prints its output, and fails unless it exits with CODE and the output matches REGEX.
# With ALONE (a folder): runs a copy of EXE alone there with PATH=ALONE, so no headroom-calibrate is found.
#   cmake -DEXE=<headroom> -DARGS="calibrate|--quick" -DCODE=12 -DREGEX=<regex> [-DALONE=<dir>] -P calibrate_run.cmake
string(REPLACE "|" ";" _args "${ARGS}")
set(_exe ${EXE})
set(_env "")
if(ALONE)
  file(REMOVE_RECURSE ${ALONE})
  file(COPY ${EXE} DESTINATION ${ALONE})
  get_filename_component(_name ${EXE} NAME)
  set(_exe ${ALONE}/${_name})
  set(_env PATH=${ALONE})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env ${_env} ${_exe} ${_args}
                OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _code)
message("${_out}${_err}")
if(NOT _code EQUAL CODE)
  message(FATAL_ERROR "exit code ${_code}, expected ${CODE}")
endif()
if(NOT "${_out}${_err}" MATCHES "${REGEX}")
  message(FATAL_ERROR "the output does not match '${REGEX}'")
endif()
