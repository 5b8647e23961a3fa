#pragma once
// `smallcall call`: read -> group by region -> forward pass -> gate -> write.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "smallcall/bam_input.hpp"

namespace smallcall {

struct CallOptions {
  std::string model_path;
  std::string input;
  std::string accepted;
  std::string remainder;
  std::optional<int> snp_gq_threshold;    // default: model gate, else 20
  std::optional<int> indel_gq_threshold;  // default: model gate, else 28
  bool call_multiallelics = true;
  int64_t partition_size = 1000;
  std::optional<std::string> sample_name;  // default: the reads' @RG SM, else "default"
  std::string small_model_info;           // names the features of TFRecord rows (else found beside them)
  std::string stats_json;
  bool quiet = false;
  int threads = 1;
  std::size_t tile_rows = 128;
  long long task = 0;  // shard index for NAME@N paths
  std::string ref_fasta;  // optional: contigs (order, lengths) for VCF outputs
  int compression_level = 1;  // zlib level of .gz TSV/TFRecord outputs
  // Rows computed from aligned reads instead of --input (reads.reads_path set; ref = ref_fasta).
  ReadsOptions reads;
  AlleleCounterOptions counter;
  bool realignment_sensitive_to_remainder = true;  // rows flagged realignment_sensitive skip the model's gate
};

struct CallStats {
  uint64_t rows = 0;
  uint64_t regions = 0;
  uint64_t largest_region_rows = 0;
  uint64_t accepted = 0, accepted_snp = 0, accepted_indel = 0;
  uint64_t remainder = 0, below_threshold = 0, type_disabled = 0, multiallelic_disabled = 0, realignment_sensitive = 0,
           subset_rejected = 0;
  std::array<uint64_t, 3> accepted_by_genotype{};
  std::array<uint64_t, 151> gq_histogram{};  // GQ (0..150) of every row's argmax genotype
  int snp_threshold = 0, indel_threshold = 0;
  bool call_multiallelics = true;
  uint64_t rows_snp = 0, rows_indel = 0;
  double seconds_total = 0, seconds_read = 0, seconds_forward = 0, seconds_gate = 0, seconds_write = 0;
  double rows_per_second() const { return seconds_total > 0 ? rows / seconds_total : 0; }
  long long task = 0, num_shards = 0;  // num_shards 0: unsharded
  std::string input_path, accepted_path, remainder_path;  // the concrete paths used
  std::string sample_name;     // the calls' sample
  std::string feature_names;   // where the rows' feature names came from
  bool from_reads = false;  // rows computed from --reads
  uint64_t candidates = 0;  // from reads: candidates (rows are their alt subsets)
  uint64_t realignment_sensitive_candidates = 0;
  ReadsCounters reads;
};

// Runs the whole call. Throws UsageError (exit 2) or DataError (exit 1); on any failure no
// output is left under its final name.
CallStats run_call(const CallOptions& options);

// The one-line summary printed on stderr.
std::string summary_line(const CallStats& stats);

}  // namespace smallcall
