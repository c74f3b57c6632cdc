#pragma once
/// @file version.hpp
/// The single source of the library version; CMake reads the three macros below.

#define HEADROOM_VERSION_MAJOR 0
#define HEADROOM_VERSION_MINOR 1
#define HEADROOM_VERSION_PATCH 0
#define HEADROOM_VERSION (HEADROOM_VERSION_MAJOR * 10000 + HEADROOM_VERSION_MINOR * 100 + HEADROOM_VERSION_PATCH)

#include <string_view>

namespace headroom {
inline constexpr std::string_view version_string = "0.1.0";
}  // namespace headroom
