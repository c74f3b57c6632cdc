#pragma once
// Placeholder until the generator writes this file from data/gpus.
#include <array>
#include "headroom/gpu.hpp"
namespace headroom::builtin {
inline constexpr std::array<GpuSpec, 0> gpus{};
}  // namespace headroom::builtin
