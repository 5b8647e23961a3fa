// End-to-end: the built binary on the shipped demo data and on broken inputs.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "test_util.hpp"

#include <sys/stat.h>

using testutil::run;
using testutil::ScratchDir;

namespace {
const std::string kModel = testutil::source_dir() + "/data/model.json";
const std::string kSample = testutil::source_dir() + "/data/sample.tsv.gz";

using testutil::call;
using testutil::gunzip;

// The key of an input row (contig start end ref alt) from a line and its header.
std::string row_key(const std::vector<std::string>& fields, const std::vector<std::string>& header) {
  std::string key;
  for (const char* name : {"contig", "start", "end", "ref", "alt"})
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) key += fields[i] + "\t";
  return key;
}

// Walks the input in order: each row must be the next accepted row or the next remainder
// line (byte-identical), never both, never neither.
void check_partition(const std::string& input_text, const std::string& accepted_text, const std::string& remainder_text,
                     std::size_t* n_accepted = nullptr) {
  const auto input = testutil::split_lines(input_text);
  const auto accepted = testutil::split_lines(accepted_text);
  const auto remainder = testutil::split_lines(remainder_text);
  REQUIRE(accepted.at(0) == "contig\tstart\tend\tref\talt\tgt\tgate_score\tp_hom_ref\tp_het\tp_hom_alt");
  REQUIRE(remainder.at(0) == input.at(0));
  const auto header = testutil::split(input[0], '\t');
  std::size_t a = 1, r = 1;
  for (std::size_t i = 1; i < input.size(); ++i) {
    if (r < remainder.size() && remainder[r] == input[i]) {
      ++r;
      continue;
    }
    REQUIRE(a < accepted.size());
    const auto af = testutil::split(accepted[a], '\t');
    REQUIRE(af.size() == 10);
    REQUIRE(af[0] + "\t" + af[1] + "\t" + af[2] + "\t" + af[3] + "\t" + af[4] + "\t" ==
            row_key(testutil::split(input[i], '\t'), header));
    ++a;
  }
  REQUIRE(a == accepted.size());
  REQUIRE(r == remainder.size());
  if (n_accepted) *n_accepted = a - 1;
}
}  // namespace

TEST_CASE("demo run: every row in exactly one output, remainder byte-identical", "[cli]") {
  ScratchDir dir;
  const auto r = run(call("--model " + kModel + " --input " + kSample + " --accepted " + (dir / "acc.tsv") +
                          " --remainder " + (dir / "rem.tsv.gz") + " --stats_json " + (dir / "stats.json")),
                     dir.path);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(r.err, Catch::Contains("rows in") && Catch::Contains("regions") && Catch::Contains("rows/s"));
  const std::string input = gunzip(kSample);
  std::size_t n_accepted = 0;
  check_partition(input, testutil::read_file(dir / "acc.tsv"), gunzip(dir / "rem.tsv.gz"), &n_accepted);
  REQUIRE(n_accepted > 0);

  const auto stats = nlohmann::json::parse(testutil::read_file(dir / "stats.json"));
  const std::size_t rows = testutil::split_lines(input).size() - 1;
  REQUIRE(stats["rows"] == rows);
  REQUIRE(stats["accepted"]["total"] == n_accepted);
  REQUIRE(stats["remainder"]["total"] == rows - n_accepted);
  REQUIRE(stats["accepted"]["snp"].get<std::size_t>() + stats["accepted"]["indel"].get<std::size_t>() == n_accepted);
  std::size_t hist = 0;
  for (const auto& c : stats["gate_score_histogram"]) hist += c.get<std::size_t>();
  REQUIRE(hist == rows);
  REQUIRE(stats["thresholds"]["snp_gq"] == 20);  // from the model's gate block
  REQUIRE(stats["thresholds"]["indel_gq"] == 28);
  // No temporary files left: the outputs, the stats and the remainder's feature names.
  auto names = dir.list();
  std::sort(names.begin(), names.end());
  REQUIRE(names == std::vector<std::string>{"acc.tsv", "rem.tsv.gz", "rem.tsv.gz.small_model_info.json", "stats.json"});
}

