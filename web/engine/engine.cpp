// The engine of the web page (docs/web.md), compiled to WebAssembly by emcc (web/CMakeLists.txt).
// Every question goes in as a case of the case format (docs/cases.md) and its answer is the line
// `headroom eval` writes (io/cases.hpp eval_line through src/capi/case_answers.hpp, as the C ABI and
// the Python module do), so the page and the CLI give the same numbers. Around that answer the page
// gets what `headroom fit --json` adds (suggestions), the roofline inputs of the chart, the catalog's
// lists, a pasted config.json read as the CLI reads one, and the planner's ranking.
//
// Each function returns JSON text in a buffer that stays valid until the next call (the page copies it
// at once); no C++ exception leaves a function.

#include <nlohmann/json.hpp>

#include <exception>
#include <string>

#include "../../src/capi/case_answers.hpp"
#include "headroom/catalog.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/fit.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/hf_config.hpp"
#include "headroom/io/plan_json.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/names.hpp"
#include "headroom/planner.hpp"
#include "headroom/version.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define HR_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define HR_EXPORT extern "C"
#endif

namespace {

using nlohmann::json;
using namespace headroom;

std::string out;  // the last answer; the page reads it before the next call

const char* give(std::string text) {
  out = std::move(text);
  return out.c_str();
}

const char* give(const json& j) { return give(answer_text(j)); }

const char* error(const std::string& message) { return give(json{{"ok", false}, {"error", message}}); }

template <class F>
const char* guarded(F&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    try {
      return error(e.what());
    } catch (...) {
    }
  } catch (...) {
  }
  return "{\"ok\":false,\"error\":\"internal error\"}";
}

template <class E>
json spellings() {
  json a = json::array();
  for (const auto s : names::spellings<E>()) a.push_back(std::string(s));
  return a;
}

double round4(double v) { return detail::case_parse::round_to(v, 4); }

}  // namespace

/// The catalog's GPUs and models and the spellings of the case format's choices.
HR_EXPORT const char* hr_catalog() {
  return guarded([] {
    const Catalog& c = Catalog::builtin();
    json gpus = json::array();
    for (const GpuSpec& g : c.gpus())
      gpus.push_back({{"id", std::string(g.id)},
                      {"name", std::string(g.name)},
                      {"vendor", std::string(g.vendor)},
                      {"memory_gib", round4(to_gib(g.memory))},
                      {"bandwidth_gbps", to_gb_per_s(g.memory_bandwidth)},
                      {"bf16_tflops", to_tflops(g.peak.bf16)},
                      {"price_usd_per_hour", g.price_usd_per_hour}});
    json models = json::array();
    for (const ModelArch& m : c.models()) {
      const ParamCounts p = count_params(m);
      models.push_back({{"id", std::string(m.id)},
                        {"model_type", std::string(m.model_type)},
                        {"source", std::string(m.source)},
                        {"params_total", p.total},
                        {"params_active", p.active},
                        {"max_positions", m.max_positions}});
    }
    json choices{{"task", spellings<Task>()},           {"method", spellings<Method>()},
                 {"weights", spellings<WeightFormat>()}, {"compute", spellings<Precision>()},
                 {"optimizer", spellings<Optimizer>()},  {"grad_checkpointing", spellings<Checkpointing>()},
                 {"offload", spellings<Offload>()},      {"runtime", spellings<Runtime>()},
                 {"kv_cache", spellings<KvFormat>()},    {"objective", spellings<Objective>()},
                 {"interconnect", spellings<Interconnect>()}, {"network", spellings<Network>()}};
    return give(json{{"version", std::string(version_string)}, {"gpus", gpus}, {"models", models}, {"choices", choices}});
  });
}

/// One case line answered exactly as `headroom eval` answers it.
HR_EXPORT const char* hr_eval(const char* case_json) {
  return guarded([&] { return give(bindings::answer_line(case_json, Catalog::builtin()).text); });
}

/// One case as the page shows it: {"answer": <the eval answer>, "suggestions": [...] (as `headroom fit
/// --json`, when it does not fit), "roofline": {...} (the GPU's roofs at the job's precision and the
/// job's arithmetic intensity), "job": the normalized settings the answer assumed}. The case is
/// evaluated once (fit_case, as `headroom fit` does).
HR_EXPORT const char* hr_answer(const char* case_json) {
  return guarded([&] {
    const Catalog& catalog = Catalog::builtin();
    json c;
    try {
      c = strict_json::parse(case_json);
    } catch (...) {  // not JSON: the error line `headroom eval` writes
      return give("{\"answer\":" + bindings::answer_line(case_json, catalog).text + "}");
    }
    StringStore strings;
    const FitAnswer f = fit_case(c, catalog, strings);
    std::string text = "{\"answer\":" + answer_text(f.evaluated.answer.answer);
    if (f.evaluated.answer.outcome == CaseOutcome::answered && f.evaluated.job.task != Task::collective) {
      const Job w = normalize(f.evaluated.job);
      const Answer& ans = f.evaluated.result;
      if (ans.has_memory && !ans.memory.fits) text += ",\"suggestions\":" + answer_text(suggestions_to_json(f.suggestions));
      const GpuSpec& g = *w.hardware.gpu;
      json roof{{"peak_tflops", to_tflops(detail::peak_with_fallback(g, w.compute))},
                {"bf16_tflops", to_tflops(g.peak.bf16)},
                {"bandwidth_gbps", to_gb_per_s(g.memory_bandwidth)},
                {"intensity", ans.time.intensity},
                {"mfu", ans.time.mfu},
                {"bound", std::string(to_string(ans.time.bound))}};
      text += ",\"roofline\":" + answer_text(roof);
      json job{{"model", std::string(w.model->id)},
               {"gpu", std::string(g.id)},
               {"gpu_name", std::string(g.name)},
               {"gpus", w.hardware.count},
               {"runtime", std::string(to_string(w.runtime))},
               {"weights", w.weights ? json(std::string(to_string(*w.weights))) : json(nullptr)},
               {"compute", std::string(to_string(w.compute))},
               {"parallel", {{"dp", w.parallel.dp}, {"tp", w.parallel.tp}, {"pp", w.parallel.pp}, {"ep", w.parallel.ep},
                             {"zero", w.parallel.zero}}},
               {"price_usd_per_hour", g.price_usd_per_hour}};
      text += ",\"job\":" + answer_text(job);
    }
    return give(text + "}");
  });
}

/// A pasted config.json read as the CLI reads one (io/hf_config.hpp): the summary of `headroom model
/// --json`, or {"ok": false, "error": ...}.
HR_EXPORT const char* hr_model(const char* config_json) {
  return guarded([&] {
    StringStore strings;
    json config = strict_json::parse(config_json);
    if (config.is_object() && !config.contains("_id")) config["_id"] = "config.json";
    json j = model_to_json(model_from_hf_config(config, strings, "the pasted config.json"));
    j["ok"] = true;
    return give(j);
  });
}

/// The planner as `headroom plan --json` runs it: a request of io/plan_json.hpp ({"case": ..., "gpu":
/// [ids], "gpus": [counts], "objective": ..., "max_gpus": 64, "top": 10}); the answer is that of
/// `headroom plan --json` (unrounded) with "ok": true.
HR_EXPORT const char* hr_plan(const char* request_json) {
  return guarded([&] {
    StringStore strings;
    const PlanRequest req = plan_request_from_json(strict_json::parse(request_json), Catalog::builtin(), strings);
    json j = plan_to_json(req, plan_kept(req));
    j["ok"] = true;
    return give(j);
  });
}
