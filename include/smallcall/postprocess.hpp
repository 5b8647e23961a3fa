#pragma once
// The VCF record DeepVariant's postprocess_variants writes for one candidate from its
// CallVariantsOutputs (one per alt subset), with postprocess's arithmetic:
// deepvariant/postprocess_variants.py merge_predictions (r1.10's default
// --multiallelic_mode=product, or r1.9's min), prune_alleles, add_call_to_variant,
// compute_quals, uncall_gt_if_no_ad, compute_filter_fields, uncall_homref_gt_if_lowqual;
// nucleus variant_utils.simplify_variant_alleles and genomics_math (max confidence
// 1 - 1.25e-10, so GQ <= 99). The numbers the VCF writer prints (QUAL to one decimal, PL
// truncated) are vcf_qual() and phred_likelihoods().
#include <cstdint>
#include <string>
#include <vector>

#include "smallcall/options.hpp"

namespace smallcall {

// One CallVariantsOutput of the candidate: an alt subset and its three probabilities.
struct SubsetProbabilities {
  std::vector<int> alt_indices;
  double p[3];
};

// What postprocess reads of the candidate (its Variant and calls[0].info).
struct CandidateVariant {
  int64_t start = 0, end = 0;
  std::string ref;
  std::vector<std::string> alts;
  int64_t depth = -1;                  // DP; -1: absent
  std::vector<int64_t> allele_depths;  // AD (ref, then each alt); empty: absent
  bool allele_depths_int = true;       // AD stored as int_value (postprocess reads only those)
  std::vector<double> vaf;             // VAF per alt; empty: absent
};

// The record's call.
struct VcfCall {
  int64_t start = 0, end = 0;  // after simplification: end = start + len(ref)
  std::string ref;
  std::vector<std::string> alts;
  int gt[2] = {-1, -1};    // -1: missing
  int gq = 0;
  double qual = 0;         // rounded to 7 decimals
  const char* filter = "PASS";
  std::vector<double> gl;  // log10 genotype likelihoods, VCF order
  int64_t depth = -1;
  std::vector<int64_t> allele_depths;
  std::vector<double> vaf;
};

// Throws std::invalid_argument when the subsets are not every singleton and pair exactly once
// (postprocess refuses such a group).
VcfCall postprocess_call(const CandidateVariant& candidate, std::vector<SubsetProbabilities> subsets,
                         const PostprocessOptions& options);

// The QUAL the VCF writer prints: floor(qual * 10 + 0.5) / 10.
double vcf_qual(double qual);
// PL: int(-10 * (GL - max GL)), truncated as nucleus' double->int conversion does.
std::vector<int32_t> phred_likelihoods(const std::vector<double>& gl);

// postprocess' common-suffix strip (never to an empty allele).
void simplify_alleles(std::string& ref, std::vector<std::string>& alts);

}  // namespace smallcall
