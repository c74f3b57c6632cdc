// Readers given a record of another kind say what it is; a calibration file's kind and schema of the
// wrong JSON type, a directory given as a file and a null value are typed errors with plain messages
// (io/strict_json.hpp, issue 10).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "headroom/io/calibration_json.hpp"
#include "headroom/io/efficiency_json.hpp"
#include "headroom/io/gpu_json.hpp"
#include "headroom/io/hf_config.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/strict_json.hpp"

using json = nlohmann::json;
using Catch::Matchers::Contains;
namespace hr = headroom;
namespace sj = headroom::strict_json;

namespace {
const json gpu_record = {{"schema", 1}, {"id", "x"}, {"dense_tflops", {{"bf16", 100}}}};
const json hf_config = {{"model_type", "llama"}, {"hidden_size", 4096}};
const json profile = {{"schema", 1}, {"name", "p"}, {"families", json::object()}};
const json calibration = {{"schema", 1}, {"kind", "headroom-calibration"}};
}  // namespace

TEST_CASE("record_kind tells the formats apart by their markers", "[strict_json]") {
  CHECK(sj::record_kind(gpu_record) == sj::RecordKind::gpu);
  CHECK(sj::record_kind(hf_config) == sj::RecordKind::hf_config);
  CHECK(sj::record_kind(profile) == sj::RecordKind::profile);
  CHECK(sj::record_kind(calibration) == sj::RecordKind::calibration);
  CHECK(sj::record_kind(json{{"kind", 5}}) == sj::RecordKind::unknown);
  CHECK(sj::record_kind(json::array()) == sj::RecordKind::unknown);
}

TEST_CASE("a reader given a record of another kind says which kind it is", "[strict_json]") {
  hr::StringStore store;
  REQUIRE_THROWS_MATCHES(hr::efficiency_from_json(gpu_record, store, "g.json"), hr::DataError,
                         Catch::Message("g.json: this is a GPU record, not an efficiency profile"));
  REQUIRE_THROWS_MATCHES(hr::efficiency_from_json(hf_config, store, "c.json"), hr::DataError,
                         Catch::Message("c.json: this is a Hugging Face config.json, not an efficiency profile"));
  REQUIRE_THROWS_MATCHES(hr::gpu_from_json(profile, store, "p.json"), hr::DataError,
                         Catch::Message("p.json: this is an efficiency profile, not a GPU record"));
  REQUIRE_THROWS_MATCHES(hr::model_from_hf_config(gpu_record, store, "g.json"), hr::DataError,
                         Catch::Message("g.json: this is a GPU record, not a Hugging Face config.json"));
  REQUIRE_THROWS_MATCHES(hr::model_from_hf_config(calibration, store, "k.json"), hr::DataError,
                         Catch::Message("k.json: this is a calibration file, not a Hugging Face config.json"));
}

TEST_CASE("a calibration whose kind or schema has the wrong JSON type is a DataError", "[strict_json]") {
  hr::StringStore store;
  REQUIRE_THROWS_MATCHES(hr::calibration_from_json(json{{"kind", 5}, {"schema", 1}}, store, "k.json"), hr::DataError,
                         Catch::Message("k.json: field 'kind': not a headroom calibration file (kind must be "
                                        "\"headroom-calibration\"); got number 5"));
  REQUIRE_THROWS_MATCHES(
      hr::calibration_from_json(json{{"kind", "headroom-calibration"}, {"schema", "1"}}, store, "s.json"), hr::DataError,
      Catch::Message("s.json: field 'schema': unsupported schema version (this build reads 1); got string \"1\""));
  // The rest of a calibration missing: a DataError naming it, not a library exception.
  REQUIRE_THROWS_AS(hr::calibration_from_json(calibration, store, "c.json"), hr::DataError);
}

TEST_CASE("a directory given as a JSON file is an IoError that says so", "[strict_json]") {
  REQUIRE_THROWS_MATCHES(hr::read_json_file(HEADROOM_TEST_DATA_DIR), hr::IoError,
                         Catch::Message("cannot read '" HEADROOM_TEST_DATA_DIR "': it is a directory; give a JSON file"));
}

TEST_CASE("a null value is described as null, library ids are dropped", "[strict_json]") {
  CHECK(sj::described(json(nullptr)) == "null");
  CHECK(sj::described(json(5)) == "number 5");
  CHECK(sj::without_library_ids("not valid JSON: [json.exception.parse_error.101] parse error") ==
        "not valid JSON: parse error");
}
