// smallcall command line: parses flags into each command's options and hands them to the
// library; one add_<command> per subcommand, then a dispatch (as samtools' bamtk.c).
#include <CLI/CLI.hpp>
#include <map>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "smallcall/call.hpp"
#include "smallcall/command_line.hpp"
#include "smallcall/error.hpp"
#include "smallcall/features.hpp"
#include "smallcall/inspect.hpp"
#include "smallcall/options.hpp"
#include "smallcall/simulate.hpp"
#include "smallcall/sweep.hpp"

namespace {

using smallcall::UsageError;

// A command: its subcommand and what to run once the flags are parsed (after the checks
// that need to know which flags were given).
struct Command {
  CLI::App* app;
  std::function<int()> run;
  smallcall::FlagRules rules;  // how it takes DeepVariant's flags
};

// DeepVariant's read-extraction flags (make_examples' names and WGS defaults); returns them,
// so a command can refuse them where they mean nothing.
std::vector<CLI::Option*> add_reads_flags(CLI::App* app, smallcall::SourceOptions& s) {
  const std::size_t before = app->get_options().size();
  smallcall::AlleleCounterOptions& c = s.counter;
  app->add_option("--regions", s.regions,
                  "Regions to call, space-separated: chr, chr:from-to (1-based, inclusive; commas allowed) or BED "
                  "files [default: every contig shared by --ref and the reads]");
  app->add_option("--exclude_regions", s.exclude_regions,
                  "Regions taken out of --regions before partitioning, in the same forms (DeepVariant's meaning)");
  app->add_option("--min_mapping_quality", s.min_mapping_quality, "Reads below this MAPQ are dropped [default: 5]");
  app->add_option("--min_base_quality", c.min_base_quality,
                  "Bases (and indels) below this quality are low quality: kept as support, not counted in DP/AD "
                  "[default: 10]");
  app->add_option("--vsc_min_count_snps", c.vsc_min_count_snps, "Reads needed for a SNP candidate [default: 2]");
  app->add_option("--vsc_min_fraction_snps", c.vsc_min_fraction_snps,
                  "Allele fraction needed for a SNP candidate [default: 0.12]");
  app->add_option("--vsc_min_count_indels", c.vsc_min_count_indels, "Reads needed for an indel candidate [default: 2]");
  app->add_option("--vsc_min_fraction_indels", c.vsc_min_fraction_indels,
                  "Allele fraction needed for an indel candidate [default: 0.06]");
  app->add_option("--max_reads_per_partition", s.max_reads_per_partition,
                  "Reservoir-sample each partition to this many reads, as DeepVariant does [default: 1500]");
  app->add_flag("--keep_duplicates,!--nokeep_duplicates", s.keep_duplicates,
                "=true|false: keep reads flagged duplicate [default: false]");
  app->add_flag("--keep_secondary_alignments,!--nokeep_secondary_alignments", s.keep_secondary_alignments,
                "=true|false: keep secondary alignments [default: false]");
  app->add_flag("--keep_supplementary_alignments,!--nokeep_supplementary_alignments",
                s.keep_supplementary_alignments, "=true|false: keep supplementary alignments [default: false]");
  app->add_option("--small_model_vaf_context_window_size", c.vaf_context_window,
                  "Width of the VAF context around each candidate: offsets -W/2..W/2; 0 = no context features "
                  "[default: 51]");
  app->add_flag("--track_ref_reads,!--notrack_ref_reads", c.track_ref_reads,
                "=true|false: store reference-supporting reads, as DeepVariant 1.9/1.10 WGS runs with the small "
                "model do; false makes the reference-read features 0 [default: true]");
  // DeepVariant's realigner and its flags (deepvariant/realigner/realigner.py).
  smallcall::RealignerOptions& r = s.realigner;
  app->add_flag("--realign_reads,!--norealign_reads", r.realign_reads,
                "=true|false: realign reads in windows around evidence before counting, as make_examples does "
                "(DeepVariant's Illumina default); --norealign_reads (its PacBio/ONT setting) counts reads as "
                "aligned [default: true]");
  app->add_option("--realign_threads", s.realign_threads,
                  "Threads realigning partitions in parallel (smallcall's own; the rows are the same for every "
                  "value). 1 realigns in the reading thread, for one process per core as DeepVariant's shards "
                  "run [default: 1]");
  app->add_option("--max_read_length_to_realign", r.max_read_length_to_realign,
                  "Longer reads are not realigned (0: every length) [default: 500]");
  app->add_flag("--ws_use_window_selector_model,!--nows_use_window_selector_model", r.windows.use_window_selector_model,
                "=true|false: select windows with the linear allele-count model instead of VARIANT_READS "
                "[default: false]");
  app->add_option_function<int>(
      "--ws_min_num_supporting_reads", [&r](int v) {
        r.windows.min_num_supporting_reads = v == -1 ? 2 : v;
        r.windows.supporting_reads_given |= v != -1;
      },
      "VARIANT_READS: fewest supporting reads at a position (-1: 2) [default: -1]");
  app->add_option_function<int>(
      "--ws_max_num_supporting_reads", [&r](int v) {
        r.windows.max_num_supporting_reads = v == -1 ? 300 : v;
        r.windows.supporting_reads_given |= v != -1;
      },
      "VARIANT_READS: most supporting reads at a position (-1: 300) [default: -1]");
  app->add_option("--ws_min_mapq", r.windows.min_mapq, "Reads below this MAPQ do not select windows [default: 20]");
  app->add_option("--ws_min_base_quality", r.windows.min_base_quality,
                  "Bases below this quality are low quality for window selection [default: 20]");
  app->add_option("--ws_min_windows_distance", r.windows.min_windows_distance,
                  "Window padding; candidates within twice this share a window [default: 80]");
  app->add_option("--ws_max_window_size", r.max_window_size, "Longer windows are given up [default: 1000]");
  app->add_option("--ws_region_expansion_in_bp", r.windows.region_expansion_in_bp,
                  "Window selection looks this far past the partition [default: 20]");
  app->add_flag("--realign_all,!--norealign_all", r.windows.realign_all,
                "=true|false: the whole partition is one window [default: false]");
  app->add_option("--dbg_min_k", r.graph.min_k, "Smallest k of the De Bruijn graph [default: 10]");
  app->add_option("--dbg_max_k", r.graph.max_k, "Largest k [default: 101]");
  app->add_option("--dbg_step_k", r.graph.step_k, "k increment [default: 1]");
  app->add_option("--dbg_min_mapq", r.graph.min_mapq, "Reads below this MAPQ add no graph edges [default: 14]");
  app->add_option("--dbg_min_base_quality", r.graph.min_base_quality,
                  "Bases below this quality break read k-mers [default: 15]");
  app->add_option("--dbg_min_edge_weight", r.graph.min_edge_weight,
                  "Non-reference edges lighter than this are pruned [default: 2]");
  app->add_option("--dbg_max_num_paths", r.graph.max_num_paths,
                  "A window with more haplotypes is given up (0: every window, as DeepVariant) [default: 256]");
  app->add_option("--aln_match", r.aligner.match, "Aligner match score (0: 4, as DeepVariant) [default: 4]");
  app->add_option("--aln_mismatch", r.aligner.mismatch, "Aligner mismatch penalty (0: 6) [default: 6]");
  app->add_option("--aln_gap_open", r.aligner.gap_open, "Aligner gap open penalty (0: 8) [default: 8]");
  app->add_option("--aln_gap_extend", r.aligner.gap_extend, "Aligner gap extension penalty (0: 1, fast_pass_aligner.h's default) [default: 2]");
  app->add_option("--max_num_mismatches", r.aligner.max_num_mismatches,
                  "Mismatches the fast (ungapped) path allows (0: 2, as DeepVariant) [default: 2]");
  app->add_option("--realignment_similarity_threshold", r.aligner.similarity_threshold,
                  "Smith-Waterman score threshold as a fraction of a perfect match (0: 0.85, as DeepVariant) [default: 0.16934]");
  app->add_option("--kmer_size", r.aligner.kmer_size, "k of the aligner's read index, 3..32 (0: 32) [default: 32]");
  std::vector<CLI::Option*> added;
  const auto all = app->get_options();
  for (std::size_t i = before; i < all.size(); ++i) added.push_back(all[i]);
  return added;
}

// Refuses flags given where they mean nothing (a usage error naming the flag and why).
void refuse_given(const std::vector<CLI::Option*>& options, const std::string& why) {
  for (const CLI::Option* opt : options)
    if (opt->count() > 0) throw UsageError(opt->get_name() + " " + why);
}

// DeepVariant takes --regions (and --exclude_regions) as one space-separated string.
void split_regions(std::vector<std::string>& regions) {
  std::vector<std::string> out;
  for (const auto& s : regions) {
    std::size_t b = 0;
    while ((b = s.find_first_not_of(" \t", b)) != std::string::npos) {
      const std::size_t e = s.find_first_of(" \t", b);
      out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
      b = e;
    }
  }
  regions = out;
}

// An optional value: set only when the flag is given.
template <typename T>
CLI::Option* add_optional(CLI::App* app, const std::string& name, std::optional<T>& target, const std::string& help) {
  return app->add_option_function<T>(name, [&target](const T& v) { target = v; }, help);
}

void add_gate_flags(CLI::App* app, smallcall::GateFlags& g, const std::string& held) {
  add_optional(app, "--small_model_snp_gq_threshold", g.snp_gq_threshold,
               "GQ a SNP row needs; -1 sends all SNP rows to the remainder" + held +
                   " [default: model gate, else 20]");
  add_optional(app, "--small_model_indel_gq_threshold", g.indel_gq_threshold,
               "GQ an indel row needs; -1 sends all indel rows to the remainder" + held +
                   " [default: model gate, else 28]");
  app->add_flag("--small_model_call_multiallelics,!--nosmall_model_call_multiallelics", g.call_multiallelics,
                "=true|false: when false, multi-allelic rows go to the remainder [default: true]");
  app->add_flag("--realignment_sensitive_to_remainder,!--norealignment_sensitive_to_remainder",
                g.realignment_sensitive_to_remainder,
                "=true|false: rows flagged realignment_sensitive (from --reads: inside a window the realigner gave "
                "up on; or a features file) go to the remainder whatever their GQ [default: true]");
}

void add_io_threads(CLI::App* app, int& io_threads, const std::string& what) {
  app->add_option_function<std::string>(
         "--io_threads",
         [&io_threads](const std::string& v) { io_threads = v == "auto" ? smallcall::kIoThreadsAuto : std::stoi(v); },
         "1: " + what + " on background threads beside this one; 0: all on one thread, for one process per core "
         "(N shards under GNU parallel on N cores); auto: 0 when the process may use only one CPU (taskset, "
         "cpuset, CPU quota), else 1 [default: auto]")
      ->check(CLI::IsMember({"auto", "0", "1"}));
}

CLI::Option* add_small_model_info(CLI::App* app, smallcall::SourceOptions& s) {
  return app->add_option("--small_model_info", s.small_model_info,
                         "small_model_info.json naming the features of TFRecord --input rows in order [default: "
                         "<input>.small_model_info.json when it exists, else DeepVariant's order]");
}

Command add_call(CLI::App& app, smallcall::CallOptions& o) {
  CLI::App* call = app.add_subcommand("call", "Classify candidate rows; write accepted calls and the remainder");
  smallcall::SourceOptions& s = o.source;
  call->add_option("--model,--trained_small_model_path", o.model_path,
                   "Model JSON file, or a directory holding model.json")
      ->required();
  call->add_option("--input", s.input,
                   "Candidate rows: TSV with a header, or TFRecord of small-model tf.Examples; plain, gzip, bgzip "
                   "or zlib; - for stdin; NAME@N for sharded files");
  call->add_option("--reads", s.reads,
                   "Instead of --input: compute the rows from this indexed BAM/CRAM (needs --ref), region by region");
  auto* info = add_small_model_info(call, s);
  const std::vector<CLI::Option*> reads_flags = add_reads_flags(call, s);
  call->add_option("--accepted", o.accepted,
                   "Accepted calls: .tfrecord[.gz] = CallVariantsOutput records, .vcf/.vcf.gz/.bcf = VCF (sorted, "
                   "indexed), .tsv[.gz] = TSV; - = stdout (TSV); NAME@N sharded")
      ->required();
  call->add_option("--remainder", o.remainder,
                   "Rows not accepted, for the large model: .tfrecord[.gz] = tf.Examples (input records passed "
                   "through), .vcf[.gz] = sites-only VCF of their candidates, .tsv[.gz] = TSV (input lines passed "
                   "through); - = stdout; NAME@N sharded")
      ->required();
  call->add_option("--compression_level", o.compression_level,
                   "zlib level 0-9 of .gz TSV/TFRecord outputs [default: 1: fast; 6 = zlib's default]")
      ->check(CLI::Range(0, 9));
  add_io_threads(call, o.io_threads, "reading, gating and writing (with compression)");
  call->add_option("--ref", s.ref,
                   "Reference FASTA (with .fai; bgzipped needs .gzi): the reads' reference with --reads; contigs and "
                   "lengths for VCF outputs");
  call->add_option("--task", s.task, "Shard index for NAME@N paths (0-based; DeepVariant's --task) [default: 0]");
  add_gate_flags(call, o.gate, "");
  call->add_option("--partition_size", s.partition_size,
                   "Region width in bp: partitions of --reads, or regions of an --input without a region column "
                   "[default: 1000]")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  add_optional(call, "--sample_name", s.sample_name,
               "Sample name of the calls (VCF column, CVO call_set_name, also replacing that of candidates copied "
               "from rows) [default: the reads' @RG SM; for --input rows, the candidates' own, else default]");
  call->add_option("--stats_json", o.stats_json, "Write run statistics (counts, gate score histogram, timings) as JSON");
  // postprocess_variants' flags, for an accepted VCF.
  CLI::Option_group* pp = call->add_option_group("postprocess_variants", "How an accepted VCF is computed");
  std::vector<CLI::Option*> pp_flags{
      pp->add_option_function<std::string>(
            "--multiallelic_mode",
            [&o](const std::string& m) {
              o.postprocess.multiallelic_mode =
                  m == "min" ? smallcall::MultiallelicMode::kMin : smallcall::MultiallelicMode::kProduct;
            },
            "How a multi-allelic candidate's subset probabilities merge: product (DeepVariant 1.10's default) or "
            "min (1.9's only mode) [default: product]")
          ->check(CLI::IsMember({"product", "min"})),
      pp->add_option("--qual_filter", o.postprocess.qual_filter, "QUAL below this: FILTER LowQual [default: 1.0]"),
      pp->add_option("--multi_allelic_qual_filter", o.postprocess.multi_allelic_qual_filter,
                     "Alts of a multi-allelic candidate whose own QUAL is below this are pruned (0: none) [default: "
                     "1.0]"),
      pp->add_option("--cnn_homref_call_min_gq", o.postprocess.cnn_homref_call_min_gq,
                     "A RefCall with GQ below this becomes ./. NoCall [default: 20]")};
  call->add_flag("--quiet", o.quiet, "No summary line or notes on stderr");
  static bool call_small_model = true;  // outlives the parse: CLI11 writes it
  call->add_flag("--call_small_model_examples", call_small_model,
                 "=true|false: DeepVariant's switch for the small model; smallcall call is the small model, so "
                 "false is refused [default: true]");
  call->add_option("--threads", o.threads, "oneDNN threads for the forward pass [default: 1]")
      ->check(CLI::Range(1, 256));
  static int ignored_batch_size = 0;  // outlives the parse: CLI11 writes it
  call->add_option_group("Compatibility", "DeepVariant flags kept for drop-in use")
      ->add_option("--small_model_inference_batch_size", ignored_batch_size,
                   "DEPRECATED and ignored: every region is one forward pass (memory is bounded by internal tiles)")
      ->each([](const std::string&) {
        static bool told = false;
        if (!told) std::cerr << "smallcall: note: --small_model_inference_batch_size is deprecated and ignored\n";
        told = true;
      });
  smallcall::FlagRules rules{true, false, {}};
  for (const CLI::Option* f : reads_flags) rules.reads_only.insert(f->get_lnames()[0]);
  return {call, [&o, info, reads_flags, pp_flags] {
            if (!call_small_model)
              throw UsageError("DeepVariant flag --nocall_small_model_examples is not supported: smallcall call is "
                               "the small model (leave smallcall out of a run without it)");
            for (const CLI::Option* f : pp_flags) o.postprocess_flags_given = o.postprocess_flags_given || f->count();
            if (!o.source.input.empty())
              refuse_given(reads_flags, "applies to --reads only: rows from --input are computed already");
            if (o.source.from_reads() && info->count())
              throw UsageError("--small_model_info names the features of --input rows; rows from --reads are "
                               "computed with their names");
            split_regions(o.source.regions);
            split_regions(o.source.exclude_regions);
            smallcall::run_call(o);
            return 0;
          },
          rules};
}

Command add_features(CLI::App& app, smallcall::FeaturesOptions& o) {
  CLI::App* features = app.add_subcommand(
      "features", "Compute DeepVariant's small-model rows (70 WGS features) from a BAM/CRAM and its reference");
  smallcall::SourceOptions& s = o.source;
  features->add_option("--reads", s.reads, "Indexed BAM or CRAM")->required();
  features->add_option("--ref", s.ref, "Reference FASTA with .fai (bgzipped: also .gzi)")->required();
  features->add_option("--output", o.output,
                       "Rows: .tfrecord[.gz] = small-model tf.Examples, .vcf[.gz] = candidate sites, .tsv[.gz] = TSV "
                       "(- = stdout; NAME@N sharded over partitions with --task)")
      ->required();
  add_reads_flags(features, s);
  features->add_option("--partition_size", s.partition_size, "Partition (region) width in bp [default: 1000]")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  features->add_option("--task", s.task, "Shard index for NAME@N outputs: partition k goes to task k mod N");
  add_optional(features, "--sample_name", s.sample_name,
               "Sample name in the candidates' calls [default: the reads' @RG SM, else default]");
  features->add_option("--stats_json", o.stats_json, "Write counts (rows, candidates, reads) as JSON");
  features->add_option("--compression_level", o.compression_level, "zlib level of .gz outputs [default: 1]")
      ->check(CLI::Range(0, 9));
  add_io_threads(features, o.io_threads, "compression of the output");
  features->add_flag("--quiet", o.quiet, "No summary line or notes on stderr");
  return {features, [&o] {
            split_regions(o.source.regions);
            split_regions(o.source.exclude_regions);
            smallcall::run_features(o);
            return 0;
          },
          smallcall::FlagRules{true, true, {}}};
}

Command add_sweep(CLI::App& app, smallcall::SweepOptions& o) {
  CLI::App* sweep = app.add_subcommand(
      "sweep", "For GQ thresholds 0..70 (SNPs, indels): rows accepted and, with labels, genotype agreement");
  sweep->add_option("--model,--trained_small_model_path", o.model_path, "Model JSON or directory")->required();
  sweep->add_option("--input", o.source.input, "Rows (TSV or TFRecord, as for call); - for stdin")->required();
  add_small_model_info(sweep, o.source);
  sweep->add_flag("--labels", o.require_labels,
                  "Require labels (a `label` column or label/encoded) on every row [default: use them when present]");
  add_gate_flags(sweep, o.gate, ", held while the other type is swept");
  sweep->add_option("--partition_size", o.source.partition_size, "As for call [default: 1000]")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  sweep->add_option("--threads", o.threads, "oneDNN threads for the forward pass [default: 1]")
      ->check(CLI::Range(1, 256));
  sweep->add_option("--json", o.json, "Write the sweep as JSON");
  sweep->add_option("--plot", o.plot, "Draw it as a PNG (python3-matplotlib; plot_sweep.py beside the binary)");
  return {sweep, [&o] {
            const smallcall::SweepResult r = smallcall::run_sweep(o);
            std::cout << smallcall::sweep_table(r);
            smallcall::write_sweep_outputs(r, o);
            return 0;
          },
          {}};
}

Command add_simulate(CLI::App& app, smallcall::SimulateOptions& o) {
  CLI::App* simulate = app.add_subcommand(
      "simulate", "Write labelled candidate rows in DeepVariant's 70-feature WGS layout (seeded, deterministic)");
  simulate->add_option("--output", o.output, "Output: .tfrecord[.gz] (tf.Examples with labels) or .tsv[.gz]")
      ->required();
  simulate->add_option("--rows", o.rows, "Number of rows [default: 10000]");
  simulate->add_option("--seed", o.seed, "Random seed [default: 1]");
  simulate->add_option("--profile", o.profile, "Region sizes: wgs (~5 rows per region) or longread (~150, up to thousands)")
      ->check(CLI::IsMember({"wgs", "longread"}));
  simulate->add_option("--giant_region,--giant-region", o.giant_region, "Put this many rows in one region first");
  simulate->add_option("--multiallelic_fraction", o.multiallelic_fraction,
                       "Fraction of multi-allelic candidates [default: 0.05]");
  simulate->add_option("--hom_ref_fraction", o.hom_ref_fraction,
                       "Fraction of candidates that are not variants [default: 0.3]");
  simulate->add_flag("--quiet", o.quiet, "No summary line");
  return {simulate, [&o] {
            smallcall::run_simulate(o);
            return 0;
          },
          {}};
}

Command add_inspect(CLI::App& app, std::string& model, bool& as_json) {
  CLI::App* inspect = app.add_subcommand("inspect", "Describe a model: layers, features, gate, FLOPs, self test");
  inspect->add_option("model", model, "Model JSON file, or a directory holding model.json")->required();
  inspect->add_flag("--json", as_json, "Machine-readable output");
  return {inspect, [&model, &as_json] { return smallcall::run_inspect(model, as_json); }, {}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smallcall: DeepVariant-style small-model pre-caller (oneDNN MLP + GQ gate)"};
  app.set_version_flag("--version", std::string("smallcall ") + SMALLCALL_VERSION);
  app.require_subcommand(1, 1);
  smallcall::CallOptions call;
  smallcall::FeaturesOptions features;
  smallcall::SweepOptions sweep;
  smallcall::SimulateOptions simulate;
  std::string inspect_model;
  bool inspect_json = false;
  const std::vector<Command> commands{add_call(app, call), add_features(app, features), add_sweep(app, sweep),
                                      add_simulate(app, simulate), add_inspect(app, inspect_model, inspect_json)};

  // absl's flag semantics (flag files, last wins, --noX, --undefok) and DeepVariant's flags,
  // into a command line CLI11 parses.
  std::map<std::string, smallcall::FlagRules> rules;
  for (const Command& c : commands) rules[c.app->get_name()] = c.rules;
  smallcall::AbslCommandLine line;
  try {
    line = smallcall::absl_command_line(std::vector<std::string>(argv + 1, argv + argc), app, rules);
  } catch (const smallcall::Error& e) {
    std::cerr << "smallcall: usage error: " << e.what() << "\n";
    return smallcall::kExitUsageError;
  }
  std::vector<std::string> args(line.args.rbegin(), line.args.rend());  // CLI11 parses a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help / --version to stdout
    std::string command, from;
    for (const Command& c : commands)
      if (app.got_subcommand(c.app)) command = c.app->get_name() + " ";
    const std::string what = e.what();
    for (const auto& [flag, where] : line.origin)  // name the flag file (or JSON) a bad value came from
      if (where != "the command line" && what.find(flag) != std::string::npos) from += " (" + flag + " from " + where + ")";
    std::cerr << "smallcall: usage error: " << what << from << "\n"
              << "Run 'smallcall " << command << "--help' for the flags.\n";
    return smallcall::kExitUsageError;
  }
  for (const Command& c : commands) {
    if (!app.got_subcommand(c.app) || line.ignored.empty()) continue;
    const CLI::Option* quiet = c.app->get_option_no_throw("--quiet");
    if (quiet && quiet->as<bool>()) continue;
    std::string names;
    for (const auto& n : line.ignored) names += (names.empty() ? "" : " ") + n;
    std::cerr << "smallcall: note: DeepVariant flags with no effect on smallcall's rows and calls, ignored: " << names
              << "\n";
  }
  try {
    for (const Command& c : commands)
      if (app.got_subcommand(c.app)) return c.run();
    return smallcall::kExitUsageError;
  } catch (const smallcall::Error& e) {
    std::cerr << "smallcall: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "smallcall: error: " << e.what() << "\n";
    return smallcall::kExitDataError;
  }
}