TEST_CASE("the deprecated batch-size flag is accepted, noted once, and changes nothing", "[cli]") {
  ScratchDir dir;
  const std::string base = "--model " + kModel + " --input " + kSample + " --remainder " + (dir / "rem.tsv");
  REQUIRE(run(call(base + " --accepted " + (dir / "a1.tsv")), dir.path).exit_code == 0);
  const auto r = run(call(base + " --accepted " + (dir / "a2.tsv") + " --small_model_inference_batch_size 1"), dir.path);
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(r.err, Catch::Contains("deprecated and ignored"));
  REQUIRE(r.err.find("deprecated") == r.err.rfind("deprecated"));
  REQUIRE(testutil::read_file(dir / "a1.tsv") == testutil::read_file(dir / "a2.tsv"));
  const auto help = run("'" + testutil::binary() + "' call --help > '" + (dir / "help.txt") + "'", dir.path);
  REQUIRE(help.exit_code == 0);
  REQUIRE_THAT(testutil::read_file(dir / "help.txt"),
               Catch::Contains("--small_model_inference_batch_size") && Catch::Contains("DEPRECATED"));
}

TEST_CASE("stdin in, accepted to stdout, gzip remainder, thresholds from flags", "[cli]") {
  ScratchDir dir;
  const auto r = run("gzip -dc " + kSample + " | " +
                         call("--trained_small_model_path " + testutil::source_dir() + "/data --input - --accepted - "
                              "--remainder " + (dir / "rem.tsv.gz") +
                              " --small_model_snp_gq_threshold=-1 --quiet > " + (dir / "acc.tsv")),
                     dir.path);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.err.empty());  // --quiet
  const std::string acc = testutil::read_file(dir / "acc.tsv");
  check_partition(gunzip(kSample), acc, gunzip(dir / "rem.tsv.gz"));
  // -1: no SNP accepted (every accepted row has a ref or an alt longer than one base).
  for (const auto& line : testutil::split_lines(acc)) {
    const auto f = testutil::split(line, '\t');
    if (f[0] == "contig") continue;
    bool snp = f[3].size() == 1;
    for (const auto& alt : testutil::split(f[4], '|')) snp = snp && alt.size() == 1;
    REQUIRE_FALSE(snp);
  }
}

TEST_CASE("multi-allelic rows go to the remainder when the switch is off", "[cli]") {
  ScratchDir dir;
  const auto r = run(call("--model " + kModel + " --input " + kSample + " --accepted " + (dir / "acc.tsv") +
                          " --remainder " + (dir / "rem.tsv") + " --small_model_call_multiallelics=false " +
                          "--small_model_snp_gq_threshold 0 --small_model_indel_gq_threshold 0"),
                     dir.path);
  REQUIRE(r.exit_code == 0);
  const auto rem = testutil::split_lines(testutil::read_file(dir / "rem.tsv"));
  const auto header = testutil::split(rem[0], '\t');
  std::size_t multi_col = 0;
  while (header[multi_col] != "is_multiallelic") ++multi_col;
  std::size_t multi_rows = 0;
  for (std::size_t i = 1; i < rem.size(); ++i) {
    // With both thresholds 0 every row passes the score test: only multi-allelics remain.
    REQUIRE(testutil::split(rem[i], '\t')[multi_col] == "1");
    ++multi_rows;
  }
  REQUIRE(multi_rows > 0);
  check_partition(gunzip(kSample), testutil::read_file(dir / "acc.tsv"), testutil::read_file(dir / "rem.tsv"));
}

TEST_CASE("columns in another order and extra columns give the same calls", "[cli]") {
  ScratchDir dir;
  const auto lines = testutil::split_lines(gunzip(kSample));
  std::string shuffled;
  for (const auto& line : lines) {
    auto f = testutil::split(line, '\t');
    std::reverse(f.begin(), f.end());  // every column moves
    std::string out = "x";
    for (const auto& v : f) out += "\t" + v;
    shuffled += out + "\n";
  }
  shuffled.replace(0, 1, "extra");
  for (std::size_t p = shuffled.find("\nx"); p != std::string::npos; p = shuffled.find("\nx", p + 1))
    shuffled[p + 1] = '7';
  testutil::write_file(dir / "shuffled.tsv", shuffled);
  const std::string common = " --model " + kModel + " --remainder " + (dir / "rem.tsv");
  REQUIRE(run(call("--input " + kSample + " --accepted " + (dir / "a.tsv") + common), dir.path).exit_code == 0);
  const auto r = run(call("--input " + (dir / "shuffled.tsv") + " --accepted " + (dir / "b.tsv") + common), dir.path);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(testutil::read_file(dir / "a.tsv") == testutil::read_file(dir / "b.tsv"));
}

