#include "smallcall/reads_row_reader.hpp"

#include <iostream>

#include "smallcall/error.hpp"
#include "smallcall/variant.hpp"

namespace smallcall {


ReadsRowReader::ReadsRowReader(const SourceOptions& source, const std::vector<std::string>& features)
    : counter_(source.counter), partitions_(source), path_(source.reads), features_(features) {
  // The sample as make_examples names it: --sample_name, else the first read group's SM.
  const std::vector<std::string>& samples = partitions_.samples();
  if (source.sample_name) {
    sample_name_ = *source.sample_name;
  } else if (!samples.empty()) {
    sample_name_ = samples.front();
    if (samples.size() > 1) {
      std::string all;
      for (const auto& x : samples) all += (all.empty() ? "" : ", ") + x;
      std::cerr << "smallcall: warning: " << path_ << " has reads of " << samples.size() << " samples (" << all
                << "); calling them as one sample named " << sample_name_ << " (give --sample_name to choose)\n";
    }
  } else {
    sample_name_ = "default";
    std::cerr << "smallcall: warning: " << path_
              << " names no sample (no @RG line with SM); the calls' sample is \"default\" (give --sample_name)\n";
  }
  const std::vector<std::string> computed = wgs_feature_names(source.counter.vaf_context_window);
  computed_.resize(computed.size());
  for (const std::string& name : features) {
    int index = -1;
    for (std::size_t i = 0; i < computed.size() && index < 0; ++i)
      if (computed[i] == name) index = static_cast<int>(i);
    if (index < 0)
      throw UsageError("the model needs feature \"" + name + "\", which is not computed from reads (computed: the " +
                       std::to_string(computed.size()) + " WGS features with a VAF context window of " +
                       std::to_string(source.counter.vaf_context_window) + ")");
    feature_index_.push_back(index);
  }
}

bool ReadsRowReader::load_next_partition() {
  PartitionView view;
  while (partitions_.next(view, region_)) {
    counter_.find_candidates(view, candidates_);
    contig_.assign(view.contig);
    if (candidates_.empty()) continue;
    candidates_total_ += candidates_.size();
    candidate_ = 0;
    subset_ = 0;
    subsets_.clear();
    return true;
  }
  return false;
}

bool ReadsRowReader::next(Row& row, float* features, std::string& raw) {
  if (candidate_ >= candidates_.size() && !load_next_partition()) return false;
  const Candidate& c = candidates_[candidate_];
  if (subset_ == 0) {
    subsets_ = alt_subsets(static_cast<int>(c.alts.size()));
    sensitive_total_ += c.realignment_sensitive;
  }
  const std::vector<int>& subset = subsets_[subset_];
  encode_wgs_features(c, subset, computed_.data());
  for (std::size_t i = 0; i < feature_index_.size(); ++i)
    features[i] = static_cast<float>(computed_[static_cast<std::size_t>(feature_index_[i])]);

  row.contig = contig_;
  row.start = c.start;
  row.end = c.end();
  row.ref = c.ref;
  row.alts.resize(subset.size());
  for (std::size_t i = 0; i < subset.size(); ++i) row.alts[i] = c.alts[static_cast<std::size_t>(subset[i])];
  row.region = region_;
  row.is_snp = subset_is_snp(row.ref, row.alts);
  row.is_multiallelic = c.alts.size() > 1;
  row.record = rows_++;  // 0-based row number, for messages
  row.label = -1;
  row.realignment_sensitive = c.realignment_sensitive;
  // The candidate as structure: its protos are encoded only by outputs that write them.
  row.has_candidate = true;
  row.alt_indices = subset;
  CandidateInfo& info = row.candidate;
  info.alts = c.alts;
  info.depth = c.depth;
  info.allele_depths = c.allele_depths;
  info.allele_depths_int = true;
  info.vaf = candidate_vaf(c.depth, c.allele_depths);
  info.sample = sample_name_;
  info.variant_proto.clear();
  info.alt_indices_proto.clear();
  raw.clear();

  if (++subset_ >= subsets_.size()) {
    subset_ = 0;
    ++candidate_;
  }
  return true;
}

}  // namespace smallcall
