#pragma once
// Reads candidate rows from a TSV with a header (plain, gzip or bgzip, or "-" for stdin,
// all through HTSlib's BGZF reader). Feature columns are matched to the model by name. An
// empty input (no bytes at all) has no header and no rows.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "smallcall/byte_source.hpp"
#include "smallcall/row.hpp"

namespace smallcall {

enum class InputFormat { kTsv, kTfRecord, kReads };  // kReads: computed from BAM/CRAM

// A source of candidate rows, one at a time, in input order.
class RowReader {
 public:
  virtual ~RowReader() = default;
  // Parses the next row into id, features (num_features floats) and raw (its input bytes).
  // Returns false at the end of the input; throws DataError on malformed input.
  virtual bool next(CandidateId& id, float* features, std::string& raw) = 0;
  // Bytes that precede the rows and belong in the remainder output (the TSV header line).
  virtual const std::string& preamble() const = 0;
  virtual const std::string& path() const = 0;
  virtual bool has_region_column() const = 0;
  virtual InputFormat format() const = 0;
  // Fraction of the input consumed (for progress), or -1 when unknown.
  virtual double fraction_consumed() const { return -1; }
  // The names of the features a raw record holds, in its order (the sidecar of a row output
  // passed through), and where they came from (for messages and the stats).
  virtual const std::vector<std::string>& row_feature_names() const = 0;
  virtual const std::string& feature_names_source() const = 0;
};

class TsvReader : public RowReader {
 public:
  static constexpr std::size_t kMaxLineBytes = 1 << 20;  // longer lines are rejected

  // Opens `path` and reads its header; `features` is the model's feature order.
  TsvReader(const std::string& path, const std::vector<std::string>& features);
  TsvReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features);
  ~TsvReader() override;

  bool next(CandidateId& id, float* features, std::string& raw) override;
  const std::string& preamble() const override { return header_line_; }
  const std::string& path() const override { return path_; }
  bool has_region_column() const override { return region_col_ >= 0; }
  InputFormat format() const override { return InputFormat::kTsv; }
  double fraction_consumed() const override;
  // The header's feature columns (the model's), in header order.
  const std::vector<std::string>& row_feature_names() const override { return feature_columns_; }
  const std::string& feature_names_source() const override { return names_source_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::string header_line_;
  int region_col_ = -1;
  std::vector<std::string> feature_columns_;
  std::string names_source_ = "the TSV header";
};

}  // namespace smallcall
