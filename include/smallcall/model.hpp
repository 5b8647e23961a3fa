#pragma once
// The MLP model: Dense layers in Keras layout (kernel is in_dim x out_dim), loaded from JSON.
#include <optional>
#include <string>
#include <vector>

namespace smallcall {

enum class Activation { kRelu, kLinear, kSigmoid, kTanh, kSoftmax };

const char* activation_name(Activation a);

struct DenseLayer {
  int in_dim = 0;
  int out_dim = 0;
  Activation activation = Activation::kLinear;
  std::vector<float> kernel;  // row-major in_dim x out_dim
  std::vector<float> bias;    // out_dim
  long long parameter_count() const { return static_cast<long long>(in_dim) * out_dim + out_dim; }
};

struct SelfTest {
  std::vector<std::vector<float>> inputs;          // rows x num_features
  std::vector<std::vector<double>> probabilities;  // rows x 3
  double atol = 1e-5;
};

struct Model {
  static constexpr int kNumClasses = 3;  // hom_ref, het, hom_alt

  std::string source_path;  // the JSON file it was read from
  std::vector<std::string> features;
  std::vector<std::string> classes{"hom_ref", "het", "hom_alt"};
  std::vector<DenseLayer> layers;
  std::optional<int> gate_snp_gq_threshold;
  std::optional<int> gate_indel_gq_threshold;
  std::optional<SelfTest> self_test;

  int num_features() const { return static_cast<int>(features.size()); }
  long long parameter_count() const;
  double flops_per_row() const;  // 2 * sum(in*out)
};

// Reads a model JSON file, or PATH/model.json when PATH is a directory. Every inconsistency
// is a DataError naming the file and, where it applies, the layer.
Model load_model(const std::string& path);

// Parses model JSON text; `source` names it in messages. The text is released once parsed
// (a DeepVariant-shape model is 13 MB of text).
Model parse_model_json(std::string text, const std::string& source);

}  // namespace smallcall
