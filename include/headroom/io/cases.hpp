#pragma once
/// @file io/cases.hpp
/// The JSON Lines case format of docs/cases.md: one case object -> Job, one Answer -> one
/// answer object, one line -> its answer. The stream runner of `headroom eval` is in the CLI
/// (src/cli/case_stream.hpp).
///
/// The parser is strict: an unknown field, a value of the wrong type, an integer out of range or an
/// enum spelling that is not in the spec is an InputError (or UnknownId for catalog ids) that names
/// the field, the value and what is allowed, with "did you mean" where a close match exists. A typo
/// never falls back to a default.
///
/// Needs nlohmann_json (the consumer links it).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <span>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/checks.hpp"
#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/fit.hpp"
#include "headroom/gpu.hpp"
#include "headroom/io/gpu_json.hpp"
#include "headroom/io/hf_config.hpp"
#include "headroom/job.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/model.hpp"
#include "headroom/names.hpp"
#include "headroom/result.hpp"
#include "headroom/string_store.hpp"
#include "headroom/units.hpp"

namespace headroom {

/// The fields and ranges of the case format (docs/cases.md); the enum spellings are in names.hpp.
namespace cases {

/// The fields of a case, in the order of docs/cases.md.
inline constexpr std::array<std::string_view, 39> fields{
    "id", "gpu", "gpus", "gpus_per_node", "interconnect", "network", "model", "task", "method", "weights",
    "compute", "lora_rank", "lora_targets", "optimizer", "precision", "loss", "optimizer_in_backward",
    "activation_offload", "compile", "offload", "batch", "grad_accum", "seq", "grad_checkpointing",
    "flash_attention", "parallel", "prompt", "generate", "kv_cache", "runtime", "collective", "bytes", "solve",
    "concurrency", "request_rate", "prefix_cache_hit", "chunked_prefill", "kv_memory_fraction", "slo"};

/// The fields of the `parallel` object.
inline constexpr std::array<std::string_view, 7> parallel_fields{"dp", "tp", "pp", "cp", "ep", "zero", "vpp"};

/// Fields that only one task reads (docs/cases.md "Checks"): given for another task they are
/// ignored with a warning. Fields not listed here apply to every task that has a model; a collective
/// reads only the hardware fields, `parallel`, `collective` and `bytes`.
inline constexpr std::array<std::string_view, 12> training_fields{
    "method", "lora_rank", "lora_targets", "optimizer", "precision", "loss", "optimizer_in_backward",
    "activation_offload", "offload", "grad_accum", "seq", "grad_checkpointing"};
inline constexpr std::array<std::string_view, 3> inference_fields{"prompt", "generate", "kv_cache"};  ///< inference and serving
inline constexpr std::array<std::string_view, 8> collective_fields{
    "id", "gpu", "gpus", "gpus_per_node", "interconnect", "network", "task", "parallel"};

/// The fields of the serving `slo` object and the percentiles it may name.
inline constexpr std::array<std::string_view, 3> slo_fields{"ttft_s", "tpot_s", "percentile"};
inline constexpr std::array<int, 3> slo_percentiles{50, 90, 99};

/// The fields only a serving case takes (kv_memory_fraction is also an inference field).
inline constexpr std::array<std::string_view, 5> serving_fields{"concurrency", "request_rate", "prefix_cache_hit",
                                                                "chunked_prefill", "slo"};

/// Integer ranges accepted from a case (inclusive). The upper bounds only keep products of sizes
/// far from overflow; they are far beyond any real job.
inline constexpr std::int64_t max_gpus = std::int64_t{1} << 24;
inline constexpr std::int64_t max_tokens = std::int64_t{1} << 30;  ///< seq, prompt, generate
inline constexpr std::int64_t max_batch = std::int64_t{1} << 24;   ///< batch, grad_accum
inline constexpr std::int64_t max_lora_rank = std::int64_t{1} << 16;
/// `bytes` of a collective: 2^60 (1 EiB). Beyond about 1e308 / 2 the ring's 2(n-1)/n bytes per GPU
/// overflow a double and busbw becomes NaN.
inline constexpr double max_bytes = 1152921504606846976.0;
inline constexpr std::int64_t max_concurrency = std::int64_t{1} << 24;

/// The indices of `fields` in the order of their spellings (the order of a nlohmann object's keys).
inline constexpr std::array<std::size_t, fields.size()> fields_by_name = [] {
  std::array<std::size_t, fields.size()> o{};
  for (std::size_t i = 0; i < o.size(); ++i) {  // insertion sort: constexpr in every standard library
    std::size_t j = i;
    for (; j > 0 && fields[i] < fields[o[j - 1]]; --j) o[j] = o[j - 1];
    o[j] = i;
  }
  return o;
}();

/// The index of `name` in `fields`, fields.size() when it is not a field (a binary search of
/// fields_by_name: the case-line reader looks every key of a line up here).
[[nodiscard]] constexpr std::size_t field_index(std::string_view name) {
  const auto it = std::lower_bound(fields_by_name.begin(), fields_by_name.end(), name,
                                   [](std::size_t i, std::string_view k) { return fields[i] < k; });
  return it != fields_by_name.end() && fields[*it] == name ? *it : fields.size();
}

/// A field of a case: its spelling and its index in `fields`. From a string literal the index is
/// found at compile time (a name that is not a field does not compile).
struct Field {
  std::string_view name;
  std::size_t index;
  constexpr Field() : index(fields.size()) {}
  consteval Field(const char* n) : name(n), index(field_index(n)) {  // NOLINT: implicit from a literal
    if (index == fields.size()) throw "not a field of cases::fields";
  }
  constexpr Field(std::string_view n, std::size_t i) : name(n), index(i) {}
};

/// `names` as Fields.
template <std::size_t N>
[[nodiscard]] constexpr std::array<Field, N> fields_of(const std::array<std::string_view, N>& names) {
  std::array<Field, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    out[i] = Field(names[i], field_index(names[i]));
    if (out[i].index == fields.size()) throw "not a field of cases::fields";  // a compile error in a constant
  }
  return out;
}

}  // namespace cases

