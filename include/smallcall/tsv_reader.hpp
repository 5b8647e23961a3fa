#pragma once
// Reads candidate rows from a TSV with a header (plain, gzip or bgzip, or "-" for stdin,
// all through HTSlib's BGZF reader). Feature columns are matched to the model by name.
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::string header_line_;
  int region_col_ = -1;
};

}  // namespace smallcall
