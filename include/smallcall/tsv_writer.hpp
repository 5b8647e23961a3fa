#pragma once
// The TSV outputs: accepted calls, and the remainder (input header + the input lines of the
// rows not accepted, byte-identical, in input order; or lines made from TFRecord rows).
#include <string>
#include <vector>

#include "smallcall/output_file.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {

// Header: contig start end ref alt gt gate_score p_hom_ref p_het p_hom_alt. gate_score is the
// unrounded score the gate compared (bounded phred of max p, at most 70), not a VCF GQ.
class AcceptedTsvWriter : public AcceptedWriter {
 public:
  AcceptedTsvWriter(const std::string& path, int level, int threads = 1);
  void write(const Row& row, const float probabilities[3], const GateDecision& d) override;
  void close() override { file_.close(); }
  void publish() override { file_.publish(); }

 private:
  OutputFile file_;
  std::string row_;  // scratch for one line
};

class RowTsvWriter : public RowWriter {
 public:
  // pass_through: the input is TSV and raw records are its lines (an empty input has no
  // header line, and neither has the output). Otherwise lines are made from the rows
  // (append_tsv_row) under `header_line`. `names`: the feature columns, for the sidecar.
  RowTsvWriter(const OutputTarget& target, const std::string& header_line, bool pass_through, int num_features,
               bool with_region, bool multiallelic_column, const std::vector<std::string>& names);
  void write(const Row& row, const float* features, const std::string& raw_record) override;
  void close() override {
    file_.close();
    sidecar_.close();
  }
  void publish() override {
    file_.publish();
    sidecar_.publish();
  }

 private:
  OutputFile file_;
  SidecarWriter sidecar_;
  std::string row_;  // scratch for one line
  bool pass_through_;
  int num_features_;
  bool with_region_;
  bool multiallelic_column_;
};

// The header of a TSV made from rows of a non-TSV input: ids, [region,]
// realignment_sensitive, [is_multiallelic,] candidate_alts, dp, ad, features. The candidate
// columns carry what a CVO and a VCF record need of the row's candidate (all its alts, DP,
// AD: ref then each alt); "." when the row has none.
std::string tsv_header_for(const std::vector<std::string>& features, bool with_region, bool multiallelic_column);
// The row columns of a row: contig, start, end, ref, alt[, region].
void append_tsv_ids(std::string& out, const Row& row, bool with_region);
// "\tcandidate_alts\tdp\tad" of a row.
void append_candidate_columns(std::string& out, const Row& row);
// One TSV line (no newline) for a row under that header: integral features as integers.
void append_tsv_row(std::string& out, const Row& row, const float* features, int n, bool with_region,
                    bool multiallelic_column);

// Shortest decimal text that reads back as the same float32 / double.
void append_float(std::string& out, float v);
void append_double(std::string& out, double v);

}  // namespace smallcall