namespace detail::case_parse {

using json = nlohmann::json;

// The message helpers of the one strict reader (io/strict_json.hpp).
using strict_json::described;
using strict_json::did_you_mean;
using strict_json::shown;
using strict_json::suggest;

inline std::string joined(const std::vector<std::string_view>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::string(v[i]);
  return s;
}

[[noreturn]] inline void fail(std::string_view field, const std::string& what) {
  throw InputError(std::string(field), what);
}

template <class E>
E parse_enum(const json& v, std::string_view field) {
  if (v.is_string())
    if (const auto e = names::value<E>(v.get_ref<const std::string&>())) return *e;
  const auto allowed = names::spellings<E>();  // the messages only: not built for a good value
  if (!v.is_string()) fail(field, "must be a string, one of " + joined(allowed) + "; got " + described(v));
  const auto& s = v.get_ref<const std::string&>();
  fail(field, "unknown value '" + s + "'" + did_you_mean(suggest(s, allowed)) + " (allowed: " + joined(allowed) + ")");
}

/// An integer in [lo, hi]. A number with a fractional part, or a non-number, is an error; 8.0 is 8.
inline std::int64_t parse_int(const json& v, std::string_view field, std::int64_t lo, std::int64_t hi,
                              std::string_view also = {}) {
  const auto expect = [&] {  // built only for a message
    return "must be an integer >= " + std::to_string(lo) +
           (hi < std::int64_t{1} << 62 ? " and <= " + std::to_string(hi) : std::string()) +
           (also.empty() ? std::string() : " or " + std::string(also));
  };
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    // JSON text parses non-negative integers as unsigned: check both ends here too.
    if (u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo) fail(field, expect() + "; got " + shown(v));
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (i < lo || i > hi) fail(field, expect() + "; got " + shown(v));
    return i;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) fail(field, expect() + "; got " + shown(v) + ", not a whole number");
    if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) fail(field, expect() + "; got " + shown(v));
    return static_cast<std::int64_t>(d);
  }
  fail(field, expect() + "; got " + described(v));
}

inline int parse_small_int(const json& v, std::string_view field, std::int64_t lo, std::int64_t hi) {
  return static_cast<int>(parse_int(v, field, lo, hi));
}

inline bool parse_bool(const json& v, std::string_view field) {
  if (!v.is_boolean()) fail(field, "must be true or false; got " + described(v));
  return v.get<bool>();
}

/// Throws on the first key of `obj` that is not in `allowed`, with the closest allowed keys.
template <class Range>
void reject_unknown(const json& obj, const Range& allowed, std::string_view prefix, std::string_view hint) {
  if (const std::string* key = strict_json::unknown_key(obj, allowed)) {
    const std::vector<std::string_view> cands(std::begin(allowed), std::end(allowed));
    fail(std::string(prefix) + *key, "unknown field" + did_you_mean(suggest(*key, cands)) + " (" + std::string(hint) + ")");
  }
}

inline std::uint32_t parse_lora_targets(const json& v) {
  constexpr std::string_view field = "lora_targets";
  // The messages' parts, built only for a message.
  const auto modules = [] {
    std::vector<std::string_view> m;
    for (const auto& n : name_tables::lora_module) m.push_back(n.name);
    return m;
  };
  const auto allowed = [&] { return "\"all-linear\", \"attention\" or a list of module names: " + joined(modules()); };
  const auto expect = [&] { return "must be " + allowed(); };
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "all-linear") return lora_all_linear;
    if (s == "attention") return lora_attention;
    for (const auto& n : name_tables::lora_module)
      if (n.name == s) fail(field, "a single module is written as a list: [\"" + s + "\"]");
    const std::vector<std::string_view> words{"all-linear", "attention"};
    fail(field, "unknown value '" + s + "'" + did_you_mean(suggest(s, words)) + " (allowed: " + allowed() + ")");
  }
  if (!v.is_array()) fail(field, expect() + "; got " + described(v));
  if (v.empty()) fail(field, "the list of modules is empty; " + expect());
  std::uint32_t bits = 0;
  for (const auto& m : v) {
    if (!m.is_string()) fail(field, "module names are strings; got " + described(m));
    const auto& s = m.get_ref<const std::string&>();
    bool found = false;
    for (const auto& n : name_tables::lora_module)
      if (n.name == s) {
        bits |= n.value;
        found = true;
      }
    if (!found)
      fail(field, "unknown module '" + s + "'" + did_you_mean(suggest(s, modules())) + " (allowed: " + joined(modules()) + ")");
  }
  return bits;
}

inline Checkpointing parse_checkpointing(const json& v) {
  if (v.is_boolean()) return v.get<bool>() ? Checkpointing::full : Checkpointing::none;
  if (!v.is_string())
    fail("grad_checkpointing", "must be \"" + names::list<Checkpointing>("\", \"", "\", \"") + "\", true or false; got " + described(v));
  return parse_enum<Checkpointing>(v, "grad_checkpointing");
}

inline Parallel parse_parallel(const json& v) {
  if (!v.is_object())
    fail("parallel", "must be an object like {\"dp\": 2, \"tp\": 4, \"zero\": 1}; got " + described(v));
  reject_unknown(v, cases::parallel_fields, "parallel.", "allowed: dp, tp, pp, cp, ep, zero, vpp");
  Parallel p;
  auto get = [&](std::string_view key, std::string_view field, int& out) {
    if (const auto it = v.find(key); it != v.end()) out = parse_small_int(*it, field, 1, cases::max_gpus);
  };
  get("dp", "parallel.dp", p.dp);
  get("tp", "parallel.tp", p.tp);
  get("pp", "parallel.pp", p.pp);
  get("cp", "parallel.cp", p.cp);
  get("ep", "parallel.ep", p.ep);
  if (v.contains("zero")) p.zero = parse_small_int(v.at("zero"), "parallel.zero", 0, 3);
  get("vpp", "parallel.vpp", p.vpp);
  if (p.vpp > 1 && p.pp <= 1)
    fail("parallel.vpp", "is " + std::to_string(p.vpp) +
                             ", but virtual pipeline stages interleave a pipeline: set \"pp\" > 1 or remove \"vpp\"");
  return p;
}

