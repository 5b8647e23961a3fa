// Model JSON: the plain form, directories, and every inconsistency named by layer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <random>

#include "json_compare.hpp"
#include "smallcall/error.hpp"
#include "smallcall/json_reader.hpp"
#include "smallcall/model.hpp"
#include "test_util.hpp"

using namespace smallcall;
using nlohmann::json;

namespace {
json valid_model() {
  json m;
  m["format"] = "smallcall.mlp";
  m["version"] = 1;
  m["features"] = {"a", "b"};
  m["classes"] = {"hom_ref", "het", "hom_alt"};
  m["layers"] = json::array({
      {{"activation", "relu"}, {"kernel", {{1, 2, 3, 4}, {5, 6, 7, 8}}}, {"bias", {0, 0, 0, 0}}},
      {{"activation", "softmax"}, {"kernel", {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}}}, {"bias", {0.5, 0, 0}}},
  });
  m["gate"] = {{"snp_gq_threshold", 15}, {"indel_gq_threshold", 16}};
  return m;
}

std::string error_of(const json& m) {
  try {
    parse_model_json(m.dump(), "m.json");
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the plain model form loads", "[model]") {
  const Model m = parse_model_json(valid_model().dump(), "m.json");
  REQUIRE(m.features == std::vector<std::string>{"a", "b"});
  REQUIRE(m.layers.size() == 2);
  REQUIRE(m.layers[0].in_dim == 2);
  REQUIRE(m.layers[0].out_dim == 4);
  REQUIRE(m.layers[0].kernel[1 * 4 + 2] == 7.f);  // row-major in x out (Keras layout)
  REQUIRE(m.layers[1].activation == Activation::kSoftmax);
  REQUIRE(m.layers[1].bias[0] == 0.5f);
  REQUIRE(*m.gate_snp_gq_threshold == 15);
  REQUIRE(*m.gate_indel_gq_threshold == 16);
  REQUIRE_FALSE(m.self_test.has_value());
  REQUIRE(m.parameter_count() == 2 * 4 + 4 + 4 * 3 + 3);
}

TEST_CASE("gate, classes, format and version are optional", "[model]") {
  json m = valid_model();
  m.erase("gate");
  m.erase("classes");
  m.erase("format");
  m.erase("version");
  const Model model = parse_model_json(m.dump(), "m.json");
  REQUIRE_FALSE(model.gate_snp_gq_threshold.has_value());
}

TEST_CASE("a model directory holding model.json loads, and the shipped default model is valid", "[model]") {
  const Model m = load_model(testutil::source_dir() + "/data");
  REQUIRE(m.num_features() == 70);
  REQUIRE(m.features.front() == "num_reads_supports_ref");
  REQUIRE(m.features.back() == "variant_allele_frequency_at_plus_25");
  REQUIRE(m.self_test.has_value());
  REQUIRE(m.self_test->inputs.size() == 300);
  REQUIRE_THROWS_WITH(load_model("/nonexistent/model"), Catch::Contains("no such file"));
  testutil::ScratchDir dir;
  REQUIRE_THROWS_WITH(load_model(dir.path), Catch::Contains("no model.json"));
}

TEST_CASE("every inconsistency is a clear error naming the layer", "[model]") {
  SECTION("not JSON") { REQUIRE_THAT(error_of(json()), Catch::Contains("top level")); }
  SECTION("bad JSON text") {
    REQUIRE_THROWS_WITH(parse_model_json("{\"features\": [", "m.json"), Catch::Contains("not valid JSON"));
  }
  SECTION("missing features") {
    json m = valid_model();
    m.erase("features");
    REQUIRE_THAT(error_of(m), Catch::Contains("missing \"features\""));
  }
  SECTION("missing layers") {
    json m = valid_model();
    m.erase("layers");
    REQUIRE_THAT(error_of(m), Catch::Contains("missing \"layers\""));
  }
  SECTION("missing kernel") {
    json m = valid_model();
    m["layers"][1].erase("kernel");
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 1: missing \"kernel\""));
  }
  SECTION("ragged kernel") {
    json m = valid_model();
    m["layers"][0]["kernel"][1] = {1, 2, 3};
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 0: ragged kernel"));
  }
  SECTION("wrong dims between layers") {
    json m = valid_model();
    m["layers"][1]["kernel"] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 1: kernel has 3 input rows but layer 0 has 4 outputs"));
  }
  SECTION("first layer width differs from the features") {
    json m = valid_model();
    m["features"] = {"a", "b", "c"};
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 0: kernel has 2 input rows but the model lists 3 features"));
  }
  SECTION("bias length") {
    json m = valid_model();
    m["layers"][0]["bias"] = {0, 0};
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 0: bias has 2 values"));
  }
  SECTION("non-finite weight") {
    json m = valid_model();
    m["layers"][1]["kernel"][2][1] = 1e39;  // finite double, infinite float32
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 1 kernel[2][1] is not a finite float32"));
  }
  SECTION("non-numeric weight") {
    json m = valid_model();
    m["layers"][0]["bias"][3] = "x";
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 0 bias[3] is not a number"));
  }
  SECTION("unknown activation") {
    json m = valid_model();
    m["layers"][0]["activation"] = "gelu";
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 0: unknown activation \"gelu\""));
  }
  SECTION("softmax not last") {
    json m = valid_model();
    m["layers"][0]["activation"] = "softmax";
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 0: softmax is allowed on the last layer only"));
  }
  SECTION("last layer not softmax") {
    json m = valid_model();
    m["layers"][1]["activation"] = "relu";
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 1: the last layer must use softmax"));
  }
  SECTION("wrong number of classes") {
    json m = valid_model();
    m["layers"][1]["kernel"] = {{1, 0}, {0, 1}, {0, 0}, {1, 1}};
    m["layers"][1]["bias"] = {0, 0};
    REQUIRE_THAT(error_of(m), Catch::Contains("layer 1: the last layer has 2 outputs; 3 are needed"));
  }
  SECTION("classes list of the wrong size") {
    json m = valid_model();
    m["classes"] = {"a", "b"};
    REQUIRE_THAT(error_of(m), Catch::Contains("exactly 3 classes"));
  }
  SECTION("duplicate feature") {
    json m = valid_model();
    m["features"] = {"a", "a"};
    REQUIRE_THAT(error_of(m), Catch::Contains("listed twice"));
  }
  SECTION("wrong format") {
    json m = valid_model();
    m["format"] = "keras";
    REQUIRE_THAT(error_of(m), Catch::Contains("\"format\""));
  }
  SECTION("non-integer gate threshold") {
    json m = valid_model();
    m["gate"]["snp_gq_threshold"] = "20";
    REQUIRE_THAT(error_of(m), Catch::Contains("gate.snp_gq_threshold"));
  }
  SECTION("gate threshold out of range") {
    json m = valid_model();
    m["gate"]["indel_gq_threshold"] = 99999999999LL;
    REQUIRE_THAT(error_of(m), Catch::Contains("gate.indel_gq_threshold is out of range"));
  }
  SECTION("self_test of the wrong width") {
    json m = valid_model();
    m["self_test"] = {{"inputs", {{1, 2, 3}}}, {"probabilities", {{0.3, 0.3, 0.4}}}};
    REQUIRE_THAT(error_of(m), Catch::Contains("self_test row 0"));
  }
  SECTION("the file name is in every message") {
    json m = valid_model();
    m["layers"][0]["activation"] = "gelu";
    REQUIRE_THAT(error_of(m), Catch::StartsWith("model m.json: "));
  }
}

