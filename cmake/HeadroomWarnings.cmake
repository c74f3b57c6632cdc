# Warning flags for our own targets (tests, examples, CLI). Never put on the exported target.
add_library(headroom_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(headroom_warnings INTERFACE -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion
                                                     -Wshadow)
  if(HEADROOM_WARNINGS_AS_ERRORS)
    target_compile_options(headroom_warnings INTERFACE -Werror)
  endif()
endif()