/// A finite number in [lo, hi] (`lo_open`: lo itself excluded); `expect` says what is allowed.
inline double parse_number(const json& v, std::string_view field, double lo, double hi, bool lo_open,
                           const std::string& expect) {
  if (!v.is_number()) fail(field, "must be " + expect + "; got " + described(v));
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < lo || d > hi || (lo_open && d == lo)) fail(field, "must be " + expect + "; got " + shown(v));
  return d;
}

/// `slo`: {"ttft_s": x, "tpot_s": y, "percentile": 50|90|99}; at least one target, each > 0.
inline ServingSlo parse_slo(const json& v) {
  const std::string example = "{\"ttft_s\": 2.0, \"tpot_s\": 0.05, \"percentile\": 90}";
  if (!v.is_object()) fail("slo", "must be an object like " + example + "; got " + described(v));
  reject_unknown(v, cases::slo_fields, "slo.", "allowed: ttft_s, tpot_s, percentile");
  if (!v.contains("ttft_s") && !v.contains("tpot_s"))
    fail("slo", "needs a target: \"ttft_s\" and/or \"tpot_s\" in seconds, e.g. " + example);
  ServingSlo slo;
  constexpr double huge = 1e9;
  if (v.contains("ttft_s")) slo.ttft_s = parse_number(v.at("ttft_s"), "slo.ttft_s", 0, huge, true, "a time in seconds > 0");
  if (v.contains("tpot_s")) slo.tpot_s = parse_number(v.at("tpot_s"), "slo.tpot_s", 0, huge, true, "a time in seconds > 0");
  if (v.contains("percentile")) {
    const json& p = v.at("percentile");
    const std::string expect = "50, 90 or 99";
    const auto pct = parse_int(p, "slo.percentile", 0, 100, {});
    if (std::find(cases::slo_percentiles.begin(), cases::slo_percentiles.end(), pct) == cases::slo_percentiles.end())
      fail("slo.percentile", "must be " + expect + "; got " + shown(p));
    slo.percentile = static_cast<int>(pct);
  }
  return slo;
}

/// dp·tp·pp·cp must equal gpus; the message says what they multiply to and how to fix it.
inline void check_parallel_product(const Parallel& p, int gpus) {
  const std::int64_t product = std::int64_t{p.dp} * p.tp * p.pp * p.cp;
  if (product == gpus) return;
  std::string m = "dp*tp*pp*cp = " + std::to_string(p.dp) + "*" + std::to_string(p.tp) + "*" + std::to_string(p.pp) +
                  "*" + std::to_string(p.cp) + " = " + std::to_string(product) + ", but gpus = " +
                  std::to_string(gpus) + "; they must multiply to the number of GPUs";
  const std::int64_t others = std::int64_t{p.tp} * p.pp * p.cp;
  if (product == 1 && gpus > 1)
    m += ": say how the " + std::to_string(gpus) + " GPUs share the job, e.g. \"parallel\": {\"dp\": " +
         std::to_string(gpus) + "} (a full replica per GPU) or {\"tp\": " + std::to_string(gpus) + "} / {\"pp\": " +
         std::to_string(gpus) + "} (the model split across them)";
  else if (gpus % others == 0)
    m += " (with tp*pp*cp = " + std::to_string(others) + ", dp = " + std::to_string(gpus / others) + ")";
  else
    m += " (or set \"gpus\": " + std::to_string(product) + ")";
  fail("parallel", m);
}

/// A case as job_from_case reads it, here a nlohmann object. Another reader of the same fields
/// (io/case_line.hpp FlatCase) has the same three members.
class JsonCase {
 public:
  explicit JsonCase(const json& c) : c_(c) {}
  /// Throws unless the case is an object whose keys are all fields of a case.
  void check_fields() const {
    if (!c_.is_object()) fail("case", "must be a JSON object {...}; got " + described(c_));
    reject_unknown(c_, cases::fields, "", "docs/cases.md lists the fields");
  }
  /// The value of `f`; nullptr when the case leaves it out.
  [[nodiscard]] const json* find(cases::Field f) const {
    const auto it = c_.find(f.name);
    return it == c_.end() ? nullptr : &*it;
  }
  /// Calls `f` with the name of each field given, in the order of their spellings.
  template <class F>
  void each_field(F&& f) const {
    for (auto it = c_.begin(); it != c_.end(); ++it) f(std::string_view(it.key()));
  }

 private:
  const json& c_;
};

}  // namespace detail::case_parse

