# The optional CUDA calibration backend: headroom::cuda, a static library of microbenchmarks
# (src/cuda/) behind plain C++ declarations (include/headroom/cuda/bench.hpp). The header-only
# core never includes a CUDA header; only targets that link headroom::cuda get
# HEADROOM_HAS_CUDA_BACKEND (an INTERFACE definition of the backend, never of headroom::headroom).
# Of the executables only headroom-calibrate (src/cli) links it: the headroom CLI runs that program for
# `headroom calibrate` and itself links no CUDA library. Installed, it is the package's `cuda` component.
#
#   HEADROOM_CUDA=AUTO  build it when CMake finds a CUDA compiler (check_language), else skip quietly
#   HEADROOM_CUDA=ON    build it; a missing CUDA compiler is a configure error
#   HEADROOM_CUDA=OFF   never build it
# The default is AUTO when headroom is the top-level project and OFF when it is vendored
# (add_subdirectory, FetchContent), so a consumer never pays for nvcc unless it asks.
#
# The architecture list is explicit (never `native`: that fails on a machine without a GPU).
if(PROJECT_IS_TOP_LEVEL)
  set(_hr_cuda_default AUTO)
else()
  set(_hr_cuda_default OFF)
endif()
set(HEADROOM_CUDA ${_hr_cuda_default} CACHE STRING "Build the CUDA calibration backend headroom::cuda (AUTO, ON, OFF)")
set_property(CACHE HEADROOM_CUDA PROPERTY STRINGS AUTO ON OFF)
set(HEADROOM_CUDA_ARCHITECTURES "80;86;89;90" CACHE STRING
    "CUDA architectures of the calibration backend (explicit list; `native` fails without a GPU)")

set(HEADROOM_HAS_CUDA_BACKEND FALSE)
string(TOUPPER "${HEADROOM_CUDA}" _hr_cuda_mode)
if(NOT _hr_cuda_mode STREQUAL "OFF")
  include(CheckLanguage)
  check_language(CUDA)
  set(_hr_cuda_found FALSE)
  if(CMAKE_CUDA_COMPILER)
    set(_hr_cuda_found TRUE)
    # A compiler named by path that is not there (a stale cache, a machine without the toolkit).
    if(IS_ABSOLUTE "${CMAKE_CUDA_COMPILER}" AND NOT EXISTS "${CMAKE_CUDA_COMPILER}")
      set(_hr_cuda_found FALSE)
    endif()
  endif()
  if(_hr_cuda_found)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES ${HEADROOM_CUDA_ARCHITECTURES})
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    add_library(headroom_cuda STATIC
      ${PROJECT_SOURCE_DIR}/src/cuda/common.cu
      ${PROJECT_SOURCE_DIR}/src/cuda/device_info.cu
      ${PROJECT_SOURCE_DIR}/src/cuda/bench_gemm.cu
      ${PROJECT_SOURCE_DIR}/src/cuda/bench_memory.cu
      ${PROJECT_SOURCE_DIR}/src/cuda/bench_transfer.cu
      ${PROJECT_SOURCE_DIR}/src/cuda/bench_nccl.cu
      ${PROJECT_SOURCE_DIR}/src/cuda/suite.cu)
    add_library(headroom::cuda ALIAS headroom_cuda)
    set_target_properties(headroom_cuda PROPERTIES EXPORT_NAME cuda POSITION_INDEPENDENT_CODE ON)
    # CMake 3.25 does not know nvcc 13's C++20 flag ("CUDA20"), so the dialect is passed by hand.
    target_compile_options(headroom_cuda PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:-std=c++20>)
    target_link_libraries(headroom_cuda PUBLIC headroom::headroom PRIVATE CUDA::cudart CUDA::cublas CUDA::cublasLt)
    target_include_directories(headroom_cuda PRIVATE ${PROJECT_SOURCE_DIR}/src/cuda)
    target_compile_definitions(headroom_cuda INTERFACE HEADROOM_HAS_CUDA_BACKEND=1)
    # NCCL is optional: the all-reduce benchmark is compiled in only when the header and library are found.
    find_path(HEADROOM_NCCL_INCLUDE_DIR nccl.h HINTS ${CUDAToolkit_INCLUDE_DIRS} ENV NCCL_HOME PATH_SUFFIXES include)
    find_library(HEADROOM_NCCL_LIBRARY nccl HINTS ${CUDAToolkit_LIBRARY_DIR} ENV NCCL_HOME PATH_SUFFIXES lib lib64)
    if(HEADROOM_NCCL_INCLUDE_DIR AND HEADROOM_NCCL_LIBRARY)
      target_include_directories(headroom_cuda PRIVATE ${HEADROOM_NCCL_INCLUDE_DIR})
      target_link_libraries(headroom_cuda PRIVATE ${HEADROOM_NCCL_LIBRARY})
      target_compile_definitions(headroom_cuda PRIVATE HEADROOM_WITH_NCCL=1)
      message(STATUS "headroom: CUDA backend with NCCL (${HEADROOM_NCCL_LIBRARY})")
    endif()
    # Host compiler warnings for the .cpp-like host code nvcc hands on; device code is left to nvcc's defaults.
    target_compile_options(headroom_cuda PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>)
    set(HEADROOM_HAS_CUDA_BACKEND TRUE)
    message(STATUS "headroom: CUDA calibration backend enabled (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, "
                   "architectures ${CMAKE_CUDA_ARCHITECTURES})")
  elseif(_hr_cuda_mode STREQUAL "ON")
    message(FATAL_ERROR "HEADROOM_CUDA=ON but no CUDA compiler was found (set CMAKE_CUDA_COMPILER or put nvcc on "
                        "PATH, or configure with -DHEADROOM_CUDA=OFF)")
  else()
    message(STATUS "headroom: no CUDA compiler found, the CUDA calibration backend is not built")
  endif()
endif()
