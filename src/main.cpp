// smallcall command line: parses flags and hands them to the library.
#include <CLI/CLI.hpp>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "smallcall/call.hpp"
#include "smallcall/engine.hpp"
#include "smallcall/error.hpp"
#include "smallcall/inspect.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/reads_row_reader.hpp"
#include "smallcall/simulate.hpp"
#include "smallcall/sweep.hpp"


namespace {

// absl accepts single-dash long flags (-task 3); CLI11 does not, so rewrite them.
std::string long_flag(std::string a) {
  if (a.size() > 2 && a[0] == '-' && a[1] != '-' && std::isalpha(static_cast<unsigned char>(a[1])) &&
      (std::isalpha(static_cast<unsigned char>(a[2])) || a[2] == '_'))
    a = "-" + a;
  return a;
}

// --flagfile=PATH (absl): one flag per line ("--name=value" or "--name"); blank lines and
// lines starting with '#' or "//" are skipped; flag files may name further flag files.
void expand_flagfile(const std::string& path, std::vector<std::string>& out, int depth) {
  if (depth > 8) throw smallcall::UsageError("--flagfile nesting is too deep at " + path);
  std::ifstream in(path);
  if (!in) throw smallcall::UsageError("--flagfile " + path + ": cannot open");
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    const auto e = line.find_last_not_of(" \t\r");
    line = line.substr(b, e - b + 1);
    if (line[0] == '#' || line.rfind("//", 0) == 0) continue;
    line = long_flag(line);
    if (line.rfind("--flagfile=", 0) == 0) expand_flagfile(line.substr(11), out, depth + 1);
    else out.push_back(line);
  }
}

std::vector<std::string> normalise_args(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = long_flag(argv[i]);
    if (a.rfind("--flagfile=", 0) == 0) expand_flagfile(a.substr(11), args, 0);
    else if (a == "--flagfile" && i + 1 < argc) expand_flagfile(argv[++i], args, 0);
    else args.push_back(a);
  }
  return args;
}

// The read-extraction flags, named and defaulted as DeepVariant's make_examples (WGS); returns
// them, so a command can refuse them where they mean nothing.
std::vector<CLI::Option*> add_reads_flags(CLI::App* app, smallcall::ReadsOptions& r, smallcall::AlleleCounterOptions& c) {
  const std::size_t before = app->get_options().size();
  app->add_option("--regions", r.regions,
                  "Regions to call: chr, chr:from-to (1-based, inclusive; commas allowed) or BED files; several "
                  "allowed [default: every contig shared by --ref and the reads]");
  app->add_option("--min_mapping_quality", r.min_mapping_quality, "Reads below this MAPQ are dropped [default: 5]");
  app->add_option("--min_base_quality", c.min_base_quality,
                  "Bases (and indels) below this quality are low quality: kept as support, not counted in DP/AD "
                  "[default: 10]");
  app->add_option("--vsc_min_count_snps", c.vsc_min_count_snps, "Reads needed for a SNP candidate [default: 2]");
  app->add_option("--vsc_min_fraction_snps", c.vsc_min_fraction_snps,
                  "Allele fraction needed for a SNP candidate [default: 0.12]");
  app->add_option("--vsc_min_count_indels", c.vsc_min_count_indels, "Reads needed for an indel candidate [default: 2]");
  app->add_option("--vsc_min_fraction_indels", c.vsc_min_fraction_indels,
                  "Allele fraction needed for an indel candidate [default: 0.06]");
  app->add_option("--max_reads_per_partition", r.max_reads_per_partition,
                  "Reservoir-sample each partition to this many reads, as DeepVariant does [default: 1500]");
  app->add_flag("--keep_duplicates,!--nokeep_duplicates", r.keep_duplicates,
                "=true|false: keep reads flagged duplicate [default: false]");
  app->add_flag("--keep_secondary_alignments,!--nokeep_secondary_alignments", r.keep_secondary_alignments,
                "=true|false: keep secondary alignments [default: false]");
  app->add_flag("--keep_supplementary_alignments,!--nokeep_supplementary_alignments",
                r.keep_supplementary_alignments, "=true|false: keep supplementary alignments [default: false]");
  app->add_option("--small_model_vaf_context_window_size", c.vaf_context_window,
                  "Width of the VAF context around each candidate (odd) [default: 51]");
  app->add_flag("--track_ref_reads,!--notrack_ref_reads", c.track_ref_reads,
                "=true|false: store reference-supporting reads, as DeepVariant 1.9/1.10 WGS runs with the small "
                "model do; false makes the reference-read features 0 [default: true]");
  app->add_option("--realignment_sensitive_distance", c.realignment_distance,
                  "A candidate within this many bp of insertion/deletion evidence (>= 2 reads with MAPQ >= 20, BQ "
                  ">= 20 at one anchor) is realignment-sensitive, as is every indel candidate; -1: indel "
                  "candidates only [default: 100]");
  app->add_flag("--realignment_soft_clips,!--norealignment_soft_clips", c.realignment_soft_clips,
                "=true|false: soft clips count as realignment evidence too [default: false]");
  std::vector<CLI::Option*> added;
  const auto all = app->get_options();
  for (std::size_t i = before; i < all.size(); ++i) added.push_back(all[i]);
  return added;
}

