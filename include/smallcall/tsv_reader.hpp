#pragma once
// Candidate rows from a TSV with a header (its bytes from a ByteSource: plain, gzip, bgzip or
// zlib, or "-" for stdin). Feature columns are matched to the model by name. An empty input
// (no bytes at all) has no header and no rows.
#include <memory>
#include <string>
#include <vector>

#include "smallcall/byte_source.hpp"
#include "smallcall/row_reader.hpp"

namespace smallcall {

class TsvReader : public RowReader {
 public:
  static constexpr std::size_t kMaxLineBytes = 1 << 20;  // longer lines are rejected

  // Opens `path` and reads its header; `features` is the model's feature order.
  TsvReader(const std::string& path, const std::vector<std::string>& features);
  TsvReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features);
  ~TsvReader() override;

  bool next(Row& row, float* features, std::string& raw) override;
  const std::string& preamble() const override { return header_line_; }
  const std::string& path() const override { return path_; }
  std::string where(const Row& row) const override;
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
