// What the headroom and headroom-calibrate executables share: the catalog with the --data files, and
// errors mapped to exit codes (docs/cli.md).

#include <fmt/core.h>

#include <filesystem>
#include <string>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "cli.hpp"
#include "headroom/cuda/error.hpp"
#include "headroom/io/gpu_json.hpp"
#include "headroom/io/hf_config.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/version.hpp"
#include "hub.hpp"

namespace headroom::cli {

namespace {

void load_file(Catalog& catalog, const std::filesystem::path& path) {
  const nlohmann::json j = read_json_file(path);
  // A Hugging Face config names its model_type; a GPU record has dense_tflops.
  if (j.is_object() && j.contains("model_type")) {
    auto m = model_from_hf_config(j, catalog.strings(), path.string());
    if (!j.contains("_id")) m.id = catalog.strings().keep(path.stem().string());
    catalog.put(m);
  } else if (j.is_object() && j.contains("dense_tflops")) {
    catalog.put(gpu_from_json(j, catalog.strings(), path.string()));
  } else if (const auto kind = strict_json::record_kind(j);
             kind == strict_json::RecordKind::profile || kind == strict_json::RecordKind::calibration) {
    throw DataError(path.string(), "",
                    "this is " + std::string(strict_json::kind_name(kind)) +
                        ", not a GPU record or a Hugging Face config.json; --profile reads it");
  } else {
    throw DataError(path.string(), "",
                    "neither a GPU record (needs 'dense_tflops') nor a Hugging Face config.json (needs 'model_type')");
  }
}

}  // namespace

void Context::load_data() {
  for (const auto& p : data_paths)
    for (const auto& file : json_files(p)) load_file(catalog_, file);
}

// Every error of the library and of the CUDA backend reaches report() through main's `catch (const Error&)`.
static_assert(std::is_base_of_v<Error, cuda::CudaError>);

int report(const Error& e) {
  fmt::print(stderr, "error: {}\n", strict_json::without_library_ids(e.what()));
  if (dynamic_cast<const DataError*>(&e) != nullptr) return data_error;
  if (dynamic_cast<const IoError*>(&e) != nullptr) return io_error;
  if (dynamic_cast<const HubError*>(&e) != nullptr) return network_error;
  if (dynamic_cast<const CannotMeasure*>(&e) != nullptr) return cannot_measure;
  if (dynamic_cast<const cuda::CudaError*>(&e) != nullptr) return measurement_failed;
  return bad_input;  // UnknownId, InputError and any other bad input
}

std::string internal_error_text(const std::string& what) {
  return fmt::format(
      "internal error{}{}\nThis is a bug in headroom {}, not a problem with the input. Please report it with the "
      "command line, the input files and this message.",
      what.empty() ? "" : ": ", strict_json::without_library_ids(what), version_string);
}

int report_internal() {
  std::string what;
  try {
    throw;
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  fmt::print(stderr, "error: {}\n", internal_error_text(what));
  return internal_error;
}

}  // namespace headroom::cli
