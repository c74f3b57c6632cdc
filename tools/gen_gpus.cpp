// headroom-gen-gpus: writes include/headroom/catalog/builtin_gpus.hpp from data/gpus/*.json.
//
//   headroom-gen-gpus DATA_DIR OUTPUT_HEADER
//
// Run through `cmake --build <build> --target update-catalog-gpus`; the ctest catalog-gpus-in-sync
// regenerates into the build tree and compares with the committed header (docs/catalog.md).

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "headroom/io/gpu_json.hpp"
#include "gpu_table.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: headroom-gen-gpus DATA_DIR OUTPUT_HEADER\n";
    return 2;
  }
  try {
    headroom::StringStore store;
    const auto gpus = headroom::load_gpu_files(argv[1], store);
    if (gpus.empty()) {
      std::cerr << "headroom-gen-gpus: no GPU records (*.json) in '" << argv[1] << "'\n";
      return 1;
    }
    std::ostringstream text;
    headroom::write_gpu_table(text, gpus);

    // Write only when the content changes, so the header's timestamp (and every rebuild that
    // depends on it) moves only with the data.
    const std::filesystem::path out(argv[2]);
    {
      std::ifstream old(out, std::ios::binary);
      std::ostringstream current;
      current << old.rdbuf();
      if (old && current.str() == text.str()) return 0;
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << text.str();
    file.close();
    if (!file) {
      std::cerr << "headroom-gen-gpus: cannot write '" << out.string() << "'\n";
      return 1;
    }
    std::cout << "headroom-gen-gpus: wrote " << gpus.size() << " GPUs to " << out.string() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "headroom-gen-gpus: " << e.what() << "\n";
    return 1;
  }
}
