#pragma once
// DeepVariant's realignment window selection (deepvariant/realigner/window_selector.py,
// window_selector.cc; deepvariant-realigner.md section 5): the reads' alleles counted over the
// partition expanded by 20 bp (MAPQ >= 20; bases below quality 20 low-quality), positions
// scored by the non-reference alleles at least two reads share (VARIANT_READS, the default)
// or by a linear model, and the selected positions merged into windows.
#include <htslib/sam.h>

#include <cstdint>
#include <string>
#include <vector>

#include "smallcall/options.hpp"

namespace smallcall {

// A stretch of the reference: `bases` (upper case) from `offset`, on a contig of `length`.
struct ReferenceSpan {
  int64_t offset = 0;
  std::string bases;
  int64_t contig_length = 0;
  // The base at pos, or 0 outside the span.
  char at(int64_t pos) const {
    const int64_t i = pos - offset;
    return i < 0 || i >= static_cast<int64_t>(bases.size()) ? 0 : bases[static_cast<std::size_t>(i)];
  }
};

struct Window {
  int64_t start = 0, end = 0;  // 0-based [start, end); start may be negative
  bool operator==(const Window& o) const { return start == o.start && end == o.end; }
};

// The selected positions of [begin, end) (before merging into windows).
std::vector<int64_t> window_candidate_positions(const bam1_t* const* reads, std::size_t n, int64_t begin,
                                                int64_t end, const ReferenceSpan& ref,
                                                const WindowSelectorOptions& options);
// Positions merged into windows: candidates closer than 2 * distance share a window, which
// extends `distance` past its first and last candidate.
std::vector<Window> candidates_to_windows(std::vector<int64_t> positions, int distance);
// select_windows: the windows of a partition ([begin, end) when realign_all; none without reads).
std::vector<Window> select_windows(const bam1_t* const* reads, std::size_t n, int64_t begin, int64_t end,
                                   const ReferenceSpan& ref, const WindowSelectorOptions& options);

}  // namespace smallcall
