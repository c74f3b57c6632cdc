#pragma once
/// @file error.hpp
/// Typed errors for bad input and I/O. Model outcomes ("does not fit") are results, never errors.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace headroom {

/// Base of every error the library throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An id that is not in the catalog; carries the closest ids.
class UnknownId : public Error {
 public:
  /// `hint`, when given, ends the message: what else the argument could have been.
  UnknownId(std::string kind, std::string id, std::vector<std::string> suggestions, const std::string& hint = {})
      : Error(compose(kind, id, suggestions) + (hint.empty() ? "" : (suggestions.empty() ? ". " : " ") + hint + ".")),
        kind_(std::move(kind)), id_(std::move(id)), suggestions_(std::move(suggestions)) {}
  [[nodiscard]] const std::string& kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  [[nodiscard]] const std::vector<std::string>& suggestions() const noexcept { return suggestions_; }

 private:
  static std::string compose(const std::string& kind, const std::string& id, const std::vector<std::string>& s) {
    std::string m = "unknown " + kind + " '" + id + "'";
    if (!s.empty()) {
      m += "; did you mean ";
      for (std::size_t i = 0; i < s.size(); ++i) m += (i ? (i + 1 == s.size() ? " or " : ", ") : "") + ("'" + s[i] + "'");
      m += "?";
    }
    return m;
  }
  std::string kind_, id_;
  std::vector<std::string> suggestions_;
};

/// A data file or object that is malformed: names the file (or object), the field and what is wrong.
class DataError : public Error {
 public:
  DataError(std::string where, std::string field, const std::string& what)
      : Error(where + (field.empty() ? "" : ": field '" + field + "'") + ": " + what), where_(std::move(where)),
        field_(std::move(field)) {}
  [[nodiscard]] const std::string& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string where_, field_;
};

/// A job or option value that cannot be used: names the field, the value and how to fix it.
class InputError : public Error {
 public:
  InputError(std::string field, const std::string& what)
      : Error("'" + field + "': " + what), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

/// Well-formed input that this version parses but does not model yet (task "serving"): a known gap,
/// not a mistake in the input. `headroom validate` counts such cases as not answered, not as errors.
class NotModelled : public Error {
 public:
  using Error::Error;
};

/// A Hugging Face `model_type` that has no reader yet: a DataError like any other bad config, and to
/// `headroom validate` a known gap (not answered) rather than an error.
class UnsupportedModelType : public DataError {
 public:
  using DataError::DataError;
};

/// A file that cannot be opened or read.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace headroom
