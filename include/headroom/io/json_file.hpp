#pragma once
/// @file io/json_file.hpp
/// Reading JSON files: one place that turns "cannot open" into IoError and a syntax error into a
/// DataError naming the file.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "headroom/error.hpp"
#include "headroom/io/strict_json.hpp"

namespace headroom {

/// Parses one JSON file. @throws IoError when it cannot be read; DataError when it is not JSON or
/// holds a number beyond the double range (naming its field).
[[nodiscard]] inline nlohmann::json read_json_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot read '" + file.string() + "'");
  nlohmann::json j;
  try {
    j = strict_json::parse(in, file.string());
  } catch (const nlohmann::json::parse_error& e) {
    throw DataError(file.string(), "", std::string("not valid JSON: ") + e.what());
  }
  if (in.bad()) throw IoError("cannot read '" + file.string() + "'");
  return j;
}

/// The `*.json` files directly inside a directory, sorted by name; or the path itself when it is a
/// file. @throws IoError when the path does not exist or the directory cannot be listed.
[[nodiscard]] inline std::vector<std::filesystem::path> json_files(const std::filesystem::path& dir_or_file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(dir_or_file, ec)) {
    for (fs::directory_iterator it(dir_or_file, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
    if (ec) throw IoError("cannot read directory '" + dir_or_file.string() + "': " + ec.message());
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(dir_or_file, ec)) {
    files.push_back(dir_or_file);
  } else {
    throw IoError("cannot read '" + dir_or_file.string() + "': no such file or directory");
  }
  return files;
}

}  // namespace headroom
