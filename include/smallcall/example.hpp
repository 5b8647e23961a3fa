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
  int num_features = 0;
  int is_multiallelic_feature = -1;  // index of the is_multiallelic feature, if the model has it
};

// Decodes one serialized tf.Example into id and features. Throws DataError whose message
// says what is wrong (the caller adds file and record).
void decode_small_model_example(std::string_view payload, const ExampleLayout& layout, CandidateId& id,
                                float* features);

// Serializes a row as a small-model tf.Example (keys sorted; features as int64_list when
// every value is an integer, else float_list; region/encoded when the row has a region).
void encode_small_model_example(std::string& out, const CandidateId& id, const float* features, int num_features);

// The same plus DeepVariant's training keys: label/encoded (one-hot of `label_class`) and
// genotype/encoded (the truth genotype's alleles).
void encode_training_example(std::string& out, const CandidateId& id, const float* features, int num_features,
                             int label_class, const std::vector<int64_t>& genotype);

}  // namespace smallcall
