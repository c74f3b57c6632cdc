# `headroom calibrate` runs headroom-calibrate; headroom itself links no CUDA library (docs/calibration.md).
# The scripts check exit code and output themselves (a PASS_REGULAR_EXPRESSION would hide the exit code).
headroom_cli_test(calibrate-help "--quick.*--device.*--gpu" calibrate --help)

function(headroom_calibrate_test name code regex)
  string(JOIN "|" _args ${ARGN})
  add_test(NAME cli-${name} COMMAND ${CMAKE_COMMAND} -DEXE=${HR} "-DARGS=${_args}" -DCODE=${code} "-DREGEX=${regex}"
                                    ${_hr_alone} -P ${CMAKE_CURRENT_SOURCE_DIR}/calibrate_run.cmake)
  set_tests_properties(cli-${name} PROPERTIES LABELS "cli;cuda")
endfunction()

set(_hr_alone -DALONE=${CMAKE_CURRENT_BINARY_DIR}/headroom-alone)
headroom_calibrate_test(calibrate-without-backend 12
                        "error: calibration needs the CUDA backend: build with -DHEADROOM_CUDA=ON" calibrate --quick)
set(_hr_alone "")

if(TARGET headroom-calibrate)
  # No device visible (CUDA_VISIBLE_DEVICES empty): headroom-calibrate's own answer and exit code come back.
  headroom_calibrate_test(calibrate-no-device 12 "error: no CUDA device to measure" calibrate --quick
                          --output ${CMAKE_CURRENT_BINARY_DIR}/not-written.json)
  set_tests_properties(cli-calibrate-no-device PROPERTIES ENVIRONMENT "CUDA_VISIBLE_DEVICES=")
  set(_hr_control -DCONTROL=$<TARGET_FILE:headroom-calibrate>)
endif()
add_test(NAME cli-links-no-cuda
         COMMAND ${CMAKE_COMMAND} -DEXE=${HR} ${_hr_control} -P ${CMAKE_CURRENT_SOURCE_DIR}/no_cuda_libs.cmake)
set_tests_properties(cli-links-no-cuda PROPERTIES SKIP_REGULAR_EXPRESSION "no ldd on this machine" LABELS "cli;cuda")

# --refit: the committed H200 calibration's stored samples fitted again on the CPU (no GPU, no CUDA).
# Every GEMM eta_max printed must be a fraction of the datasheet peak (0.xxx or 1.000), never above 1.
headroom_cli_test(calibrate-refit "gemm fp32: eta_max (0\\.[0-9]+|1\\.000)\n(gemm [a-z0-9]+: eta_max (0\\.[0-9]+|1\\.000)\n)+gemm knees.*saved"
                  calibrate --refit ${PROJECT_SOURCE_DIR}/data/calibrations/h200-sxm-141gb.json
                  --output ${CMAKE_CURRENT_BINARY_DIR}/h200-refit.json)
