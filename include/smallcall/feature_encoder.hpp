#pragma once
// DeepVariant's WGS small-model feature vector (DeepVariant: deepvariant/small_model/make_small_model_examples.py, FeatureEncoder and
// _encode_candidate_feature_dict):
// 12 read-support features, 7 variant features and the VAF context, for one candidate and
// one alt-allele subset. Integer arithmetic with floor division, as DeepVariant's Python.
#include <cstdint>
#include <string>
#include <vector>

namespace smallcall {

// Sums over a set of supporting reads (ReadSupport records): what the base features need.
struct ReadSupportTotals {
  int64_t reads = 0;
  int64_t mapping_quality_sum = 0;
  int64_t base_quality_sum = 0;  // of each read's average_base_quality
  int64_t reverse_strand = 0;
  void add(int mapping_quality, int average_base_quality, bool reverse) {
    ++reads;
    mapping_quality_sum += mapping_quality;
    base_quality_sum += average_base_quality;
    reverse_strand += reverse ? 1 : 0;
  }
  ReadSupportTotals& operator+=(const ReadSupportTotals& o) {
    reads += o.reads;
    mapping_quality_sum += o.mapping_quality_sum;
    base_quality_sum += o.base_quality_sum;
    reverse_strand += o.reverse_strand;
    return *this;
  }
};

// One candidate as make_examples sees it after counting (DeepVariant: the DeepVariantCall of
// deepvariant/variant_calling_multisample.cc, from deepvariant/allelecounter.cc's counts).
struct Candidate {
  int64_t start = 0;                 // 0-based
  std::string ref;                   // reference base + bases of the longest accepted deletion
  std::vector<std::string> alts;     // sorted bytewise; alt indices refer to this order
  int64_t depth = 0;                 // DP: quality >= min_base_quality, reference + non-reference
  std::vector<int64_t> allele_depths;  // AD: reference, then each alt (quality >= min_base_quality)
  ReadSupportTotals ref_support;     // ref_support_ext (any quality; empty without track_ref_reads)
  std::vector<ReadSupportTotals> alt_support;  // allele_support_ext per alt (any quality)
  ReadSupportTotals uncalled_support;          // allele_support_ext["UNCALLED_ALLELE"]
  std::vector<int> vaf_context;      // window values for offsets -W/2 .. +W/2 (0 outside the region)
  bool realignment_sensitive = false;  // DeepVariant would realign around it (see allele_counter.hpp)
  int64_t end() const { return start + static_cast<int64_t>(ref.size()); }
};

inline constexpr int kBaseFeatures = 12;
inline constexpr int kVariantFeatures = 7;

// The names of the 12 + 7 + W features in DeepVariant's order (W = VAF context window, odd).
std::vector<std::string> wgs_feature_names(int vaf_context_window = 51);

// The 12 base features from the reference and (selected) alt read sets; total_depth is the
// unfiltered candidate's (DeepVariant computes it on all reads even for per-haplotype blocks).
void encode_base_features(const ReadSupportTotals& ref, const ReadSupportTotals& alt, int64_t total_depth,
                          int64_t* out12);

// The 7 variant features of the alt subset `alt_indices` (0-based into candidate.alts).
void encode_variant_features(const std::string& ref, const std::vector<std::string>& alts,
                             const std::vector<int>& alt_indices, int64_t* out7);

// The whole vector (12 + 7 + vaf_context.size() values) for one subset.
void encode_wgs_features(const Candidate& candidate, const std::vector<int>& alt_indices, int64_t* out);

// total_depth of a candidate: every recorded allele at its position, any quality.
int64_t total_depth(const Candidate& candidate);

}  // namespace smallcall
