#pragma once
/// @file io/json_file.hpp
/// Reading JSON files: one place that turns "cannot open" into IoError and a syntax error into a
/// DataError naming the file.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "headroom/error.hpp"
#include "headroom/io/strict_json.hpp"

namespace headroom {

/// IoError when `path` is a directory where a file belongs (opening one succeeds, reading fails).
inline void not_a_directory(const std::filesystem::path& path, std::string_view wanted) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw IoError("cannot read '" + path.string() + "': it is a directory; give " + std::string(wanted));
}

/// Parses one JSON file. @throws IoError when it cannot be read; DataError when it is not JSON or
/// holds a number beyond the double range (naming its field).
[[nodiscard]] inline nlohmann::json read_json_file(const std::filesystem::path& file) {
  not_a_directory(file, "a JSON file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot read '" + file.string() + "'");
  nlohmann::json j;
  try {
    j = strict_json::parse(in, file.string());
  } catch (const nlohmann::json::exception& e) {
    throw DataError(file.string(), "", "not valid JSON: " + strict_json::without_library_ids(e.what()));
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
