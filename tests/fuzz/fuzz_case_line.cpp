/// @file tests/fuzz/fuzz_case_line.cpp
/// Fuzz target: one line of a case stream through the whole evaluation, as `headroom eval` answers
/// it (io/cases.hpp: parse, job_from_json, evaluate, answer_to_json, answer_text), with the answer's
/// invariants checked:
/// - the answer text is JSON, `ok` is true, and no value other than `id` is null (a NaN prints as null);
/// - every number is finite and non-negative, except `memory.headroom_gib` (usable - device);
/// - `memory.per_gpu_gib` is the sum of `breakdown_gib` within the 4-decimal rounding of each term,
///   `per_gpu_gib <= reserved_gib <= device_gib`, `usable_gib <= capacity_gib`, `headroom_gib` is
///   `usable_gib - device_gib` within the same rounding, and `fits` is `headroom_gib >= 0`;
/// - `time.mfu` <= 1, the interval has 0 <= low <= high;
/// - throughput under the compute roof: every token passes through every active Linear weight of the
///   blocks, 2 FLOPs per weight (a multiply and an add), so
///       tokens/s (all GPUs) <= gpus x max dense peak of the GPU (any precision) / (2 x N_linear)
///   with N_linear = block_linear - (total - active) (the routed experts a token does not use), for
///   prefill_tokens_per_s, decode_tokens_per_s and train_tokens_per_s_per_gpu x gpus. The bound is
///   loose on purpose (no attention, no head, no backward pass, the fastest precision): a model that
///   breaks it is wrong whatever its efficiencies.
/// Bad input must end in a typed headroom::Error; nlohmann exceptions escaping the reader are findings.
/// The fast answer of io/case_line.hpp (what `headroom eval` writes) must have the bytes of the
/// reference, answer_text(eval_line(...)), for every input.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "headroom/catalog.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/io/case_line.hpp"
#include "headroom/io/cases.hpp"

namespace {

using headroom::fuzz::require;
using json = nlohmann::json;

/// Every number under `v` finite and non-negative (headroom_gib may be negative), no null.
void check_numbers(const json& v, const std::string& key) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) check_numbers(it.value(), it.key());
  } else if (v.is_array()) {
    for (const auto& x : v) check_numbers(x, key);
  } else {
    require(!v.is_null(), "no null in an answer (a NaN or infinity prints as null)");
    if (v.is_number()) {
      const double d = v.get<double>();
      require(std::isfinite(d), "every number of an answer is finite");
      if (key != "headroom_gib") require(d >= 0, "every number of an answer except headroom_gib is >= 0");
    }
  }
}

double max_peak(const headroom::DensePeaks& p) {
  return std::max({p.fp64.value(), p.fp64_tensor.value(), p.fp32.value(), p.tf32.value(), p.bf16.value(),
                   p.fp16.value(), p.fp16_fp16acc.value(), p.fp8.value(), p.fp8_fp16acc.value(), p.int8.value(),
                   p.fp4.value()});
}

void check_answer(const json& answer, const headroom::Answer& a, const headroom::Job& w) {
  require(answer.is_object() && answer.at("ok") == true, "an evaluated case answers ok: true");
  for (auto it = answer.begin(); it != answer.end(); ++it)
    if (it.key() != "id") check_numbers(it.value(), it.key());

  if (answer.contains("memory")) {
    const json& m = answer.at("memory");
    const double per_gpu = m.at("per_gpu_gib").get<double>();
    double sum = 0;
    std::size_t terms = 0;
    for (const auto& x : m.at("breakdown_gib")) {
      sum += x.get<double>();
      ++terms;
    }
    const double rounding = 0.5e-4 * static_cast<double>(terms + 1) + 1e-12 * per_gpu;
    require(std::abs(sum - per_gpu) <= rounding, "breakdown_gib sums to per_gpu_gib");
    const double headroom_gib = m.at("headroom_gib").get<double>();
    const double capacity = m.at("capacity_gib").get<double>();
    const double reserved = m.at("reserved_gib").get<double>();
    const double device = m.at("device_gib").get<double>();
    const double usable = m.at("usable_gib").get<double>();
    const double tol = 1.5e-4 + 1e-12 * std::max(capacity, device);
    require(per_gpu <= reserved + tol && reserved <= device + tol, "per_gpu_gib <= reserved_gib <= device_gib");
    require(usable <= capacity + tol, "usable_gib <= capacity_gib");
    require(std::abs(usable - device - headroom_gib) <= tol, "headroom_gib = usable_gib - device_gib");
    require(m.at("fits").get<bool>() == (headroom_gib >= 0), "fits == (headroom_gib >= 0)");
  }
  if (answer.contains("time")) {
    const json& t = answer.at("time");
    if (t.contains("mfu")) require(t.at("mfu").get<double>() <= 1.0, "MFU <= 1");
  }
  if (answer.contains("interval")) {
    const json& i = answer.at("interval");
    require(i.at("low").get<double>() <= i.at("high").get<double>(), "interval low <= high");
  }

  // The compute roof, on the unrounded figures.
  if (w.model == nullptr || !a.has_time) return;
  const headroom::ParamCounts p = headroom::count_params(*w.model);
  const double linear = static_cast<double>(p.block_linear - (p.total - p.active));
  if (!(linear > 0)) return;
  const double roof = static_cast<double>(w.hardware.count) * max_peak(w.hardware.gpu->peak) / (2 * linear);
  const double slack = 1 + 1e-9;
  require(a.time.prefill_tokens_per_s <= roof * slack, "prefill tokens/s <= gpus x peak / (2 x active linear weights)");
  require(a.time.decode_tokens_per_s <= roof * slack, "decode tokens/s <= gpus x peak / (2 x active linear weights)");
  require(a.time.train_tokens_per_s_per_gpu * w.hardware.count <= roof * slack,
          "training tokens/s <= gpus x peak / (2 x active linear weights)");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace headroom;
  {
    // The fast path of `headroom eval` (io/case_line.hpp) writes the reference's bytes.
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    std::string fast;
    const bool ok = append_answer_line(fast, line, Catalog::builtin(), 1);
    const json reference = eval_line(line, Catalog::builtin(), 1);
    require(fast == answer_text(reference) && ok == reference.at("ok").get<bool>(),
            "append_answer_line writes the bytes of answer_text(eval_line(...))");
  }
  try {
    const auto c = fuzz::parse_input(data, size);
    if (!c) return 0;
    StringStore strings;
    const Job w = job_from_json(*c, Catalog::builtin(), strings);
    const Answer a = evaluate(w);
    const json id = c->contains("id") ? c->at("id") : json(nullptr);
    const std::string text = answer_text(answer_to_json(id, a, w));
    check_answer(json::parse(text), a, w);
  } catch (const Error&) {
    // Bad input: a typed error naming the field.
  }
  return 0;
}
