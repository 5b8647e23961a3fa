#pragma once
// DeepVariant's allele counter and very-sensitive candidate caller for one partition, by a
// direct CIGAR walk per read (DeepVariant: deepvariant/allelecounter.cc, and the very sensitive
// caller in deepvariant/variant_calling_multisample.cc): read
// alleles with the anchor / supersede / soft-clip rules, candidates with DP and AD, read
// support per allele, and the VAF-context map, on the reads as the realigner left them.
// Candidates inside a window the realigner gave up on are marked realignment_sensitive.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "smallcall/feature_encoder.hpp"
#include "smallcall/options.hpp"
#include "smallcall/window_selector.hpp"

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
  std::vector<Window> guarded;  // windows the realigner gave up on: their candidates are realignment_sensitive
};

class AlleleCounter {
 public:
  // Throws UsageError for option values DeepVariant would reject (even window, negative counts...).
  explicit AlleleCounter(const AlleleCounterOptions& options);
  ~AlleleCounter();
  AlleleCounter(AlleleCounter&&) noexcept;
  AlleleCounter& operator=(AlleleCounter&&) noexcept;
  // The candidates of the partition, in position order (reuses `out`'s storage).
  void find_candidates(const PartitionView& partition, std::vector<Candidate>& out);

 private:
  struct Impl;  // per-position scratch and the CIGAR walk, reused between partitions
  std::unique_ptr<Impl> impl_;
};

}  // namespace smallcall
