# Fails when EXE needs libcurl at load time: headroom loads it at the first download
# (src/cli/hub_http_curl.cpp), because binding libcurl's ~30 libraries at every start cost more than
# the rest of `headroom eval`'s start-up (docs/performance.md). main's binary before that change
# failed it.
#   cmake -DEXE=<headroom> -P no_curl_at_start.cmake
find_program(LDD ldd)
if(NOT LDD)
  message("no ldd on this machine: skipped")
  return()
endif()
execute_process(COMMAND ${LDD} ${EXE} OUTPUT_VARIABLE _ldd ERROR_VARIABLE _err RESULT_VARIABLE _code)
if(NOT _code EQUAL 0)
  message(FATAL_ERROR "ldd ${EXE} failed (${_code}): ${_err}")
endif()
if(_ldd MATCHES "libcurl\\.")
  message(FATAL_ERROR "${EXE} loads libcurl at start:\n${_ldd}")
endif()
message("${EXE} does not load libcurl at start")
