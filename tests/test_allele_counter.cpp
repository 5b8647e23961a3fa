// The allele counter on hand-made reads: expected values worked out by hand from DeepVariant's
// allelecounter.cc and variant_calling_multisample.cc (CIGAR walk, supersede rule,
// thresholds, DP/AD, read keys, soft clips, VAF context with track_ref_reads).
#include <catch2/catch.hpp>
#include <htslib/sam.h>

#include <memory>
#include <string>
#include <vector>

#include "smallcall/allele_counter.hpp"

using namespace smallcall;

namespace {
//                              0123456789012345678901234567890123456789
const std::string kRef = "GATTACAGATTACAGATTACAGATTACAGATTACAGATTA";

struct Reads {
  std::vector<bam1_t*> reads;
  ~Reads() {
    for (bam1_t* b : reads) bam_destroy1(b);
  }
  // cigar like "5M2I5M"; qual: one value for every base unless `quals` is given.
  void add(const std::string& name, uint16_t flag, int64_t pos, const std::string& cigar, const std::string& seq,
           int qual = 30, std::vector<char> quals = {}, int mapq = 60) {
    std::vector<uint32_t> ops;
    std::size_t i = 0;
    while (i < cigar.size()) {
      std::size_t j = i;
      while (std::isdigit(static_cast<unsigned char>(cigar[j]))) ++j;
      const uint32_t len = static_cast<uint32_t>(std::stoul(cigar.substr(i, j - i)));
      ops.push_back(bam_cigar_gen(len, static_cast<uint32_t>(std::string("MIDNSHP=X").find(cigar[j]))));
      i = j + 1;
    }
    if (quals.empty()) quals.assign(seq.size(), static_cast<char>(qual));
    bam1_t* b = bam_init1();
    REQUIRE(bam_set1(b, name.size(), name.c_str(), flag, 0, pos, static_cast<uint8_t>(mapq), ops.size(), ops.data(),
                     -1, -1, 0, seq.size(), seq.c_str(), quals.data(), 0) >= 0);
    reads.push_back(b);
  }
  std::vector<Candidate> count(AlleleCounterOptions o = {}, std::vector<Window> guarded = {}) {
    PartitionView p;
    p.guarded = std::move(guarded);
    p.contig = "t";
    p.contig_length = static_cast<int64_t>(kRef.size());
    p.begin = 0;
    p.end = p.contig_length;
    p.reference = kRef;
    p.reads = reads.data();
    p.num_reads = reads.size();
    std::vector<Candidate> out;
    AlleleCounter(o).find_candidates(p, out);
    return out;
  }
};

std::string with_base(std::string s, std::size_t i, char c) {
  s[i] = c;
  return s;
}
std::string ref(std::size_t b, std::size_t e) { return kRef.substr(b, e - b); }
}  // namespace

TEST_CASE("SNP fraction 3/25 is accepted (0.12f widened), 2/25 is not") {
  for (int alt_reads : {3, 2}) {
    Reads r;
    for (int i = 0; i < 25 - alt_reads; ++i) r.add("ref" + std::to_string(i), 0, 5, "10M", ref(5, 15));
    for (int i = 0; i < alt_reads; ++i) r.add("alt" + std::to_string(i), 0, 5, "10M", with_base(ref(5, 15), 3, 'C'));
    const auto c = r.count();
    if (alt_reads == 2) {
      CHECK(c.empty());
      continue;
    }
    REQUIRE(c.size() == 1);
    CHECK(c[0].start == 8);
    CHECK(c[0].ref == "A");
    CHECK(c[0].alts == std::vector<std::string>{"C"});
    CHECK(c[0].depth == 25);
    CHECK(c[0].allele_depths == std::vector<int64_t>{22, 3});
    CHECK(c[0].ref_support.reads == 22);
    CHECK(c[0].alt_support[0].reads == 3);
    // Context at the candidate itself counts the stored reference entries: 100*25/(22+25).
    CHECK(c[0].vaf_context[25] == 53);
    CHECK(c[0].vaf_context[24] == 0);
    // Without ref tracking: no reference support, context 100*3/25.
    AlleleCounterOptions o;
    o.track_ref_reads = false;
    const auto u = r.count(o);
    REQUIRE(u.size() == 1);
    CHECK(u[0].ref_support.reads == 0);
    CHECK(u[0].vaf_context[25] == 12);
  }
}

TEST_CASE("an insertion supersedes its anchor base") {
  Reads r;
  for (int i = 0; i < 4; ++i) r.add("ins" + std::to_string(i), 0, 0, "5M2I5M", ref(0, 5) + "TT" + ref(5, 10));
  for (int i = 0; i < 2; ++i) r.add("ref" + std::to_string(i), 0, 0, "10M", ref(0, 10));
  const auto c = r.count();
  REQUIRE(c.size() == 1);
  CHECK(c[0].start == 4);
  CHECK(c[0].ref == "A");
  CHECK(c[0].alts == std::vector<std::string>{"ATT"});
  CHECK(c[0].allele_depths == std::vector<int64_t>{2, 4});
  CHECK(c[0].depth == 6);
  CHECK(c[0].ref_support.reads == 2);
  CHECK_FALSE(c[0].realignment_sensitive);  // guarded only inside a window the realigner gave up on
}

