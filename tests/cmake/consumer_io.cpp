// Uses headroom::io, the JSON formats: the package finds nlohmann_json for it (find_dependency).
#include <headroom/io/hf_config.hpp>

#include <cstdio>
#include <nlohmann/json.hpp>

int main() {
  // The shape of Llama 3 8B, as in its Hugging Face config.json.
  const auto config = nlohmann::json::parse(R"json({
    "model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
    "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256
  })json");
  headroom::StringStore store;
  const headroom::ModelArch m = headroom::model_from_hf_config(config, store, "consumer_io");
  std::printf("headroom::io: the llama config has %lld parameters\n",
              static_cast<long long>(headroom::count_params(m).total));
  return 0;
}