/// Parses one case object of docs/cases.md into a Job. Catalog ids are looked up in `catalog`;
/// a GPU spec object or a Hugging Face config given inline is kept, with its text, in `strings`, which
/// must outlive the returned Job. Fields the case leaves out that another field implies (`weights`,
/// `kv_cache`) stay absent: normalize() fills them, as every entry point does.
/// @throws InputError naming the field (unknown field, wrong type, bad value, inconsistent fields),
///         UnknownId for a GPU or model id not in the catalog, DataError from an inline GPU spec or
///         config.json.
/// `Case` is the case as read (detail::case_parse::JsonCase: a nlohmann object); job_from_json below.
template <class Case>
[[nodiscard]] Job job_from_case(const Case& c, const Catalog& catalog, StringStore& strings,
                                std::vector<std::string>& warnings) {
  using namespace detail::case_parse;
  using cases::Field;
  c.check_fields();

  Job w;
  // Fields by their index in cases::fields (found at compile time from a literal).
  auto has = [&](Field key) { return c.find(key) != nullptr; };
  auto at = [&](Field key) -> const json& { return *c.find(key); };

  if (has("id") && !at("id").is_string()) fail("id", "must be a string; got " + described(at("id")));
  if (has("task")) w.task = parse_enum<Task>(at("task"), "task");

  // Hardware.
  if (!has("gpu")) fail("gpu", "is required: a catalog id such as \"rtx-4090\" (see `headroom gpus`) or a GPU spec object");
  {
    const json& g = at("gpu");
    if (g.is_string()) w.hardware.gpu = &catalog.gpu(g.get_ref<const std::string&>());
    else if (g.is_object()) w.hardware.gpu = &strings.keep_record(gpu_from_json(g, strings, "gpu").spec);
    else fail("gpu", "must be a catalog id (string) or a GPU spec object; got " + described(g));
  }
  if (has("gpus")) w.hardware.count = parse_small_int(at("gpus"), "gpus", 1, cases::max_gpus);
  if (has("gpus_per_node")) w.hardware.per_node = parse_small_int(at("gpus_per_node"), "gpus_per_node", 1, cases::max_gpus);
  if (has("interconnect")) w.hardware.interconnect = parse_enum<Interconnect>(at("interconnect"), "interconnect");
  if (has("network")) w.hardware.network = parse_enum<Network>(at("network"), "network");

  // Model.
  if (w.task == Task::collective) {
    if (has("model")) fail("model", "task \"collective\" times a collective alone and takes no model; remove \"model\"");
  } else if (!has("model")) {
    fail("model", "is required (unless task is \"collective\"): a catalog id such as \"llama-3-8b\" "
                  "(see `headroom models`) or {\"hf_config\": {...config.json...}}");
  } else {
    const json& m = at("model");
    if (m.is_string()) {
      w.model = &catalog.model(m.get_ref<const std::string&>());
    } else if (m.is_object()) {
      static constexpr std::array<std::string_view, 1> model_fields{"hf_config"};
      reject_unknown(m, model_fields, "model.", "a model object is {\"hf_config\": {...config.json...}}");
      if (!m.contains("hf_config")) fail("model", "a model object needs \"hf_config\": the content of config.json");
      const json& hf = m.at("hf_config");
      if (!hf.is_object()) fail("model.hf_config", "must be the config.json object; got " + described(hf));
      w.model = &strings.keep_record(model_from_hf_config(hf, strings, "model.hf_config"));
    } else {
      fail("model", "must be a catalog id (string) or {\"hf_config\": {...}}; got " + described(m));
    }
  }

  // Method and precisions.
  if (has("method")) w.training.method = parse_enum<Method>(at("method"), "method");
  if (has("weights")) w.weights = parse_enum<WeightFormat>(at("weights"), "weights");
  if (has("compute")) w.compute = parse_enum<Precision>(at("compute"), "compute");
  if (has("kv_cache")) w.inference.kv_cache = parse_enum<KvFormat>(at("kv_cache"), "kv_cache");
  if (has("lora_rank")) w.training.lora_rank = parse_small_int(at("lora_rank"), "lora_rank", 1, cases::max_lora_rank);
  if (has("lora_targets")) w.training.lora_targets = parse_lora_targets(at("lora_targets"));
  if (has("optimizer")) w.training.optimizer = parse_enum<Optimizer>(at("optimizer"), "optimizer");
  if (has("precision")) w.training.precision = parse_enum<PrecisionPolicy>(at("precision"), "precision");
  if (has("loss")) w.training.loss = parse_enum<LossKind>(at("loss"), "loss");
  if (has("optimizer_in_backward")) w.training.optimizer_in_backward = parse_bool(at("optimizer_in_backward"), "optimizer_in_backward");
  if (has("activation_offload")) w.training.activation_offload = parse_bool(at("activation_offload"), "activation_offload");
  if (has("compile")) w.compile = parse_bool(at("compile"), "compile");
  if (has("offload")) w.training.offload = parse_enum<Offload>(at("offload"), "offload");

  // Shapes.
  if (has("batch")) {
    const json& b = at("batch");
    if (b.is_string()) {
      if (b.get_ref<const std::string&>() != "max")
        fail("batch", "must be an integer >= 1 or \"max\"; got " + shown(b));
      w.question.batch_max = true;
      w.batch = 1;
    } else {
      w.batch = parse_int(b, "batch", 1, cases::max_batch, "\"max\"");
    }
  }
  if (has("grad_accum")) w.training.grad_accum = parse_int(at("grad_accum"), "grad_accum", 1, cases::max_batch);
  if (has("seq")) w.training.seq = parse_int(at("seq"), "seq", 1, cases::max_tokens);
  if (has("grad_checkpointing")) w.training.checkpointing = parse_checkpointing(at("grad_checkpointing"));
  if (has("flash_attention")) w.flash_attention = parse_bool(at("flash_attention"), "flash_attention");
  if (has("prompt")) w.inference.prompt = parse_int(at("prompt"), "prompt", 0, cases::max_tokens);
  if (has("generate")) w.inference.generate = parse_int(at("generate"), "generate", 0, cases::max_tokens);
  if (has("runtime")) w.runtime = parse_enum<Runtime>(at("runtime"), "runtime");
  // FP4 tensor cores exist only where the GPU record has an FP4 peak (Blackwell).
  if (w.compute == Precision::fp4 && !(w.hardware.gpu->peak.fp4.value() > 0))
    fail("compute", "'fp4' needs FP4 tensor cores, and GPU '" + std::string(w.hardware.gpu->id) +
                        "' has no FP4 peak (Blackwell GPUs have one); use \"bf16\" or \"fp8\", or a GPU with FP4");

  // Serving (task "serving"); kv_memory_fraction also sets an inference runtime's memory.
  if (has("kv_memory_fraction")) {
    if (w.task != Task::inference && w.task != Task::serving)
      fail("kv_memory_fraction", std::string("is only used with \"task\": \"inference\" or \"serving\" (task here is \"") +
                                     std::string(to_string(w.task)) + "\")");
    w.inference.kv_memory_fraction =
        parse_number(at("kv_memory_fraction"), "kv_memory_fraction", 0, 1, true, "a fraction > 0 and <= 1 (e.g. 0.9)");
  }
  if (w.task == Task::serving) {
    if (has("concurrency") && has("request_rate"))
      fail("request_rate", "give \"concurrency\" (closed-loop clients) or \"request_rate\" (open-loop arrivals), not both");
    if (has("concurrency")) w.serving.concurrency = parse_int(at("concurrency"), "concurrency", 1, cases::max_concurrency);
    if (has("request_rate"))
      w.serving.request_rate = parse_number(at("request_rate"), "request_rate", 0, 1e12, true, "requests per second > 0");
    if (has("prefix_cache_hit"))
      w.serving.prefix_cache_hit =
          parse_number(at("prefix_cache_hit"), "prefix_cache_hit", 0, 1, false, "a share from 0 to 1");
    if (has("chunked_prefill")) {
      const json& cp = at("chunked_prefill");
      if (cp.is_boolean()) {
        if (cp.get<bool>()) fail("chunked_prefill", "must be a token count per step (e.g. 8192) or false; got true");
        w.serving.chunked_prefill = 0;
      } else {
        w.serving.chunked_prefill = parse_int(cp, "chunked_prefill", 1, cases::max_tokens, "false");
      }
    }
    if (has("slo")) w.serving.slo = parse_slo(at("slo"));
  } else {
    static constexpr auto serving_keys = cases::fields_of(cases::serving_fields);
    for (const Field key : serving_keys)
      if (has(key))
        fail(key.name, std::string("is only used with \"task\": \"serving\" (task here is \"") + std::string(to_string(w.task)) +
                      "\")");
  }

  // Parallelism: dp*tp*pp*cp == gpus.
  if (has("parallel")) w.parallel = parse_parallel(at("parallel"));
  check_parallel_product(w.parallel, w.hardware.count);
  // Megatron's interleaved schedule runs micro-batches in groups of pp (schedules.py
  // forward_backward_pipelining_with_interleaving raises otherwise).
  if (w.task == Task::training && w.parallel.vpp > 1 && w.training.grad_accum % w.parallel.pp != 0)
    fail("grad_accum", "is " + std::to_string(w.training.grad_accum) + ", but the interleaved schedule (vpp " +
                           std::to_string(w.parallel.vpp) + ") needs the micro-batches per step to be a multiple of pp = " +
                           std::to_string(w.parallel.pp) + "; make grad_accum a multiple of " +
                           std::to_string(w.parallel.pp) + " or set vpp 1");

  // Collectives.
  if (w.task == Task::collective) {
    if (!has("collective"))
      fail("collective", "task \"collective\" needs \"collective\": one of " + names::list<Collective>());
    if (!has("bytes")) fail("bytes", "task \"collective\" needs \"bytes\": the message size in bytes");
    w.collective.op = parse_enum<Collective>(at("collective"), "collective");
    const json& b = at("bytes");
    if (!b.is_number()) fail("bytes", "must be a number of bytes > 0; got " + described(b));
    w.collective.bytes = b.get<double>();
    if (!(w.collective.bytes > 0) || !(w.collective.bytes <= cases::max_bytes))
      fail("bytes", "must be a number of bytes > 0 and <= 2^60 (1 EiB); got " + shown(b));
  } else {
    for (const Field key : {Field("collective"), Field("bytes")})
      if (has(key))
        fail(key.name, std::string("is only used with \"task\": \"collective\" (task here is \"") +
                      std::string(to_string(w.task)) + "\")");
  }

  // Limits to solve for.
  if (has("solve")) {
    w.question.solve = parse_enum<Solve>(at("solve"), "solve");
    if (w.task == Task::collective) fail("solve", "a collective has no limit to solve for; remove \"solve\"");
    if (w.question.solve == Solve::max_seq && w.task != Task::training)
      fail("solve", "\"max_seq\" is the longest training sequence; for inference use \"max_context\"");
    if (w.question.solve == Solve::max_context && w.task != Task::inference)
      fail("solve", "\"max_context\" is the longest inference prompt+generate; for training use \"max_seq\"");
    if ((w.question.solve == Solve::max_concurrency) != (w.task == Task::serving))
      fail("solve", w.task == Task::serving
                        ? "a serving case solves for \"max_concurrency\" only"
                        : "\"max_concurrency\" is a serving limit: set \"task\": \"serving\"");
  }

  // Fields the task does not read: the model ignores them (normalize reads `method` only for
  // training); say so.
  const auto ignored = [&](std::string_view key, std::string_view by) {
    warnings.push_back("field '" + std::string(key) + "' does not apply to " + std::string(by) + "; ignored");
  };
  const std::string task = "task " + std::string(to_string(w.task));
  if (w.task == Task::collective) {
    c.each_field([&](std::string_view key) {
      if (std::find(cases::collective_fields.begin(), cases::collective_fields.end(), key) == cases::collective_fields.end() &&
          key != "collective" && key != "bytes")
        ignored(key, task);
    });
  } else {
    static constexpr auto training_keys = cases::fields_of(cases::training_fields);
    static constexpr auto inference_keys = cases::fields_of(cases::inference_fields);
    for (const Field key : training_keys)
      if (w.task != Task::training && has(key)) ignored(key.name, task);
    for (const Field key : inference_keys)
      if (w.task != Task::inference && w.task != Task::serving && has(key)) ignored(key.name, task);
  }
  if (w.task == Task::training && w.training.method != Method::lora && w.training.method != Method::qlora)
    for (const Field key : {Field("lora_rank"), Field("lora_targets")})
      if (has(key)) ignored(key.name, "method " + std::string(to_string(w.training.method)));

  // Consistency with the model and the GPU (checks.hpp): an error stops the case, a warning is kept.
  const Findings found = check(w);
  if (const Finding* e = found.first_error()) fail(e->field, std::string(e->message.view()));
  for (const Finding& f : found)
    if (f.severity == Severity::warning) warnings.push_back("'" + std::string(f.field) + "': " + std::string(f.message.view()));
  return w;
}

