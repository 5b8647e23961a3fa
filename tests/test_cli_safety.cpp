// End to end, the paths that once gave a wrong answer with exit 0 (issue 12): flags that mean
// nothing where they are given, empty inputs, output formats from names, the FASTA index,
// temporary files in shared directories.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

using testutil::call;
using testutil::gunzip;
using testutil::run;
using testutil::ScratchDir;

namespace {
const std::string kModel = testutil::source_dir() + "/data/model.json";
const std::string kSample = testutil::source_dir() + "/data/sample.tsv.gz";

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

TEST_CASE("read-extraction flags with --input, --small_model_info with --reads: usage errors naming the flag",
          "[cli][safety]") {
  ScratchDir dir;
  const std::string in = " --model " + kModel + " --input " + kSample + " --accepted " + (dir / "a.tsv") +
                         " --remainder " + (dir / "r.tsv");
  for (const std::string flag : {"--regions chr20:1-1000", "--min_mapping_quality 20", "--max_reads_per_partition 9",
                                 "--min_base_quality 3", "--vsc_min_count_snps 1", "--vsc_min_fraction_indels 0.5",
                                 "--keep_duplicates", "--nokeep_duplicates", "--notrack_ref_reads",
                                 "--small_model_vaf_context_window_size 11", "--ws_min_mapq 5",
                                 "--norealign_reads", "--dbg_min_k=20"}) {
    INFO(flag);
    const auto r = run(call(in + " " + flag), dir.path);
    REQUIRE(r.exit_code == 2);
    std::string name = flag.substr(0, flag.find_first_of(" ="));
    if (name.rfind("--no", 0) == 0) name = "--" + name.substr(4);  // --noX is the flag --X
    REQUIRE_THAT(r.err, Catch::Contains(name + " applies to --reads only"));
    REQUIRE(dir.list().empty());
  }
  // The same through a flag file, as DeepVariant passes flags.
  testutil::write_file(dir / "flags", "--min_mapping_quality=20\n");
  const auto r = run(call(in + " --flagfile " + (dir / "flags")), dir.path);
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.err, Catch::Contains("--min_mapping_quality applies to --reads only"));

  const auto reads = run(call("--model " + kModel + " --reads x.bam --ref x.fa --small_model_info x.json --accepted " +
                              (dir / "a.tsv") + " --remainder " + (dir / "r.tsv")),
                         dir.path);
  REQUIRE(reads.exit_code == 2);
  REQUIRE_THAT(reads.err, Catch::Contains("--small_model_info names the features of --input rows"));

  // --ref with --input names the contigs of VCF outputs: without one it means nothing.
  const auto ref = run(call(in + " --ref x.fa"), dir.path);
  REQUIRE(ref.exit_code == 2);
  REQUIRE_THAT(ref.err, Catch::Contains("--ref x.fa means nothing here"));
}

TEST_CASE("realigner settings DeepVariant refuses or that cannot run: usage errors naming the flag",
          "[cli][safety]") {
  ScratchDir dir;
  const std::string base = "--model " + kModel + " --reads x.bam --ref x.fa --accepted " + (dir / "a.tsv") +
                           " --remainder " + (dir / "r.tsv") + " ";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--ws_use_window_selector_model --ws_min_num_supporting_reads 3", "cannot be used with --ws_use_window_selector_model"},
      {"--ws_use_window_selector_model --ws_max_num_supporting_reads 30", "cannot be used with --ws_use_window_selector_model"},
      {"--ws_min_num_supporting_reads 5 --ws_max_num_supporting_reads 4", "--ws_min_num_supporting_reads must not be above"},
      {"--dbg_step_k 0", "--dbg_step_k must be at least 1"},
      {"--dbg_min_k 30 --dbg_max_k 20", "--dbg_max_k must be at least --dbg_min_k"},
      {"--kmer_size 40", "--kmer_size must be between 3 and 32"},
      {"--aln_match 300", "--aln_match must be between 0 and 127"},
      {"--realignment_similarity_threshold 1.5", "--realignment_similarity_threshold must be between 0 and 1"},
      {"--ws_min_windows_distance -1", "--ws_min_windows_distance must be at least 0"}};
  for (const auto& [flags, message] : cases) {
    INFO(flags);
    const auto r = run(call(base + flags), dir.path);
    REQUIRE(r.exit_code == 2);
    REQUIRE_THAT(r.err, Catch::Contains(message));
    REQUIRE(dir.list().empty());
  }
  // -1 is DeepVariant's "unset": with the model it is no conflict (then x.bam is missing: data error).
  const auto unset = run(call(base + "--ws_use_window_selector_model --ws_min_num_supporting_reads -1"), dir.path);
  REQUIRE(unset.exit_code == 1);
  REQUIRE_THAT(unset.err, Catch::Contains("x.fa"));
}