TEST_CASE("deletion and SNP at one position: REF spans the deletion, ALTs sorted") {
  Reads r;
  for (int i = 0; i < 3; ++i) r.add("del" + std::to_string(i), 0, 0, "5M2D5M", ref(0, 5) + ref(7, 12));
  for (int i = 0; i < 3; ++i) r.add("snp" + std::to_string(i), 0, 0, "10M", with_base(ref(0, 10), 4, 'G'));
  for (int i = 0; i < 2; ++i) r.add("ref" + std::to_string(i), 0, 0, "10M", ref(0, 10));
  const auto c = r.count();
  REQUIRE(c.size() == 1);
  CHECK(c[0].ref == "ACA");
  CHECK(c[0].alts == std::vector<std::string>{"A", "GCA"});
  CHECK(c[0].allele_depths == std::vector<int64_t>{2, 3, 3});
  CHECK(c[0].depth == 8);
  CHECK(c[0].end() == 7);
}

TEST_CASE("a low-quality insertion hides its read at the anchor but counts in the context") {
  Reads r;
  std::vector<char> q(12, 30);
  q[5] = q[6] = 5;  // the inserted bases: mean 5 < 10
  for (int i = 0; i < 3; ++i) r.add("lq" + std::to_string(i), 0, 0, "5M2I5M", ref(0, 5) + "TT" + ref(5, 10), 30, q);
  for (int i = 0; i < 3; ++i) r.add("ref" + std::to_string(i), 0, 0, "10M", ref(0, 10));
  for (int i = 0; i < 3; ++i) r.add("snp" + std::to_string(i), 0, 6, "6M", with_base(ref(6, 12), 0, 'T'));
  const auto c = r.count();
  REQUIRE(c.size() == 1);  // no insertion candidate: low-quality alleles are not counted
  CHECK(c[0].start == 6);
  CHECK(c[0].allele_depths == std::vector<int64_t>{6, 3});
  // Position 4 (offset -2): M = 3 low-quality insertions, R = 3 reference reads -> 50.
  CHECK(c[0].vaf_context[23] == 50);
}

TEST_CASE("read keys: both mates count, a repeated key counts once") {
  Reads r;
  for (int i = 0; i < 5; ++i) r.add("ref" + std::to_string(i), 0, 5, "10M", ref(5, 15));
  const std::string alt = with_base(ref(5, 15), 3, 'C');
  r.add("pair", BAM_FPAIRED | BAM_FPROPER_PAIR | BAM_FREAD1, 5, "10M", alt);
  r.add("pair", BAM_FPAIRED | BAM_FPROPER_PAIR | BAM_FREAD2, 5, "10M", alt);
  r.add("same", 0, 5, "10M", alt);
  r.add("same", 0, 5, "10M", alt);
  const auto c = r.count();
  REQUIRE(c.size() == 1);
  CHECK(c[0].allele_depths == std::vector<int64_t>{5, 3});
}

TEST_CASE("soft clips: leading anchors before the read, trailing replaces the last base, both in DP") {
  Reads r;
  for (int i = 0; i < 3; ++i) r.add("snp" + std::to_string(i), 0, 5, "10M", with_base(ref(5, 15), 4, 'G'));
  for (int i = 0; i < 2; ++i) r.add("lead" + std::to_string(i), 0, 10, "2S8M", "CC" + ref(10, 18));
  r.add("trail", 0, 2, "8M2S", ref(2, 10) + "AA");
  const auto c = r.count();
  REQUIRE(c.size() == 1);
  CHECK(c[0].start == 9);
  CHECK(c[0].alts == std::vector<std::string>{"G"});
  CHECK(c[0].allele_depths == std::vector<int64_t>{0, 3});
  CHECK(c[0].depth == 6);
  CHECK(c[0].uncalled_support.reads == 3);
  CHECK(total_depth(c[0]) == 6);
}

TEST_CASE("realignment guard: candidates inside a window the realigner gave up on") {
  Reads r;
  for (int i = 0; i < 3; ++i) r.add("snp" + std::to_string(i), 0, 20, "10M", with_base(ref(20, 30), 5, 'C'));
  r.add("ref", 0, 20, "10M", ref(20, 30));
  auto c = r.count();
  REQUIRE(c.size() == 1);
  CHECK(c[0].start == 25);
  CHECK_FALSE(c[0].realignment_sensitive);  // no window given up
  c = r.count({}, {{10, 26}});
  CHECK(c[0].realignment_sensitive);  // [10, 26) holds 25
  c = r.count({}, {{26, 40}, {0, 25}});
  CHECK_FALSE(c[0].realignment_sensitive);  // ends are exclusive
}

TEST_CASE("two reads with one key: the later allele wins in the reference pass too") {
  for (bool ref_first : {true, false}) {
    Reads r;
    for (int i = 0; i < 22; ++i) r.add("ref" + std::to_string(i), 0, 5, "10M", ref(5, 15));
    const std::string alt = with_base(ref(5, 15), 3, 'C');
    for (int i = 0; i < 4; ++i) r.add("alt" + std::to_string(i), 0, 5, "10M", alt);
    r.add("same", 0, 5, "10M", ref_first ? ref(5, 15) : alt);
    r.add("same", 0, 5, "10M", ref_first ? alt : ref(5, 15));
    const auto c = r.count();
    REQUIRE(c.size() == 1);
    INFO("reference allele first: " << ref_first);
    // ref_first: pass 1 stores the alt allele, pass 2 the reference then the alt (alt wins).
    // Otherwise pass 1 stores the alt, pass 2 replaces it by the reference: one alt fewer.
    CHECK(c[0].allele_depths == std::vector<int64_t>{23, ref_first ? 5 : 4});
    CHECK(c[0].ref_support.reads == (ref_first ? 22 : 23));
    CHECK(c[0].alt_support[0].reads == (ref_first ? 5 : 4));
  }
}