TEST_CASE("documented errors: exit code, a message naming file and line, no outputs", "[cli]") {
  ScratchDir dir;
  const std::string outs = " --accepted " + (dir / "acc.tsv") + " --remainder " + (dir / "rem.tsv");
  auto expect_failure = [&](const std::string& args, int code, const std::string& message) {
    const auto r = run(call(args), dir.path);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == code);
    REQUIRE_THAT(r.err, Catch::Contains(message));
    for (const auto& name : dir.list()) {
      INFO(name);
      REQUIRE((name == "bad.tsv" || name == "bad.json" || name == "good.tsv"));
    }
  };
  testutil::write_file(dir / "good.tsv", gunzip(kSample));
  std::string text = gunzip(kSample);
  text.replace(text.find("num_reads_supports_alt"), 22, "num_reads_supports_xxx");
  testutil::write_file(dir / "bad.tsv", text);
  expect_failure("--model " + kModel + " --input " + (dir / "bad.tsv") + outs, 1,
                 "bad.tsv:1: missing feature column \"num_reads_supports_alt\"");

  text = gunzip(kSample);
  const auto lines = testutil::split_lines(text);
  std::string broken;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (i == 1500) line.replace(line.rfind('\t'), std::string::npos, "\tabc");
    broken += line + "\n";
  }
  testutil::write_file(dir / "bad.tsv", broken);
  expect_failure("--model " + kModel + " --input " + (dir / "bad.tsv") + outs, 1,
                 "bad.tsv:1501: column \"variant_allele_frequency_at_plus_25\": not a number value \"abc\"");

  testutil::write_file(dir / "bad.json", "{\"features\": [\"a\"], \"layers\": [{\"activation\": \"gelu\", "
                                         "\"kernel\": [[1,2,3]], \"bias\": [0,0,0]}]}");
  expect_failure("--model " + (dir / "bad.json") + " --input " + (dir / "good.tsv") + outs, 1,
                 "bad.json: layer 0: unknown activation \"gelu\"");
  testutil::write_file(dir / "bad.json", "not json");
  expect_failure("--model " + (dir / "bad.json") + " --input " + (dir / "good.tsv") + outs, 1, "not valid JSON");
  expect_failure("--model " + kModel + " --input " + (dir / "missing.tsv") + outs, 1, "missing.tsv: cannot open");

  // Usage errors: exit 2.
  expect_failure("--model " + kModel + " --input " + (dir / "good.tsv") + outs + " --bogus", 2, "--bogus");
  expect_failure("--model " + kModel + " --input " + (dir / "good.tsv") + " --accepted - --remainder -", 2,
                 "cannot both be '-'");
  expect_failure("--model " + kModel + " --input " + (dir / "good.tsv") + " --accepted " + (dir / "x.tsv") +
                     " --remainder " + (dir / "x.tsv"),
                 2, "name the same file");
  expect_failure("--model " + kModel + " --accepted " + (dir / "x.tsv") + " --remainder " + (dir / "y.tsv"), 2,
                 "one of --input (rows) or --reads (BAM/CRAM) is required");
  expect_failure("--model " + kModel + " --input " + (dir / "good.tsv") + outs + " --partition_size 0", 2,
                 "--partition_size");
  expect_failure("--model " + kModel + " --input " + (dir / "good.tsv") + outs + " --small_model_snp_gq_threshold x",
                 2, "small_model_snp_gq_threshold");
  const auto none = run("'" + testutil::binary() + "'", dir.path);
  REQUIRE(none.exit_code == 2);
}

TEST_CASE("a model that fails its self test is refused", "[cli]") {
  ScratchDir dir;
  auto model = nlohmann::json::parse(testutil::read_file(kModel));
  model["self_test"]["probabilities"][3][0] = model["self_test"]["probabilities"][3][0].get<double>() + 0.001;
  testutil::write_file(dir / "m.json", model.dump());
  const auto r = run(call("--model " + (dir / "m.json") + " --input " + kSample + " --accepted " + (dir / "a.tsv") +
                          " --remainder " + (dir / "r.tsv")),
                     dir.path);
  REQUIRE(r.exit_code == 1);
  REQUIRE_THAT(r.err, Catch::Contains("m.json: self_test failed: row 3 class 0"));
  REQUIRE(dir.list() == std::vector<std::string>{"m.json"});
}

