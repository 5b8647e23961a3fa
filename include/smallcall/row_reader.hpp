#pragma once
// Where rows come from: the RowReader interface (TSV, TFRecord, or computed from reads) and
// the choice of reader for an input file.
#include <memory>
#include <string>
#include <vector>

#include "smallcall/row.hpp"

namespace smallcall {

enum class InputFormat { kTsv, kTfRecord, kReads };  // kReads: computed from BAM/CRAM

// A source of candidate rows, one at a time, in input order.
class RowReader {
 public:
  virtual ~RowReader() = default;
  // Parses the next row into row, features (num_features floats) and raw (its input bytes).
  // Returns false at the end of the input; throws DataError on malformed input.
  virtual bool next(Row& row, float* features, std::string& raw) = 0;
  // Bytes that precede the rows and belong in the remainder output (the TSV header line).
  virtual const std::string& preamble() const = 0;
  virtual const std::string& path() const = 0;
  // Where a row came from, for messages: "rows.tsv:12", "rows.tfrecord.gz: record 3",
  // "x.bam: candidate chr20:100".
  virtual std::string where(const Row& row) const = 0;
  virtual bool has_region_column() const = 0;
  virtual InputFormat format() const = 0;
  // Fraction of the input consumed (for progress), or -1 when unknown.
  virtual double fraction_consumed() const { return -1; }
  // The names of the features a raw record holds, in its order (the sidecar of a row output
  // passed through), and where they came from (for messages and the stats).
  virtual const std::vector<std::string>& row_feature_names() const = 0;
  virtual const std::string& feature_names_source() const = 0;
};

// Opens `path` as TSV or TFRecord: by the name's suffix when it has one (.tsv, .tfrecord,
// with or without .gz, any case; a VCF name is refused); otherwise (stdin, other names) by
// the content: a valid TFRecord length header after decompression means TFRecord, anything
// else (an empty input too) TSV. small_model_info names the features of TFRecord rows (a
// usage error for TSV).
std::unique_ptr<RowReader> open_row_reader(const std::string& path, const std::vector<std::string>& features,
                                           const std::string& small_model_info = "");

}  // namespace smallcall
