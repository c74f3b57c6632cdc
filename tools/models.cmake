# The built-in model catalog: include/headroom/catalog/builtin_models.hpp is generated from
# data/models/*.json (Hugging Face config.json files) by headroom-gen-models and committed.
#   cmake --build <build> --target update-catalog-models   rewrites the committed header
#   ctest -R catalog-models-in-sync                         checks that it matches data/models
add_executable(headroom-gen-models ${CMAKE_CURRENT_LIST_DIR}/gen_models.cpp)
target_link_libraries(headroom-gen-models PRIVATE headroom::io headroom_warnings)

set(_hr_models_data ${PROJECT_SOURCE_DIR}/data/models)
set(_hr_models_header ${PROJECT_SOURCE_DIR}/include/headroom/catalog/builtin_models.hpp)

add_custom_target(update-catalog-models
  COMMAND headroom-gen-models ${_hr_models_data} ${_hr_models_header}
  COMMENT "Regenerating include/headroom/catalog/builtin_models.hpp from data/models"
  VERBATIM)

if(HEADROOM_BUILD_TESTS)
  set(_hr_models_generated ${CMAKE_CURRENT_BINARY_DIR}/generated/builtin_models.hpp)
  add_test(NAME catalog-models-generate
           COMMAND headroom-gen-models ${_hr_models_data} ${_hr_models_generated})
  set_tests_properties(catalog-models-generate PROPERTIES FIXTURES_SETUP catalog_models_generated LABELS catalog)
  add_test(NAME catalog-models-in-sync
           COMMAND ${CMAKE_COMMAND} -E compare_files ${_hr_models_generated} ${_hr_models_header})
  set_tests_properties(catalog-models-in-sync PROPERTIES FIXTURES_REQUIRED catalog_models_generated LABELS catalog)
endif()
