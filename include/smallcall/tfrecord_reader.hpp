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
  TfRecordRowReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features);
  bool next(CandidateId& id, float* features, std::string& raw) override;
  const std::string& preamble() const override { return empty_; }
  const std::string& path() const override { return path_; }
  bool has_region_column() const override { return has_region_; }
  InputFormat format() const override { return InputFormat::kTfRecord; }
  double fraction_consumed() const override { return records_.source().fraction_consumed(); }

 private:
  bool read_decoded(CandidateId& id, float* features, std::string& raw);

  TfRecordReader records_;
  ExampleLayout layout_;
  std::string path_, empty_;
  bool has_region_ = false;
  // The first row, read at open to learn whether rows carry region/encoded.
  bool have_first_ = false;
  CandidateId first_id_;
  std::vector<float> first_features_;
  std::string first_raw_;
};

// Opens `path` as TSV or TFRecord. The name decides when it says (".tfrecord", ".tsv");
// otherwise (stdin, other names) the content does: a valid TFRecord length header after
// decompression means TFRecord, anything else TSV.
std::unique_ptr<RowReader> open_row_reader(const std::string& path, const std::vector<std::string>& features);

// The header of a TSV made from rows of a non-TSV input: ids, [region,]
// [realignment_sensitive,] features (the flag column for rows computed from reads).
std::string tsv_header_for(const std::vector<std::string>& features, bool with_region, bool with_realignment = false);
// One TSV line (no newline) for a row: integral features printed as integers.
void append_tsv_row(std::string& out, const CandidateId& id, const float* features, int n, bool with_region,
                    bool with_realignment = false);

}  // namespace smallcall
