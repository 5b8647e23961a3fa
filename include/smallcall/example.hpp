#pragma once
// DeepVariant's small-model tf.Example: features/encoded (int64 or float list, in the
// model's feature order), ids/encoded (contig, start, end, ref, alt), and optionally
// region/encoded, variant/encoded, alt_allele_indices/encoded. label/encoded and
// genotype/encoded are left in the record (and so in a pass-through remainder) but unused.
#include <string>
#include <string_view>
#include <vector>

#include "smallcall/row.hpp"

namespace smallcall {

struct ExampleLayout {
  int num_features = 0;          // the model's features per row
  // How the row's values map to the model's features: empty gather = the row holds exactly
  // the model's features in the model's order; else the row holds row_width values and model
  // feature i is value gather[i].
  int row_width = 0;
  std::vector<int> gather;
  int is_multiallelic_value = -1;  // index of is_multiallelic among the row's values, if named
  std::string source = "the model";  // who expects the row width, for messages
  mutable std::vector<float> row;    // scratch: the row's values when gathering
};

// The number of values in a serialized tf.Example's features/encoded. Throws DataError.
int example_feature_count(std::string_view payload);

// Decodes one serialized tf.Example into row and features (the model's, in its order), and
// reads the candidate it carries (read_candidate), so nothing in the row is parsed again
// later. Throws DataError whose message says what is wrong (the caller adds file and record).
void decode_small_model_example(std::string_view payload, const ExampleLayout& layout, Row& row,
                                float* features);

// Serializes a row as a small-model tf.Example (keys sorted; features as int64_list when
// every value is an integer, else float_list; region/encoded when the row has a region;
// realignment_sensitive/encoded and is_multiallelic/encoded when the row's gate needs them).
// multiallelic_feature: index of is_multiallelic among the features, or -1.
void encode_small_model_example(std::string& out, const Row& row, const float* features, int num_features,
                                int multiallelic_feature = -1);

// The same plus DeepVariant's training keys: label/encoded (one-hot of `label_class`) and
// genotype/encoded (the truth genotype's alleles).
void encode_training_example(std::string& out, const Row& row, const float* features, int num_features,
                             int label_class, const std::vector<int64_t>& genotype);

}  // namespace smallcall
