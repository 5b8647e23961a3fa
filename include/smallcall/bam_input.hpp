#pragma once
// Aligned reads by partition: opens a BAM/CRAM (with its index) and the reference FASTA
// (faidx, plain or bgzipped), cuts the calling regions into DeepVariant's partitions and,
// for each partition of this task, returns the reads that pass make_examples' filters,
// reservoir-sampled to --max_reads_per_partition exactly as DeepVariant samples them
// (DeepVariant: deepvariant/make_examples_core.py, read filters and the reservoir
// sampler seeded with np.random.RandomState(609314161)).
#include <htslib/faidx.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "smallcall/allele_counter.hpp"
#include "smallcall/options.hpp"
#include "smallcall/reads_counters.hpp"
#include "smallcall/realigner.hpp"

namespace smallcall {

// One contig interval to call, 0-based [begin, end).
struct CallingInterval {
  int tid = -1;  // BAM target id
  std::string contig;
  int64_t contig_length = 0;
  int64_t begin = 0, end = 0;
};

class BamPartitionReader {
 public:
  // Opens source.reads and source.ref and checks everything; throws DataError
  // (missing/unreadable file or index, reference/BAM contig mismatch) or UsageError (bad
  // --regions, bad option values). Partition k goes to task k mod num_shards.
  explicit BamPartitionReader(const SourceOptions& source);
  ~BamPartitionReader();
  BamPartitionReader(const BamPartitionReader&) = delete;
  BamPartitionReader& operator=(const BamPartitionReader&) = delete;

  // The next partition of this task with its reads and reference; false at the end.
  bool next(PartitionView& view, std::string& region_name);

  const std::vector<CallingInterval>& intervals() const { return intervals_; }
  // The distinct non-empty SM values of the reads' @RG lines, in header order.
  const std::vector<std::string>& samples() const { return samples_; }
  // Totals over the partitions next has returned (and the empty ones before them).
  ReadsCounters counters() const { return counters_; }
  double fraction_consumed() const;
  // The realigner's windows in the partition `next` returned last (none with --norealign_reads).
  const std::vector<WindowReport>& windows() const;

 private:
  struct Handles;
  struct Job;       // one partition's reads, reference and realignment results
  struct Pipeline;  // --realign_threads > 1: partitions read in order, realigned in parallel
  void read_sample_names();
  // The next partition of this task, in calling order; false at the end. Adds the partitions
  // it passes (of this task) to counts.
  bool advance(const CallingInterval*& interval, int64_t& begin, int64_t& end, ReadsCounters& counts);
  // Reads and samples the reads of [begin, end) into job.reads; false when none is usable.
  // Counts into job.counts. Uses the shared BAM handle: one caller at a time.
  bool read_partition(const CallingInterval& interval, int64_t begin, int64_t end, Job& job);
  // Realigns job's reads (realigner), keeps those overlapping the partition and fetches the
  // reference the allele counter needs (fasta: this thread's handle).
  void finish_partition(Job& job, Realigner& realigner, faidx_t* fasta) const;
  // Reads the next partition with usable reads into job; false at the end. job.counts: every
  // partition passed on the way. Uses the shared BAM handle: one caller at a time.
  bool read_next(Job& job);
  // The upper-case reference of [from, to) into out.
  void fetch_reference(faidx_t* fasta, const CallingInterval& interval, int64_t from, int64_t to,
                       const std::string& where, std::string& out) const;
  void set_view(const Job& job, PartitionView& view, std::string& region_name) const;
  void start_pipeline();

  SourceOptions options_;
  std::unique_ptr<Handles> h_;
  std::vector<CallingInterval> intervals_;
  std::size_t interval_index_ = 0;
  int64_t next_begin_ = 0;
  uint64_t partition_index_ = 0;  // over all tasks, in calling order
  uint64_t bases_total_ = 0;
  std::atomic<uint64_t> bases_done_{0};
  std::mt19937 rng_;            // numpy RandomState's MT19937, re-seeded per partition
  ReadsCounters counters_;
  std::vector<std::string> samples_;
  Realigner realigner_;         // one thread: this one
  std::unique_ptr<Job> job_;    // the partition `next` returned last
  std::unique_ptr<Pipeline> pipeline_;
};

// numpy RandomState(seed).randint(0, high) on an MT19937 stream: masked rejection sampling
// on 32-bit draws (high <= 2^32). Exposed for tests.
uint32_t numpy_randint(std::mt19937& rng, uint64_t high);

}  // namespace smallcall