TEST_CASE("SIGTERM mid-run removes temporary outputs and exits non-zero", "[cli]") {
  ScratchDir dir;
  // A never-ending stdin keeps smallcall running until the signal arrives.
  const std::string header = testutil::split_lines(gunzip(kSample))[0];
  const std::string row = testutil::split_lines(gunzip(kSample))[1];
  testutil::write_file(dir / "head.tsv", header + "\n");
  testutil::write_file(dir / "row.tsv", row + "\n");
  const std::string cmd = "(cat '" + (dir / "head.tsv") + "'; yes \"$(cat '" + (dir / "row.tsv") + "')\") | '" +
                          testutil::binary() + "' call --model " + kModel + " --input - --accepted " + (dir / "a.tsv") +
                          " --remainder " + (dir / "r.tsv") + " & pid=$!; sleep 1; kill -TERM $pid; wait $pid";
  const auto r = run(testutil::bash(cmd), dir.path);
  INFO(r.err);
  REQUIRE(r.exit_code == 128 + 15);  // died of SIGTERM, as a shell reports it
  for (const auto& name : dir.list()) REQUIRE((name == "head.tsv" || name == "row.tsv"));
}

TEST_CASE("a bad TFRecord row is an error naming the file and record, no outputs", "[cli]") {
  ScratchDir dir;
  const std::string tsv = testutil::split_lines(gunzip(kSample))[0] + "\n" + testutil::split_lines(gunzip(kSample))[1] + "\n";
  testutil::write_file(dir / "one.tsv", tsv);
  // A valid single-record TFRecord from the TSV, then corrupt one payload byte.
  REQUIRE(run(call("--model " + kModel + " --input " + (dir / "one.tsv") + " --accepted " + (dir / "a.tsv") +
                   " --remainder " + (dir / "one.tfrecord") +
                   " --small_model_snp_gq_threshold=-1 --small_model_indel_gq_threshold=-1"),
              dir.path)
              .exit_code == 0);
  std::string bytes = testutil::read_file(dir / "one.tfrecord");
  bytes[20] ^= 0x40;
  testutil::write_file(dir / "bad.tfrecord", bytes);
  std::system(("rm -f '" + (dir / "a.tsv") + "' '" + (dir / "one.tsv") + "' '" + (dir / "one.tfrecord") + "' '" +
               (dir / "one.tfrecord.small_model_info.json") + "'")
                  .c_str());
  const auto r = run(call("--model " + kModel + " --input " + (dir / "bad.tfrecord") + " --accepted " +
                          (dir / "acc.tfrecord.gz") + " --remainder " + (dir / "rem.tfrecord.gz")),
                     dir.path);
  REQUIRE(r.exit_code == 1);
  REQUIRE_THAT(r.err, Catch::Contains("bad.tfrecord: record 0: data CRC mismatch"));
  REQUIRE(dir.list() == std::vector<std::string>{"bad.tfrecord"});
}

