#include "smallcall/model.hpp"

#include <sys/stat.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "smallcall/error.hpp"
#include "smallcall/json_reader.hpp"

namespace smallcall {

using nlohmann::json;

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::kRelu: return "relu";
    case Activation::kLinear: return "linear";
    case Activation::kSigmoid: return "sigmoid";
    case Activation::kTanh: return "tanh";
    case Activation::kSoftmax: return "softmax";
  }
  return "?";
}

long long Model::parameter_count() const {
  long long n = 0;
  for (const auto& l : layers) n += l.parameter_count();
  return n;
}

double Model::flops_per_row() const {
  double f = 0;
  for (const auto& l : layers) f += 2.0 * l.in_dim * l.out_dim;
  return f;
}

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  throw DataError("model " + source + ": " + what);
}

// `where()` names the value in a message: built only on failure (a model has ~10^6 values).
template <typename Where>
float finite_float(const json& v, const std::string& source, Where where) {
  if (!v.is_number()) fail(source, where() + " is not a number");
  const double d = v.get<double>();
  const float f = static_cast<float>(d);
  if (!std::isfinite(d) || !std::isfinite(f)) fail(source, where() + " is not a finite float32 value");
  return f;
}

Activation parse_activation(const json& v, const std::string& source, const std::string& where) {
  if (!v.is_string()) fail(source, where + ": \"activation\" must be a string");
  const auto s = v.get<std::string>();
  if (s == "relu") return Activation::kRelu;
  if (s == "linear") return Activation::kLinear;
  if (s == "sigmoid") return Activation::kSigmoid;
  if (s == "tanh") return Activation::kTanh;
  if (s == "softmax") return Activation::kSoftmax;
  fail(source, where + ": unknown activation \"" + s + "\" (expected relu, linear, sigmoid, tanh or softmax)");
}

DenseLayer parse_layer(const json& j, size_t index, const std::string& source) {
  const std::string where = "layer " + std::to_string(index);
  if (!j.is_object()) fail(source, where + " is not an object");
  for (const char* key : {"activation", "kernel", "bias"})
    if (!j.contains(key)) fail(source, where + ": missing \"" + key + "\"");
  DenseLayer layer;
  layer.activation = parse_activation(j["activation"], source, where);
  const json& kernel = j["kernel"];
  if (!kernel.is_array() || kernel.empty()) fail(source, where + ": \"kernel\" must be a non-empty array of rows");
  layer.in_dim = static_cast<int>(kernel.size());
  for (size_t r = 0; r < kernel.size(); ++r) {
    const json& row = kernel[r];
    if (!row.is_array() || row.empty())
      fail(source, where + ": kernel row " + std::to_string(r) + " is not a non-empty array");
    if (r == 0) layer.out_dim = static_cast<int>(row.size());
    if (row.size() != static_cast<size_t>(layer.out_dim))
      fail(source, where + ": ragged kernel: row " + std::to_string(r) + " has " + std::to_string(row.size()) +
                       " columns, row 0 has " + std::to_string(layer.out_dim));
    if (r == 0) layer.kernel.reserve(static_cast<size_t>(layer.in_dim) * layer.out_dim);
    for (size_t c = 0; c < row.size(); ++c)
      layer.kernel.push_back(finite_float(row[c], source, [&] {
        return where + " kernel[" + std::to_string(r) + "][" + std::to_string(c) + "]";
      }));
  }
  const json& bias = j["bias"];
  if (!bias.is_array()) fail(source, where + ": \"bias\" must be an array");
  if (bias.size() != static_cast<size_t>(layer.out_dim))
    fail(source, where + ": bias has " + std::to_string(bias.size()) + " values, kernel has " +
                     std::to_string(layer.out_dim) + " output columns");
  for (size_t c = 0; c < bias.size(); ++c)
    layer.bias.push_back(finite_float(bias[c], source, [&] { return where + " bias[" + std::to_string(c) + "]"; }));
  return layer;
}

std::optional<int> parse_threshold(const json& gate, const char* key, const std::string& source) {
  if (!gate.contains(key)) return std::nullopt;
  const json& v = gate[key];
  if (!v.is_number_integer()) fail(source, std::string("gate.") + key + " must be an integer");
  if (v.is_number_unsigned() ? v.get<uint64_t>() > 1000000u : (v.get<int64_t>() < -1000000 || v.get<int64_t>() > 1000000))
    fail(source, std::string("gate.") + key + " is out of range");
  return static_cast<int>(v.get<int64_t>());
}

SelfTest parse_self_test(const json& j, const Model& model, const std::string& source) {
  if (!j.is_object()) fail(source, "\"self_test\" must be an object");
  if (!j.contains("inputs") || !j.contains("probabilities"))
    fail(source, "self_test needs \"inputs\" and \"probabilities\"");
  const json& inputs = j["inputs"];
  const json& probs = j["probabilities"];
  if (!inputs.is_array() || !probs.is_array()) fail(source, "self_test inputs/probabilities must be arrays");
  if (inputs.size() != probs.size())
    fail(source, "self_test has " + std::to_string(inputs.size()) + " input rows but " +
                     std::to_string(probs.size()) + " probability rows");
  SelfTest st;
  if (j.contains("atol")) {
    if (!j["atol"].is_number() || !(j["atol"].get<double>() >= 0)) fail(source, "self_test.atol must be a number >= 0");
    st.atol = j["atol"].get<double>();
  }
  for (size_t r = 0; r < inputs.size(); ++r) {
    const std::string where = "self_test row " + std::to_string(r);
    if (!inputs[r].is_array() || inputs[r].size() != model.features.size())
      fail(source, where + ": input must have " + std::to_string(model.features.size()) + " values");
    if (!probs[r].is_array() || probs[r].size() != Model::kNumClasses)
      fail(source, where + ": probabilities must have 3 values");
    std::vector<float> in;
    in.reserve(inputs[r].size());
    for (size_t c = 0; c < inputs[r].size(); ++c)
      in.push_back(finite_float(inputs[r][c], source, [&] { return where + " input"; }));
    std::vector<double> p;
    for (size_t c = 0; c < 3; ++c) {
      if (!probs[r][c].is_number()) fail(source, where + ": probability is not a number");
      p.push_back(probs[r][c].get<double>());
    }
    st.inputs.push_back(std::move(in));
    st.probabilities.push_back(std::move(p));
  }
  return st;
}

}  // namespace

