#include "smallcall/inspect.hpp"

#include <cstdio>
#include <iostream>

#include "smallcall/error.hpp"
#include "smallcall/gate.hpp"

namespace smallcall {

nlohmann::json inspect_json(const Model& m, const SelfTestResult& st) {
  nlohmann::json j;
  j["path"] = m.source_path;
  j["features"] = m.features;
  j["classes"] = m.classes;
  j["layers"] = nlohmann::json::array();
  for (const auto& l : m.layers)
    j["layers"].push_back({{"in", l.in_dim}, {"out", l.out_dim}, {"activation", activation_name(l.activation)},
                           {"parameters", l.parameter_count()}});
  j["parameters"] = m.parameter_count();
  j["flops_per_row"] = m.flops_per_row();
  j["gate"] = {{"snp_gq_threshold", m.gate_snp_gq_threshold ? nlohmann::json(*m.gate_snp_gq_threshold) : nlohmann::json()},
               {"indel_gq_threshold", m.gate_indel_gq_threshold ? nlohmann::json(*m.gate_indel_gq_threshold) : nlohmann::json()}};
  j["self_test"] = {{"present", st.present}, {"passed", st.passed}, {"rows", st.rows},
                    {"max_abs_diff", st.max_abs_diff}, {"atol", st.atol}};
  if (!st.message.empty()) j["self_test"]["message"] = st.message;
  return j;
}

std::string inspect_text(const Model& m, const SelfTestResult& st) {
  std::string out = "model: " + m.source_path + "\nlayers:\n";
  char buf[256];
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const auto& l = m.layers[i];
    std::snprintf(buf, sizeof buf, "  %zu: Dense %d -> %d, %s, %lld parameters\n", i, l.in_dim, l.out_dim,
                  activation_name(l.activation), l.parameter_count());
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "parameters: %lld\nFLOPs per row: %.0f\n", m.parameter_count(), m.flops_per_row());
  out += buf;
  out += "features (" + std::to_string(m.features.size()) + "):";
  for (std::size_t i = 0; i < m.features.size(); ++i) out += (i % 4 == 0 ? "\n  " : ", ") + m.features[i];
  out += "\nclasses: " + m.classes[0] + ", " + m.classes[1] + ", " + m.classes[2] + "\n";
  auto threshold = [](const std::optional<int>& t, int fallback) {
    return t ? std::to_string(*t) : std::to_string(fallback) + " (default)";
  };
  out += "gate: SNP GQ " + threshold(m.gate_snp_gq_threshold, kDefaultSnpGq) + ", indel GQ " +
         threshold(m.gate_indel_gq_threshold, kDefaultIndelGq) + "\n";
  if (!st.present) {
    out += "self test: none in the model\n";
  } else {
    std::snprintf(buf, sizeof buf, "self test: %s, %zu rows, max |difference| %.3g (atol %.3g)\n",
                  st.passed ? "passed" : "FAILED", st.rows, st.max_abs_diff, st.atol);
    out += buf;
    if (!st.passed) out += "  " + st.message + "\n";
  }
  return out;
}

int run_inspect(const std::string& model_path, bool as_json) {
  const Model model = load_model(model_path);
  Engine engine(model);
  const SelfTestResult st = run_self_test(model, engine);
  std::cout << (as_json ? inspect_json(model, st).dump(2) + "\n" : inspect_text(model, st));
  if (!st.passed) {
    std::cerr << "smallcall: error: model " << model.source_path << ": " << st.message << "\n";
    return kExitDataError;
  }
  return kExitOk;
}

}  // namespace smallcall