TEST_CASE("output to /dev/full fails at write time and at close time, nothing left behind", "[cli][reliability]") {
  ScratchDir dir;
  // Large output: ENOSPC while writing. Tiny output (two rows): ENOSPC when flushing at close.
  // The device is reached through a name that says the format (a bare /dev/full says none).
  const auto lines = testutil::split_lines(gunzip(kSample));
  testutil::write_file(dir / "small.tsv", lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n");
  REQUIRE(::symlink("/dev/full", (dir / "full.tsv").c_str()) == 0);
  for (const std::string& input : std::vector<std::string> {kSample, dir / "small.tsv"}) {
    INFO(input);
    const auto r = run(call("--model " + kModel + " --input " + input + " --accepted " + (dir / "full.tsv") +
                            " --remainder " + (dir / "rem.tsv")),
                       dir.path);
    REQUIRE(r.exit_code == 1);
    REQUIRE_THAT(r.err, Catch::Contains("full.tsv: write failed") && Catch::Contains("No space left on device"));
    REQUIRE(dir.list() == std::vector<std::string>{"full.tsv", "small.tsv"});
  }
  struct stat st {};
  REQUIRE(::stat("/dev/full", &st) == 0);
  REQUIRE(S_ISCHR(st.st_mode));  // still the device: never renamed over
  REQUIRE(::lstat((dir / "full.tsv").c_str(), &st) == 0);
  REQUIRE(S_ISLNK(st.st_mode));
}

TEST_CASE("outputs in a missing directory are an error, an existing output is not clobbered", "[cli][reliability]") {
  ScratchDir dir;
  testutil::write_file(dir / "rem.tsv", "previous contents\n");
  const auto r = run(call("--model " + kModel + " --input " + kSample + " --accepted " + (dir / "no/such/dir/a.tsv") +
                          " --remainder " + (dir / "rem.tsv")),
                     dir.path);
  REQUIRE(r.exit_code == 1);
  REQUIRE_THAT(r.err, Catch::Contains("no/such/dir/a.tsv: cannot create output: No such file or directory"));
  REQUIRE(testutil::read_file(dir / "rem.tsv") == "previous contents\n");
  REQUIRE(dir.list() == std::vector<std::string>{"rem.tsv"});
}

TEST_CASE("SIGINT mid-run removes temporary outputs and dies of SIGINT", "[cli][reliability]") {
  ScratchDir dir;
  const auto lines = testutil::split_lines(gunzip(kSample));
  testutil::write_file(dir / "head.tsv", lines[0] + "\n");
  testutil::write_file(dir / "row.tsv", lines[1] + "\n");
  testutil::write_file(dir / "run.sh",
                       "(cat '" + (dir / "head.tsv") + "'; yes \"$(cat '" + (dir / "row.tsv") + "')\") | '" +
                           testutil::binary() + "' call --model " + kModel + " --input - --accepted '" + (dir / "a.tsv") +
                           "' --remainder '" + (dir / "r.tsv.gz") + "' & pid=$!\nsleep 1\nkill -INT $pid\nwait $pid\n");
  const auto r = run("bash '" + (dir / "run.sh") + "'", dir.path);
  REQUIRE(r.exit_code == 128 + 2);
  for (const auto& name : dir.list()) REQUIRE((name == "head.tsv" || name == "row.tsv" || name == "run.sh"));
}

TEST_CASE("accepted calls piped into head: quiet stop (SIGPIPE), temporary files removed", "[cli][reliability]") {
  ScratchDir dir;
  testutil::write_file(dir / "run.sh", "set -o pipefail\n'" + testutil::binary() + "' call --model " + kModel +
                                           " --input " + kSample + " --accepted - --remainder '" + (dir / "r.tsv") +
                                           "' | head -3 > '" + (dir / "head.out") + "'\n");
  const auto r = run("bash '" + (dir / "run.sh") + "'", dir.path);
  REQUIRE(r.exit_code == 128 + 13);  // SIGPIPE, as any Unix filter
  REQUIRE(r.err.empty());            // no error spam
  REQUIRE(testutil::split_lines(testutil::read_file(dir / "head.out")).size() == 3);
  for (const auto& name : dir.list()) REQUIRE((name == "run.sh" || name == "head.out"));
}

TEST_CASE("sharding flags: bad @N, task out of range, mixed N are usage errors", "[cli][reliability]") {
  ScratchDir dir;
  auto expect_usage = [&](const std::string& args, const std::string& message) {
    const auto r = run(call("--model " + kModel + " " + args), dir.path);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 2);
    REQUIRE_THAT(r.err, Catch::Contains(message));
    REQUIRE(dir.list().empty());
  };
  expect_usage("--input in@0.tfrecord.gz --accepted a@0.tsv --remainder r@0.tsv", "bad sharded file spec");
  expect_usage("--input in@4.tfrecord.gz --accepted a@4.tsv --remainder r@4.tsv --task 4", "out of range");
  expect_usage("--input in@4.tfrecord.gz --accepted a@3.tsv --remainder r@4.tsv", "disagree");
  expect_usage("--input in.tsv --accepted a.tsv --remainder r.tsv --task 1", "needs sharded paths");
  expect_usage("--input in@4.tsv --accepted a.tsv --remainder r@4.tsv", "is not sharded");
}

