// absl's flag semantics and DeepVariant's flags, on a small CLI11 app shaped like smallcall's.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <catch2/catch.hpp>

#include "smallcall/command_line.hpp"
#include "smallcall/deepvariant_flags.hpp"
#include "smallcall/error.hpp"
#include "test_util.hpp"

using namespace smallcall;

namespace {

struct Fixture {
  CLI::App app;
  CLI::App* call;
  bool quiet = false, keep = false, realign = true;
  int threads = 1, window = 51;
  std::string input, reads, model;
  std::vector<std::string> regions;
  std::map<std::string, FlagRules> rules;

  Fixture() {
    call = app.add_subcommand("call");
    call->add_flag("--quiet", quiet);
    call->add_flag("--keep_duplicates,!--nokeep_duplicates", keep);
    call->add_flag("--realign_reads,!--norealign_reads", realign);
    call->add_option("--threads", threads);
    call->add_option("--input", input);
    call->add_option("--reads", reads);
    call->add_option("--model,--trained_small_model_path", model);
    call->add_option("--regions", regions);
    call->add_option_group("group")->add_option("--small_model_vaf_context_window_size", window);
    FlagRules r{true, false, {"keep_duplicates", "small_model_vaf_context_window_size", "regions"}};
    rules["call"] = r;
  }
  AbslCommandLine line(std::vector<std::string> argv) { return absl_command_line(argv, app, rules); }
  // Parses the resulting command line into the variables.
  AbslCommandLine parse(std::vector<std::string> argv) {
    AbslCommandLine l = line(argv);
    std::vector<std::string> args(l.args.rbegin(), l.args.rend());
    app.parse(args);
    return l;
  }
};

std::string usage_error(Fixture& f, std::vector<std::string> argv) {
  try {
    f.line(argv);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the DeepVariant flag table has each flag once and run_deepvariant's flags", "[flags]") {
  // run_deepvariant r1.9 WGS/PacBio/ONT and r1.10 (doc section 3) flags smallcall has no
  // option for: each has an entry.
  for (const char* name : {"mode", "examples", "checkpoint", "runtime_by_region", "gvcf", "channel_list",
                           "logging_every_n_candidates", "alt_aligned_pileup", "parse_sam_aux_fields",
                           "pileup_image_width", "pileup_image_height", "phase_reads", "sort_by_haplotypes",
                           "trim_reads_for_pileup", "output_local_read_phasing", "output_phase_info",
                           "haploid_contigs", "par_regions_bed"})
    REQUIRE(find_dv_flag(name) != nullptr);
  const auto all = dv_flags();
  for (std::size_t i = 0; i < all.size(); ++i) {
    INFO(all[i]->name);
    REQUIRE(find_dv_flag(all[i]->name) == all[i]);  // each name once
    // Each default is the default: a given default is accepted.
    if (all[i]->kind != DvFlagKind::kIgnored) REQUIRE(dv_value_matches(*all[i], all[i]->value));
  }
  REQUIRE(all.size() > 110);  // and the 24 realigner flags smallcall implements
  REQUIRE(find_dv_flag("regions") == nullptr);  // smallcall's own option
  REQUIRE(find_dv_flag("nosuchflag") == nullptr);
  REQUIRE(dv_value_matches(*find_dv_flag("downsample_fraction"), "0.0"));
  REQUIRE_FALSE(dv_value_matches(*find_dv_flag("downsample_fraction"), "0.5"));
  REQUIRE(dv_value_matches(*find_dv_flag("phase_reads"), "False"));
  REQUIRE(dv_value_matches(*find_dv_flag("use_ref_for_cram"), "t"));
  REQUIRE(dv_value_matches(*find_dv_flag("variant_caller"), "very_sensitive_caller"));
}

TEST_CASE("flag files: one flag per line, comments, nesting, cycles, errors with file:line", "[flags]") {
  testutil::ScratchDir dir;
  testutil::write_file(dir / "inner.txt", "// nested\n--threads=3\n");
  testutil::write_file(dir / "flags.txt", "# a comment\n\n  --quiet  \n--flagfile=" + (dir / "inner.txt") +
                                              "\n--regions=chr20:1-100 chr21\n");
  Fixture f;
  f.parse({"call", "--flagfile=" + (dir / "flags.txt"), "--input", "x.tsv"});
  REQUIRE(f.quiet);
  REQUIRE(f.threads == 3);
  REQUIRE(f.regions == std::vector<std::string>{"chr20:1-100 chr21"});  // one value, split later
  REQUIRE(f.input == "x.tsv");

  Fixture g;
  g.parse({"call", "--flagfile", dir / "flags.txt", "--threads=5"});  // space form on the command line
  REQUIRE(g.threads == 5);                                             // the last occurrence wins

  testutil::write_file(dir / "bad.txt", "--quiet\n--ref /x\n");
  Fixture h;
  REQUIRE_THAT(usage_error(h, {"call", "--flagfile=" + (dir / "bad.txt")}),
               Catch::Contains("bad.txt:2: unknown flag --ref /x") && Catch::Contains("one --name=value per line"));
  testutil::write_file(dir / "pos.txt", "--quiet\nchr20\n");
  REQUIRE_THAT(usage_error(h, {"call", "--flagfile=" + (dir / "pos.txt")}),
               Catch::Contains("pos.txt:2: \"chr20\" is not a flag"));
  testutil::write_file(dir / "val.txt", "--threads\n");
  REQUIRE_THAT(usage_error(h, {"call", "--flagfile=" + (dir / "val.txt")}),
               Catch::Contains("val.txt:1: --threads needs a value"));
  REQUIRE_THAT(usage_error(h, {"call", "--flagfile=" + (dir / "missing.txt")}), Catch::Contains("cannot open"));
  testutil::write_file(dir / "cycle.txt", "--flagfile=" + (dir / "cycle.txt") + "\n--quiet\n");
  Fixture c;
  c.parse({"call", "--flagfile=" + (dir / "cycle.txt")});  // warned and skipped, as absl
  REQUIRE(c.quiet);
}

TEST_CASE("booleans: --X, --noX, --X=value for every boolean, and the last occurrence wins", "[flags]") {
  Fixture f;
  f.parse({"call", "--quiet", "--noquiet", "--keep_duplicates=TRUE", "--threads", "2", "--threads=4"});
  REQUIRE_FALSE(f.quiet);  // --noquiet exists though only --quiet is declared
  REQUIRE(f.keep);
  REQUIRE(f.threads == 4);
  Fixture g;
  g.parse({"call", "--quiet=f", "--nokeep_duplicates", "-threads=7"});  // single dash as absl
  REQUIRE_FALSE(g.quiet);
  REQUIRE_FALSE(g.keep);
  REQUIRE(g.threads == 7);
  Fixture h;
  REQUIRE_THAT(usage_error(h, {"call", "--noquiet=true"}), Catch::Contains("--noquiet does not take an argument"));
  REQUIRE_THAT(usage_error(h, {"call", "--quiet=maybe"}), Catch::Contains("takes true or false"));
  REQUIRE_THAT(usage_error(h, {"call", "--bogus"}), Catch::Contains("the command line: unknown flag --bogus"));
}

TEST_CASE("undefok drops the unknown flags it names, wherever it appears", "[flags]") {
  Fixture f;
  f.parse({"call", "--bogus=1", "--nofoo", "--quiet", "--undefok=bogus,foo"});
  REQUIRE(f.quiet);
  REQUIRE_THAT(usage_error(f, {"call", "--bogus=1", "--undefok=other"}), Catch::Contains("unknown flag --bogus"));
}

TEST_CASE("DeepVariant's make_examples flags: ignored, default only, or refused", "[flags]") {
  Fixture f;
  const AbslCommandLine l = f.parse({"call", "--mode", "calling", "--examples=/out/ex@4.tfrecord.gz",
                                     "--channel_list=BASE_CHANNELS", "--nosort_by_haplotypes",
                                     "--downsample_fraction=0.0", "--variant_caller=very_sensitive_caller"});
  REQUIRE(l.ignored == std::vector<std::string>{"--channel_list", "--examples", "--sort_by_haplotypes"});
  REQUIRE_THAT(usage_error(f, {"call", "--phase_reads"}),
               Catch::Contains("DeepVariant flag --phase_reads is not supported: read phasing"));
  REQUIRE_THAT(usage_error(f, {"call", "--mode=training"}),
               Catch::Contains("DeepVariant flag --mode=training is not supported"));
  REQUIRE_THAT(usage_error(f, {"call", "--downsample_fraction=0.5"}), Catch::Contains("--downsample_fraction=0.5"));
  // Realigner settings: only the default while reads would be realigned.
  REQUIRE_THAT(usage_error(f, {"call", "--split_skip_reads"}), Catch::Contains("with --norealign_reads it is accepted"));
  Fixture g;
  const AbslCommandLine m = g.parse({"call", "--split_skip_reads", "--norealign_reads"});
  REQUIRE_FALSE(g.realign);
  REQUIRE(m.ignored == std::vector<std::string>{"--split_skip_reads"});
  // Commands without DeepVariant's flags do not know them.
  Fixture h;
  h.rules["call"].make_examples_flags = false;
  REQUIRE_THAT(usage_error(h, {"call", "--examples=x"}), Catch::Contains("unknown flag --examples"));
}

TEST_CASE("checkpoint_json: flags_for_calling beneath the command line, above the defaults", "[flags]") {
  testutil::ScratchDir dir;
  testutil::write_file(dir / "m.example_info.json",
                       R"({"version": "1.10.0", "shape": [100, 147, 10], "flags_for_calling": {
                             "small_model_vaf_context_window_size": 25, "keep_duplicates": true,
                             "threads": 6, "trained_small_model_path": "/opt/smallmodels/wgs",
                             "alt_aligned_pileup": "diff_channels", "realign_reads": false}})");
  Fixture f;
  const AbslCommandLine l = f.parse({"call", "--checkpoint_json", dir / "m.example_info.json", "--threads=2",
                                     "--reads", "x.bam"});
  REQUIRE(f.window == 25);
  REQUIRE(f.keep);
  REQUIRE(f.threads == 2);  // the command line wins
  REQUIRE(f.model == "/opt/smallmodels/wgs");
  REQUIRE_FALSE(f.realign);
  REQUIRE(l.ignored == std::vector<std::string>{"--alt_aligned_pileup"});
  REQUIRE(l.origin.at("--small_model_vaf_context_window_size") == (dir / "m.example_info.json") + " flags_for_calling");

  // With --input the rows are computed already: the JSON's read settings are ignored.
  Fixture g;
  const AbslCommandLine m = g.parse({"call", "--checkpoint_json=" + (dir / "m.example_info.json"), "--input=x.tsv"});
  REQUIRE(g.window == 51);
  REQUIRE_FALSE(g.keep);
  REQUIRE(g.threads == 6);
  REQUIRE(std::find(m.ignored.begin(), m.ignored.end(), "--keep_duplicates") != m.ignored.end());

  testutil::write_file(dir / "bad.json", R"({"flags_for_calling": {"no_such_flag": 1}})");
  Fixture h;
  REQUIRE_THAT(usage_error(h, {"call", "--checkpoint_json=" + (dir / "bad.json")}),
               Catch::Contains("\"no_such_flag\" is not a make_examples flag"));
  testutil::write_file(dir / "pacbio.json", R"({"flags_for_calling": {"phase_reads": true}})");
  REQUIRE_THAT(usage_error(h, {"call", "--reads=x.bam", "--checkpoint_json=" + (dir / "pacbio.json")}),
               Catch::Contains("pacbio.json flags_for_calling: DeepVariant flag --phase_reads is not supported"));
}
