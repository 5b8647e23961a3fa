#pragma once
// Candidate rows from a TFRecord file of DeepVariant small-model tf.Examples.
#include <memory>
#include <string>
#include <vector>

#include "smallcall/example.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/row_reader.hpp"

namespace smallcall {

class TfRecordRowReader : public RowReader {
 public:
  // `features`: the model's. The rows' own feature names come from `sidecar` when given, else
  // from "<input>.small_model_info.json" (find_sidecar) when it exists, else they are
  // DeepVariant's in DeepVariant's order, which the model must then match exactly (else the
  // first record is an error: see feature_names.hpp).
  TfRecordRowReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features,
                    const std::string& sidecar = "");
  bool next(Row& row, float* features, std::string& raw) override;
  const std::string& preamble() const override { return empty_; }
  const std::string& path() const override { return path_; }
  std::string where(const Row& row) const override;
  bool has_region_column() const override { return has_region_; }
  InputFormat format() const override { return InputFormat::kTfRecord; }
  double fraction_consumed() const override { return records_.source().fraction_consumed(); }
  const std::vector<std::string>& row_feature_names() const override { return row_names_; }
  const std::string& feature_names_source() const override { return names_source_; }

 private:
  bool read_decoded(Row& row, float* features, std::string& raw);

  TfRecordReader records_;
  ExampleLayout layout_;
  std::string path_, empty_;
  std::vector<std::string> row_names_;
  std::string names_source_;
  bool unnamed_mismatch_ = false;
  bool has_region_ = false;
  // The first row, read at open to learn whether rows carry region/encoded.
  bool have_first_ = false;
  Row first_id_;
  std::vector<float> first_features_;
  std::string first_raw_;
};

}  // namespace smallcall
