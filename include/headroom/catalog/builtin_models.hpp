#pragma once
// Placeholder until the generator writes this file from data/models.
#include <array>
#include "headroom/model.hpp"
namespace headroom::builtin {
inline constexpr std::array<ModelArch, 0> models{};
}  // namespace headroom::builtin
