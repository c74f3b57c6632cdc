#pragma once
/// @file framework.hpp
/// How each training framework behaves, as documented in its code: how it shards under data
/// parallelism, whether a frozen LoRA base gets gradient buffers, whether tensor parallelism implies
/// sequence parallelism, what `selective` recomputation keeps, how the loss is computed, its default
/// precision and what pipeline parallelism does to a full shard.
///
/// Behaviour, not fitted numbers. This table mirrors data/runtimes/<name>.json, which cites every
/// value (repository, path, version); tests/io/framework_test.cpp checks that the two agree.
/// docs/memory.md explains how memory.hpp uses each field.

#include <array>
#include <string_view>

#include "headroom/job.hpp"

namespace headroom {

/// How data-parallel ranks share the model state (`zero` >= 1).
enum class Sharding {
  fsdp1_flat,        ///< PyTorch FSDP1: flat parameters per wrapped unit, gathered in the mixed-precision dtype
  fsdp2,             ///< PyTorch FSDP2 fully_shard: per-parameter shards, gathered in mp_policy.param_dtype
  zero,              ///< DeepSpeed ZeRO 1/2/3: 16-bit params (+ fp32 master partition)
  megatron_distopt,  ///< Megatron distributed optimizer: only fp32 master + Adam sharded
};

/// What `grad_checkpointing: selective` means in a framework.
enum class SelectiveMeaning {
  megatron_core_attention,  ///< recompute the attention core only (Korthikanti et al. 2022)
  torchtitan_op_policy,     ///< per-op policy: save matmul outputs (every other one) and attention outputs
  none,                     ///< no selective mode: treated as full per-layer checkpointing
};

/// Loss-path bytes per token x vocabulary entry at the peak (logits, fp32 copies, log-softmax and
/// its gradient), for the case's `loss` and `compile`.
struct LossPath {
  double standard = 12, standard_compiled = 12, chunked = 4, chunked_compiled = 2;
};

struct FrameworkProfile {
  Runtime runtime = Runtime::pytorch;
  std::string_view name;
  Sharding sharding = Sharding::fsdp2;
  bool frozen_grads = false;          ///< a frozen LoRA base gets (sharded) gradient buffers under a full shard
  bool accumulate_unsharded = false;  ///< grad_accum > 1 under a full shard keeps unsharded gradients (no_sync)
  bool root_gathered = true;          ///< embedding/head unit stays gathered from forward into backward
  bool tp_implies_sp = false;         ///< tp > 1 also splits norms/residuals by tp (sequence parallelism)
  SelectiveMeaning selective = SelectiveMeaning::megatron_core_attention;
  LossPath loss{};
  bool loss_parallel = false;         ///< logits and loss split over tp (vocab-parallel cross-entropy)
  PrecisionPolicy default_precision = PrecisionPolicy::mixed;  ///< documented default (informational)
  bool pp_full_shard_unsharded = false;  ///< pp > 1 with a full shard: stage params gathered and grads
                                         ///< unsharded until the last micro-batch
};

/// One profile per training framework; other runtimes use the generic `pytorch` profile.
inline constexpr std::array<FrameworkProfile, 8> framework_profiles{{
    {.runtime = Runtime::pytorch,
     .name = "pytorch",
     .sharding = Sharding::fsdp2,
     .frozen_grads = false,
     .accumulate_unsharded = false,
     .root_gathered = true,
     .tp_implies_sp = true,
     .selective = SelectiveMeaning::megatron_core_attention,
     .loss = {.standard = 12, .standard_compiled = 12, .chunked = 4, .chunked_compiled = 2},
     .loss_parallel = false,
     .default_precision = PrecisionPolicy::mixed,
     .pp_full_shard_unsharded = true},
    {.runtime = Runtime::hf,
     .name = "hf",
     .sharding = Sharding::fsdp1_flat,
     .frozen_grads = false,
     .accumulate_unsharded = false,
     .root_gathered = true,
     .tp_implies_sp = false,
     .selective = SelectiveMeaning::none,
     .loss = {.standard = 14, .standard_compiled = 14, .chunked = 4, .chunked_compiled = 2},
     .loss_parallel = false,
     .default_precision = PrecisionPolicy::mixed,
     .pp_full_shard_unsharded = false},
    {.runtime = Runtime::torchtune,
     .name = "torchtune",
     .sharding = Sharding::fsdp2,
     .frozen_grads = false,
     .accumulate_unsharded = false,
     .root_gathered = false,
     .tp_implies_sp = true,
     .selective = SelectiveMeaning::torchtitan_op_policy,
     .loss = {.standard = 13, .standard_compiled = 13, .chunked = 6.5, .chunked_compiled = 2.75},
     .loss_parallel = false,
     .default_precision = PrecisionPolicy::pure,
     .pp_full_shard_unsharded = false},
    {.runtime = Runtime::torchtitan,
     .name = "torchtitan",
     .sharding = Sharding::fsdp2,
     .frozen_grads = false,
     .accumulate_unsharded = false,
     .root_gathered = true,
     .tp_implies_sp = true,
     .selective = SelectiveMeaning::torchtitan_op_policy,
     .loss = {.standard = 10, .standard_compiled = 3, .chunked = 10, .chunked_compiled = 3},
     .loss_parallel = true,
     .default_precision = PrecisionPolicy::mixed,
     .pp_full_shard_unsharded = true},
    {.runtime = Runtime::litgpt,
     .name = "litgpt",
     .sharding = Sharding::fsdp1_flat,
     .frozen_grads = true,
     .accumulate_unsharded = true,
     .root_gathered = true,
     .tp_implies_sp = false,
     .selective = SelectiveMeaning::none,
     .loss = {.standard = 4, .standard_compiled = 4, .chunked = 4, .chunked_compiled = 4},
     .loss_parallel = false,
     .default_precision = PrecisionPolicy::pure,
     .pp_full_shard_unsharded = false},
    {.runtime = Runtime::deepspeed,
     .name = "deepspeed",
     .sharding = Sharding::zero,
     .frozen_grads = false,
     .accumulate_unsharded = false,
     .root_gathered = false,
     .tp_implies_sp = false,
     .selective = SelectiveMeaning::megatron_core_attention,
     .loss = {.standard = 14, .standard_compiled = 14, .chunked = 4, .chunked_compiled = 2},
     .loss_parallel = false,
     .default_precision = PrecisionPolicy::mixed,
     .pp_full_shard_unsharded = false},
    {.runtime = Runtime::megatron,
     .name = "megatron",
     .sharding = Sharding::megatron_distopt,
     .frozen_grads = false,
     .accumulate_unsharded = false,
     .root_gathered = false,
     .tp_implies_sp = true,
     .selective = SelectiveMeaning::megatron_core_attention,
     .loss = {.standard = 6, .standard_compiled = 6, .chunked = 6, .chunked_compiled = 6},
     .loss_parallel = true,
     .default_precision = PrecisionPolicy::mixed,
     .pp_full_shard_unsharded = false},
    {.runtime = Runtime::unsloth,
     .name = "unsloth",
     .sharding = Sharding::fsdp1_flat,
     .frozen_grads = false,
     .accumulate_unsharded = false,
     .root_gathered = true,
     .tp_implies_sp = false,
     .selective = SelectiveMeaning::none,
     .loss = {.standard = 2, .standard_compiled = 2, .chunked = 1, .chunked_compiled = 1},
     .loss_parallel = false,
     .default_precision = PrecisionPolicy::mixed,
     .pp_full_shard_unsharded = false},
}};

/// The profile of a runtime; inference engines and unknown frameworks get the generic `pytorch` one.
[[nodiscard]] constexpr const FrameworkProfile& framework_profile(Runtime r) noexcept {
  for (const auto& p : framework_profiles)
    if (p.runtime == r) return p;
  return framework_profiles[0];
}

/// Loss-path bytes per token x vocabulary entry for a loss kind and compile flag.
[[nodiscard]] constexpr double loss_bytes(const FrameworkProfile& f, LossKind k, bool compiled) noexcept {
  if (k == LossKind::standard) return compiled ? f.loss.standard_compiled : f.loss.standard;
  return compiled ? f.loss.chunked_compiled : f.loss.chunked;
}

}  // namespace headroom
