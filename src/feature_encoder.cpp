#include "smallcall/feature_encoder.hpp"

#include <algorithm>

namespace smallcall {

namespace {
// Python's a // b for a >= 0, b > 0, and DeepVariant's "0 if the denominator is 0".
int64_t floor_div_or_zero(int64_t a, int64_t b) { return b > 0 ? a / b : 0; }
}  // namespace

std::vector<std::string> wgs_feature_names(int window) {
  std::vector<std::string> names = {"num_reads_supports_ref",
                                    "num_reads_supports_alt",
                                    "alt_indices_depth",
                                    "total_depth",
                                    "variant_allele_frequency",
                                    "alt_indices_variant_allele_frequency",
                                    "ref_mapping_quality",
                                    "alt_mapping_quality",
                                    "ref_base_quality",
                                    "alt_base_quality",
                                    "ref_reverse_strand_ratio",
                                    "alt_reverse_strand_ratio",
                                    "is_snp",
                                    "is_insertion",
                                    "is_deletion",
                                    "insertion_length",
                                    "deletion_length",
                                    "is_multiallelic",
                                    "is_multiple_alt_alleles"};
  if (window <= 0) return names;  // no VAF context
  for (int o = window / 2; o > 0; --o) names.push_back("variant_allele_frequency_at_minus_" + std::to_string(o));
  for (int o = 0; o <= window / 2; ++o) names.push_back("variant_allele_frequency_at_plus_" + std::to_string(o));
  return names;
}

void encode_base_features(const ReadSupportTotals& ref, const ReadSupportTotals& alt, int64_t total_depth,
                          int64_t* f) {
  const int64_t depth = ref.reads + alt.reads;
  f[0] = ref.reads;
  f[1] = alt.reads;
  f[2] = depth;
  f[3] = total_depth;
  f[4] = floor_div_or_zero(100 * alt.reads, total_depth);
  f[5] = floor_div_or_zero(100 * alt.reads, depth);
  f[6] = floor_div_or_zero(ref.mapping_quality_sum, ref.reads);
  f[7] = floor_div_or_zero(alt.mapping_quality_sum, alt.reads);
  f[8] = floor_div_or_zero(ref.base_quality_sum, ref.reads);
  f[9] = floor_div_or_zero(alt.base_quality_sum, alt.reads);
  f[10] = floor_div_or_zero(100 * ref.reverse_strand, ref.reads);
  f[11] = floor_div_or_zero(100 * alt.reverse_strand, alt.reads);
}

void encode_variant_features(const std::string& ref, const std::vector<std::string>& alts,
                             const std::vector<int>& alt_indices, int64_t* f) {
  // nucleus variant_utils on the variant with the alts outside the subset excluded.
  const int64_t ref_len = static_cast<int64_t>(ref.size());
  bool all_len1 = true, all_longer = true, all_shorter = true;
  int64_t insertion = 0, deletion = 0;
  for (int i : alt_indices) {
    const int64_t len = static_cast<int64_t>(alts[static_cast<std::size_t>(i)].size());
    all_len1 = all_len1 && len == 1;
    all_longer = all_longer && len > ref_len;
    all_shorter = all_shorter && len < ref_len;
    insertion = std::max(insertion, len - ref_len);
    deletion = std::max(deletion, ref_len - len);
  }
  const bool any = !alt_indices.empty();
  f[0] = ref_len == 1 && any && all_len1;
  f[1] = any && all_longer;
  f[2] = any && all_shorter;
  f[3] = insertion;
  f[4] = deletion;
  f[5] = alts.size() > 1;
  f[6] = alt_indices.size() > 1;
}

int64_t total_depth(const Candidate& c) {
  int64_t n = c.ref_support.reads + c.uncalled_support.reads;
  for (const auto& s : c.alt_support) n += s.reads;
  return n;
}

void encode_wgs_features(const Candidate& c, const std::vector<int>& alt_indices, int64_t* out) {
  ReadSupportTotals alt;
  for (int i : alt_indices) alt += c.alt_support[static_cast<std::size_t>(i)];
  encode_base_features(c.ref_support, alt, total_depth(c), out);
  encode_variant_features(c.ref, c.alts, alt_indices, out + kBaseFeatures);
  std::copy(c.vaf_context.begin(), c.vaf_context.end(), out + kBaseFeatures + kVariantFeatures);
}

}  // namespace smallcall
