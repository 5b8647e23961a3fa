#pragma once
// Candidate rows from a TFRecord file of DeepVariant small-model tf.Examples, and the
// choice between the TSV and TFRecord readers for an input.
#include <memory>
#include <string>
#include <vector>

#include "smallcall/example.hpp"
#include "smallcall/model.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/tsv_reader.hpp"

namespace smallcall {

class TfRecordRowReader : public RowReader {
 public:
  // `features`: the model's. The rows' own feature names come from `sidecar` when given, else
  // from "<input>.small_model_info.json" (find_sidecar) when it exists, else they are
  // DeepVariant's in DeepVariant's order, which the model must then match exactly (else the
  // first record is an error: see feature_names.hpp).
  TfRecordRowReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features,
                    const std::string& sidecar = "");
  bool next(CandidateId& id, float* features, std::string& raw) override;
  const std::string& preamble() const override { return empty_; }
  const std::string& path() const override { return path_; }
  bool has_region_column() const override { return has_region_; }
  InputFormat format() const override { return InputFormat::kTfRecord; }
  double fraction_consumed() const override { return records_.source().fraction_consumed(); }
  const std::vector<std::string>& row_feature_names() const override { return row_names_; }
  const std::string& feature_names_source() const override { return names_source_; }

 private:
  bool read_decoded(CandidateId& id, float* features, std::string& raw);

  TfRecordReader records_;
  ExampleLayout layout_;
  std::string path_, empty_;
  std::vector<std::string> row_names_;
  std::string names_source_;
  bool unnamed_mismatch_ = false;
  bool has_region_ = false;
  // The first row, read at open to learn whether rows carry region/encoded.
  bool have_first_ = false;
  CandidateId first_id_;
  std::vector<float> first_features_;
  std::string first_raw_;
};

// Opens `path` as TSV or TFRecord: by the name's suffix when it has one (.tsv, .tfrecord,
// with or without .gz, any case; a VCF name is refused); otherwise (stdin, other names) by
// the content: a valid TFRecord length header after decompression means TFRecord, anything
// else (an empty input too) TSV. small_model_info names the features of TFRecord rows (a
// usage error for TSV).
std::unique_ptr<RowReader> open_row_reader(const std::string& path, const std::vector<std::string>& features,
                                           const std::string& small_model_info = "");

}  // namespace smallcall
