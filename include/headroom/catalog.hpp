#pragma once
/// @file catalog.hpp
/// Catalog: the GPUs and models headroom knows, looked up by id. The built-in catalog is compiled
/// in (generated from data/), so the library reads no files at run time; users may add or override
/// entries with their own records (see headroom/io/*.hpp to load them from JSON).

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/gpu.hpp"
#include "headroom/model.hpp"
#include "headroom/string_store.hpp"

namespace headroom {

class Catalog {
 public:
  /// The built-in catalog (from data/gpus and data/models at build time).
  [[nodiscard]] static const Catalog& builtin() {
    static const Catalog c{std::vector<GpuSpec>(builtin::gpus.begin(), builtin::gpus.end()),
                           std::vector<ModelArch>(builtin::models.begin(), builtin::models.end())};
    return c;
  }

  Catalog() = default;
  Catalog(std::vector<GpuSpec> gpus, std::vector<ModelArch> models) : gpus_(std::move(gpus)), models_(std::move(models)) {
    sort();
  }

  [[nodiscard]] std::span<const GpuSpec> gpus() const noexcept { return gpus_; }
  [[nodiscard]] std::span<const ModelArch> models() const noexcept { return models_; }

  /// nullptr when absent.
  [[nodiscard]] const GpuSpec* find_gpu(std::string_view id) const noexcept { return find(gpus_, id); }
  [[nodiscard]] const ModelArch* find_model(std::string_view id) const noexcept { return find(models_, id); }

  /// @throws UnknownId with the closest ids.
  [[nodiscard]] const GpuSpec& gpu(std::string_view id) const {
    if (const auto* g = find_gpu(id)) return *g;
    throw UnknownId("gpu", std::string(id), detail::closest(id, ids(gpus_)));
  }
  /// @throws UnknownId with the closest ids.
  [[nodiscard]] const ModelArch& model(std::string_view id) const {
    if (const auto* m = find_model(id)) return *m;
    throw UnknownId("model", std::string(id), detail::closest(id, ids(models_)));
  }

  /// Adds a GPU or replaces the one with the same id. Its strings must outlive the catalog:
  /// keep them in strings().
  void put(const GpuSpec& g) { put_into(gpus_, g); }
  void put(const ModelArch& m) { put_into(models_, m); }

  /// Storage for the text of records loaded at run time.
  [[nodiscard]] StringStore& strings() { return *strings_; }

 private:
  template <class T>
  static const T* find(const std::vector<T>& v, std::string_view id) noexcept {
    const auto it = std::lower_bound(v.begin(), v.end(), id, [](const T& x, std::string_view k) { return x.id < k; });
    return it != v.end() && it->id == id ? &*it : nullptr;
  }
  template <class T>
  static std::vector<std::string_view> ids(const std::vector<T>& v) {
    std::vector<std::string_view> out;
    out.reserve(v.size());
    for (const auto& x : v) out.push_back(x.id);
    return out;
  }
  template <class T>
  void put_into(std::vector<T>& v, const T& x) {
    const auto it = std::lower_bound(v.begin(), v.end(), x.id, [](const T& a, std::string_view k) { return a.id < k; });
    if (it != v.end() && it->id == x.id) *it = x;
    else v.insert(it, x);
  }
  void sort() {
    std::sort(gpus_.begin(), gpus_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::sort(models_.begin(), models_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  }

  std::vector<GpuSpec> gpus_;
  std::vector<ModelArch> models_;
  std::shared_ptr<StringStore> strings_ = std::make_shared<StringStore>();
};

}  // namespace headroom