// Refuses flags given where they mean nothing (a usage error naming the flag and why).
void refuse_given(const std::vector<CLI::Option*>& options, const std::string& why) {
  for (const CLI::Option* opt : options)
    if (opt->count() > 0) throw smallcall::UsageError(opt->get_name() + " " + why);
}

std::vector<std::string> split_regions(const std::vector<std::string>& in) {
  std::vector<std::string> out;  // DeepVariant takes one space-separated string
  for (const auto& s : in) {
    std::size_t b = 0;
    while ((b = s.find_first_not_of(" \t", b)) != std::string::npos) {
      const std::size_t e = s.find_first_of(" \t", b);
      out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
      b = e;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smallcall: DeepVariant-style small-model pre-caller (oneDNN MLP + GQ gate)"};
  app.set_version_flag("--version", std::string("smallcall ") + SMALLCALL_VERSION);
  app.require_subcommand(1, 1);

  smallcall::CallOptions o;
  CLI::App* call = app.add_subcommand("call", "Classify candidate rows; write accepted calls and the remainder");
  call->add_option("--model,--trained_small_model_path", o.model_path,
                   "Model JSON file, or a directory holding model.json")
      ->required();
  call->add_option("--input", o.input,
                   "Candidate rows: TSV with a header, or TFRecord of small-model tf.Examples; plain, gzip, bgzip "
                   "or zlib; - for stdin; NAME@N for sharded files");
  call->add_option("--reads", o.reads.reads_path,
                  "Instead of --input: compute the rows from this indexed BAM/CRAM (needs --ref), region by region");
  const std::vector<CLI::Option*> call_reads_flags = add_reads_flags(call, o.reads, o.counter);
  call->add_flag("--realignment_sensitive_to_remainder,!--norealignment_sensitive_to_remainder",
                 o.realignment_sensitive_to_remainder,
                 "=true|false: rows flagged realignment_sensitive (from --reads or a features file) go to the "
                 "remainder whatever their GQ, since smallcall has no realigner [default: true]");
  call->add_option("--accepted", o.accepted,
                   "Accepted calls: .tfrecord[.gz] = CallVariantsOutput records, .vcf/.vcf.gz/.bcf = VCF (sorted, "
                   "indexed), else TSV (.gz = compressed; - = stdout; NAME@N sharded)")
      ->required();
  call->add_option("--remainder", o.remainder,
                   "Rows not accepted, for the large model: .tfrecord[.gz] = tf.Examples (input records passed "
                   "through), .vcf[.gz] = sites-only VCF of their candidates, else TSV (input lines passed "
                   "through); - = stdout; NAME@N sharded")
      ->required();
  call->add_option("--compression_level", o.compression_level,
                   "zlib level 0-9 of .gz TSV/TFRecord outputs [default: 1: fast; 6 = zlib's default]")
      ->check(CLI::Range(0, 9));
  call->add_option("--ref", o.ref_fasta,
                   "Reference FASTA (with .fai; bgzipped needs .gzi): the reads' reference with --reads; contigs and "
                   "lengths for VCF outputs");
  call->add_option("--task", o.task, "Shard index for NAME@N paths (0-based; DeepVariant's --task) [default: 0]");
  int snp = 0, indel = 0;
  auto* snp_opt = call->add_option("--small_model_snp_gq_threshold", snp,
                                   "GQ needed to accept a SNP row; -1 sends all SNP rows to the remainder "
                                   "[default: model gate, else 20]");
  auto* indel_opt = call->add_option("--small_model_indel_gq_threshold", indel,
                                     "GQ needed to accept an indel row; -1 sends all indel rows to the remainder "
                                     "[default: model gate, else 28]");
  call->add_flag("--small_model_call_multiallelics,!--nosmall_model_call_multiallelics", o.call_multiallelics,
                 "=true|false: when false, multi-allelic rows go to the remainder [default: true]");
  call->add_option("--partition_size", o.partition_size,
                   "Region width in bp: partitions of --reads, or regions of an --input without a region column [default: 1000]")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  std::string call_sample;
  auto* call_sample_opt = call->add_option(
      "--sample_name", call_sample,
      "Sample name of the calls (VCF column, CVO call_set_name, also replacing that of candidates copied from "
      "rows) [default: the reads' @RG SM; for --input rows, the candidates' own, else default]");
  auto* call_info_opt = call->add_option(
      "--small_model_info", o.small_model_info,
      "small_model_info.json naming the features of TFRecord --input rows in order [default: "
      "<input>.small_model_info.json when it exists, else DeepVariant's order]");
  call->add_option("--stats_json", o.stats_json, "Write run statistics (counts, GQ histogram, timings) as JSON");
  call->add_flag("--quiet", o.quiet, "No summary line on stderr");
  call->add_option("--threads", o.threads, "oneDNN threads for the forward pass [default: 1]")
      ->check(CLI::Range(1, 256));
  int ignored_batch_size = 0;
  auto* compat = call->add_option_group("Compatibility", "DeepVariant flags kept for drop-in use");
  compat
      ->add_option("--small_model_inference_batch_size", ignored_batch_size,
                   "DEPRECATED and ignored: every region is one forward pass (memory is bounded by "
                   "internal tiles)")
      ->each([](const std::string&) {
        static bool told = false;
        if (!told) std::cerr << "smallcall: note: --small_model_inference_batch_size is deprecated and ignored\n";
        told = true;
      });

  // smallcall features --reads IN.bam --ref REF.fa [--regions ...] --output ROWS
  smallcall::FeaturesOptions feat;
  CLI::App* features = app.add_subcommand(
      "features", "Compute DeepVariant's small-model rows (70 WGS features) from a BAM/CRAM and its reference");
  features->add_option("--reads", feat.reads.reads_path, "Indexed BAM or CRAM")->required();
  features->add_option("--ref", feat.reads.ref_path, "Reference FASTA with .fai (bgzipped: also .gzi)")->required();
  features->add_option("--output", feat.output,
                       "Rows: .tfrecord[.gz] = small-model tf.Examples, .vcf[.gz] = candidate sites, else TSV (.gz "
                       "compressed; - = stdout; NAME@N sharded over partitions with --task)")
      ->required();
  add_reads_flags(features, feat.reads, feat.counter);
  features->add_option("--partition_size", feat.reads.partition_size, "Partition (region) width in bp [default: 1000]")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  features->add_option("--task", feat.reads.task, "Shard index for NAME@N outputs: partition k goes to task k mod N");
  std::string feat_sample;
  auto* feat_sample_opt = features->add_option(
      "--sample_name", feat_sample, "Sample name in the candidates' calls [default: the reads' @RG SM, else default]");
  features->add_option("--stats_json", feat.stats_json, "Write counts (rows, candidates, reads) as JSON");
  features->add_option("--compression_level", feat.compression_level, "zlib level of .gz outputs [default: 1]")
      ->check(CLI::Range(0, 9));
  features->add_flag("--quiet", feat.quiet, "No summary line on stderr");

  // smallcall inspect MODEL [--json]
  std::string inspect_model;
  bool inspect_as_json = false;
  CLI::App* inspect = app.add_subcommand("inspect", "Describe a model: layers, features, gate, FLOPs, self test");
  inspect->add_option("model", inspect_model, "Model JSON file, or a directory holding model.json")->required();
  inspect->add_flag("--json", inspect_as_json, "Machine-readable output");

  // smallcall simulate --output OUT --rows N ...
  smallcall::SimulateOptions sim;
  CLI::App* simulate = app.add_subcommand(
      "simulate", "Write labelled candidate rows in DeepVariant's 70-feature WGS layout (seeded, deterministic)");
  simulate->add_option("--output", sim.output, "Output: .tfrecord[.gz] (tf.Examples with labels) or TSV")->required();
  simulate->add_option("--rows", sim.rows, "Number of rows [default: 10000]");
  simulate->add_option("--seed", sim.seed, "Random seed [default: 1]");
  simulate->add_option("--profile", sim.profile, "Region sizes: wgs (~5 rows per region) or longread (~150, up to thousands)")
      ->check(CLI::IsMember({"wgs", "longread"}));
  simulate->add_option("--giant_region,--giant-region", sim.giant_region, "Put this many rows in one region first");
  simulate->add_option("--multiallelic_fraction", sim.multiallelic_fraction, "Fraction of multi-allelic candidates [default: 0.05]");
  simulate->add_option("--hom_ref_fraction", sim.hom_ref_fraction, "Fraction of candidates that are not variants [default: 0.3]");
  bool sim_quiet = false;
  simulate->add_flag("--quiet", sim_quiet, "No summary line");

  // smallcall sweep --model M --input IN [--labels] [--json OUT] [--plot OUT.png]
  smallcall::SweepOptions sweep_opt;
  std::string sweep_json, sweep_plot;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "For GQ thresholds 0..70 (SNPs, indels): rows accepted and, with labels, genotype agreement");
  sweep->add_option("--model,--trained_small_model_path", sweep_opt.model_path, "Model JSON or directory")->required();
  sweep->add_option("--input", sweep_opt.input, "Rows (TSV or TFRecord, as for call); - for stdin")->required();
  sweep->add_flag("--labels", sweep_opt.require_labels,
                  "Require labels (a `label` column or label/encoded) on every row [default: use them when present]");
  int sweep_snp = 0, sweep_indel = 0;
  auto* sweep_snp_opt = sweep->add_option("--small_model_snp_gq_threshold", sweep_snp,
                                          "SNP threshold held while indels are swept [default: model gate, else 20]");
  auto* sweep_indel_opt = sweep->add_option("--small_model_indel_gq_threshold", sweep_indel,
                                            "Indel threshold held while SNPs are swept [default: model gate, else 28]");
  sweep->add_flag("--small_model_call_multiallelics,!--nosmall_model_call_multiallelics", sweep_opt.call_multiallelics,
                  "=true|false: as for call [default: true]");
  sweep->add_flag("--realignment_sensitive_to_remainder,!--norealignment_sensitive_to_remainder",
                  sweep_opt.realignment_sensitive_to_remainder, "=true|false: as for call [default: true]");
  sweep->add_option("--partition_size", sweep_opt.partition_size, "As for call [default: 1000]")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  sweep->add_option("--small_model_info", sweep_opt.small_model_info, "As for call");
  sweep->add_option("--threads", sweep_opt.threads, "oneDNN threads for the forward pass [default: 1]")
      ->check(CLI::Range(1, 256));
  sweep->add_option("--json", sweep_json, "Write the sweep as JSON");
  sweep->add_option("--plot", sweep_plot, "Draw it as a PNG (python3-matplotlib; scripts/plot_sweep.py)");

  std::vector<std::string> args;
  try {
    args = normalise_args(argc, argv);
  } catch (const smallcall::Error& e) {
    std::cerr << "smallcall: usage error: " << e.what() << "\n";
    return smallcall::kExitUsageError;
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help / --version to stdout
    std::cerr << "smallcall: usage error: " << e.what() << "\n"
              << "Run 'smallcall " << (app.got_subcommand(call) ? "call " : "") << "--help' for the flags.\n";
    return smallcall::kExitUsageError;
  }
  o.reads.regions = split_regions(o.reads.regions);
  o.reads.partition_size = o.partition_size;
  feat.reads.regions = split_regions(feat.reads.regions);
  if (*snp_opt) o.snp_gq_threshold = snp;
  if (*indel_opt) o.indel_gq_threshold = indel;
  if (*sweep_snp_opt) sweep_opt.snp_gq_threshold = sweep_snp;
  if (*sweep_indel_opt) sweep_opt.indel_gq_threshold = sweep_indel;
  if (*call_sample_opt) o.sample_name = call_sample;
  if (*feat_sample_opt) feat.sample_name = feat_sample;

  try {
    if (app.got_subcommand(call)) {
      if (!o.input.empty())
        refuse_given(call_reads_flags, "applies to --reads only: rows from --input are computed already");
      if (!o.reads.reads_path.empty() && *call_info_opt)
        throw smallcall::UsageError("--small_model_info names the features of --input rows; rows from --reads are "
                                    "computed with their names");
    }
    if (app.got_subcommand(inspect)) {
      const smallcall::Model model = smallcall::load_model(inspect_model);
      smallcall::Engine engine(model);
      const smallcall::SelfTestResult st = smallcall::run_self_test(model, engine);
      if (inspect_as_json) std::cout << smallcall::inspect_json(model, st).dump(2) << "\n";
      else std::cout << smallcall::inspect_text(model, st);
      if (!st.passed) {
        std::cerr << "smallcall: error: model " << model.source_path << ": " << st.message << "\n";
        return smallcall::kExitDataError;
      }
      return smallcall::kExitOk;
    }
    if (app.got_subcommand(sweep)) {
      const smallcall::SweepResult r = smallcall::run_sweep(sweep_opt);
      std::cout << smallcall::sweep_table(r);
      smallcall::write_sweep_outputs(r, sweep_json, sweep_plot);
      return smallcall::kExitOk;
    }
    if (app.got_subcommand(simulate)) {
      smallcall::install_cleanup_signal_handlers();
      const smallcall::SimulateStats s = smallcall::run_simulate(sim);
      if (!sim_quiet) std::cerr << smallcall::simulate_summary(s) << "\n";
      return smallcall::kExitOk;
    }
    if (app.got_subcommand(features)) {
      const smallcall::FeaturesStats s = smallcall::run_features(feat);
      if (!feat.quiet) std::cerr << smallcall::features_summary_line(s) << "\n";
      return smallcall::kExitOk;
    }
    const smallcall::CallStats stats = smallcall::run_call(o);
    if (!o.quiet) std::cerr << smallcall::summary_line(stats) << "\n";
    return smallcall::kExitOk;
  } catch (const smallcall::Error& e) {
    std::cerr << "smallcall: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "smallcall: error: " << e.what() << "\n";
    return smallcall::kExitDataError;
  }
}
