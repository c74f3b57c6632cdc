// headroom-gen-models: writes include/headroom/catalog/builtin_models.hpp from data/models/*.json.
//
//   headroom-gen-models <data/models directory> <output header>
//
// The output is written only when its content changes, so an up-to-date header keeps its time stamp.

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "headroom/io/hf_config.hpp"
#include "model_table.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: headroom-gen-models <data/models directory> <output header>\n";
    return 2;
  }
  try {
    headroom::StringStore store;
    const auto models = headroom::load_model_files(argv[1], store);
    std::ostringstream text;
    headroom::write_model_table(text, models);

    const std::filesystem::path out(argv[2]);
    {
      std::ifstream old(out, std::ios::binary);
      if (old && std::string(std::istreambuf_iterator<char>(old), {}) == text.str()) return 0;
    }
    if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << text.str();
    if (!file) {
      std::cerr << "headroom-gen-models: cannot write '" << out.string() << "'\n";
      return 1;
    }
    std::cout << "headroom-gen-models: wrote " << models.size() << " models to " << out.string() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "headroom-gen-models: " << e.what() << "\n";
    return 1;
  }
}
