// TSV input: columns by name in any order, aliases, compression, and located errors.
#include <htslib/bgzf.h>

#include <catch2/catch.hpp>

#include "smallcall/error.hpp"
#include "smallcall/tsv_reader.hpp"
#include "test_util.hpp"

using namespace smallcall;

namespace {
const std::vector<std::string> kFeatures{"depth", "vaf", "is_multiallelic"};

struct Read {
  std::vector<Row> ids;
  std::vector<std::vector<float>> features;
  std::vector<std::string> raw;
};

Read read_all(const std::string& path, const std::vector<std::string>& features = kFeatures) {
  TsvReader reader(path, features);
  Read out;
  Row id;
  std::vector<float> f(features.size());
  std::string raw;
  while (reader.next(id, f.data(), raw)) {
    out.ids.push_back(id);
    out.features.push_back(f);
    out.raw.push_back(raw);
  }
  return out;
}

std::string error_reading(const std::string& path, const std::vector<std::string>& features = kFeatures) {
  try {
    read_all(path, features);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

void write_compressed(const std::string& path, const std::string& text, const char* mode) {
  BGZF* fp = bgzf_open(path.c_str(), mode);
  REQUIRE(fp);
  REQUIRE(bgzf_write(fp, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  REQUIRE(bgzf_close(fp) == 0);
}

const std::string kText =
    "label\tvaf\tcontig\tstart\tend\tref\talt\tis_multiallelic\tdepth\n"
    "1\t50\tchr1\t100\t101\tA\tG\t0\t30\n"
    "2\t12.5\tchr1\t200\t203\tACG\tA|AC\t1\t7\n";
}  // namespace

TEST_CASE("columns are matched by name in any order, extra columns ignored", "[tsv]") {
  testutil::ScratchDir dir;
  testutil::write_file(dir / "in.tsv", kText);
  const Read r = read_all(dir / "in.tsv");
  REQUIRE(r.ids.size() == 2);
  REQUIRE(r.ids[0].contig == "chr1");
  REQUIRE(r.ids[0].start == 100);
  REQUIRE(r.ids[0].end == 101);
  REQUIRE(r.ids[0].ref == "A");
  REQUIRE(joined_alts(r.ids[0]) == "G");
  REQUIRE(r.ids[0].is_snp);
  REQUIRE_FALSE(r.ids[0].is_multiallelic);
  REQUIRE(r.ids[0].record == 2);
  REQUIRE(r.features[0] == std::vector<float>{30, 50, 0});  // model order, not file order
  REQUIRE(r.features[1] == std::vector<float>{7, 12.5f, 1});
  REQUIRE_FALSE(r.ids[1].is_snp);
  REQUIRE(r.ids[1].is_multiallelic);
  REQUIRE(r.raw[1] == "2\t12.5\tchr1\t200\t203\tACG\tA|AC\t1\t7");
}

TEST_CASE("plain, gzip, bgzip and CRLF inputs read the same", "[tsv]") {
  testutil::ScratchDir dir;
  testutil::write_file(dir / "plain.tsv", kText);
  write_compressed(dir / "in.tsv.gz", kText, "wg");
  write_compressed(dir / "in.tsv.bgz", kText, "w");
  const Read plain = read_all(dir / "plain.tsv");
  for (const std::string name : {"in.tsv.gz", "in.tsv.bgz"}) {
    const Read r = read_all(dir / name);
    REQUIRE(r.raw == plain.raw);
    REQUIRE(r.features == plain.features);
  }
  std::string crlf;
  for (const auto& line : testutil::split_lines(kText)) crlf += line + "\r\n";
  testutil::write_file(dir / "crlf.tsv", crlf);
  const Read r = read_all(dir / "crlf.tsv");
  REQUIRE(r.features == plain.features);
  REQUIRE(joined_alts(r.ids[1]) == "A|AC");
  REQUIRE(r.raw[0] == plain.raw[0] + "\r");  // bytes kept for the remainder
}

TEST_CASE("alt_1 stands for alt, a region column is read, multi-allelic from '|'", "[tsv]") {
  testutil::ScratchDir dir;
  testutil::write_file(dir / "in.tsv",
                       "#contig\tstart\tend\tref\talt_1\tregion\tdepth\tvaf\tis_multiallelic\n"
                       "chr2\t5\t6\tC\tT|G\tr7\t1\t2\t0\n");
  const Read r = read_all(dir / "in.tsv");
  REQUIRE(r.ids[0].contig == "chr2");
  REQUIRE(joined_alts(r.ids[0]) == "T|G");
  REQUIRE(r.ids[0].region == "r7");
  REQUIRE(r.ids[0].is_snp);
  REQUIRE(r.ids[0].is_multiallelic);
  TsvReader reader(dir / "in.tsv", kFeatures);
  REQUIRE(reader.has_region_column());
}

TEST_CASE("the candidate columns carry the candidate: all alts, DP, AD", "[tsv]") {
  testutil::ScratchDir dir;
  const std::string header = "contig\tstart\tend\tref\talt\tcandidate_alts\tdp\tad\tdepth\tvaf\tis_multiallelic\n";
  testutil::write_file(dir / "in.tsv", header +
                                           "chr2\t5\t6\tC\tG\tT|G\t20\t8,7,5\t1\t2\t0\n"
                                           "chr2\t5\t6\tC\tG|T\tT|G\t20\t8,7,5\t1\t2\t0\n"
                                           "chr2\t9\t10\tC\tA\tA\t.\t.\t1\t2\t0\n"
                                           "chr2\t12\t13\tC\tA\t.\t.\t.\t1\t2\t0\n");
  const Read r = read_all(dir / "in.tsv");
  REQUIRE(r.ids[0].has_candidate);
  REQUIRE(r.ids[0].candidate.alts == std::vector<std::string>{"T", "G"});
  REQUIRE(r.ids[0].alt_indices == std::vector<int>{1});
  REQUIRE(r.ids[1].alt_indices == std::vector<int>{1, 0});
  REQUIRE(r.ids[0].candidate.depth == 20);
  REQUIRE(r.ids[0].candidate.allele_depths == std::vector<int64_t>{8, 7, 5});
  REQUIRE(r.ids[0].candidate.vaf == std::vector<double>{7.0 / 20, 5.0 / 20});
  REQUIRE(r.ids[0].is_multiallelic);  // from the candidate, though the row has one alt
  REQUIRE(r.ids[2].has_candidate);    // alts known, counts not
  REQUIRE(r.ids[2].candidate.allele_depths.empty());
  REQUIRE(r.ids[2].candidate.depth == -1);
  REQUIRE_FALSE(r.ids[3].has_candidate);

  auto error_for = [&](const std::string& text) {
    testutil::write_file(dir / "bad.tsv", text);
    return error_reading(dir / "bad.tsv");
  };
  REQUIRE_THAT(error_for("contig\tstart\tend\tref\talt\tdp\tdepth\tvaf\tis_multiallelic\n"),
               Catch::Contains("bad.tsv:1: the candidate columns"));
  REQUIRE_THAT(error_for(header + "chr2\t5\t6\tC\tA\tT|G\t20\t8,7,5\t1\t2\t0\n"),
               Catch::Contains("bad.tsv:2: alt \"A\" is not among the candidate's alts \"T|G\""));
  REQUIRE_THAT(error_for(header + "chr2\t5\t6\tC\tG\tT|G\t20\t8,7\t1\t2\t0\n"),
               Catch::Contains("bad.tsv:2: column \"ad\" has 2 counts; the candidate has 3 alleles"));
  REQUIRE_THAT(error_for(header + "chr2\t5\t6\tC\tG\tT|G\t20\t8,x,5\t1\t2\t0\n"),
               Catch::Contains("bad.tsv:2: column \"ad\": expected counts"));
  REQUIRE_THAT(error_for(header + "chr2\t5\t6\tC\tG\tT|G\t-1\t8,7,5\t1\t2\t0\n"),
               Catch::Contains("column \"dp\": expected a count"));
  REQUIRE_THAT(error_for(header + "chr2\t5\t6\tC\tG\tG|G\t20\t8,7,5\t1\t2\t0\n"),
               Catch::Contains("alt \"G\" appears twice"));
  REQUIRE_THAT(error_for(header + "chr2\t5\t6\tC\tG\t.\t20\t.\t1\t2\t0\n"),
               Catch::Contains("\"candidate_alts\" is \".\" but dp or ad is not"));
}

TEST_CASE("bad TSV input is an error naming the file, line and problem", "[tsv]") {
  testutil::ScratchDir dir;
  const std::string header = "contig\tstart\tend\tref\talt\tdepth\tvaf\tis_multiallelic\n";
  auto error_for = [&](const std::string& text) {
    testutil::write_file(dir / "bad.tsv", text);
    return error_reading(dir / "bad.tsv");
  };
  REQUIRE(error_for("").empty());  // no bytes at all: zero rows (an empty shard)
  REQUIRE_THAT(error_for("\n"), Catch::Contains("bad.tsv:1: empty header line"));
  REQUIRE_THAT(error_for("chr1\t1\t2\tA\tG\t1\t2\t0\n"), Catch::Contains("bad.tsv:1: header has no \"contig\""));
  REQUIRE_THAT(error_for("contig\tstart\tend\tref\talt\tdepth\n"),
               Catch::Contains("bad.tsv:1: missing feature columns \"vaf\", \"is_multiallelic\""));
  REQUIRE_THAT(error_for("contig\tstart\tend\tref\tdepth\tvaf\tis_multiallelic\n"),
               Catch::Contains("no \"alt\" column (or \"alt_1\")"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\t1\tx\t0\n"),
               Catch::Contains("bad.tsv:2: column \"vaf\": not a number value \"x\""));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\t1\t2\t0\nchr1\t1\t2\tA\tG\t\t2\t0\n"),
               Catch::Contains("bad.tsv:3: column \"depth\": empty"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\tnan\t2\t0\n"), Catch::Contains("bad.tsv:2: column \"depth\": not finite"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\tinf\t2\t0\n"), Catch::Contains("not finite"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\t1e39\t2\t0\n"), Catch::Contains("float32 range"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\t1\t2\n"),
               Catch::Contains("bad.tsv:2: expected 8 tab-separated fields (as in the header), found 7"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\t1\t2\t0\t9\n"), Catch::Contains("found 9"));
  REQUIRE_THAT(error_for(header + "chr1\tx\t2\tA\tG\t1\t2\t0\n"),
               Catch::Contains("bad.tsv:2: column \"start\": expected a non-negative integer"));
  REQUIRE_THAT(error_for(header + "chr1\t-5\t2\tA\tG\t1\t2\t0\n"), Catch::Contains("column \"start\""));
  REQUIRE_THAT(error_for(header + "chr1\t9\t2\tA\tG\t1\t2\t0\n"), Catch::Contains("end 2 is before start 9"));
  REQUIRE_THAT(error_for(header + "\t1\t2\tA\tG\t1\t2\t0\n"), Catch::Contains("empty contig"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\t\t1\t2\t0\n"), Catch::Contains("empty alt"));
  REQUIRE_THAT(error_for(header + "\n"), Catch::Contains("bad.tsv:2: expected 8"));
  REQUIRE_THAT(error_for("contig\tstart\tstart\tend\tref\talt\tdepth\tvaf\tis_multiallelic\n"),
               Catch::Contains("column \"start\" appears twice"));
  REQUIRE_THAT(error_for(header + "chr1\t1\t2\tA\tG\t1\t2\t" + std::string(TsvReader::kMaxLineBytes, '0') + "\n"),
               Catch::Contains("bad.tsv:2: line is longer than"));
  REQUIRE_THAT(error_reading(dir / "missing.tsv"), Catch::Contains("missing.tsv: cannot open"));
}

TEST_CASE("a truncated gzip input is an error, not a short read", "[tsv]") {
  testutil::ScratchDir dir;
  std::string text = "contig\tstart\tend\tref\talt\tdepth\tvaf\tis_multiallelic\n";
  for (int i = 0; i < 20000; ++i) text += "chr1\t" + std::to_string(i) + "\t" + std::to_string(i + 1) + "\tA\tG\t" + std::to_string(i % 97) + "\t3\t0\n";
  write_compressed(dir / "full.tsv.gz", text, "wg");
  const std::string bytes = testutil::read_file(dir / "full.tsv.gz");
  testutil::write_file(dir / "cut.tsv.gz", bytes.substr(0, bytes.size() / 2));
  REQUIRE_THAT(error_reading(dir / "cut.tsv.gz"), Catch::Contains("cut.tsv.gz:") && Catch::Contains("read error"));
}