/// Parses one case object of docs/cases.md into a Job: job_from_case of the object.
[[nodiscard]] inline Job job_from_json(const nlohmann::json& c, const Catalog& catalog, StringStore& strings,
                                      std::vector<std::string>& warnings) {
  return job_from_case(detail::case_parse::JsonCase(c), catalog, strings, warnings);
}

/// job_from_json without the warnings.
[[nodiscard]] inline Job job_from_json(const nlohmann::json& c, const Catalog& catalog, StringStore& strings) {
  std::vector<std::string> warnings;
  return job_from_json(c, catalog, strings, warnings);
}

namespace detail::case_parse {

/// `text` (as written by std::to_chars) read back: the double nearest that decimal, so that it prints
/// as written (0.67873, not 0.6787300000000001); -0 becomes 0.
inline double from_decimal(const char* first, const char* last, double fallback) {
  double r = 0;
  // Out of range (a subnormal some libraries refuse) or unreadable: keep the value unrounded.
  if (std::from_chars(first, last, r).ec != std::errc{} || !std::isfinite(r)) return fallback == 0 ? 0.0 : fallback;
  return r == 0 ? 0.0 : r;
}

/// `v` rounded to `decimals` decimal places.
inline double round_to(double v, int decimals) {
  if (!std::isfinite(v)) return v;
  std::array<char, 400> buf{};  // DBL_MAX has 309 integer digits
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
  return res.ec == std::errc{} ? from_decimal(buf.data(), res.ptr, v) : v;
}

/// `v` rounded to `digits` significant digits (subnormal values included: no scale factor to overflow).
inline double round_sig(double v, int digits) {
  if (!std::isfinite(v)) return v;
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific, digits - 1);
  return res.ec == std::errc{} ? from_decimal(buf.data(), res.ptr, v) : v;
}

}  // namespace detail::case_parse

