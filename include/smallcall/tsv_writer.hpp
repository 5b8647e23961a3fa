#pragma once
// The TSV outputs: accepted calls, and the remainder (input header + the input lines of the
// rows not accepted, byte-identical, in input order; or lines made from TFRecord rows).
#include <string>

#include "smallcall/output_file.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {

// Header: contig start end ref alt gt gq p_hom_ref p_het p_hom_alt.
class AcceptedTsvWriter : public AcceptedWriter {
 public:
  explicit AcceptedTsvWriter(const std::string& path);
  void write(const CandidateId& id, const float probabilities[3], const GateDecision& d) override;
  void close() override { file_.close(); }
  void publish() override { file_.publish(); }

 private:
  OutputFile file_;
  std::string row_;  // scratch for one line
};

class RemainderTsvWriter : public RemainderWriter {
 public:
  // pass_through: the input is TSV and raw records are its lines. Otherwise lines are made
  // from the rows (ids, [region,] features) under `header_line`.
  RemainderTsvWriter(const std::string& path, const std::string& header_line, bool pass_through, int num_features,
                     bool with_region, bool with_realignment = false);
  void write(const CandidateId& id, const float* features, const std::string& raw_record) override;
  void close() override { file_.close(); }
  void publish() override { file_.publish(); }

 private:
  OutputFile file_;
  std::string row_;  // scratch for one line
  bool pass_through_;
  int num_features_;
  bool with_region_;
  bool with_realignment_;
};

// Shortest decimal text that reads back as the same float32.
void append_float(std::string& out, float v);

}  // namespace smallcall