TEST_CASE("a TFRecord of something other than tf.Example is a data error naming the record", "[cli][fixtures]") {
  ScratchDir dir;
  const auto r = run(call("--model " + kModel + " --input " + testutil::source_dir() +
                          "/../shared/fixtures/tfrecord/test_reads.fastq.tfrecord --accepted " + (dir / "a.tsv") +
                          " --remainder " + (dir / "r.tsv")),
                     dir.path);
  REQUIRE(r.exit_code == 1);
  REQUIRE_THAT(r.err, Catch::Contains("test_reads.fastq.tfrecord: record 0: "));
  REQUIRE(dir.list().empty());
}

TEST_CASE("inspect describes the model and fails on a bad self test", "[cli][inspect]") {
  ScratchDir dir;
  const auto r = run("'" + testutil::binary() + "' inspect " + kModel + " > '" + (dir / "out.txt") + "'", dir.path);
  REQUIRE(r.exit_code == 0);
  const std::string text = testutil::read_file(dir / "out.txt");
  REQUIRE_THAT(text, Catch::Contains("0: Dense 70 -> 64, relu, 4544 parameters") &&
                         Catch::Contains("2: Dense 64 -> 3, softmax, 195 parameters") &&
                         Catch::Contains("parameters: 8899") && Catch::Contains("FLOPs per row: 17536") &&
                         Catch::Contains("num_reads_supports_ref") && Catch::Contains("gate: SNP GQ 20, indel GQ 28") &&
                         Catch::Contains("self test: passed, 300 rows"));
  REQUIRE(run("'" + testutil::binary() + "' inspect --json " + kModel + " > '" + (dir / "out.json") + "'", dir.path).exit_code == 0);
  const auto j = nlohmann::json::parse(testutil::read_file(dir / "out.json"));
  REQUIRE(j["parameters"] == 8899);
  REQUIRE(j["flops_per_row"] == 17536);  // 2 * (70*64 + 64*64 + 64*3)
  REQUIRE(j["features"].size() == 70);
  REQUIRE(j["self_test"]["passed"] == true);
  auto model = nlohmann::json::parse(testutil::read_file(kModel));
  model["self_test"]["probabilities"][5][2] = model["self_test"]["probabilities"][5][2].get<double>() + 0.5;
  testutil::write_file(dir / "bad.json", model.dump());
  const auto bad = run("'" + testutil::binary() + "' inspect " + (dir / "bad.json") + " > /dev/null", dir.path);
  REQUIRE(bad.exit_code == 1);
  REQUIRE_THAT(bad.err, Catch::Contains("self_test failed: row 5 class 2"));
}

TEST_CASE("a progress line on a terminal, none otherwise or with --quiet", "[cli][progress]") {
  ScratchDir dir;
  REQUIRE(run("'" + testutil::binary() + "' simulate --quiet --output '" + (dir / "rows.tfrecord.gz") + "' --rows 400000",
              dir.path).exit_code == 0);
  const std::string args = " call --model " + kModel + " --input '" + (dir / "rows.tfrecord.gz") + "' --accepted '" +
                           (dir / "a.tsv") + "' --remainder '" + (dir / "r.tsv") + "'";
  // `script` gives the command a pseudo-terminal; its transcript holds what reached it.
  REQUIRE(run("script -qec \"'" + testutil::binary() + "'" + args + "\" '" + (dir / "tty.txt") + "' > /dev/null",
              dir.path).exit_code == 0);
  const std::string tty = testutil::read_file(dir / "tty.txt");
  REQUIRE_THAT(tty, Catch::Contains("\r") && Catch::Contains("rows/s") && Catch::Contains("%") &&
                        Catch::Contains("smallcall call: 400000 rows"));
  const auto piped = run("'" + testutil::binary() + "'" + args, dir.path);
  REQUIRE(piped.exit_code == 0);
  REQUIRE(piped.err.find('\r') == std::string::npos);  // stderr is a file here: summary only
  REQUIRE(run("script -qec \"'" + testutil::binary() + "'" + args + " --quiet\" '" + (dir / "tty2.txt") + "' > /dev/null",
              dir.path).exit_code == 0);
  REQUIRE_THAT(testutil::read_file(dir / "tty2.txt"), !Catch::Contains("rows/s"));
}

