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

#include <algorithm>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "../../src/capi/case_answers.hpp"
#include "headroom/catalog.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/fit.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/hf_config.hpp"
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
/// job's arithmetic intensity), "job": the normalized settings the answer assumed}.
HR_EXPORT const char* hr_answer(const char* case_json) {
  return guarded([&] {
    const Catalog& catalog = Catalog::builtin();
    const auto a = bindings::answer_line(case_json, catalog);
    std::string text = "{\"answer\":" + a.text;
    if (a.kind == bindings::ErrorKind::none) {
      StringStore strings;
      const Job w = normalize(job_from_json(strict_json::parse(case_json), catalog, strings));
      if (w.task != Task::collective) {
        const Answer ans = evaluate(w);
        if (ans.has_memory && !ans.memory.fits)
          text += ",\"suggestions\":" + answer_text(suggestions_to_json(suggest(w, catalog.gpus())));
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

/// The planner (planner.hpp) as `headroom plan --json` runs it: {"case": <a one-GPU case: model, task
/// and the settings to keep>, "gpus": [ids] (empty: the whole catalog), "objective": "...", "max_gpus": 64,
/// "top": 10}. The answer has the keys of `headroom plan --json`'s options.
HR_EXPORT const char* hr_plan(const char* request_json) {
  return guarded([&] {
    const Catalog& catalog = Catalog::builtin();
    const json r = strict_json::parse(request_json);
    StringStore strings;
    PlanRequest req;
    req.job = job_from_json(r.at("case"), catalog, strings);
    const bool serving = req.job.task == Task::serving;
    const std::string objective = r.value("objective", serving ? "cost" : "time");
    const auto chosen = names::value<Objective>(objective);
    if (!chosen) throw InputError("objective", "'" + objective + "' is not one of " + names::list<Objective>());
    req.objective = *chosen;
    req.max_gpus = r.value("max_gpus", 64);
    req.top = r.value("top", std::size_t{10});
    const json& c = r.at("case");
    // As `headroom plan`: a training batch given is kept; inference under a throughput objective tries
    // batches up to 256; a serving concurrency given is kept.
    if (req.job.task == Task::training && c.contains("batch") && !req.job.question.batch_max)
      req.micro_batches = {req.job.batch};
    if (req.job.task == Task::inference && !c.contains("batch") && req.objective != Objective::time)
      req.inference_batches = {1, 4, 16, 64, 256};
    if (serving && c.contains("concurrency")) req.concurrencies = {req.job.serving.concurrency};
    if (r.contains("gpus") && !r.at("gpus").empty())
      for (const auto& id : r.at("gpus")) req.gpus.push_back(&catalog.gpu(id.get<std::string>()));
    else
      for (const GpuSpec& g : catalog.gpus()) req.gpus.push_back(&g);
    const Plan p = plan(req);
    json list = json::array();
    for (const PlanOption& x : p.options) {
      const Parallel& par = x.job.parallel;
      json o{{"gpu", std::string(x.gpu->id)},
             {"gpus", x.job.hardware.count},
             {"parallel", {{"dp", par.dp}, {"tp", par.tp}, {"pp", par.pp}, {"ep", par.ep}, {"zero", par.zero}}},
             {"per_gpu_gib", to_gib(x.memory.per_gpu)},
             {"throughput_tokens_per_s", x.throughput},
             {"cost_usd_per_hour", x.cost_per_hour},
             {"usd_per_million_tokens", x.usd_per_mtok > 0 ? json(x.usd_per_mtok) : json(nullptr)}};
      if (serving) {
        o["concurrency"] = x.job.serving.concurrency;
        o["serving"] = serving_to_json(x.serving);
      } else {
        o["batch"] = x.job.batch;
        o["grad_checkpointing"] = x.job.training.checkpointing == Checkpointing::full ? "full" : "none";
        o["bound"] = std::string(to_string(x.time.result.bound));
      }
      list.push_back(o);
    }
    return give(json{{"ok", true},
                     {"objective", std::string(to_string(req.objective))},
                     {"considered", p.considered},
                     {"fitting", p.fitting},
                     {"skipped_unpriced", p.skipped_unpriced},
                     {"options", list}});
  });
}