TEST_CASE("empty input in any form is zero rows: exit 0, empty outputs", "[cli][safety]") {
  ScratchDir dir;
  testutil::write_file(dir / "empty.tfrecord", "");
  testutil::write_file(dir / "empty.tsv", "");
  REQUIRE(std::system(("printf '' | gzip -c > '" + (dir / "empty.tfrecord.gz") + "'").c_str()) == 0);
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  struct Case {
    std::string input, feed;  // feed: a shell command whose output goes to stdin or the FIFO
  };
  const std::vector<Case> cases{{"-", "cat '" + (dir / "empty.tfrecord") + "'"},
                                {"-", "cat '" + (dir / "empty.tfrecord.gz") + "'"},
                                {"/dev/null", ""},
                                {dir / "fifo", "cat '" + (dir / "empty.tfrecord") + "' > '" + (dir / "fifo") + "'"},
                                {dir / "empty.tfrecord", ""},
                                {dir / "empty.tfrecord.gz", ""},
                                {dir / "empty.tsv", ""}};
  for (const auto& c : cases) {
    for (const std::string& remainder : {std::string("rem.tfrecord.gz"), std::string("rem.tsv")}) {
      INFO(c.input << " " << c.feed << " -> " << remainder);
      std::string cmd = call("--model " + kModel + " --input " + c.input + " --accepted " + (dir / "acc.tfrecord.gz") +
                             " --remainder " + (dir / remainder) + " --stats_json " + (dir / "s.json"));
      if (c.input == "-") cmd = c.feed + " | " + cmd;
      else if (!c.feed.empty()) cmd = "(" + c.feed + ") & " + cmd + "; wait";
      const auto r = run(testutil::bash(cmd), dir.path);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      REQUIRE(gunzip(dir / "acc.tfrecord.gz").empty());
      if (remainder == "rem.tsv") {  // no rows: nothing, or the header of rows converted from TFRecords
        const auto lines = testutil::split_lines(testutil::read_file(dir / remainder));
        REQUIRE(lines.size() <= 1);
        if (!lines.empty()) REQUIRE(lines[0].rfind("contig\tstart\tend\tref\talt\t", 0) == 0);
      } else {
        REQUIRE(gunzip(dir / remainder).empty());
      }
      const auto stats = nlohmann::json::parse(testutil::read_file(dir / "s.json"));
      REQUIRE(stats["rows"] == 0);
    }
  }
}

TEST_CASE("output formats follow the name's suffix in any case, or are refused", "[cli][safety]") {
  ScratchDir dir;
  const std::string in = " --model " + kModel + " --input " + kSample;
  // Upper case: a bgzipped VCF with its index.
  auto r = run(call(in + " --accepted " + (dir / "CALLS.VCF.GZ") + " --remainder " + (dir / "r.tsv")), dir.path);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string vcf = testutil::read_file(dir / "CALLS.VCF.GZ");
  REQUIRE(vcf.substr(0, 2) == "\x1f\x8b");
  REQUIRE(gunzip(dir / "CALLS.VCF.GZ").rfind("##fileformat=VCF", 0) == 0);
  REQUIRE(testutil::exists(dir / "CALLS.VCF.GZ.tbi"));
  // ".tfrecord" in the middle of the name does not make a TFRecord: the suffix says TSV.
  r = run(call(in + " --accepted " + (dir / "rows.tfrecord.gz.acc.tsv") + " --remainder " + (dir / "r.tsv")), dir.path);
  REQUIRE(r.exit_code == 0);
  REQUIRE(testutil::read_file(dir / "rows.tfrecord.gz.acc.tsv").rfind("contig\tstart\tend\tref\talt\tgt\tgate_score", 0) == 0);
  // DeepVariant's shard names and TFRECORD in capitals are TFRecord.
  r = run(call(in + " --accepted " + (dir / "acc.TFRECORD-00000-of-00001.GZ") + " --remainder " + (dir / "r.tsv")),
          dir.path);
  REQUIRE(r.exit_code == 0);
  const std::string cvo = gunzip(dir / "acc.TFRECORD-00000-of-00001.GZ");
  REQUIRE(cvo.size() > 12);
  REQUIRE(cvo.find("small_model") != std::string::npos);
  // Names that say no format, or BCF gzipped again: usage errors, nothing written.
  ScratchDir empty;
  for (const std::string bad : {"calls.out", "calls", "calls.bcf.gz", "calls.vcf.zip"}) {
    INFO(bad);
    r = run(call(in + " --accepted " + (empty / bad) + " --remainder " + (empty / "r.tsv")), empty.path);
    REQUIRE(r.exit_code == 2);
    REQUIRE_THAT(r.err, Catch::Contains("--accepted") && Catch::Contains(bad));
    r = run(call(in + " --accepted " + (empty / "a.tsv") + " --remainder " + (empty / bad)), empty.path);
    REQUIRE(r.exit_code == 2);
    REQUIRE_THAT(r.err, Catch::Contains("--remainder"));
    REQUIRE(empty.list().empty());
  }
  // /dev/null keeps nothing, whatever the format.
  r = run(call(in + " --accepted /dev/null --remainder " + (empty / "r.tsv")), empty.path);
  REQUIRE(r.exit_code == 0);
}

