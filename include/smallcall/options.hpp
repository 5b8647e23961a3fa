#pragma once
// Every command's settings, one home each: main.cpp parses flags into these and nothing
// copies them elsewhere.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smallcall {

// DeepVariant's allele counter and very-sensitive caller (rows from reads).
struct AlleleCounterOptions {
  int min_base_quality = 10;
  int vsc_min_count_snps = 2;
  float vsc_min_fraction_snps = 0.12f;  // proto floats: compared after widening to double
  int vsc_min_count_indels = 2;
  float vsc_min_fraction_indels = 0.06f;
  bool track_ref_reads = true;
  int vaf_context_window = 51;
  // Realignment guard: an indel candidate, or any candidate within this many bp of a
  // position where >= 2 reads (MAPQ >= 20, base quality >= 20: the window selector's
  // filters) carry an insertion or deletion (and, if realignment_soft_clips, a soft clip)
  // anchored there, is realignment_sensitive. A negative distance: indel candidates only.
  int realignment_distance = 100;
  bool realignment_soft_clips = false;
  // DeepVariant realigns reads in this run (make_examples --realign_reads, its default). False
  // (--norealign_reads, DeepVariant's PacBio/ONT setting): nothing is realigner-dependent, no
  // candidate is realignment_sensitive.
  bool realign_reads = true;
};

enum class MultiallelicMode { kProduct, kMin };

// postprocess_variants' flags that change the VCF it writes, with their defaults (the
// accepted VCF applies them).
struct PostprocessOptions {
  MultiallelicMode multiallelic_mode = MultiallelicMode::kProduct;  // --multiallelic_mode (r1.10)
  double qual_filter = 1.0;                                         // --qual_filter
  double multi_allelic_qual_filter = 1.0;                           // --multi_allelic_qual_filter
  double cnn_homref_call_min_gq = 20;                               // --cnn_homref_call_min_gq
};

// Where rows come from and how they are cut into regions and shards: rows from a file
// (`input`), or computed from reads (`reads` + `ref`) as make_examples computes them.
struct SourceOptions {
  std::string input;             // --input: TSV or TFRecord rows ("-" = stdin)
  std::string small_model_info;  // --small_model_info: names the features of TFRecord rows
  std::string reads;             // --reads: indexed BAM or CRAM
  std::string ref;               // --ref: FASTA of the reads; contigs of VCF outputs
  std::vector<std::string> regions;  // "chr", "chr:from-to" (1-based, commas allowed) or BED files
  std::vector<std::string> exclude_regions;  // taken out of `regions` before partitioning
  int min_mapping_quality = 5;
  int max_reads_per_partition = 1500;
  bool keep_duplicates = false;
  bool keep_secondary_alignments = false;
  bool keep_supplementary_alignments = false;
  AlleleCounterOptions counter;
  int64_t partition_size = 1000;  // partitions of the reads; regions of rows without a region column
  long long task = 0;             // shard index for NAME@N paths
  long long num_shards = 0;       // N of the NAME@N paths (0: unsharded), set when they are resolved
  std::optional<std::string> sample_name;  // --sample_name (default: the reads' @RG SM, else the rows')
  bool from_reads() const { return !reads.empty(); }
};

// The gate's settings as flags give them; unset thresholds come from the model (gate.hpp).
struct GateFlags {
  std::optional<int> snp_gq_threshold;    // default: model gate, else 20
  std::optional<int> indel_gq_threshold;  // default: model gate, else 28
  bool call_multiallelics = true;
  bool realignment_sensitive_to_remainder = true;  // rows flagged realignment_sensitive skip the gate
};

// `smallcall call`.
struct CallOptions {
  std::string model_path;
  SourceOptions source;
  std::string accepted, remainder, stats_json;
  GateFlags gate;
  // An accepted VCF's numbers: postprocess_variants' flags (given: one was on the command line,
  // which an output that is not a VCF refuses).
  PostprocessOptions postprocess;
  bool postprocess_flags_given = false;
  int threads = 1;
  std::size_t tile_rows = 128;
  int compression_level = 1;  // zlib level of .gz TSV/TFRecord outputs
  bool quiet = false;
};

// `smallcall features`.
struct FeaturesOptions {
  SourceOptions source;
  std::string output, stats_json;
  int compression_level = 1;
  bool quiet = false;
};

// `smallcall sweep`.
struct SweepOptions {
  std::string model_path;
  SourceOptions source;  // input, small_model_info, partition_size
  GateFlags gate;        // each type's threshold is held while the other type's is swept
  bool require_labels = false;
  int threads = 1;
  std::string json, plot;  // outputs besides the table on stdout
};

}  // namespace smallcall
