# Fails when EXE needs a CUDA library (cudart, cuBLAS, cuBLASLt, NCCL, the driver's libcuda) at load time.
# With CONTROL (an executable that does link them), first checks that the check sees them there, so
# that it can fail.
#   cmake -DEXE=<headroom> [-DCONTROL=<headroom-calibrate>] -P no_cuda_libs.cmake
find_program(LDD ldd)
if(NOT LDD)
  message("no ldd on this machine: skipped")
  return()
endif()
set(_cuda_libs "lib(cudart|cublas|cublasLt|nccl|cuda)\\.so")

function(cuda_libs_of exe out)
  execute_process(COMMAND ${LDD} ${exe} OUTPUT_VARIABLE _ldd ERROR_VARIABLE _err RESULT_VARIABLE _code)
  if(NOT _code EQUAL 0)
    message(FATAL_ERROR "ldd ${exe} failed (${_code}): ${_err}")
  endif()
  string(REGEX MATCHALL "[^\n\t ]*${_cuda_libs}[^\n\t ]*" _found "${_ldd}")
  set(${out} "${_found}" PARENT_SCOPE)
endfunction()

if(CONTROL)
  cuda_libs_of(${CONTROL} _control)
  if(NOT _control)
    message(FATAL_ERROR "the check sees no CUDA library in ${CONTROL}, which links them: the check is broken")
  endif()
  message("${CONTROL} links ${_control} (as it should)")
endif()
cuda_libs_of(${EXE} _found)
if(_found)
  message(FATAL_ERROR "${EXE} links CUDA libraries: ${_found}")
endif()
message("${EXE} links no CUDA library")
