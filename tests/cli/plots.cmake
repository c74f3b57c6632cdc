# The --plot charts (docs/cli.md "Plots"): structure, hand-arithmetic sizes and label boxes that never
# overlap (plots_check.py); then each README plot command rendered to PNG (tools/render_plots.sh), which
# must succeed where rsvg-convert (Debian: librsvg2-bin, tools/install-deps.sh) is installed.
if(Python3_Interpreter_FOUND)
  add_test(NAME cli-plots-structure
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/plots_check.py $<TARGET_FILE:headroom-cli>
                   ${CMAKE_CURRENT_BINARY_DIR} ${PROJECT_SOURCE_DIR}/tests/data/hf_configs)
  set_tests_properties(cli-plots-structure PROPERTIES LABELS cli)
endif()
find_program(HEADROOM_RSVG_CONVERT rsvg-convert)
if(HEADROOM_RSVG_CONVERT)
  add_test(NAME cli-plots-render
           COMMAND ${PROJECT_SOURCE_DIR}/tools/render_plots.sh $<TARGET_FILE:headroom-cli>
                   ${CMAKE_CURRENT_BINARY_DIR}/plots-render ${PROJECT_SOURCE_DIR}/README.md)
  set_tests_properties(cli-plots-render PROPERTIES LABELS cli)
else()
  message(STATUS "headroom: rsvg-convert not found (Debian: librsvg2-bin), so the README plots are not rendered by the tests")
endif()