namespace {
Model parse_model(std::string text, const std::string& source);
}  // namespace

Model parse_model_json(std::string text, const std::string& source) {
  try {
    return parse_model(std::move(text), source);
  } catch (const json::exception& e) {
    // Number overflow while parsing (out_of_range 406) or a value of an unexpected type:
    // bad input like any other, never an uncaught exception (found by fuzz_model).
    fail(source, std::string("not valid JSON: ") + e.what());
  }
}

namespace {
Model parse_model(std::string text, const std::string& source) {
  json j = parse_json(text);
  std::string().swap(text);  // the values are in j now: peak memory is one of the two
  if (!j.is_object()) fail(source, "top level must be a JSON object");
  if (j.contains("format") && j["format"] != "smallcall.mlp")
    fail(source, "\"format\" must be \"smallcall.mlp\"");
  if (j.contains("version") && j["version"] != 1) fail(source, "unsupported \"version\" (this smallcall reads version 1)");

  Model model;
  model.source_path = source;
  if (!j.contains("features") || !j["features"].is_array() || j["features"].empty())
    fail(source, "missing \"features\" (a non-empty list of feature names)");
  std::set<std::string> seen;
  for (const auto& f : j["features"]) {
    if (!f.is_string() || f.get<std::string>().empty()) fail(source, "every feature name must be a non-empty string");
    if (!seen.insert(f.get<std::string>()).second) fail(source, "feature \"" + f.get<std::string>() + "\" is listed twice");
    model.features.push_back(f.get<std::string>());
  }
  if (j.contains("classes")) {
    const json& c = j["classes"];
    if (!c.is_array() || c.size() != Model::kNumClasses)
      fail(source, "\"classes\" must list exactly 3 classes (hom_ref, het, hom_alt)");
    model.classes.clear();
    for (const auto& name : c) {
      if (!name.is_string()) fail(source, "class names must be strings");
      model.classes.push_back(name.get<std::string>());
    }
  }
  if (!j.contains("layers") || !j["layers"].is_array() || j["layers"].empty())
    fail(source, "missing \"layers\" (a non-empty list of Dense layers)");
  const json& layers = j["layers"];
  for (size_t i = 0; i < layers.size(); ++i) model.layers.push_back(parse_layer(layers[i], i, source));

  // Shapes chain: features -> layer 0 -> ... -> 3 classes; softmax only and always last.
  if (model.layers[0].in_dim != model.num_features())
    fail(source, "layer 0: kernel has " + std::to_string(model.layers[0].in_dim) + " input rows but the model lists " +
                     std::to_string(model.num_features()) + " features");
  for (size_t i = 1; i < model.layers.size(); ++i)
    if (model.layers[i].in_dim != model.layers[i - 1].out_dim)
      fail(source, "layer " + std::to_string(i) + ": kernel has " + std::to_string(model.layers[i].in_dim) +
                       " input rows but layer " + std::to_string(i - 1) + " has " +
                       std::to_string(model.layers[i - 1].out_dim) + " outputs");
  for (size_t i = 0; i + 1 < model.layers.size(); ++i)
    if (model.layers[i].activation == Activation::kSoftmax)
      fail(source, "layer " + std::to_string(i) + ": softmax is allowed on the last layer only");
  const DenseLayer& last = model.layers.back();
  const std::string last_name = "layer " + std::to_string(model.layers.size() - 1);
  if (last.activation != Activation::kSoftmax) fail(source, last_name + ": the last layer must use softmax");
  if (last.out_dim != Model::kNumClasses)
    fail(source, last_name + ": the last layer has " + std::to_string(last.out_dim) +
                     " outputs; 3 are needed (hom_ref, het, hom_alt)");

  if (j.contains("gate")) {
    const json& gate = j["gate"];
    if (!gate.is_object()) fail(source, "\"gate\" must be an object");
    model.gate_snp_gq_threshold = parse_threshold(gate, "snp_gq_threshold", source);
    model.gate_indel_gq_threshold = parse_threshold(gate, "indel_gq_threshold", source);
  }
  if (j.contains("self_test")) model.self_test = parse_self_test(j["self_test"], model, source);
  return model;
}
}  // namespace

Model load_model(const std::string& path) {
  std::string file = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw DataError("model " + path + ": no such file or directory");
  if (S_ISDIR(st.st_mode)) {
    file = path + (path.back() == '/' ? "" : "/") + "model.json";
    if (::stat(file.c_str(), &st) != 0) throw DataError("model " + path + ": directory has no model.json");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError("model " + file + ": cannot open for reading");
  // Read straight into one string (a stringstream would hold a second copy of 13 MB).
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) text.append(buf, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw DataError("model " + file + ": read error");
  return parse_model_json(std::move(text), file);
}

}  // namespace smallcall