TEST_CASE("the plain JSON reader builds what nlohmann builds, or declines", "[model][json]") {
  // Accepted: each must equal nlohmann's value node for node, types included.
  const std::vector<std::string> plain = {
      "0", "-0", "-0.0", "1", "18446744073709551615", "18446744073709551616", "-9223372036854775808",
      "-9223372036854775809", "1.5", "-2.25e-3", "1E5", "1e+5", "0.1e-2", "3.4028234663852886e38", "1e-45",
      "4.9e-324", "0.30000000000000004", "123456789012345678901234567890", "true", "false", "null", "\"\"",
      "\"plain ascii, with spaces\"", "[]", "{}", " [ 1 , 2 ,3 ] ", "\t{\"a\" :\n[[1,2],[3, 4.5]], \"b\":{}}\r\n",
      "{\"k\": 1, \"k\": 2}", "[[[[[[[[[[1]]]]]]]]]]"};
  for (const std::string& text : plain) {
    INFO(text);
    const auto got = parse_json_plain(text);
    REQUIRE(got.has_value());
    REQUIRE(testutil::same_json(*got, json::parse(text)));
  }
  // Declined: escapes, non-ASCII, control characters, invalid or out-of-range JSON, deep
  // nesting. nlohmann decides (and parse_json agrees with it).
  const std::vector<std::string> declined = {
      "\"a\\nb\"", "\"\\u00e9\"", "\"caf\xc3\xa9\"", "\xef\xbb\xbf{}", "\"tab\there\"", "01", "+1", "1.", ".5", "1e",
      "1e400", "-1e400", "[1,]", "{\"a\":1,}", "[1 2]", "{a:1}", "tru", "nul", "[", "", "   ", "1 2", "[1]x",
      std::string(65, '[') + std::string(65, ']'), "NaN", "Infinity", "-"};
  for (const std::string& text : declined) {
    INFO(text);
    REQUIRE_FALSE(parse_json_plain(text).has_value());
    bool nlohmann_ok = true;
    json reference;
    try {
      reference = json::parse(text);
    } catch (const json::exception&) {
      nlohmann_ok = false;
    }
    if (nlohmann_ok) {
      REQUIRE(testutil::same_json(parse_json(text), reference));
    } else {
      REQUIRE_THROWS_AS(parse_json(text), json::exception);
    }
  }
  // A model's worth of random float32 values as Python and Keras print them.
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.f, 0.05f);
  std::string text = "[";
  for (int i = 0; i < 20000; ++i) {
    char buf[40];
    const float f = i % 997 == 0 ? 0.f : normal(rng) * (i % 3 == 0 ? 1e-6f : 1.f);
    std::snprintf(buf, sizeof buf, i % 2 ? "%.9g" : "%.17g", static_cast<double>(f));
    text += (i ? ", " : "") + std::string(buf);
  }
  text += "]";
  const auto got = parse_json_plain(text);
  REQUIRE(got.has_value());
  REQUIRE(testutil::same_json(*got, json::parse(text)));
  // The shipped model: the plain reader takes it whole.
  const std::string shipped = testutil::read_file(testutil::source_dir() + "/data/model.json");
  REQUIRE(parse_json_plain(shipped).has_value());
  REQUIRE(testutil::same_json(*parse_json_plain(shipped), json::parse(shipped)));
}
