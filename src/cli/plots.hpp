#pragma once
// What the --plot options of fit, compare, perf, scale and serve share: the job in words for a chart's
// subtitle, a memory answer as a bar of svg_memory.hpp, and writing the file.

#include <string>
#include <string_view>

#include "headroom/io/svg_memory.hpp"
#include "headroom/job.hpp"
#include "headroom/result.hpp"

namespace headroom::cli {

/// The job in words: task (and method), batch, prompt/generate or sequence, GPUs and layout, weight
/// format, compute precision and runtime, e.g. "inference, batch 8, prompt 512 / generate 128, q4_k_m
/// weights, bf16 compute, llama_cpp". Reads the normalized job, so the weight format is the one answered.
std::string job_words(const Job& w);

/// The bar of one memory answer: the components (bottom up as names.hpp lists them), then the
/// allocator's cache (reserved - allocated) and the CUDA context and NCCL (device - reserved), so the
/// bar's height is the device memory that `fits` compares with what the runtime may use.
svg::MemoryBar memory_bar(const std::string& name, const MemoryResult& m);

/// A GPU (its id or name) and how many, as every plot labels them: "h100-sxm x8"; the GPU alone for one.
std::string gpus_label(std::string_view gpu, int count);

/// The verdict in a few words: "fits, 1.3 GiB to spare" or "does not fit, 5.2 GiB over".
std::string verdict_words(const MemoryResult& m);

/// Writes `text` to `path` (IoError when it cannot) and says so on stderr.
void write_plot(const std::string& path, const std::string& text, const char* command, const char* what);

}  // namespace headroom::cli
