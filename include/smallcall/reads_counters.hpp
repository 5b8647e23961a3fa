#pragma once
// What reading a BAM/CRAM counted (the stats of `call --reads` and `features`).
#include <cstdint>

namespace smallcall {

struct ReadsCounters {
  uint64_t partitions = 0;          // partitions of this task processed
  uint64_t reads_seen = 0;          // records returned by the index queries
  uint64_t reads_filtered = 0;      // dropped by the flag / MAPQ filters
  uint64_t reads_without_qualities = 0;
  uint64_t reads_downsampled = 0;   // dropped by reservoir sampling
  uint64_t reads_used = 0;          // kept (a read overlapping two partitions counts twice)
};

}  // namespace smallcall
