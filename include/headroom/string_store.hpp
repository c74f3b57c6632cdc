#pragma once
/// @file string_store.hpp
/// Owns the text of records loaded at run time. GpuSpec and ModelArch hold std::string_view so the
/// built-in tables stay constexpr; records parsed from JSON point into a StringStore instead.

#include <deque>
#include <string>
#include <string_view>

namespace headroom {

class StringStore {
 public:
  /// Keeps a copy of `s` and returns a view that stays valid as long as the store lives
  /// (std::deque never moves its elements on push_back).
  std::string_view keep(std::string_view s) { return strings_.emplace_back(s); }

 private:
  std::deque<std::string> strings_;
};

}  // namespace headroom
