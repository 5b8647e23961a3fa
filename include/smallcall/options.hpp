#pragma once
// Every command's settings, one home each: main.cpp parses flags into these and nothing
// copies them elsewhere.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smallcall {

// --io_threads auto: resolved by resolve_io_threads (cpus.hpp).
constexpr int kIoThreadsAuto = -1;

// DeepVariant's allele counter and very-sensitive caller (rows from reads).
struct AlleleCounterOptions {
  int min_base_quality = 10;
  int vsc_min_count_snps = 2;
  float vsc_min_fraction_snps = 0.12f;  // proto floats: compared after widening to double
  int vsc_min_count_indels = 2;
  float vsc_min_fraction_indels = 0.06f;
  bool track_ref_reads = true;
  int vaf_context_window = 51;
};

// DeepVariant's realigner (deepvariant/realigner/realigner.py and its flags; defaults of r1.9).
// The ALLELE_COUNT_LINEAR window model: realigner.py's built-in coefficients.
struct LinearWindowModel {
  float bias = -0.683379f, soft_clip = 2.997f, substitution = -0.086644f, insertion = 2.493585f,
        deletion = 1.795914f, reference = -0.059787f, decision_boundary = 3.0f;
};

struct WindowSelectorOptions {
  bool use_window_selector_model = false;  // --ws_use_window_selector_model: the linear model
  LinearWindowModel linear_model;
  int min_num_supporting_reads = 2;        // --ws_min_num_supporting_reads (-1: 2)
  int max_num_supporting_reads = 300;      // --ws_max_num_supporting_reads (-1: 300)
  bool supporting_reads_given = false;     // either flag given other than -1 (refused with the model)
  int min_mapq = 20;                       // --ws_min_mapq
  int min_base_quality = 20;               // --ws_min_base_quality
  int min_windows_distance = 80;           // --ws_min_windows_distance
  int region_expansion_in_bp = 20;         // --ws_region_expansion_in_bp
  bool realign_all = false;                // --realign_all: the whole partition is one window
  int min_allele_support = 2;              // realigner.py's constant (the proto's default, 0, in unit tests)
};

struct DeBruijnOptions {
  int min_k = 10;             // --dbg_min_k
  int max_k = 101;            // --dbg_max_k
  int step_k = 1;             // --dbg_step_k
  int min_mapq = 14;          // --dbg_min_mapq
  int min_base_quality = 15;  // --dbg_min_base_quality
  int min_edge_weight = 2;    // --dbg_min_edge_weight
  int max_num_paths = 256;    // --dbg_max_num_paths (0 makes every window fail, as in DeepVariant)
};

struct AlignerOptions {
  int kmer_size = 32;                     // --kmer_size
  int max_num_mismatches = 2;             // --max_num_mismatches
  double similarity_threshold = 0.16934;  // --realignment_similarity_threshold
  int match = 4, mismatch = 6, gap_open = 8, gap_extend = 2;  // --aln_match/_mismatch/_gap_open/_gap_extend
  int read_size = 100;                    // the first read's length (set per window)
  bool normalize_reads = false;           // --normalize_reads: no normalisation veto (refused: not implemented)
};

struct RealignerOptions {
  // --realign_reads (DeepVariant's default, Illumina); --norealign_reads (its PacBio/ONT
  // setting): reads are counted as aligned.
  bool realign_reads = true;
  int max_read_length_to_realign = 500;  // --max_read_length_to_realign (0: every length)
  int max_window_size = 1000;            // --ws_max_window_size
  int ref_align_margin = 20;             // _REF_ALIGN_MARGIN
  WindowSelectorOptions windows;
  DeBruijnOptions graph;
  AlignerOptions aligner;
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
  RealignerOptions realigner;
  int min_mapping_quality = 5;
  int max_reads_per_partition = 1500;
  int realign_threads = 1;  // --realign_threads: partitions realigned in parallel (1: in the reading thread)
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
  int io_threads = kIoThreadsAuto;  // --io_threads (cpus.hpp); resolved to 0 or 1 by run_call
  bool quiet = false;
};

// `smallcall features`.
struct FeaturesOptions {
  SourceOptions source;
  std::string output, stats_json;
  int compression_level = 1;
  int io_threads = kIoThreadsAuto;  // --io_threads: 0 compresses the output on the reading thread
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
