#pragma once
/// @file string_store.hpp
/// Owns the text of records loaded at run time. GpuSpec and ModelArch hold std::string_view so the
/// built-in tables stay constexpr; records parsed from JSON point into a StringStore instead, and a
/// Job refers to a parsed record that the store keeps.

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace headroom {

class StringStore {
 public:
  /// Keeps a copy of `s` and returns a view that stays valid as long as the store lives
  /// (std::deque never moves its elements on push_back).
  std::string_view keep(std::string_view s) { return strings_.emplace_back(s); }

  /// Keeps a record (a GpuSpec or ModelArch parsed from JSON) as long as the store lives.
  template <class T>
  const T& keep_record(T record) {
    auto p = std::make_shared<const T>(std::move(record));
    const T& kept = *p;
    records_.push_back(std::move(p));
    return kept;
  }

 private:
  std::deque<std::string> strings_;
  std::deque<std::shared_ptr<const void>> records_;
};

}  // namespace headroom
