#pragma once
// DeepVariant's allele counter and very-sensitive candidate caller for one partition, by a
// direct CIGAR walk per read (deepvariant-features-from-reads.md sections 2-4): read
// alleles with the anchor / supersede / soft-clip rules, candidates with DP and AD, read
// support per allele, and the VAF-context map. No realigner: candidates DeepVariant would
// realign around are marked realignment_sensitive instead.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "smallcall/feature_encoder.hpp"
#include "smallcall/options.hpp"

struct bam1_t;

namespace smallcall {

// One partition's input: the interval counted, its reference bases and the sampled reads.
struct PartitionView {
  std::string_view contig;
  int64_t contig_length = 0;
  int64_t begin = 0, end = 0;       // 0-based [begin, end): positions counted
  std::string_view reference;        // upper-case bases of [reference_offset, ...)
  int64_t reference_offset = 0;
  const bam1_t* const* reads = nullptr;
  std::size_t num_reads = 0;
};

class AlleleCounter {
 public:
  // Throws UsageError for option values DeepVariant would reject (even window, negative counts...).
  explicit AlleleCounter(const AlleleCounterOptions& options);
  // The candidates of the partition, in position order (reuses `out`'s storage).
  void find_candidates(const PartitionView& partition, std::vector<Candidate>& out);

  enum AlleleType : uint8_t { kReference, kSubstitution, kInsertion, kDeletion, kSoftClip };

 private:
  struct Entry {  // one read's allele at one position (DeepVariant's ReadAllele)
    uint32_t read_key;
    AlleleType type;
    bool low_quality;
    bool reverse;
    uint8_t mapping_quality;
    int32_t base_quality;  // average_base_quality
    uint32_t bases_offset, bases_length;  // into bases_
  };
  struct Pending {  // an allele emitted by the CIGAR walk, before the supersede rule
    int64_t position;
    AlleleType type;
    bool low_quality;
    int32_t base_quality;
    uint32_t bases_offset, bases_length;  // into read_bases_
  };
  struct Group {  // non-low-quality entries at a position with the same (type, bases)
    AlleleType type;
    std::string_view bases;
    int64_t count;
    bool accepted;
  };

  void count_pass(const PartitionView& p);      // pass 1: counts and non-reference alleles
  void reference_pass(const PartitionView& p);  // pass 2: reference alleles at candidate positions
  void walk_read(const PartitionView& p, const bam1_t* read);
  // The walked read's alleles after the supersede rule (of two consecutive alleles at one
  // position the earlier is dropped), inside the partition.
  template <typename Fn>
  void for_each_kept_allele(const PartitionView& p, Fn fn) const {
    for (std::size_t k = 0; k < pending_.size(); ++k) {
      const Pending& a = pending_[k];
      if (k + 1 < pending_.size() && pending_[k + 1].position == a.position) continue;
      if (a.position < p.begin || a.position >= p.end) continue;
      fn(a);
    }
  }
  void store(const PartitionView& p, const bam1_t* read, uint32_t key, bool key_repeats, const Pending& a);
  void add_entry(std::size_t i, const bam1_t* read, uint32_t key, bool key_repeats, const Pending& a);
  std::string_view bases(const Entry& e) const { return std::string_view(bases_).substr(e.bases_offset, e.bases_length); }
  // Groups and accepts the alleles at position index i; true when any is accepted.
  bool select(std::size_t i);
  char ref_at(const PartitionView& p, int64_t pos) const;

  AlleleCounterOptions options_;
  // Per position of the partition (index = position - begin), reused between partitions.
  std::vector<int64_t> ref_quality_count_;       // ref_supporting_read_count
  std::vector<std::vector<Entry>> entries_;      // read_alleles
  std::vector<char> is_candidate_;
  std::vector<uint32_t> candidate_prefix_;      // prefix counts of is_candidate_
  std::vector<uint32_t> evidence_prefix_;        // prefix counts of evidence positions
  std::vector<int32_t> indel_evidence_;          // window-selector counts over [begin-20, end+20)
  bool count_evidence_ = false;                  // walk_read adds to indel_evidence_
  std::vector<uint32_t> read_keys_;              // per read: id of QNAME/n
  std::vector<char> key_repeats_;                // per key: more than one read has it
  std::string bases_;                            // allele bases of all entries
  std::string read_bases_;                       // scratch of the read being walked
  std::vector<Pending> pending_;
  std::vector<Group> groups_;
};

}  // namespace smallcall
