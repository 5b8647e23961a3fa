// Feature names beside unnamed rows: DeepVariant's small_model_info.json, DeepVariant's order.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "smallcall/error.hpp"
#include "smallcall/feature_encoder.hpp"
#include "smallcall/feature_names.hpp"
#include "test_util.hpp"

using namespace smallcall;

TEST_CASE("the sidecar is read and written as DeepVariant's small_model_json.py does", "[names]") {
  const std::vector<std::string> names{"b", "a", "c"};
  const auto j = nlohmann::json::parse(sidecar_json(names));
  // json.dump({"version", "shape", "model_features", "config"}, indent=2)
  REQUIRE(j["shape"] == 3);
  REQUIRE(j["model_features"] == names);
  REQUIRE(j["config"] == nlohmann::json::object());
  REQUIRE(j["version"].is_string());
  REQUIRE(parse_sidecar(sidecar_json(names), "x.json") == names);
  // DeepVariant's own file for a checkpoint carries a config; extra keys are fine.
  REQUIRE(parse_sidecar(R"({"version": "1.10.0", "shape": 2, "model_features": ["x", "y"], "config": {"a": 1}})",
                        "ckpt.json") == std::vector<std::string>{"x", "y"});
  REQUIRE(parse_sidecar(R"({"model_features": ["x"]})", "m.json") == std::vector<std::string>{"x"});
  auto error = [](const std::string& text) {
    try {
      parse_sidecar(text, "bad.json");
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  REQUIRE_THAT(error("{"), Catch::Contains("bad.json: not valid JSON"));
  REQUIRE_THAT(error("[]"), Catch::Contains("no \"model_features\""));
  REQUIRE_THAT(error(R"({"model_features": []})"), Catch::Contains("model_features is empty"));
  REQUIRE_THAT(error(R"({"model_features": ["a", 3]})"), Catch::Contains("entry 1 is not a feature name"));
  REQUIRE_THAT(error(R"({"model_features": ["a", ""]})"), Catch::Contains("entry 1 is not a feature name"));
  REQUIRE_THAT(error(R"({"model_features": ["a", "a"]})"), Catch::Contains("\"a\" is named twice"));
  REQUIRE_THAT(error(R"({"shape": 3, "model_features": ["a", "b"]})"), Catch::Contains("shape 3 does not match"));
  REQUIRE_THAT(error(R"({"shape": "2", "model_features": ["a", "b"]})"), Catch::Contains("shape \"2\""));
}

TEST_CASE("an input's sidecar: beside it, beside shard 0, or beside the @N spec", "[names]") {
  testutil::ScratchDir dir;
  REQUIRE_FALSE(find_sidecar(dir / "rows.tfrecord.gz"));
  REQUIRE_FALSE(find_sidecar("-"));
  testutil::write_file(dir / "rows.tfrecord.gz.small_model_info.json", "{}");
  REQUIRE(*find_sidecar(dir / "rows.tfrecord.gz") == dir / "rows.tfrecord.gz.small_model_info.json");
  // Shards: their own, else shard 0's (DeepVariant writes example_info.json there), else the spec's.
  testutil::write_file(dir / "ex@16.tfrecord.gz.small_model_info.json", "{}");
  REQUIRE(*find_sidecar(dir / "ex-00003-of-00016.tfrecord.gz") == dir / "ex@16.tfrecord.gz.small_model_info.json");
  testutil::write_file(dir / "ex-00000-of-00016.tfrecord.gz.small_model_info.json", "{}");
  REQUIRE(*find_sidecar(dir / "ex-00003-of-00016.tfrecord.gz") ==
          dir / "ex-00000-of-00016.tfrecord.gz.small_model_info.json");
  testutil::write_file(dir / "ex-00003-of-00016.tfrecord.gz.small_model_info.json", "{}");
  REQUIRE(*find_sidecar(dir / "ex-00003-of-00016.tfrecord.gz") ==
          dir / "ex-00003-of-00016.tfrecord.gz.small_model_info.json");
  // DeepVariant's own spelling, shard suffix after the extension.
  testutil::write_file(dir / "dv.tfrecord@4.gz.small_model_info.json", "{}");
  REQUIRE(*find_sidecar(dir / "dv.tfrecord-00002-of-00004.gz") == dir / "dv.tfrecord@4.gz.small_model_info.json");
}

TEST_CASE("DeepVariant's names for unnamed rows of a given width", "[names]") {
  REQUIRE(deepvariant_feature_names(70) == wgs_feature_names(51));
  REQUIRE(deepvariant_feature_names(70).size() == 70);
  REQUIRE(deepvariant_feature_names(30) == wgs_feature_names(11));
  REQUIRE(deepvariant_feature_names(19).size() == 19);  // no VAF context (window 0)
  REQUIRE(deepvariant_feature_names(19).back() == "is_multiple_alt_alleles");
  REQUIRE(deepvariant_feature_names(69).empty());  // an even window fits no width
  REQUIRE(deepvariant_feature_names(3).empty());
}

TEST_CASE("the model's features are found by name in the row", "[names]") {
  REQUIRE(match_features({"c", "a"}, {"a", "b", "c"}, "s.json") == std::vector<int>{2, 0});
  REQUIRE_THROWS_WITH(match_features({"a", "z"}, {"a", "b"}, "s.json"),
                      Catch::Contains("s.json: the rows have no feature \"z\", which the model needs"));
}
