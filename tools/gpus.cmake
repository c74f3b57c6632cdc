# The built-in GPU table include/headroom/catalog/builtin_gpus.hpp is generated from data/gpus/*.json
# by headroom-gen-gpus and committed, so consumers need neither the data nor the generator.
#   cmake --build <build> --target update-catalog-gpus   rewrites the committed header
#   ctest -R catalog-gpus                                 checks that it matches data/gpus

add_executable(headroom-gen-gpus ${CMAKE_CURRENT_LIST_DIR}/gen_gpus.cpp)
target_link_libraries(headroom-gen-gpus PRIVATE headroom::io headroom_warnings)

set(_hr_gpu_data ${PROJECT_SOURCE_DIR}/data/gpus)
set(_hr_gpu_header ${PROJECT_SOURCE_DIR}/include/headroom/catalog/builtin_gpus.hpp)

add_custom_target(update-catalog-gpus
  COMMAND headroom-gen-gpus ${_hr_gpu_data} ${_hr_gpu_header}
  COMMENT "Regenerating include/headroom/catalog/builtin_gpus.hpp from data/gpus"
  VERBATIM)

if(HEADROOM_BUILD_TESTS)
  # tools/ may be added before the top level calls enable_testing(); tests declared here need it.
  enable_testing()
  set(_hr_gpu_regenerated ${CMAKE_CURRENT_BINARY_DIR}/catalog/builtin_gpus.hpp)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/catalog)
  add_test(NAME catalog-gpus-regenerate COMMAND headroom-gen-gpus ${_hr_gpu_data} ${_hr_gpu_regenerated})
  set_tests_properties(catalog-gpus-regenerate PROPERTIES FIXTURES_SETUP catalog-gpus LABELS catalog)
  add_test(NAME catalog-gpus-in-sync
           COMMAND ${CMAKE_COMMAND} -E compare_files --ignore-eol ${_hr_gpu_regenerated} ${_hr_gpu_header})
  set_tests_properties(catalog-gpus-in-sync PROPERTIES FIXTURES_REQUIRED catalog-gpus LABELS catalog)
endif()
