#pragma once
// What reading a BAM/CRAM counted (the stats of `call --reads` and `features`).
#include <cstdint>

namespace smallcall {

// What the realigner did (stats).
struct RealignerCounters {
  uint64_t windows = 0;                 // selected
  uint64_t windows_assembled = 0;       // two or more haplotypes: reads realigned there
  uint64_t windows_reference_only = 0;  // the reference was the only haplotype
  uint64_t windows_too_long = 0;        // longer than --ws_max_window_size: given up
  uint64_t windows_off_contig = 0;      // starting before 0 or ending past the contig: skipped, as DeepVariant
  uint64_t windows_no_graph = 0;        // no k with unique reference k-mers and an acyclic graph: given up
  uint64_t windows_too_many_paths = 0;  // more than --dbg_max_num_paths haplotypes: given up
  uint64_t reads_realigned = 0;         // reads whose alignment changed
};

struct ReadsCounters {
  uint64_t partitions = 0;          // partitions of this task processed
  uint64_t reads_seen = 0;          // records returned by the index queries
  uint64_t reads_filtered = 0;      // dropped by the flag / MAPQ filters
  uint64_t reads_without_qualities = 0;
  uint64_t reads_downsampled = 0;   // dropped by reservoir sampling
  uint64_t reads_used = 0;          // kept (a read overlapping two partitions counts twice)
  RealignerCounters realigner;
};

}  // namespace smallcall