TEST_CASE("io_threads 0 and 1 write the same bytes, auto is 0 on one CPU, other values are usage errors", "[cli]") {
  ScratchDir dir;
  const std::string base = "--model " + kModel + " --input " + kSample + " --partition_size 300";
  std::string acc[2], rem[2];
  for (int threads : {0, 1}) {
    const std::string t = std::to_string(threads);
    const auto r = run(call(base + " --io_threads " + t + " --accepted " + (dir / ("acc" + t + ".tsv.gz")) +
                            " --remainder " + (dir / ("rem" + t + ".tsv.gz")) + " --stats_json " +
                            (dir / ("stats" + t + ".json"))),
                       dir.path);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    acc[threads] = testutil::read_file(dir / ("acc" + t + ".tsv.gz"));
    rem[threads] = testutil::read_file(dir / ("rem" + t + ".tsv.gz"));
    REQUIRE(nlohmann::json::parse(testutil::read_file(dir / ("stats" + t + ".json")))["io_threads"] == threads);
  }
  REQUIRE(acc[0] == acc[1]);  // compressed bytes, not only their contents
  REQUIRE(rem[0] == rem[1]);
  check_partition(gunzip(kSample), gunzip(dir / "acc0.tsv.gz"), gunzip(dir / "rem0.tsv.gz"));

  // One CPU in the affinity mask: auto runs everything on one thread.
  const auto pinned = run("taskset -c 0 " + call(base + " --accepted " + (dir / "acc_pinned.tsv.gz") + " --remainder " +
                                                 (dir / "rem_pinned.tsv.gz") + " --stats_json " + (dir / "pinned.json")),
                          dir.path);
  INFO(pinned.err);
  REQUIRE(pinned.exit_code == 0);
  REQUIRE(nlohmann::json::parse(testutil::read_file(dir / "pinned.json"))["io_threads"] == 0);
  REQUIRE(testutil::read_file(dir / "acc_pinned.tsv.gz") == acc[0]);

  for (const std::string& bad : {"2", "-1", "many"}) {
    const auto r = run(call(base + " --io_threads " + bad + " --accepted " + (dir / "x.tsv") + " --remainder " +
                            (dir / "y.tsv")),
                       dir.path);
    REQUIRE(r.exit_code == 2);
    REQUIRE_THAT(r.err, Catch::Contains("--io_threads"));
  }
  const auto features = run("'" + testutil::binary() + "' features --io_threads 3 --reads x.bam --ref x.fa --output " +
                                (dir / "f.tsv"),
                            dir.path);
  REQUIRE(features.exit_code == 2);
  REQUIRE_THAT(features.err, Catch::Contains("--io_threads"));
}

TEST_CASE("io_threads 0 and 1 give the same bytes from reads: call and features on the real BAM", "[cli][fixtures]") {
  ScratchDir dir;
  const std::string reads = " --reads " + testutil::fixture("reads/dv-testdata/NA12878_S1.chr20.10_10p1mb.bam") +
                            " --ref " + testutil::fixture("reads/dv-testdata/ucsc.hg19.chr20.unittest.fasta.gz") +
                            " --regions chr20:10,000,000-10,030,000";
  std::string calls[2], rows[2];
  for (int threads : {0, 1}) {
    const std::string t = std::to_string(threads);
    const auto c = run(call("--model " + kModel + reads + " --io_threads " + t + " --accepted " +
                            (dir / ("acc" + t + "-00000-of-00001.tfrecord.gz")) + " --remainder " +
                            (dir / ("rem" + t + ".tfrecord.gz"))),
                       dir.path);
    INFO(c.err);
    REQUIRE(c.exit_code == 0);
    const auto f = run("'" + testutil::binary() + "' features --quiet" + reads + " --io_threads " + t + " --output " +
                           (dir / ("rows" + t + ".tsv.gz")),
                       dir.path);
    INFO(f.err);
    REQUIRE(f.exit_code == 0);
    calls[threads] = testutil::read_file(dir / ("acc" + t + "-00000-of-00001.tfrecord.gz")) +
                     testutil::read_file(dir / ("rem" + t + ".tfrecord.gz"));
    rows[threads] = testutil::read_file(dir / ("rows" + t + ".tsv.gz"));
  }
  REQUIRE(calls[0].size() > 1000);
  REQUIRE(calls[0] == calls[1]);
  REQUIRE(testutil::split_lines(gunzip(dir / "rows0.tsv.gz")).size() > 20);
  REQUIRE(rows[0] == rows[1]);
}
