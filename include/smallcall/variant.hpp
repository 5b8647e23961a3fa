#pragma once
// nucleus Variant (the fields smallcall reads) and DeepVariant's CallVariantsOutput.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "smallcall/row.hpp"

namespace smallcall {

// Field numbers: nucleus Variant and VariantCall (third_party/nucleus/protos/variants.proto),
// ListValue/Value (google/protobuf/struct.proto), CallVariantsOutput
// (deepvariant/protos/deepvariant.proto).
namespace field {
constexpr uint32_t kVariantReferenceBases = 6, kVariantAlternateBases = 7, kVariantCalls = 11, kVariantEnd = 13,
                   kVariantReferenceName = 14, kVariantStart = 16;
constexpr uint32_t kCallInfo = 2, kCallGenotype = 7, kCallSetName = 9;
constexpr uint32_t kCvoVariant = 1, kCvoAltAlleleIndices = 2, kCvoGenotypeProbabilities = 3;
constexpr uint32_t kListValueValues = 1, kValueNumber = 2, kValueString = 3, kValueInt = 7;
}  // namespace field

struct VariantView {
  std::string_view reference_name;
  int64_t start = 0;
  int64_t end = 0;
  std::string_view reference_bases;
  std::vector<std::string_view> alternate_bases;
  std::vector<std::string_view> calls;  // serialized VariantCall messages
};

// Throws pb::WireError (a DataError) on malformed bytes. The second forms reuse `out`.
VariantView decode_variant(std::string_view bytes);
void decode_variant(std::string_view bytes, VariantView& out);
std::vector<int> decode_alt_allele_indices(std::string_view bytes);
void decode_alt_allele_indices(std::string_view bytes, std::vector<int>& out);

// calls[0] of a candidate: call_set_name into c.sample, and info DP, AD (int_value or
// number_value) and VAF as make_examples sets them into c.depth, c.allele_depths (+ whether
// they were int_value) and c.vaf; every Value of every info entry is parsed (throws
// pb::WireError on malformed bytes). False (DP and AD cleared) when either is missing or AD
// does not have 1 + alts values. A VAF without one finite number per alt is cleared.
bool decode_call_info(const VariantView& v, CandidateInfo& c);
// make_examples' VAF (deepvariant/variant_calling.cc): AD[alt] / DP, 0 when DP is 0.
std::vector<double> candidate_vaf(int64_t depth, const std::vector<int64_t>& allele_depths);
// True when the candidate has more than one alt after DeepVariant's default exclusion of
// ".", "<*>" and "<NON_REF>".
bool has_multiple_real_alts(const VariantView& v);

// Reads a row's candidate (row.candidate's verbatim protos) when the row is read: checks
// every part an output will parse later (the Variant's fields, calls[0] and its info map down
// to each Value, the alt allele indices and their range), so that writing cannot fail on it,
// and fills the candidate's alts, DP, AD and sample, row.alt_indices and the multi-allelic
// flag. Throws DataError.
void read_candidate(Row& row);

// A row's candidate as serialized Variant / AltAlleleIndices: the verbatim protos when the
// row carries them, else encoded from the candidate (rows from reads) into `scratch`.
const std::string& candidate_variant(const Row& row, std::string& scratch);
const std::string& candidate_alt_indices(const Row& row, std::string& scratch);

// A candidate as make_examples builds it: alts sorted, calls[0] = {call_set_name,
// genotype [-1, -1], info AD, DP (int_value) and VAF (number_value)}.
void encode_candidate_variant(std::string& out, const std::string& contig, int64_t start, int64_t end,
                              const std::string& ref, const std::vector<std::string>& alts, int64_t depth,
                              const std::vector<int64_t>& allele_depths, const std::string& sample_name);
// AltAlleleIndices{indices (packed)}.
void encode_alt_allele_indices(std::string& out, const std::vector<int>& indices);

// One CallVariantsOutput for an accepted row, as DeepVariant's small model writes it:
// the candidate variant (verbatim when the row carries it, but for its calls: calls[0] kept
// with info MID = ["small_model"], and its call_set_name replaced by sample_name when
// sample_given; further calls dropped; else built from the row's ids and alts, indices
// 0..k-1, one call with call_set_name = sample_name and genotype [-1, -1]), the alt allele
// indices, and the 3 probabilities as doubles.
void encode_call_variants_output(std::string& out, const Row& row, const float probabilities[3],
                                 const std::string& sample_name, bool sample_given);

}  // namespace smallcall
