#pragma once
/// @file headroom.hpp
/// Umbrella header: every std-only public header. The opt-in headers that need third-party
/// libraries (headroom/io/*.hpp: nlohmann_json) are not included here.

#include "headroom/catalog.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/fit.hpp"
#include "headroom/memory.hpp"
#include "headroom/error.hpp"
#include "headroom/gpu.hpp"
#include "headroom/model.hpp"
#include "headroom/names.hpp"
#include "headroom/result.hpp"
#include "headroom/units.hpp"
#include "headroom/version.hpp"
#include "headroom/job.hpp"