/// Decimal places of GiB figures in an answer (0.0001 GiB ~ 107 KB) and significant digits of the
/// time figures.
inline constexpr int answer_gib_decimals = 4;
inline constexpr int answer_time_digits = 5;

/// headroom_gib as written: rounded down to the answer's decimals, so a job that misses by less than
/// the last decimal still reads negative and `fits` == (headroom_gib >= 0) holds in the text too.
[[nodiscard]] inline double headroom_gib_of(const MemoryResult& m) {
  const double scale = std::pow(10.0, answer_gib_decimals);
  const double v = std::floor(to_gib(m.headroom()) * scale) / scale;
  return v == 0 ? 0.0 : v;  // no -0.0
}

/// The answer object of docs/cases.md for one case: `id` echoed (null when the case had none),
/// `ok: true`, `memory` (when computed), `time` with only the non-zero keys (the ones that apply to
/// the task) and `bound`, `limits` only for the limit that `solve` asked for, `interval` (the headline
/// key's band) only when the library has one, `intervals` with the band of each numeric key written. GiB figures are rounded to 4 decimals, time figures to 5 significant digits.
namespace detail::case_parse {

/// The path and value of the first number of an answer that is not finite, or negative where only
/// a non-negative value makes sense (every figure but memory.headroom_gib); empty path when all are fine.
struct BadNumber {
  std::string path;
  double value = 0;
};
inline BadNumber first_bad_number(const nlohmann::json& v, const std::string& path = {}) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (BadNumber b = first_bad_number(it.value(), path.empty() ? it.key() : path + "." + it.key()); !b.path.empty())
        return b;
    return {};
  }
  if (!v.is_number()) return {};
  const double d = v.get<double>();
  if (!std::isfinite(d) || (d < 0 && path != "memory.headroom_gib")) return {path, d};
  return {};
}

}  // namespace detail::case_parse

/// answer_to_json with the warnings of the case (job_from_json, checks.hpp) as `"warnings": [...]`
/// when there are any.
/// @throws Error when a figure of the answer is not finite or negative (the model is outside its
///         range for these inputs): such a case is an error, never a confident wrong answer.
/// The answer's "serving" object (docs/cases.md): times and rates to the answer's significant digits,
/// the KV capacity in whole tokens. Also what `serve` and `plan --task serving` print.
[[nodiscard]] inline nlohmann::json serving_to_json(const ServingResult& sv) {
  using detail::case_parse::round_sig;
  nlohmann::json serving = nlohmann::json::object();
  auto put = [&](const char* key, double v) { serving[key] = round_sig(v, answer_time_digits); };
  put("ttft_s", sv.ttft_s);
  put("ttft_p90_s", sv.ttft_p90_s);
  put("ttft_p99_s", sv.ttft_p99_s);
  put("tpot_s", sv.tpot_s);
  put("tpot_p90_s", sv.tpot_p90_s);
  put("tpot_p99_s", sv.tpot_p99_s);
  put("e2e_s", sv.e2e_s);
  put("output_tokens_per_s", sv.output_tokens_per_s);
  put("requests_per_s", sv.requests_per_s);
  serving["kv_capacity_tokens"] = std::llround(sv.kv_capacity_tokens);
  return serving;
}

[[nodiscard]] inline nlohmann::json answer_to_json(const nlohmann::json& id, const Answer& a, const Job& w,
                                                   const std::vector<std::string>& warnings);

