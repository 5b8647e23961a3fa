#pragma once
// `smallcall call`: read -> group by region -> forward pass -> gate -> write.
#include <array>
#include <cstdint>
#include <string>

#include "smallcall/options.hpp"
#include "smallcall/reads_counters.hpp"

namespace smallcall {

// What a call run counted and how long it took (its settings stay in CallOptions).
struct CallStats {
  uint64_t rows = 0;
  uint64_t regions = 0;
  uint64_t largest_region_rows = 0;
  uint64_t rows_snp = 0, rows_indel = 0;
  uint64_t accepted = 0, accepted_snp = 0, accepted_indel = 0;
  std::array<uint64_t, 3> accepted_by_genotype{};
  uint64_t remainder = 0, below_threshold = 0, type_disabled = 0, multiallelic_disabled = 0, realignment_sensitive = 0,
           subset_rejected = 0, incomplete_candidate = 0;
  // Rows by gate score: bin k counts scores in [k, k + 1) (the score is at most 70).
  std::array<uint64_t, 71> gate_score_histogram{};
  // setup: model, engine and outputs until the first tile is asked for; read: waiting for
  // tiles; gate and write: the finisher's (another thread unless --io_threads 0), write with
  // the outputs' closing.
  double seconds_total = 0, seconds_setup = 0, seconds_read = 0, seconds_forward = 0, seconds_gate = 0,
         seconds_write = 0;
  double rows_per_second() const { return seconds_total > 0 ? rows / seconds_total : 0; }
  std::string sample_name;    // the calls' sample
  std::string feature_names;  // where the rows' feature names came from
  // From reads: candidates (rows are their alt subsets) and the read counters.
  bool from_reads = false;
  uint64_t candidates = 0, realignment_sensitive_candidates = 0;
  ReadsCounters reads;
};

// Runs the whole call and prints the summary line unless quiet. Throws UsageError (exit 2)
// or DataError (exit 1); on any failure no output is left under its final name.
CallStats run_call(const CallOptions& options);

}  // namespace smallcall
