#pragma once
// Candidate rows computed from aligned reads: BamPartitionReader -> AlleleCounter ->
// feature encoder, one partition (= one region) at a time. It is one more RowReader in
// front of the same group -> forward -> gate -> write path; `smallcall features` writes its
// rows to a file instead.
#include <string>
#include <vector>

#include "smallcall/allele_counter.hpp"
#include "smallcall/bam_input.hpp"
#include "smallcall/row_reader.hpp"

namespace smallcall {

class ReadsRowReader : public RowReader {
 public:
  // `features`: the model's feature order; every name must be one of wgs_feature_names(W).
  // The sample: source.sample_name when given, else the first @RG SM of the reads (a warning
  // when they name several, or none: then "default"), as make_examples chooses it.
  ReadsRowReader(const SourceOptions& source, const std::vector<std::string>& features);
  bool next(Row& row, float* features, std::string& raw) override;
  const std::string& preamble() const override { return empty_; }
  const std::string& path() const override { return path_; }
  std::string where(const Row& row) const override {
    return path_ + ": candidate " + row.contig + ":" + std::to_string(row.start + 1);
  }
  bool has_region_column() const override { return true; }
  InputFormat format() const override { return InputFormat::kReads; }
  double fraction_consumed() const override { return partitions_.fraction_consumed(); }
  const std::vector<std::string>& row_feature_names() const override { return features_; }
  const std::string& feature_names_source() const override { return names_source_; }
  const std::string& sample_name() const { return sample_name_; }

  ReadsCounters counters() const { return partitions_.counters(); }
  uint64_t candidates() const { return candidates_total_; }
  uint64_t realignment_sensitive_candidates() const { return sensitive_total_; }

 private:
  bool load_next_partition();

  AlleleCounter counter_;  // first: its options are checked before any file is opened
  BamPartitionReader partitions_;
  std::string sample_name_, path_, empty_, region_, contig_;  // region_/contig_: current partition's
  std::vector<std::string> features_;
  std::string names_source_ = "computed from the reads";
  std::vector<int> feature_index_;  // model feature i = computed feature feature_index_[i]
  std::vector<int64_t> computed_;   // the 12 + 7 + W computed values of one row
  std::vector<Candidate> candidates_;
  std::size_t candidate_ = 0;
  std::vector<std::vector<int>> subsets_;  // of the current candidate: singletons, then pairs
  std::size_t subset_ = 0;
  uint64_t candidates_total_ = 0, sensitive_total_ = 0, rows_ = 0;
};

}  // namespace smallcall
