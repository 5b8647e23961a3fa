// smallcall command line: parses flags and hands them to the library.
#include <CLI/CLI.hpp>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "smallcall/call.hpp"
#include "smallcall/error.hpp"

namespace {

// absl accepts single-dash long flags (-task 3); CLI11 does not, so rewrite them.
std::vector<std::string> normalise_args(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 2 && a[0] == '-' && a[1] != '-' && std::isalpha(static_cast<unsigned char>(a[1])) &&
        (std::isalpha(static_cast<unsigned char>(a[2])) || a[2] == '_'))
      a = "-" + a;
    args.push_back(a);
  }
  return args;
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
  call->add_option("--input", o.input, "Candidate rows: TSV with a header (plain, gzip or bgzip), or - for stdin")
      ->required();
  call->add_option("--accepted", o.accepted, "Accepted calls (TSV; .gz = compressed; - = stdout)")->required();
  call->add_option("--remainder", o.remainder,
                   "Rows not accepted, for the large model (input lines as read; .gz = compressed; - = stdout)")
      ->required();
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
                   "Region width in bp when the input has no region column [default: 1000]")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  call->add_option("--sample_name", o.sample_name, "Sample name for the calls [default: default]");
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

  std::vector<std::string> args = normalise_args(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help / --version to stdout
    std::cerr << "smallcall: usage error: " << e.what() << "\n"
              << "Run 'smallcall " << (app.got_subcommand(call) ? "call " : "") << "--help' for the flags.\n";
    return smallcall::kExitUsageError;
  }
  if (*snp_opt) o.snp_gq_threshold = snp;
  if (*indel_opt) o.indel_gq_threshold = indel;

  try {
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
