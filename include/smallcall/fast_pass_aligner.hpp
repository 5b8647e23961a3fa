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
  // The (read, offset) occurrences of a k-mer in the index, in read then offset order.
  std::vector<std::pair<int, int>> occurrences(std::string_view kmer) const;
  std::size_t index_kmers() const;  // distinct k-mers indexed
  // Fast path for one haplotype (score 0 and no read alignments if it is rejected).
  HaplotypeAlignment fast_align_reads_to_haplotype(std::size_t haplotype_index) const;
  void fast_align_reads_to_haplotypes();
  void align_haplotypes_to_reference();  // every haplotype
  void align_haplotypes_to_reference(const std::vector<char>& which);  // haplotype alignments j with which[j]
  void ssw_align_reads_to_haplotypes(int score_threshold);
  void sort_haplotype_alignments();
  std::vector<ReadRealignment> realign_reads_to_reference() const;
  // The haplotype alignment a read's realignment uses (-1: none scored).
  int best_haplotype(std::size_t read) const;
  std::vector<HaplotypeAlignment>& haplotype_alignments() { return alignments_; }

 private:
  AlignerOptions options_;
  std::string reference_;
  std::vector<std::string> haplotypes_;
  std::vector<std::string> reads_;
  // The reads' k-mers grouped by hash bucket, in (read, offset) order within a bucket: a
  // k-mer's occurrences are its bucket's entries with its hash whose bases equal it.
  struct KmerAt {
    uint64_t hash;
    int read, offset;
  };
  std::vector<KmerAt> index_;
  std::vector<uint32_t> bucket_start_;  // bucket b: index_[bucket_start_[b], bucket_start_[b + 1])
  uint64_t bucket_mask_ = 0;
  std::size_t bucket(uint64_t hash) const { return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ull) >> 24) & bucket_mask_; }
  // The entries of hash's bucket (k-mers of other hashes among them), [first, second).
  std::pair<const KmerAt*, const KmerAt*> bucket_entries(uint64_t hash) const;
  // Whether an entry's bases are kmer (its hash already equal).
  bool holds(const KmerAt& e, std::string_view kmer) const {
    return std::string_view(reads_[static_cast<std::size_t>(e.read)]).substr(static_cast<std::size_t>(e.offset), kmer.size()) ==
           kmer;
  }
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
