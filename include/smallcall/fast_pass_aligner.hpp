#pragma once
// DeepVariant's FastPassAligner (deepvariant/realigner/fast_pass_aligner.cc): the reads of a
// realignment window aligned to its haplotypes — ungapped through a read k-mer index first,
// Smith-Waterman for the rest — each read's best haplotype alignment composed with the
// haplotype's alignment to the reference into a new position and CIGAR, kept only when
// normalised (deepvariant-realigner.md sections 8-9). The quirks of the original are part
// of its output and are kept (the skipped coverage test, the unstable sort, the CIGAR merges).
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "smallcall/options.hpp"

namespace smallcall {

struct CigarUnit {
  char op;  // M I D S (H only in hard-clipped input)
  int len;
  bool operator==(const CigarUnit& o) const { return op == o.op && len == o.len; }
};
using CigarList = std::list<CigarUnit>;

// One read's alignment to one haplotype.
struct ReadAlignment {
  static constexpr uint16_t kNotAligned = 65535;
  uint16_t position = kNotAligned;
  std::string cigar;  // = X I D S
  int score = 0;
};

// One haplotype's alignment to the reference and the reads' alignments to it.
struct HaplotypeAlignment {
  std::size_t haplotype_index = 0;
  int haplotype_score = 0;
  std::vector<ReadAlignment> reads;
  std::string cigar;  // haplotype -> reference, = X I D S
  CigarList cigar_ops;
  int64_t ref_pos = 0;
  bool is_reference = false;
  std::vector<int> position_map;
};

// A read's result: the new position and CIGAR, or realigned = false (keep the original).
struct ReadRealignment {
  bool realigned = false;
  int64_t position = 0;
  std::vector<CigarUnit> cigar;
};

class FastPassAligner {
 public:
  explicit FastPassAligner(const AlignerOptions& options);
  void set_reference(std::string reference);
  void set_haplotypes(std::vector<std::string> haplotypes);
  void set_region_start(int64_t start) { region_start_ = start; }
  void set_ref_prefix_len(int n) { ref_prefix_len_ = n; }
  void set_ref_suffix_len(int n) { ref_suffix_len_ = n; }
  // The whole pipeline for the reads' sequences (any case): one result per read.
  std::vector<ReadRealignment> align_reads(const std::vector<std::string>& reads);

  // The steps, for tests (align_reads runs them in this order).
  void set_reads(const std::vector<std::string>& reads);
  int ssw_score_threshold() const;
  void build_index();
  const std::unordered_map<std::string_view, std::vector<std::pair<int, int>>>& index() const { return index_; }
  // Fast path for one haplotype (score 0 and no read alignments if it is rejected).
  HaplotypeAlignment fast_align_reads_to_haplotype(std::size_t haplotype_index) const;
  void fast_align_reads_to_haplotypes();
  void align_haplotypes_to_reference();
  void ssw_align_reads_to_haplotypes(int score_threshold);
  void sort_haplotype_alignments();
  std::vector<ReadRealignment> realign_reads_to_reference() const;
  std::vector<HaplotypeAlignment>& haplotype_alignments() { return alignments_; }

 private:
  AlignerOptions options_;
  std::string reference_;
  std::vector<std::string> haplotypes_;
  std::vector<std::string> reads_;
  std::unordered_map<std::string_view, std::vector<std::pair<int, int>>> index_;
  std::vector<HaplotypeAlignment> alignments_;
  int64_t region_start_ = 0;
  int ref_prefix_len_ = 0, ref_suffix_len_ = 0;
};

// (score, mismatches) of two equal-length strings compared base by base: N matches anything;
// gives up (score 0) when the mismatches reach max_mismatches.
std::pair<int, int> fast_align_strings(std::string_view a, std::string_view b, int max_mismatches, int match,
                                       int mismatch);
// "10=1X2I3S" -> ops with = and X as M.
CigarList cigar_string_to_ops(std::string_view cigar);
// The reference offset shift of each haplotype position from its = X I D S alignment.
std::vector<int> position_map(std::string_view cigar, std::size_t haplotype_length);
// DeepVariant's CIGAR helpers, exposed for tests.
void merge_cigar_op(char op, int len, int read_len, std::vector<CigarUnit>& out);
CigarList left_trim(CigarList ops, int position);
std::vector<CigarUnit> compose_read_to_reference(CigarList read_ops, CigarList haplotype_ops, int read_len);
bool alignment_normalized(std::string_view read, std::string_view reference, int64_t offset,
                          const std::vector<CigarUnit>& cigar);

}  // namespace smallcall
