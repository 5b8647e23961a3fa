#include "smallcall/tfrecord_reader.hpp"

#include <cstring>

#include "smallcall/error.hpp"
#include "smallcall/feature_names.hpp"

namespace smallcall {

std::string TfRecordRowReader::where(const Row& row) const {
  return records_.source().display_name() + ": record " + std::to_string(row.record);
}

TfRecordRowReader::TfRecordRowReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features,
                                     const std::string& sidecar)
    : records_(std::move(source)), path_(records_.source().path()) {
  const std::string name = records_.source().display_name();
  layout_.num_features = static_cast<int>(features.size());
  const std::optional<std::string> found = sidecar.empty() ? find_sidecar(path_) : std::optional<std::string>(sidecar);
  if (found) {
    // Named rows: the model's features are found by name, in any order.
    row_names_ = read_sidecar(*found);
    names_source_ = *found;
    const std::vector<int> gather = match_features(features, row_names_, *found);
    bool identity = gather.size() == row_names_.size();
    for (std::size_t i = 0; i < gather.size() && identity; ++i) identity = gather[i] == static_cast<int>(i);
    if (!identity) {
      layout_.gather = gather;
      layout_.row_width = static_cast<int>(row_names_.size());
    }
    layout_.source = *found;
  } else {
    // Unnamed rows are DeepVariant's, in DeepVariant's one order; a model with any other
    // feature list cannot be matched to them.
    row_names_ = deepvariant_feature_names(features.size());
    names_source_ = "DeepVariant's feature order (no " + sidecar_path(name) + ")";
    if (row_names_ != features) {
      unnamed_mismatch_ = true;  // an error at the first record; with no record, nothing to mismatch
      row_names_ = features;
    }
  }
  for (std::size_t i = 0; i < row_names_.size(); ++i)
    if (row_names_[i] == "is_multiallelic") layout_.is_multiallelic_value = static_cast<int>(i);
  first_features_.resize(features.size());
  have_first_ = read_decoded(first_id_, first_features_.data(), first_raw_);
  has_region_ = have_first_ && !first_id_.region.empty();
}

bool TfRecordRowReader::read_decoded(Row& row, float* features, std::string& raw) {
  if (!records_.next(raw)) return false;
  const uint64_t index = records_.records_read() - 1;
  const std::string where = records_.source().display_name() + ": record " + std::to_string(index) + ": ";
  if (unnamed_mismatch_)
    throw DataError(where + "features/encoded carries no feature names and no " +
                    sidecar_path(records_.source().display_name()) +
                    " names them; the rows are then DeepVariant's, in DeepVariant's order, but the model's " +
                    std::to_string(layout_.num_features) +
                    " features are not that list in that order, so which value is which is unknown (give "
                    "--small_model_info FILE, a small_model_info.json listing the rows' features in order)");
  try {
    decode_small_model_example(raw, layout_, row, features);
  } catch (const DataError& e) {
    throw DataError(where + e.what());
  }
  row.record = index;
  return true;
}

bool TfRecordRowReader::next(Row& row, float* features, std::string& raw) {
  if (have_first_) {
    have_first_ = false;
    swap(row, first_id_);
    std::swap(raw, first_raw_);
    std::memcpy(features, first_features_.data(), sizeof(float) * first_features_.size());
    return true;
  }
  if (!read_decoded(row, features, raw)) return false;
  if (has_region_ && row.region.empty())
    throw DataError(records_.source().display_name() + ": record " + std::to_string(row.record) +
                    ": no region/encoded, but the first record has one");
  return true;
}

}  // namespace smallcall