[[nodiscard]] inline nlohmann::json answer_to_json(const nlohmann::json& id, const Answer& a, const Job& w) {
  using detail::case_parse::round_sig;
  using detail::case_parse::round_to;
  nlohmann::json j;
  j["id"] = id;
  j["ok"] = true;
  if (a.has_memory) {
    const MemoryResult& m = a.memory;
    auto gib_of = [](Bytes b) { return round_to(to_gib(b), answer_gib_decimals); };
    nlohmann::json breakdown = nlohmann::json::object();
    for (int i = 0; i < names::count<Component>; ++i) {
      const auto comp = static_cast<Component>(i);
      breakdown[std::string(to_string(comp))] = gib_of(m.breakdown[comp]);
    }
    j["memory"] = {{"per_gpu_gib", gib_of(m.per_gpu)},
                   {"reserved_gib", gib_of(m.reserved)},
                   {"device_gib", gib_of(m.device)},
                   {"capacity_gib", gib_of(m.capacity)},
                   {"usable_gib", gib_of(m.usable)},
                   {"fits", m.fits},
                   {"headroom_gib", headroom_gib_of(m)},
                   {"breakdown_gib", std::move(breakdown)}};
  }
  if (a.has_time) {
    const TimeResult& t = a.time;
    nlohmann::json time = nlohmann::json::object();
    if (t.bound != Bound::none) time["bound"] = std::string(to_string(t.bound));
    auto put = [&](const char* key, double v) {
      if (v != 0) time[key] = round_sig(v, answer_time_digits);
    };
    put("prefill_tokens_per_s", t.prefill_tokens_per_s);
    put("decode_tokens_per_s", t.decode_tokens_per_s);
    put("ttft_s", t.ttft_s);
    put("step_time_s", t.step_time_s);
    put("train_tokens_per_s_per_gpu", t.train_tokens_per_s_per_gpu);
    put("mfu", t.mfu);
    put("hfu", t.hfu);
    put("busbw_gbps", t.busbw_gbps);
    if (!time.empty()) j["time"] = std::move(time);
  }
  if (a.has_serving) j["serving"] = serving_to_json(a.serving);
  const std::int64_t limit = w.question.solve == Solve::max_batch         ? a.limits.max_batch
                             : w.question.solve == Solve::max_seq         ? a.limits.max_seq
                             : w.question.solve == Solve::max_context     ? a.limits.max_context
                             : w.question.solve == Solve::max_concurrency ? a.limits.max_concurrency
                                                                         : -1;
  if (w.question.solve != Solve::none && limit >= 0) j["limits"] = {{std::string(to_string(w.question.solve)), limit}};
  auto band = [](Interval b) { return nlohmann::json{{"low", round_to(b.low, 3)}, {"high", round_to(b.high, 3)}}; };
  if (a.interval.present()) j["interval"] = band(a.interval);
  nlohmann::json intervals = nlohmann::json::object();
  for (int i = 0; i < names::count<AnswerKey>; ++i) {
    const auto k = static_cast<AnswerKey>(i);
    if (a.intervals[k].present()) intervals[std::string(to_string(k))] = band(a.intervals[k]);
  }
  if (!intervals.empty()) j["intervals"] = std::move(intervals);
  if (const auto bad = detail::case_parse::first_bad_number(j); !bad.path.empty()) {
    std::array<char, 32> text{};
    const auto res = std::to_chars(text.data(), text.data() + text.size(), bad.value);
    throw Error("the answer's " + bad.path + " came out as " + std::string(text.data(), res.ptr) +
                ", not a finite non-negative figure: these inputs are outside the model's range");
  }
  return j;
}

inline nlohmann::json answer_to_json(const nlohmann::json& id, const Answer& a, const Job& w,
                                     const std::vector<std::string>& warnings) {
  nlohmann::json j = answer_to_json(id, a, w);
  if (!warnings.empty()) j["warnings"] = warnings;
  return j;
}

/// `headroom fit --json`'s "suggestions" (also the Python module's fit()): each change with the
/// memory it leaves, rounded as the answer's GiB figures.
inline nlohmann::json suggestions_to_json(const std::vector<Suggestion>& suggestions) {
  auto list = nlohmann::json::array();
  for (const auto& s : suggestions)
    list.push_back({{"change", s.what},
                    {"per_gpu_gib", detail::case_parse::round_to(to_gib(s.memory.per_gpu), answer_gib_decimals)},
                    {"device_gib", detail::case_parse::round_to(to_gib(s.memory.device), answer_gib_decimals)},
                    {"fits", s.memory.fits}});
  return list;
}

