// headroom._headroom: the C++ side of the Python package (python/headroom/__init__.py, docs/python.md).
// It speaks JSON text with the Python side, so every answer is the one io/cases.hpp writes for
// `headroom eval`; the Python side turns the text into dicts and typed results. C++ errors become the
// exception classes of headroom._errors, with the same messages.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "case_answers.hpp"
#include "headroom/catalog.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/gpu_json.hpp"
#include "headroom/io/hf_config.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/version.hpp"

namespace py = pybind11;

namespace {

using headroom::bindings::ErrorKind;

/// The name of an ErrorKind as headroom._errors keys its classes.
const char* kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::none: return "";
    case ErrorKind::input: return "input";
    case ErrorKind::unknown_id: return "unknown_id";
    case ErrorKind::data: return "data";
    case ErrorKind::unsupported_model_type: return "unsupported_model_type";
    case ErrorKind::not_modelled: return "not_modelled";
    case ErrorKind::io: return "io";
    case ErrorKind::internal: return "internal";
  }
  return "internal";
}

const headroom::Catalog& catalog() { return headroom::Catalog::builtin(); }

/// Answers each case line as `headroom eval` does, without the GIL: other Python threads run while
/// the batch is answered. Returns (answer text, error kind or "") per line.
std::vector<std::pair<std::string, std::string>> evaluate_lines(const std::vector<std::string>& lines) {
  std::vector<std::pair<std::string, std::string>> out(lines.size());
  {
    py::gil_scoped_release nogil;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto a = headroom::bindings::answer_line(lines[i], catalog());
      out[i] = {std::move(a.text), kind_name(a.kind)};
    }
  }
  return out;
}

/// `headroom fit --json` for one case: the answer object plus `suggestions` (what would fit),
/// written as src/cli/cmd_fit.cpp writes them (tests/python compares the two outputs).
std::string fit(const std::string& case_json) {
  using namespace headroom;
  const nlohmann::json c = strict_json::parse(case_json);
  StringStore strings;
  FitAnswer f;
  {
    py::gil_scoped_release nogil;
    f = fit_case(c, catalog(), strings);
  }
  if (f.evaluated.answer.error) std::rethrow_exception(f.evaluated.answer.error);
  return answer_text(fit_to_json(f));
}

/// The GPUs of the catalog as `headroom gpus --json` writes them.
std::string gpus() {
  auto arr = nlohmann::json::array();
  for (const auto& g : catalog().gpus()) arr.push_back(headroom::gpu_to_json(g, catalog().provenance(g.id)));
  return headroom::answer_text(arr);
}

/// The models of the catalog as `headroom models --json` writes them.
std::string models() {
  auto arr = nlohmann::json::array();
  for (const auto& m : catalog().models()) arr.push_back(headroom::model_to_json(m));
  return headroom::answer_text(arr);
}

/// One catalog model (an id or an alias) as `headroom model ID --json` writes it.
std::string model(const std::string& id) { return headroom::answer_text(headroom::model_to_json(catalog().model(id))); }

/// A config.json object (its text) read as a case's {"hf_config": ...} is read; `where` names it in errors.
std::string model_from_hf_config(const std::string& config_json, const std::string& where) {
  headroom::StringStore strings;
  const nlohmann::json config = headroom::strict_json::parse(config_json);
  return headroom::answer_text(headroom::model_to_json(headroom::model_from_hf_config(config, strings, where)));
}

/// Raises the class of headroom._errors for `kind` with `message`.
void raise_kind(ErrorKind kind, const char* message) {
  const py::object cls = py::module_::import("headroom._errors").attr("by_kind")[py::str(kind_name(kind))];
  PyErr_SetString(cls.ptr(), message);
}

}  // namespace

PYBIND11_MODULE(_headroom, m) {
  m.doc() = "The C++ side of the headroom package; use the functions of `headroom` instead.";
  m.attr("version") = std::string(headroom::version_string);
  m.def("evaluate_lines", &evaluate_lines, py::arg("lines"),
        "Answers case lines as `headroom eval` does, without the GIL: [(answer text, error kind or '')].");
  m.def("fit", &fit, py::arg("case_json"), "The text `headroom fit --json` prints for one case.");
  m.def("gpus", &gpus, "The catalog GPUs as `headroom gpus --json` writes them (text).");
  m.def("models", &models, "The catalog models as `headroom models --json` writes them (text).");
  m.def("model", &model, py::arg("id"), "One catalog model as `headroom model ID --json` writes it (text).");
  m.def("model_from_hf_config", &model_from_hf_config, py::arg("config_json"), py::arg("where"),
        "A config.json read as the case format reads {\"hf_config\": ...} (text of `headroom model --json`).");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const headroom::Error& e) {
      raise_kind(headroom::bindings::kind_of(p), e.what());
    } catch (const nlohmann::json::parse_error& e) {
      raise_kind(ErrorKind::input,
                 ("not valid JSON: " + headroom::strict_json::without_library_ids(e.what())).c_str());
    } catch (const nlohmann::json::exception& e) {
      raise_kind(ErrorKind::input,
                 ("malformed value: " + headroom::strict_json::without_library_ids(e.what())).c_str());
    }
  });
}