TEST_CASE("a FASTA without an index is an error, and no index is created beside it", "[cli][safety]") {
  ScratchDir dir;
  testutil::write_file(dir / "ref.fa", ">chr20\n" + std::string(60, 'A') + "\n");
  const auto r = run(call("--model " + kModel + " --input " + kSample + " --accepted " + (dir / "a.vcf.gz") +
                          " --remainder " + (dir / "r.tsv") + " --ref " + (dir / "ref.fa")),
                     dir.path);
  REQUIRE(r.exit_code == 1);
  REQUIRE_THAT(r.err, Catch::Contains("ref.fa: cannot load the FASTA index"));
  REQUIRE(dir.list() == std::vector<std::string>{"ref.fa"});
}

TEST_CASE("temporary files: symlinks planted at the old predictable names change nothing", "[cli][safety]") {
  ScratchDir dir;
  testutil::write_file(dir / "victim.txt", "precious\n");
  // The old names were NAME.tmp.PID (and NAME.sort.tmp.PID for the VCF sorter, NAME.tmp.PID.tbi
  // for its index); the shell's subshell PID becomes smallcall's through exec.
  std::string plant;
  for (const std::string out : {"acc.vcf.gz", "rem.tsv", "stats.json"})
    for (const std::string suffix : {".tmp.$BASHPID", ".sort.tmp.$BASHPID", ".tmp.$BASHPID.tbi"})
      plant += "ln -s '" + (dir / "victim.txt") + "' '" + (dir / out) + "'" + suffix + "; ";
  const std::string cmd = "(" + plant + "exec " +
                          call("--model " + kModel + " --input " + kSample + " --accepted " + (dir / "acc.vcf.gz") +
                               " --remainder " + (dir / "rem.tsv") + " --stats_json " + (dir / "stats.json")) +
                          ")";
  ::setenv("SMALLCALL_SORT_RUN_RECORDS", "97", 1);  // sort runs spill to scratch files too
  const auto r = run(testutil::bash(cmd), dir.path);
  ::unsetenv("SMALLCALL_SORT_RUN_RECORDS");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(testutil::read_file(dir / "victim.txt") == "precious\n");
  struct stat st {};
  for (const std::string out : {"acc.vcf.gz", "acc.vcf.gz.tbi", "rem.tsv", "stats.json"}) {
    INFO(out);
    REQUIRE(::lstat((dir / out).c_str(), &st) == 0);
    REQUIRE(S_ISREG(st.st_mode));  // a file of its own, not a link to the victim
  }
  REQUIRE(gunzip(dir / "acc.vcf.gz").rfind("##fileformat=VCF", 0) == 0);
  // Nothing but the outputs, the planted links and the victim.
  std::size_t links = 0, others = 0;
  for (const auto& name : dir.list()) {
    REQUIRE(::lstat((dir / name).c_str(), &st) == 0);
    if (S_ISLNK(st.st_mode)) ++links;
    else ++others;
  }
  REQUIRE(links == 9);
  REQUIRE(others == 6);  // victim, acc.vcf.gz, its .tbi, rem.tsv, its sidecar, stats.json
  // Outputs get the mode an ordinary file would (umask), not mkstemp's 0600.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  REQUIRE(::stat((dir / "rem.tsv").c_str(), &st) == 0);
  REQUIRE((st.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE("an abort (what an uncaught exception ends in) still removes temporary outputs", "[cli][safety]") {
  ScratchDir dir;
  const auto lines = testutil::split_lines(gunzip(kSample));
  testutil::write_file(dir / "head.tsv", lines[0] + "\n");
  testutil::write_file(dir / "row.tsv", lines[1] + "\n");
  const std::string cmd = "(cat '" + (dir / "head.tsv") + "'; yes \"$(cat '" + (dir / "row.tsv") + "')\") | " +
                          call("--model " + kModel + " --input - --accepted " + (dir / "a.vcf.gz") + " --remainder " +
                               (dir / "r.tfrecord.gz")) +
                          " & pid=$!; sleep 1; kill -ABRT $pid; wait $pid";
  const auto r = run(testutil::bash(cmd), dir.path);
  REQUIRE(r.exit_code == 128 + 6);  // died of SIGABRT
  REQUIRE(sorted(dir.list()) == std::vector<std::string>{"head.tsv", "row.tsv"});
}