namespace detail::case_parse {

inline void append_json(std::string& out, const nlohmann::json& v, int indent, int depth) {
  const auto newline = [&](int d) {
    if (indent >= 0) out += "\n" + std::string(static_cast<std::size_t>(indent * d), ' ');
  };
  if (v.is_object() || v.is_array()) {
    const bool object = v.is_object();
    out += object ? '{' : '[';
    if (v.empty()) {
      out += object ? '}' : ']';
      return;
    }
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      if (object) {
        out += nlohmann::json(it.key()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += indent >= 0 ? ": " : ":";
      }
      append_json(out, it.value(), indent, depth + 1);
    }
    newline(depth);
    out += object ? '}' : ']';
  } else if (v.is_number_float() && std::isfinite(v.get<double>())) {
    std::array<char, 32> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v.get<double>());  // shortest round trip
    const std::string_view text(buf.data(), static_cast<std::size_t>(res.ptr - buf.data()));
    out += text;
    if (text.find_first_of(".e") == std::string_view::npos) out += ".0";  // 24.0 stays a float, as JSON writers print it
  } else {
    out += v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace detail::case_parse

/// The text of an answer (compact with `indent` -1, else pretty-printed). Numbers print in their
/// shortest form, so a rounded 0.67873 prints as 0.67873 (nlohmann's dump writes 0.6787300000000001).
[[nodiscard]] inline std::string answer_text(const nlohmann::json& answer, int indent = -1) {
  std::string out;
  detail::case_parse::append_json(out, answer, indent, 0);
  return out;
}

/// `{"id": id, "ok": false, "error": message}`: a case that could not be answered.
[[nodiscard]] inline nlohmann::json error_to_json(const nlohmann::json& id, std::string_view message) {
  return {{"id", id}, {"ok", false}, {"error", std::string(message)}};
}

/// What became of one case: answered; not answered because this version does not model it yet
/// (NotModelled: a task parsed before it is modelled; UnsupportedModelType: a model_type without a reader) or does not know
/// it (UnknownId: a GPU or model not in the catalog);
/// or not answered because of an error (a malformed case, a bad value, a bug).
enum class CaseOutcome { answered, not_modelled, error };

/// One case's answer object (docs/cases.md) and what became of it.
struct CaseAnswer {
  nlohmann::json answer;
  CaseOutcome outcome = CaseOutcome::error;
  /// What was thrown when the case was not answered (null when it was), so that a binding can name
  /// its class (src/capi/case_answers.hpp) without answering the case again.
  std::exception_ptr error{};
};

/// The error object of a case that threw `e` (see answer_case), `where` before the message.
[[nodiscard]] inline CaseAnswer error_answer(const nlohmann::json& id, const std::exception_ptr& e, std::string_view where) {
  const std::string prefix(where);
  const auto answer = [&](const std::string& message, CaseOutcome outcome) {
    return CaseAnswer{error_to_json(id, prefix + message), outcome, e};
  };
  try {
    std::rethrow_exception(e);
  } catch (const NotModelled& x) {
    return answer(x.what(), CaseOutcome::not_modelled);
  } catch (const UnknownId& x) {
    return answer(x.what(), CaseOutcome::not_modelled);
  } catch (const UnsupportedModelType& x) {
    return answer(x.what(), CaseOutcome::not_modelled);
  } catch (const Error& x) {
    return answer(x.what(), CaseOutcome::error);
  } catch (const nlohmann::json::exception& x) {
    return answer("malformed value: " + strict_json::without_library_ids(x.what()), CaseOutcome::error);
  } catch (const std::exception& x) {
    return answer(std::string("internal error: ") + x.what(), CaseOutcome::error);
  }
}

/// One case evaluated: its answer (or error) object and, for callers that add to the answer (`headroom
/// fit`, the web page), what it was made from. `job` (as parsed, before normalize) and `result` are
/// set when the case was answered; `warnings` whenever the case parsed.
struct CaseEvaluation {
  CaseAnswer answer;
  Job job{};
  Answer result{};
  std::vector<std::string> warnings;
};

/// Parses and evaluates one case once; never throws for bad input. `strings` keeps the job's inline
/// GPU or model text (it must outlive `job`). See answer_case for `profile` and `where`.
[[nodiscard]] inline CaseEvaluation evaluate_case(const nlohmann::json& c, const Catalog& catalog, StringStore& strings,
                                                  const EfficiencyProfile& profile = builtin_efficiency,
                                                  double profile_log_band = 0, std::string_view where = {}) {
  const nlohmann::json id = c.is_object() && c.contains("id") ? c.at("id") : nlohmann::json(nullptr);
  CaseEvaluation e;
  try {
    e.job = job_from_json(c, catalog, strings, e.warnings);
    e.result = evaluate(e.job, profile, profile_log_band);
    e.answer = {answer_to_json(id, e.result, e.job, e.warnings), CaseOutcome::answered, nullptr};
  } catch (...) {
    e.answer = error_answer(id, std::current_exception(), where);
  }
  return e;
}

/// Answers one parsed case: the answer object, or the error object when the case is malformed, not
/// modelled yet or evaluation fails; `outcome` says which. Never throws for bad input. `where` prefixes
/// error messages (e.g. "line 3: "). With `profile` (a measured calibration) instead of the built-in
/// efficiencies, and its fit's 80% log half-width `profile_log_band` to widen the interval (see evaluate.hpp).
[[nodiscard]] inline CaseAnswer answer_case(const nlohmann::json& c, const Catalog& catalog,
                                            const EfficiencyProfile& profile, double profile_log_band,
                                            std::string_view where = {}) {
  StringStore strings;
  return evaluate_case(c, catalog, strings, profile, profile_log_band, where).answer;
}

/// One case as `headroom fit` answers it (the CLI, the Python module's fit(), the web page): the case
/// evaluated once (evaluate_case) and, when it was answered and does not fit, what would (suggest).
struct FitAnswer {
  CaseEvaluation evaluated;
  std::vector<Suggestion> suggestions;
};

[[nodiscard]] inline FitAnswer fit_case(const nlohmann::json& c, const Catalog& catalog, StringStore& strings,
                                        const EfficiencyProfile& profile = builtin_efficiency, double profile_log_band = 0) {
  FitAnswer f{evaluate_case(c, catalog, strings, profile, profile_log_band), {}};
  const Answer& a = f.evaluated.result;
  if (f.evaluated.answer.outcome == CaseOutcome::answered && a.has_memory && !a.memory.fits)
    f.suggestions = suggest(f.evaluated.job, catalog.gpus());
  return f;
}

/// `headroom fit --json`: the answer object plus "suggestions" (an error object as it is).
[[nodiscard]] inline nlohmann::json fit_to_json(const FitAnswer& f) {
  nlohmann::json j = f.evaluated.answer.answer;
  if (f.evaluated.answer.outcome == CaseOutcome::answered) j["suggestions"] = suggestions_to_json(f.suggestions);
  return j;
}

/// The answer object of answer_case.
[[nodiscard]] inline nlohmann::json eval_case(const nlohmann::json& c, const Catalog& catalog,
                                              const EfficiencyProfile& profile, double profile_log_band,
                                              std::string_view where = {}) {
  return answer_case(c, catalog, profile, profile_log_band, where).answer;
}

[[nodiscard]] inline nlohmann::json eval_case(const nlohmann::json& c, const Catalog& catalog,
                                              std::string_view where = {}) {
  return eval_case(c, catalog, builtin_efficiency, 0.0, where);
}

/// Answers one line of a case stream: parses it and answers it with answer_case. A line that is not
/// JSON gets an error object with id null. `line_number` (1-based, 0 = unknown) prefixes error
/// messages as "line N: ".
[[nodiscard]] inline CaseAnswer answer_case_line(std::string_view line, const Catalog& catalog, std::size_t line_number = 0,
                                                 const EfficiencyProfile& profile = builtin_efficiency,
                                                 double profile_log_band = 0) {
  const std::string where = line_number ? "line " + std::to_string(line_number) + ": " : std::string();
  nlohmann::json c;
  try {
    c = strict_json::parse(line);
  } catch (const InputError&) {  // a number beyond the double range, named by its field
    return error_answer(nullptr, std::current_exception(), where);
  } catch (const nlohmann::json::exception& e) {
    return {error_to_json(nullptr, where + "not valid JSON: " + strict_json::without_library_ids(e.what())),
            CaseOutcome::error, std::current_exception()};
  }
  return answer_case(c, catalog, profile, profile_log_band, where);
}

/// The answer object of answer_case_line.
[[nodiscard]] inline nlohmann::json eval_line(std::string_view line, const Catalog& catalog, std::size_t line_number = 0,
                                              const EfficiencyProfile& profile = builtin_efficiency,
                                              double profile_log_band = 0) {
  return answer_case_line(line, catalog, line_number, profile, profile_log_band).answer;
}

}  // namespace headroom
