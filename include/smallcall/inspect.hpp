#pragma once
// `smallcall inspect`: what a model is and whether it passes its self test.
#include <nlohmann/json.hpp>
#include <string>

#include "smallcall/engine.hpp"
#include "smallcall/model.hpp"

namespace smallcall {

nlohmann::json inspect_json(const Model& model, const SelfTestResult& self_test);
std::string inspect_text(const Model& model, const SelfTestResult& self_test);

// `smallcall inspect MODEL [--json]`: prints the description on stdout; returns the exit
// status (1 when the self test fails).
int run_inspect(const std::string& model_path, bool as_json);

}  // namespace smallcall
