#pragma once
/// @file tests/fuzz/fuzz_common.hpp
/// What every fuzz target shares (docs/reliability.md): the input as JSON, and the rule that a
/// typed headroom::Error is a fine outcome while anything else (another exception, a crash, a
/// broken invariant) is a finding. An invariant that does not hold aborts with its name, so that
/// libFuzzer, the sanitizers and the replay driver all report it the same way.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "headroom/io/strict_json.hpp"

namespace headroom::fuzz {

/// Aborts with `what` when `ok` is false.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

/// The input parsed as the readers parse files (io/json_file.hpp): a syntax error is nlohmann's
/// parse_error, which read_json_file words as a DataError; a number beyond the double range is
/// already a typed error from strict_json::parse. nullopt for a syntax error.
inline std::optional<nlohmann::json> parse_input(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    return strict_json::parse(text, "fuzz input");
  } catch (const nlohmann::json::parse_error&) {
    return std::nullopt;
  }
}

}  // namespace headroom::fuzz
