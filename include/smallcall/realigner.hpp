#pragma once
// DeepVariant's read realigner for one partition (deepvariant/realigner/realigner.py,
// realign_reads; deepvariant-realigner.md sections 3, 6-9): windows selected from the
// reads' alleles, each assembled into haplotypes, the reads assigned to the window they
// overlap most and realigned there with the FastPassAligner. Reads are changed in place
// (position and CIGAR; hard clips dropped); nothing is realigned outside an assembled window.
#include <htslib/sam.h>

#include <cstdint>
#include <string>
#include <vector>

#include "smallcall/debruijn_graph.hpp"
#include "smallcall/fast_pass_aligner.hpp"
#include "smallcall/reads_counters.hpp"
#include "smallcall/window_selector.hpp"

namespace smallcall {

// What happened to one window (for tests and the stats).
enum class WindowOutcome { kAssembled, kReferenceOnly, kTooLong, kOffContig, kNoGraph, kTooManyPaths };

struct WindowReport {
  Window window;
  WindowOutcome outcome = WindowOutcome::kAssembled;
  int k = 0;
  std::vector<std::string> haplotypes;  // assembled (the reference among them), in graph order
  std::size_t reads = 0;  // assigned to it (assembled windows)
};

// UsageError naming the flag when a realigner option cannot work: DeepVariant's own refusals
// (the window model with --ws_*_num_supporting_reads, min above max) and values that would
// loop forever or overflow libssw's 8-bit scores.
void check_options(const RealignerOptions& options);

class Realigner {
 public:
  // Throws UsageError for option values the realigner cannot run with (check_options).
  explicit Realigner(const RealignerOptions& options) : options_(options) { check_options(options); }
  Realigner() = default;
  // Realigns reads[0..n) of partition [begin, end) in place. `ref` must cover the partition
  // +-120 bp and every read's span +-20 bp (clipped to the contig).
  void realign(bam1_t** reads, std::size_t n, int64_t begin, int64_t end, const ReferenceSpan& ref);
  // The windows of the last partition, in order.
  const std::vector<WindowReport>& windows() const { return windows_; }
  // Windows the realigner gave up on (no acyclic graph, too many paths, too long): their
  // reads keep the alignments DeepVariant would have realigned.
  std::vector<Window> given_up() const;
  // The counts of the last partition.
  const RealignerCounters& counters() const { return counters_; }
  // A partition without reads: no windows, nothing counted.
  void clear() {
    windows_.clear();
    counters_ = RealignerCounters{};
  }

 private:
  RealignerOptions options_;
  std::vector<WindowReport> windows_;
  RealignerCounters counters_;
};

// A read's alignment replaced (position, CIGAR), everything else kept; for tests too.
void set_alignment(bam1_t* b, int64_t position, const std::vector<CigarUnit>& cigar);

}  // namespace smallcall
