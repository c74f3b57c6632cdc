#pragma once
/// @file catalog.hpp
/// Catalog: the GPUs and models headroom knows, looked up by id. The built-in catalog is compiled
/// in (generated from data/), so the library reads no files at run time; users may add or override
/// entries with their own records (see headroom/io/*.hpp to load them from JSON). Each GPU's
/// provenance (sources, notes) is kept beside its numbers: gpu(id) and provenance(id).

#include <algorithm>
#include <cstddef>
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
                           std::vector<ModelArch>(builtin::models.begin(), builtin::models.end()),
                           std::vector<GpuProvenance>(builtin::gpu_provenance.begin(), builtin::gpu_provenance.end())};
    return c;
  }

  Catalog() = default;
  /// `provenance` is in the order of `gpus`; empty (or short) gives the GPUs no provenance.
  Catalog(std::vector<GpuSpec> gpus, std::vector<ModelArch> models, std::vector<GpuProvenance> provenance = {})
      : gpus_(std::move(gpus)), provenance_(std::move(provenance)), models_(std::move(models)) {
    provenance_.resize(gpus_.size());
    sort();
  }

  [[nodiscard]] std::span<const GpuSpec> gpus() const noexcept { return gpus_; }
  [[nodiscard]] std::span<const ModelArch> models() const noexcept { return models_; }

  /// The GPU with this id, or else the one whose id or alias (GpuProvenance::aliases) matches `name`
  /// ignoring ASCII case, with spaces and underscores taken for hyphens ("H20", "5090", "RTX 5060 Ti");
  /// nullptr when none does.
  [[nodiscard]] const GpuSpec* find_gpu(std::string_view name) const noexcept {
    if (const auto* g = find(gpus_, name)) return g;
    for (std::size_t k = 0; k < gpus_.size(); ++k) {
      if (detail::same_name(gpus_[k].id, name)) return &gpus_[k];
      bool hit = false;
      for_each_line(provenance_[k].aliases, [&](std::string_view a) { hit = hit || detail::same_name(a, name); });
      if (hit) return &gpus_[k];
    }
    return nullptr;
  }
  /// A model by catalog id or, failing that, by Hugging Face repo: `id` may be a repo id (`Qwen/Qwen3-8B`) or a
  /// repo name (`Llama-3.3-70B-Instruct`), in any case; it is matched against the
  /// `https://huggingface.co/<org>/<name>` that starts each model's source (hf_repo()). A repo id must match the
  /// whole `<org>/<name>`, so another organisation's fine-tune of a catalog model is not taken for it.
  [[nodiscard]] const ModelArch* find_model(std::string_view id) const noexcept {
    if (const auto* m = find(models_, id)) return m;
    if (id.find('/') != std::string_view::npos) {
      for (const auto& m : models_)
        if (detail::equal_ignoring_case(hf_repo(m.source), id)) return &m;
      return nullptr;
    }
    for (const auto& m : models_)
      if (detail::equal_ignoring_case(m.id, id)) return &m;
    for (const auto& m : models_) {
      const std::string_view repo = hf_repo(m.source);
      if (!repo.empty() && detail::equal_ignoring_case(repo.substr(repo.find('/') + 1), id)) return &m;
    }
    return nullptr;
  }

  /// The `<org>/<name>` of a source that starts with `https://huggingface.co/<org>/<name>`; empty otherwise.
  [[nodiscard]] static constexpr std::string_view hf_repo(std::string_view source) noexcept {
    constexpr std::string_view hub = "https://huggingface.co/";
    if (!source.starts_with(hub)) return {};
    source.remove_prefix(hub.size());
    const auto org_end = source.find('/');
    if (org_end == 0 || org_end == std::string_view::npos) return {};
    const auto name_end = source.find_first_of("/ ,;)", org_end + 1);
    const auto repo = source.substr(0, name_end);
    return repo.size() > org_end + 1 ? repo : std::string_view{};
  }

  /// find_gpu(name), or UnknownId. Only a name that is neither an id nor an alias gets suggestions:
  /// the closest ids and aliases, each given as the id it names ("h2" suggests "h20-96gb" through its
  /// alias "h20"), so a known alias never answers with a different product.
  /// @throws UnknownId with the closest ids.
  [[nodiscard]] const GpuSpec& gpu(std::string_view name) const {
    if (const auto* g = find_gpu(name)) return *g;
    std::vector<std::string_view> names;  // every id and alias
    std::vector<std::string_view> owner;  // the id each of `names` stands for
    for (std::size_t k = 0; k < gpus_.size(); ++k) {
      names.push_back(gpus_[k].id);
      owner.push_back(gpus_[k].id);
      for_each_line(provenance_[k].aliases, [&](std::string_view a) {
        names.push_back(a);
        owner.push_back(gpus_[k].id);
      });
    }
    std::vector<std::string> ids;
    for (const std::string& near : detail::closest(name, names, names.size())) {
      const auto at = static_cast<std::size_t>(std::find(names.begin(), names.end(), near) - names.begin());
      const std::string id(owner[at]);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      if (ids.size() == 3) break;
    }
    throw UnknownId("gpu", std::string(name), std::move(ids));
  }
  /// Where the numbers of gpu(id) come from (sources, notes, the datasheet's wording).
  /// @throws UnknownId with the closest ids.
  [[nodiscard]] const GpuProvenance& provenance(std::string_view id) const {
    return provenance_[static_cast<std::size_t>(&gpu(id) - gpus_.data())];
  }
  /// @throws UnknownId with the closest ids.
  /// A model by catalog id, Hugging Face repo id or repo name (find_model()).
  /// @throws UnknownId with the closest ids (to the repo name part of a repo id), saying what else would do.
  [[nodiscard]] const ModelArch& model(std::string_view id) const {
    if (const auto* m = find_model(id)) return *m;
    const std::string_view name = id.substr(id.find('/') == std::string_view::npos ? 0 : id.rfind('/') + 1);
    throw UnknownId("model", std::string(id), detail::closest(name, ids(models_)),
                    "A model is a catalog id ('headroom models' lists them), the path to a Hugging Face "
                    "config.json file, or a Hugging Face repo id such as 'Qwen/Qwen3-8B'");
  }

  /// Adds a GPU or replaces the one with the same id (and its provenance). Its strings must outlive
  /// the catalog: keep them in strings().
  void put(const GpuSpec& g, const GpuProvenance& p = {}) {
    const auto k = static_cast<std::size_t>(slot(gpus_, g.id) - gpus_.begin());
    if (k < gpus_.size() && gpus_[k].id == g.id) {
      gpus_[k] = g;
      provenance_[k] = p;
    } else {
      gpus_.insert(gpus_.begin() + static_cast<std::ptrdiff_t>(k), g);
      provenance_.insert(provenance_.begin() + static_cast<std::ptrdiff_t>(k), p);
    }
  }
  void put(const GpuRecord& r) { put(r.spec, r.provenance); }
  void put(const ModelArch& m) {
    const auto it = slot(models_, m.id);
    if (it != models_.end() && it->id == m.id) *it = m;
    else models_.insert(it, m);
  }

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
  /// Calls f on each line of a '\n'-separated list.
  template <class F>
  static void for_each_line(std::string_view rest, F&& f) {
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      f(rest.substr(0, nl));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
  }
  /// Where the entry with this id is or would go.
  template <class T>
  static typename std::vector<T>::iterator slot(std::vector<T>& v, std::string_view id) {
    return std::lower_bound(v.begin(), v.end(), id, [](const T& a, std::string_view k) { return a.id < k; });
  }
  void sort() {
    std::vector<std::size_t> order(gpus_.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return gpus_[a].id < gpus_[b].id; });
    std::vector<GpuSpec> gpus;
    std::vector<GpuProvenance> provenance;
    gpus.reserve(order.size());
    provenance.reserve(order.size());
    for (const std::size_t k : order) {
      gpus.push_back(gpus_[k]);
      provenance.push_back(provenance_[k]);
    }
    gpus_ = std::move(gpus);
    provenance_ = std::move(provenance);
    std::sort(models_.begin(), models_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  }

  std::vector<GpuSpec> gpus_;
  std::vector<GpuProvenance> provenance_;  ///< provenance_[k] belongs to gpus_[k]
  std::vector<ModelArch> models_;
  std::shared_ptr<StringStore> strings_ = std::make_shared<StringStore>();
};

}  // namespace headroom
