#pragma once
// Which value of a row is which feature. TSV rows name their columns; tf.Example rows
// (features/encoded) carry no names, so they travel beside the rows in DeepVariant's
// `<rows>.small_model_info.json` (deepvariant/small_model/small_model_json.py:
// write_model_info_from_model_features): {"version", "shape", "model_features", "config"}.
// Without that file, rows are taken to be in DeepVariant's own order (make_examples writes
// every feature in one fixed order), and a model whose features are not exactly that list
// is refused: smallcall cannot know which value is which.
#include <optional>
#include <string>
#include <vector>

namespace smallcall {

// The file that names the features of `rows_path`: "<rows_path>.small_model_info.json".
std::string sidecar_path(const std::string& rows_path);

// The sidecar of an input `rows_path`, if one exists: "<rows_path>.small_model_info.json";
// for a shard "NAME-00003-of-00016.SUFFIX" also shard 0's (DeepVariant writes its
// example_info.json beside the first shard only) and the spec's "NAME@16.SUFFIX.small_model_info.json".
std::optional<std::string> find_sidecar(const std::string& rows_path);

// The ordered names of a sidecar file (model_features; shape, when present, must equal
// their count; names non-empty and unique). Throws DataError naming the file.
std::vector<std::string> read_sidecar(const std::string& path);
std::vector<std::string> parse_sidecar(const std::string& text, const std::string& path);

// The sidecar's text for rows whose values are `names`, as DeepVariant writes it.
std::string sidecar_json(const std::vector<std::string>& names);

// DeepVariant's names for a row of `width` unnamed values: 12 read-support, 7 variant and
// W VAF-context features (W = width - 19, odd, or 0); empty when no window fits the width.
std::vector<std::string> deepvariant_feature_names(std::size_t width);

// Where each of the model's features is in a row whose values are `row_names`:
// model feature i = row value result[i]. Throws DataError naming a missing feature.
std::vector<int> match_features(const std::vector<std::string>& model_features,
                                const std::vector<std::string>& row_names, const std::string& names_source);

}  // namespace smallcall
