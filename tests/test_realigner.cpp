// The realigner's parts against DeepVariant's own unit expectations, quoted in
// deepvariant-realigner.md section 14 (fast_pass_aligner_test.cc, debruijn_graph_wrap_test.py,
// window_selector_test.py) — inputs and expected values are DeepVariant's, not computed here.
#include <htslib/sam.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "smallcall/debruijn_graph.hpp"
#include "smallcall/fast_pass_aligner.hpp"
#include "smallcall/realigner.hpp"
#include "smallcall/ssw_aligner.hpp"
#include "smallcall/window_selector.hpp"
#include "fixtures.hpp"

#include <map>
#include <sstream>

using namespace smallcall;

namespace {

// fast_pass_aligner.h's defaults, which DeepVariant's C++ tests run with (gap extend 1).
AlignerOptions header_defaults(int kmer = 32) {
  AlignerOptions o;
  o.kmer_size = kmer;
  o.gap_extend = 1;
  o.similarity_threshold = 0.85;
  return o;
}

std::string cigar_text(const std::vector<CigarUnit>& c) {
  std::string s;
  for (const auto& u : c) s += std::to_string(u.len) + u.op;
  return s;
}

// A read as nucleus' test_utils.make_read builds it.
struct TestRead {
  bam1_t* b;
  TestRead(const std::string& bases, int64_t start, const std::string& cigar, std::vector<uint8_t> quals, int mapq = 60,
           const std::string& name = "read") {
    b = bam_init1();
    std::vector<uint32_t> ops;
    std::size_t i = 0;
    while (i < cigar.size()) {
      uint32_t n = 0;
      while (std::isdigit(static_cast<unsigned char>(cigar[i]))) n = n * 10 + static_cast<uint32_t>(cigar[i++] - '0');
      ops.push_back(bam_cigar_gen(n, static_cast<uint32_t>(bam_cigar_table[static_cast<unsigned char>(cigar[i++])])));
    }
    std::string q(quals.begin(), quals.end());
    bam_set1(b, name.size(), name.c_str(), 0, 0, start, static_cast<uint8_t>(mapq), ops.size(), ops.data(), -1, -1, 0,
             bases.size(), bases.c_str(), q.c_str(), 0);
  }
  ~TestRead() { bam_destroy1(b); }
};

}  // namespace

TEST_CASE("SSW: libssw through DeepVariant's wrapper", "[realigner]") {
  SswAligner ssw(4, 6, 8, 1);
  ssw.set_target("TTTGCCGAAGTTAAACCC");
  const SswAlignment a = ssw.align("GCCGAAGTTA", 100);
  REQUIRE(a.cigar == "10=");
  REQUIRE(a.ref_begin == 3);
}

TEST_CASE("SSW: a one-substitution alignment known without Smith-Waterman equals libssw's", "[realigner]") {
  // libssw is the reference: whenever align_one_substitution answers, its answer must be
  // align()'s, on random sequences and on repeats where other alignments come close.
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::string acgt = "ACGT";
  auto sequence = [&](int n, int kind) {
    std::string s;
    if (kind == 0) {  // random
      for (int i = 0; i < n; ++i) s += acgt[static_cast<std::size_t>(pick(4))];
    } else if (kind == 1) {  // runs of one base
      while (static_cast<int>(s.size()) < n) s += std::string(static_cast<std::size_t>(1 + pick(12)), acgt[static_cast<std::size_t>(pick(4))]);
    } else {  // tandem repeats of period 1..4 with random stretches between
      while (static_cast<int>(s.size()) < n) {
        std::string unit;
        for (int i = 0, p = 1 + pick(4); i < p; ++i) unit += acgt[static_cast<std::size_t>(pick(4))];
        for (int r = 0, reps = 2 + pick(10); r < reps; ++r) s += unit;
        for (int i = 0, m = pick(6); i < m; ++i) s += acgt[static_cast<std::size_t>(pick(4))];
      }
    }
    s.resize(static_cast<std::size_t>(n));
    return s;
  };
  struct Scores {
    int match, mismatch, open, extend;
  };
  int answered = 0, declined = 0;
  for (const Scores sc : {Scores{4, 6, 8, 2}, Scores{4, 6, 8, 1}, Scores{2, 3, 5, 2}, Scores{1, 4, 6, 1}}) {
    SswAligner ssw(sc.match, sc.mismatch, sc.open, sc.extend);
    for (int trial = 0; trial < 1500; ++trial) {
      const int n = 2 + pick(trial % 10 == 0 ? 700 : 120);
      const std::string target = sequence(n, trial % 3);
      std::string query = target;
      const auto q = static_cast<std::size_t>(trial % 7 == 0 ? pick(std::min(n, 4)) : pick(n));  // ends too
      query[q] = acgt[(acgt.find(query[q]) + 1 + static_cast<std::size_t>(pick(3))) % 4];
      ssw.set_target(target);
      const std::optional<SswAlignment> known = ssw.align_one_substitution(query);
      if (!known) {
        ++declined;
        continue;
      }
      ++answered;
      const SswAlignment full = ssw.align(query, 100);
      INFO(target << " / " << query << " scores " << sc.match << "," << sc.mismatch << "," << sc.open);
      REQUIRE(known->score == full.score);
      REQUIRE(known->ref_begin == full.ref_begin);
      REQUIRE(known->cigar == full.cigar);
    }
  }
  // Both outcomes are exercised: most random cases are answered, repeats and ends declined.
  REQUIRE(answered > 2000);
  REQUIRE(declined > 300);
  SswAligner ssw(4, 6, 8, 2);
  ssw.set_target("ACGTTGCAAGTCCGATGACT");
  REQUIRE(ssw.align_one_substitution("ACGTTGCAAGTCCGATGACT") == std::nullopt);  // identical
  REQUIRE(ssw.align_one_substitution("ACGTTGCTAGTCAGATGACT") == std::nullopt);  // two substitutions
  REQUIRE(ssw.align_one_substitution("ACGTTGCNAGTCCGATGACT") == std::nullopt);  // an N
  REQUIRE(ssw.align_one_substitution("ACGTTGCAAGTCCGATGAC") == std::nullopt);   // another length
  REQUIRE(ssw.align_one_substitution("ACGTTGCATGTCCGATGACT")->cigar == "8=1X11=");
}

TEST_CASE("SSW: an alignment found unique in a band of diagonals equals libssw's", "[realigner]") {
  // Haplotype-like queries (the target with a few substitutions, insertions and deletions,
  // sometimes trimmed or with N) on random and repetitive targets; libssw is the reference
  // whenever align_unique_in_band answers.
  std::mt19937 rng(13);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(std::max(1, n))); };
  const std::string acgt = "ACGT";
  auto random_bases = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += acgt[static_cast<std::size_t>(pick(4))];
    return s;
  };
  auto repetitive = [&](int n) {
    std::string s;
    while (static_cast<int>(s.size()) < n) {
      const std::string unit = random_bases(1 + pick(4));
      for (int r = 0, reps = 1 + pick(8); r < reps; ++r) s += unit;
      s += random_bases(pick(8));
    }
    s.resize(static_cast<std::size_t>(n));
    return s;
  };
  struct Scores {
    int match, mismatch, open, extend;
  };
  int answered = 0, declined = 0, with_gaps = 0;
  // DeepVariant's scores (gap extend 2 as the flag, 1 as the header), and others where an
  // insertion next to a deletion beats a mismatch (libssw does not allow that pair).
  for (const Scores sc : {Scores{4, 6, 8, 2}, Scores{4, 6, 8, 1}, Scores{2, 3, 5, 2}, Scores{1, 4, 6, 1},
                          Scores{4, 6, 3, 3}, Scores{4, 7, 2, 1}}) {
    SswAligner ssw(sc.match, sc.mismatch, sc.open, sc.extend);
    for (int trial = 0; trial < 1200; ++trial) {
      const int n = 5 + pick(trial % 8 == 0 ? 700 : 200);
      const std::string target = trial % 2 ? random_bases(n) : repetitive(n);
      std::string query = target;
      for (int edit = 0, edits = pick(5); edit < edits && !query.empty(); ++edit) {
        const auto at = static_cast<std::size_t>(pick(static_cast<int>(query.size())));
        switch (pick(4)) {
          case 0: query[at] = acgt[(acgt.find(query[at]) + 1) % 4]; break;
          case 1: query.erase(at, static_cast<std::size_t>(1 + pick(trial % 5 ? 6 : 20))); break;
          case 2: query.insert(at, random_bases(1 + pick(trial % 5 ? 6 : 20))); break;
          default: query.insert(at, query.substr(at, static_cast<std::size_t>(1 + pick(4)))); break;  // a repeat unit more
        }
      }
      if (trial % 11 == 0 && query.size() > 10) query = query.substr(static_cast<std::size_t>(pick(5)), query.size() - 5);
      if (trial % 13 == 0 && !query.empty()) query[static_cast<std::size_t>(pick(static_cast<int>(query.size())))] = 'N';
      if (query.empty()) continue;
      ssw.set_target(target);
      const std::optional<SswAlignment> known = ssw.align_unique_in_band(query, 64);
      if (!known) {
        ++declined;
        continue;
      }
      ++answered;
      with_gaps += known->cigar.find_first_of("ID") != std::string::npos;
      const SswAlignment full = ssw.align(query, 100);
      INFO(target << " / " << query << " scores " << sc.match << "," << sc.mismatch << "," << sc.open << "," << sc.extend);
      REQUIRE(known->score == full.score);
      REQUIRE(known->ref_begin == full.ref_begin);
      REQUIRE(known->cigar == full.cigar);
    }
  }
  INFO("answered " << answered << " (" << with_gaps << " with gaps), declined " << declined);
  REQUIRE(answered > 2000);
  REQUIRE(with_gaps > 400);
  REQUIRE(declined > 1000);
}

TEST_CASE("align_reads aligns to the reference only the haplotypes reads use, with the same results", "[realigner]") {
  // Eager: DeepVariant's order, every haplotype aligned to the reference. Lazy: align_reads.
  std::mt19937 rng(11);
  const std::string acgt = "ACGT";
  for (int trial = 0; trial < 40; ++trial) {
    std::string ref;
    for (int i = 0; i < 400; ++i) ref += acgt[rng() % 4];
    auto mutate = [&](std::string s, int kind) {
      const std::size_t at = 150 + rng() % 100;
      if (kind == 0) s[at] = acgt[(acgt.find(s[at]) + 1 + rng() % 3) % 4];
      else if (kind == 1) s.erase(at, 1 + rng() % 5);
      else s.insert(at, std::string(1 + rng() % 4, acgt[rng() % 4]));
      return s;
    };
    std::vector<std::string> haplotypes{ref, mutate(ref, 0), mutate(ref, 1), mutate(ref, 2), mutate(mutate(ref, 0), 0)};
    std::vector<std::string> reads;
    for (int r = 0; r < 60; ++r) {
      const std::string& h = haplotypes[rng() % 3];  // haplotypes 3 and 4 get no reads of their own
      std::string read = h.substr(20 + rng() % (h.size() - 140), 100);
      for (int e = 0, errors = static_cast<int>(rng() % 5); e < errors; ++e) read[rng() % 100] = acgt[rng() % 4];
      reads.push_back(read);
    }
    AlignerOptions o;
    o.read_size = 100;
    FastPassAligner lazy(o), eager(o);
    for (FastPassAligner* f : {&lazy, &eager}) {
      f->set_reference(ref);
      f->set_haplotypes(haplotypes);
      f->set_region_start(1000);
      f->set_ref_prefix_len(20);
      f->set_ref_suffix_len(20);
    }
    const auto got = lazy.align_reads(reads);
    eager.set_reads(reads);
    eager.build_index();
    eager.fast_align_reads_to_haplotypes();
    eager.align_haplotypes_to_reference();
    eager.ssw_align_reads_to_haplotypes(eager.ssw_score_threshold());
    eager.sort_haplotype_alignments();
    const auto want = eager.realign_reads_to_reference();
    REQUIRE(got.size() == want.size());
    int realigned = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO("trial " << trial << " read " << i);
      REQUIRE(got[i].realigned == want[i].realigned);
      REQUIRE(got[i].position == want[i].position);
      REQUIRE(cigar_text(got[i].cigar) == cigar_text(want[i].cigar));
      realigned += got[i].realigned;
    }
    REQUIRE(realigned > 0);
  }
}

TEST_CASE("fast pass: ungapped comparison, N matching anything, given up at the mismatch limit", "[realigner]") {
  // DeepVariant's FastAlignStrings, base by base, against the block-wise version.
  auto reference = [](const std::string& a, const std::string& b, int max_mismatches, int match, int mismatch) {
    int matches = 0, mismatches = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (a[i] != b[i] && a[i] != 'N' && b[i] != 'N') {
        if (++mismatches >= max_mismatches) return std::make_pair(0, mismatches);
      } else {
        ++matches;
      }
    }
    return std::make_pair(matches * match - mismatches * mismatch, mismatches);
  };
  std::mt19937 rng(5);
  const std::string bases = "ACGTN";
  for (int trial = 0; trial < 20000; ++trial) {
    const std::size_t n = rng() % 200;
    std::string a, b;
    for (std::size_t i = 0; i < n; ++i) {
      a += bases[rng() % (trial % 2 ? 5 : 4)];
      b += rng() % 100 < 97 ? a.back() : bases[rng() % 5];  // few differences
    }
    if (trial % 5 == 0) b.resize(rng() % (n + 1));
    const int max_mismatches = static_cast<int>(rng() % 6);
    INFO(a << " / " << b << " max " << max_mismatches);
    REQUIRE(fast_align_strings(a, b, max_mismatches, 4, 6) == reference(a, b, max_mismatches, 4, 6));
  }
}

TEST_CASE("fast pass: the read k-mer index", "[realigner]") {
  FastPassAligner f(header_defaults(3));
  f.set_reads({"AAACCC", "CTCTCT", "TGAGCTGAAG"});
  f.build_index();
  using Occ = std::vector<std::pair<int, int>>;
  REQUIRE(f.index_kmers() == 13);
  REQUIRE(f.occurrences("CTC") == Occ{{1, 0}, {1, 2}});
  REQUIRE(f.occurrences("TCT") == Occ{{1, 1}, {1, 3}});
  REQUIRE(f.occurrences("TGA") == Occ{{2, 0}, {2, 5}});
  REQUIRE(f.occurrences("AAG") == Occ{{2, 7}});
  FastPassAligner g(header_defaults(4));
  g.set_reads({"AAC", "TGAGCTG"});  // a read not longer than k is not indexed
  g.build_index();
  REQUIRE(g.index_kmers() == 4);
  REQUIRE(g.occurrences("TGAG") == Occ{{1, 0}});
  REQUIRE(g.occurrences("AACX").empty());
}

TEST_CASE("fast pass: reads to one haplotype", "[realigner]") {
  auto run = [](std::vector<std::string> reads, std::string hap) {
    FastPassAligner f(header_defaults(3));
    f.set_reference("ATCAAGGGAAAAAGTGCCCAGGGCCAAATATGTTTTGGGTTTTGCAGGACAAAGTATGGTTGAAACTGAGCTGAAGATATG");
    f.set_haplotypes({hap});
    f.set_reads(reads);
    f.build_index();
    return f.fast_align_reads_to_haplotype(0);
  };
  auto check = [](const ReadAlignment& r, int pos, const std::string& cigar, int score) {
    REQUIRE(r.position == pos);
    REQUIRE(r.cigar == cigar);
    REQUIRE(r.score == score);
  };
  HaplotypeAlignment a = run({"AAACCC", "CTCTCT", "TGAGCTGAAG"}, "TGAGCTGAAGTTAAACCC");
  REQUIRE(a.haplotype_score == 64);
  check(a.reads[0], 12, "6=", 24);
  check(a.reads[1], ReadAlignment::kNotAligned, "", 0);
  check(a.reads[2], 0, "10=", 40);
  a = run({"TGAGCTGAAGTT", "AAACCC", "AGTTAAAC"}, "TGAGCTGAAGTTAAAC");  // a read past the end is skipped
  REQUIRE(a.haplotype_score == 80);
  check(a.reads[0], 0, "12=", 48);
  check(a.reads[1], ReadAlignment::kNotAligned, "", 0);
  check(a.reads[2], 8, "8=", 32);
  a = run({"AAACCC", "CTCTCT", "TGAGCTGAAG"}, "TGAGCCGAAGTTAAACCC");  // one mismatch, kept
  REQUIRE(a.haplotype_score == 30 + 24);
  check(a.reads[2], 0, "10=", 30);
  a = run({"TTTGCCGAAGTTAAACCC", "CTCTCT", "TGAGCTGAAG"}, "TTTGCCGAAGTTAAACCC");  // 3 mismatches: not aligned
  REQUIRE(a.haplotype_score == 72);
  check(a.reads[2], ReadAlignment::kNotAligned, "", 0);
}

TEST_CASE("haplotypes to the reference and position maps", "[realigner]") {
  FastPassAligner f(header_defaults());
  f.set_reference("AGAAGGTCCCTTTGCCGAAGTTAAACCCTTTCGCGC");
  f.set_haplotypes({"GTCCCTTTGCCGAAGTTAAACCCTTT", "GTCCCTTTGCCGAGTTAAACCCTTT", "GTCCCTATGCCGAAGTTAAACCCTTT"});
  f.set_reads({});
  f.fast_align_reads_to_haplotypes();
  f.align_haplotypes_to_reference();
  auto& a = f.haplotype_alignments();
  REQUIRE((a[0].cigar == "26=" && a[0].ref_pos == 5 && a[0].is_reference));  // a substring of the reference
  REQUIRE((a[1].cigar == "12=1D13=" && a[1].ref_pos == 5 && !a[1].is_reference));
  REQUIRE((a[2].cigar == "6=1X19=" && a[2].ref_pos == 5 && !a[2].is_reference));
  REQUIRE(position_map("10=1X3=", 14) == std::vector<int>(14, 0));
  REQUIRE(position_map("3=4I2=", 9) == std::vector<int>{0, 0, 0, 0, -1, -2, -3, -4, -4});
  REQUIRE(position_map("3=4D2=", 5) == std::vector<int>{0, 0, 0, 4, 4});
  REQUIRE(position_map("3=4D2=2I2=", 9) == std::vector<int>{0, 0, 0, 4, 4, 4, 3, 2, 2});
  REQUIRE(position_map("3=4I2=2D2=", 11) == std::vector<int>{0, 0, 0, 0, -1, -2, -3, -4, -4, -2, -2});
}

TEST_CASE("Smith-Waterman for the reads the fast path missed", "[realigner]") {
  FastPassAligner f(header_defaults(3));
  f.set_reference("ATCAAGGGAAAAAGTGCCCAGGGCCAAATATGTTTTGGGTTTTGCAGGACAAAGTATGGTTGAAACTGAGCTGAAGATATG");
  f.set_haplotypes({"AAGTGCCCAGGGCCAAATGTTTTGGGTTTTGCAGGACAAAGTATGGTT",
                    "AAGTGCCCAGGGCCAAATATGCACAGGGTTTTGCAGGACAAAGTATGGTT"});
  f.set_reads({"CAGGGCCAAATGTTT", "GCCATATATGCACAGGGTTATG", "TTGGGTTGCAGGACA", "ACAGGGTTTTTTGCAGGACAA",
               "TGTTGGGTTCAGCAGTTTT"});
  // As DeepVariant's test: haplotype alignments without a fast pass (score -1, not 0).
  for (std::size_t h = 0; h < 2; ++h) {
    HaplotypeAlignment a;
    a.haplotype_index = h;
    a.haplotype_score = -1;
    a.reads.assign(5, ReadAlignment{});
    f.haplotype_alignments().push_back(a);
  }
  f.align_haplotypes_to_reference();
  f.ssw_align_reads_to_haplotypes(40);
  const auto& a = f.haplotype_alignments();
  auto check = [](const ReadAlignment& r, int pos, const std::string& cigar, int score) {
    INFO(pos << " " << cigar);
    REQUIRE(r.position == pos);
    REQUIRE(r.cigar == cigar);
    REQUIRE(r.score == score);
  };
  check(a[0].reads[0], 7, "15=", 60);
  check(a[0].reads[1], ReadAlignment::kNotAligned, "", 0);
  check(a[0].reads[2], 21, "5=2D10=", 51);
  check(a[0].reads[3], 23, "3S3=2I13=", 55);
  check(a[0].reads[4], ReadAlignment::kNotAligned, "", 0);
  check(a[1].reads[0], 7, "11=4S", 44);
  check(a[1].reads[1], 11, "4=1X14=1X2=", 68);
  check(a[1].reads[2], 25, "2S3=2D10=", 43);
  check(a[1].reads[3], 22, "6=2I13=", 67);
  check(a[1].reads[4], ReadAlignment::kNotAligned, "", 0);
  REQUIRE(f.ssw_score_threshold() > 1);  // 0.85 similarity in the header defaults
  FastPassAligner g(AlignerOptions{});
  REQUIRE(g.ssw_score_threshold() == 1);  // the flag default 0.16934: every score >= 1 passes
}

TEST_CASE("read-to-reference CIGARs composed as DeepVariant composes them", "[realigner]") {
  struct Case {
    const char* name;
    const char* haplotype;
    const char* hap_cigar;  // the haplotype's alignment to the reference (checked)
    const char* read;
    int pos;
    const char* read_cigar;
    const char* expected;
  };
  const Case cases[] = {
      {"ins_snp_merge", "CGGATCATGTTTTTTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "9=2I11=1D24=", "GATCATGATTTTTGGGTTTTCAG", 2,
       "7=1X15=", "7M2I11M1D3M"},
      {"ins_ins_merge", "CGGATCATGTTTTTTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "9=2I11=1D24=", "GATCATGTTTTTTTGGGTTTTCAG", 2,
       "7=1I16=", "7M3I11M1D3M"},
      {"del_del_merge", "CGGATCATGTTTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "9=1D10=1D24=", "GATCATGTTGGGTTTTCAGGACAAA", 2,
       "7=1D18=", "7M2D9M1D9M"},
      {"del_ins_merge", "CGGATCATGTTTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "9=1D10=1D24=", "GATCATGTTTTTGGGTTTTCAGGACAAA",
       2, "7=2I19=", "7M1I11M1D9M"},
      {"del_ins_merge2", "CGGATCATGTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "9=3D8=1D24=", "GATCATGTTTGGGTTTTCAGGACAAA", 2,
       "7=2I17=", "7M1D10M1D9M"},
      {"ins_del_merge", "CGGATCATGTTTTTTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "9=2I11=1D24=", "GATCATGTTTTTGGGTTTTCAGGACAAA",
       2, "7=1D21=", "7M1I11M1D9M"},
      {"2ins_3del_merge", "CGGATCATGTTTTTTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "9=2I11=1D24=", "GATCATGTTTGGGTTTTCAGGACAAA",
       2, "7=3D19=", "7M1D10M1D9M"},
      {"1ins_1del_back_to_back", "CGGATCATGTTTTGGGTTTTCAGGACAAAGTATGGTTGAAACTG", "20=1D24=", "GATCATGTTTTGGGTTTTCCAGGACAAA",
       2, "18=1I9=", "28M"},
      {"1ins_1del_consecutive", "CGGATCATGTTTTGGGTTTTTTGCAGGACAAAGTATGGTTGAAACTG", "16=2I29=",
       "GATCATGTTTTGGGTTTTGCAGGACAAA", 2, "16=2D12=", "28M"},
      {"two_dels_different_positions", "CGGATCATGTTTGGGTTTTGCAGGACAAAGTATGGTTGAAACTG", "9=1D35=", "GATCATGTTTGGTTTT", 2,
       "10=1D6=", "7M1D3M1D6M"},
      {"Ins_Test", "CGGATCATGTTTTAAGGGTTTTGCAGGACAAAGTATGGTTGAAACTG", "13=2I32=", "GATCATGTTTTAAGGGCCTTTT", 2, "16=2I4=",
       "11M2I3M2I4M"},
      {"MergedIns", "CGGATCATGTTTTAAGGGTTTTGCAGGACAAAGTATGGTTGAAACTG", "13=2I32=", "GATCATGTTTTAAAAGGGTTTT", 2,
       "13=2I7=", "11M4I7M"},
      {"DelIns", "CGGATCATGTTTGGGTTTTGCAGGACAAAGTATGGTTGAAACTG", "9=1D35=", "GATCATGTTTGGGAATTTT", 2, "13=2I4=",
       "7M1D6M2I4M"},
      {"InsDel", "CGGATCATGAATTTTGGGTTTTGCAGGACAAAGTATGGTTGAAACTG", "9=2I36=", "GATCATGAATTTTGGGTTT", 2, "16=1D3=",
       "7M2I7M1D3M"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FastPassAligner f(header_defaults());
    f.set_reference("CTCTGTAATCGGATCATGTTTTGGGTTTTGCAGGACAAAGTATGGTTGAAACTGAGCTGAAGATATG");
    f.set_haplotypes({c.haplotype});
    f.set_reads({});
    f.fast_align_reads_to_haplotypes();
    f.align_haplotypes_to_reference();
    const HaplotypeAlignment& h = f.haplotype_alignments()[0];
    REQUIRE(h.cigar == c.hap_cigar);
    const auto out = compose_read_to_reference(cigar_string_to_ops(c.read_cigar), left_trim(h.cigar_ops, c.pos),
                                               static_cast<int>(std::string(c.read).size()));
    REQUIRE(cigar_text(out) == c.expected);
  }
  // A haplotype soft-clipped against the reference: 5S13M.
  FastPassAligner f(header_defaults());
  f.set_reference("NNNNNNNNNNNTGTTTTGGGTTTTGCAGGACAAAGTATGGTTGAAACTGAGCTGAAGATATG");
  f.set_haplotypes({"GATCATGTTTAGGGTTTTGCAGGACAAAGTATGGTTGAAACTG"});
  f.set_reads({});
  f.fast_align_reads_to_haplotypes();
  f.align_haplotypes_to_reference();
  const auto out = compose_read_to_reference(cigar_string_to_ops("19="), left_trim(f.haplotype_alignments()[0].cigar_ops, 0),
                                             18);
  REQUIRE(cigar_text(out) == "5S13M");
  // MergeCigarOp's own cases.
  std::vector<CigarUnit> c{{'M', 3}, {'I', 5}};
  merge_cigar_op('I', 20, 10, c);
  REQUIRE(cigar_text(c) == "3M7I");
  c = {{'M', 3}, {'D', 5}};
  merge_cigar_op('D', 20, 10, c);
  REQUIRE(cigar_text(c) == "3M25D");
  c = {{'M', 3}, {'D', 5}, {'M', 5}};
  merge_cigar_op('I', 20, 8, c);
  REQUIRE(cigar_text(c) == "3M5D5M");
}

TEST_CASE("the normalisation veto", "[realigner]") {
  const std::string ref = "ATGCTGCACTCTCTCTCAGCTGTCACC";
  REQUIRE(alignment_normalized("ACTCTCTCTCAGCT", ref, 7, {{'M', 14}}));
  REQUIRE_FALSE(alignment_normalized("ACTCTCTCAGCTGT", ref, 7, {{'M', 4}, {'D', 2}, {'M', 10}}));
  REQUIRE(alignment_normalized("ACTCTCTCAGCTGT", ref, 7, {{'M', 1}, {'D', 2}, {'M', 13}}));
  REQUIRE_FALSE(alignment_normalized("ACTCTCTCTCTCAGCTGT", ref, 7, {{'M', 4}, {'I', 2}, {'M', 8}}));
  REQUIRE(alignment_normalized("ACTCTCTCTCTCAGCTGT", ref, 7, {{'M', 1}, {'I', 2}, {'M', 10}}));
}

TEST_CASE("De Bruijn graph: edges, pruning, haplotypes, the smallest acyclic k", "[realigner]") {
  DeBruijnOptions o;
  o.min_edge_weight = 2;
  const std::string read = "GATGACA";
  const std::vector<uint8_t> q(read.size(), 30);
  std::vector<GraphRead> two{{read, q.data(), 60}, {read, q.data(), 60}};
  DeBruijnGraph g("GATTACA", two, 3, o);
  REQUIRE_FALSE(g.has_cycle());
  auto e = g.edges();
  REQUIRE(e.at({"GAT", "ATT"}).weight == 1);
  REQUIRE(e.at({"GAT", "ATT"}).is_ref);
  REQUIRE(e.at({"ATG", "TGA"}).weight == 2);
  REQUIRE(e.at({"GAT", "ATG"}).weight == 2);  // the shared k-mer GAT: read edge out of it
  g.prune();
  REQUIRE(g.candidate_haplotypes() == std::vector<std::string>{"GATGACA", "GATTACA"});
  DeBruijnGraph one("GATTACA", {two[0]}, 3, o);
  one.prune();
  REQUIRE(one.candidate_haplotypes() == std::vector<std::string>{"GATTACA"});  // one read: pruned
  const std::string longer = "CCGATGACACC";
  const std::vector<uint8_t> q2(longer.size(), 30);
  DeBruijnGraph off("GATTACA", {{longer, q2.data(), 60}, {longer, q2.data(), 60}}, 3, o);
  off.prune();
  REQUIRE(off.candidate_haplotypes() == std::vector<std::string>{"GATGACA", "GATTACA"});
  // Bad bases break the read's k-mers.
  std::vector<uint8_t> low = q;
  low[3] = 1;
  DeBruijnGraph broken("GATTACA", {{read, low.data(), 60}, {read, low.data(), 60}}, 2, o);
  const auto be = broken.edges();
  REQUIRE(be.count({"GA", "AT"}));
  REQUIRE_FALSE(be.count({"AT", "TG"}));  // position 3 (G, quality 1) is bad
  REQUIRE_FALSE(be.count({"TG", "GA"}));
  // The smallest k with unique reference k-mers (DeepVariant's expectations).
  DeBruijnOptions d;
  d.min_k = 2;
  REQUIRE(smallest_unique_k("ACGTACGT", d) == 5);
  REQUIRE(smallest_unique_k("ACGTAAACGT", d) == 5);
  REQUIRE(smallest_unique_k("ACGTAAACGTAAA", d) == 8);
  REQUIRE(smallest_unique_k("AAACGTAAACGT", d) == 7);
  REQUIRE(smallest_unique_k("AAACGTAAACGTAAA", d) == 10);
  REQUIRE(smallest_unique_k("ACGTACGT", DeBruijnOptions{}) == -1);  // k >= len(ref) - 1: none
  // 0 paths allowed: every window fails, as in DeepVariant.
  DeBruijnOptions zero = o;
  zero.max_num_paths = 0;
  DeBruijnGraph z("GATTACA", two, 3, zero);
  z.prune();
  REQUIRE(z.candidate_haplotypes().empty());
}

TEST_CASE("window selection: positions from one read's alleles", "[realigner]") {
  WindowSelectorOptions o;
  o.min_num_supporting_reads = 1;
  o.max_num_supporting_reads = 10;
  o.min_windows_distance = 4;
  o.min_allele_support = 0;  // the proto default DeepVariant's test runs with
  ReferenceSpan ref{0, std::string(532, 'A'), 532};
  auto positions = [&](const std::string& bases, const std::string& cigar, std::vector<uint8_t> quals) {
    TestRead r(bases, 10, cigar, quals);
    const bam1_t* reads[] = {r.b};
    return window_candidate_positions(reads, 1, 0, 20, ref, o);
  };
  using P = std::vector<int64_t>;
  const std::vector<uint8_t> q64(6, 64);
  REQUIRE(positions("AAGA", "4M", {64, 64, 64, 64}) == P{12});
  REQUIRE(positions("AAGTA", "2M2I1M", {64, 64, 64, 64, 64}) == P{10, 11, 12, 13});
  REQUIRE(positions("AAA", "2M2D1M", {64, 64, 64}) == P{12, 13});
  REQUIRE(positions("TGATAC", "2S3M1S", q64) == P{8, 9, 10, 11, 12, 13});
  REQUIRE(positions("AAGA", "2M1X1M", {64, 64, 64, 64}) == P{12});
  REQUIRE(positions("AAGA", "4M", {64, 64, 10, 30}).empty());
  REQUIRE(positions("AAGTA", "2M2I1M", {64, 64, 10, 21, 64}).empty());
  REQUIRE(positions("TGATAC", "2S3M1S", {21, 10, 64, 64, 64, 64}) == P{11, 12, 13});
  REQUIRE(positions("TGATAC", "2S3M1S", {64, 64, 64, 64, 64, 10}) == P{8, 9, 10, 11});
  REQUIRE(positions("C", "1X", {64}) == P{10});
  REQUIRE(positions("A", "1=", {64}).empty());
  REQUIRE(positions("A", "1M4D", {64}) == P{11, 12, 13, 14});
  REQUIRE(positions("AAAA", "1M3I", {64, 64, 64, 64}) == P{8, 9, 10, 11, 12, 13});
  REQUIRE(positions("AAAA", "1M3S", {64, 64, 64, 64}) == P{8, 9, 10, 11, 12, 13});
  REQUIRE(positions("AAAA", "3S1M", {64, 64, 64, 64}) == P{7, 8, 9, 10, 11, 12});
  REQUIRE(positions("AA", "1M2N1M", {64, 64}).empty());
  REQUIRE(positions("A", "1H1M", {64}).empty());
  // Windows from positions: within 2d they merge.
  using W = std::vector<Window>;
  REQUIRE(candidates_to_windows({100, 200}, 4) == W{{96, 104}, {196, 204}});
  REQUIRE(candidates_to_windows({2, 8}, 4) == W{{-2, 12}});
  REQUIRE(candidates_to_windows({2, 14}, 4) == W{{-2, 6}, {10, 18}});
  REQUIRE(candidates_to_windows({2, 10}, 4).size() == 1);
  REQUIRE(candidates_to_windows({2, 11}, 4).size() == 2);
}

TEST_CASE("window selection: the linear model (window_selector_test.py AlleleCountLinear)", "[realigner]") {
  WindowSelectorOptions o;
  o.use_window_selector_model = true;
  o.linear_model = {0.f, 0.f, -0.5f, 1.f, 1.f, -0.5f, 0.f};  // bias, soft clip, sub, ins, del, ref, boundary
  o.min_windows_distance = 4;
  o.min_allele_support = 1;
  ReferenceSpan ref{0, std::string(532, 'A'), 532};
  struct R {
    std::string bases, cigar;
  };
  auto positions = [&](const std::vector<R>& rs) {
    std::vector<std::unique_ptr<TestRead>> reads;
    std::vector<const bam1_t*> ptrs;
    for (std::size_t i = 0; i < rs.size(); ++i) {
      reads.push_back(std::make_unique<TestRead>(rs[i].bases, 10, rs[i].cigar,
                                                 std::vector<uint8_t>(rs[i].bases.size(), 64), 60,
                                                 "read" + std::to_string(i)));
      ptrs.push_back(reads.back()->b);
    }
    return window_candidate_positions(ptrs.data(), ptrs.size(), 0, 20, ref, o);
  };
  using P = std::vector<int64_t>;
  CHECK(positions({{"AAGA", "4M"}}).empty());
  CHECK(positions({{"AAGTA", "2M2I1M"}}) == P{10, 11, 12, 13});
  CHECK(positions({{"AAA", "2M2D1M"}}) == P{12, 13});
  CHECK(positions({{"TGATAC", "2S3M1S"}}).empty());
  CHECK(positions({{"AAGA", "2M1X1M"}}).empty());
  CHECK(positions({{"AAGA", "4M"}, {"AAAA", "4M"}}).empty());
  CHECK(positions({{"AAAA", "4M"}, {"AAA", "3M1D"}}) == P{13});
  CHECK(positions({{"AAGA", "4M"}, {"AAA", "3M1D"}}) == P{13});
  CHECK(positions({{"AAAA", "4M"}, {"AAAAT", "4M1I"}}) == P{13, 14});
  CHECK(positions({{"AAAT", "3M1S"}, {"AAAAT", "4M1I"}}) == P{13, 14});
}

TEST_CASE("a read's alignment replaced in place", "[realigner]") {
  TestRead r("ACGTACGTAC", 100, "2S8M", std::vector<uint8_t>(10, 30), 60, "r1");
  set_alignment(r.b, 98, {{'M', 3}, {'I', 2}, {'M', 5}});
  REQUIRE(r.b->core.pos == 98);
  REQUIRE(r.b->core.n_cigar == 3);
  REQUIRE(bam_endpos(r.b) == 106);
  REQUIRE(std::string(bam_get_qname(r.b)) == "r1");
  REQUIRE(seq_nt16_str[bam_seqi(bam_get_seq(r.b), 9)] == 'C');
  REQUIRE(bam_get_qual(r.b)[9] == 30);
}

namespace {

// nucleus Read protos as protobuf text (DeepVariant's realigner fixture): the fields the
// aligner reads and writes.
struct FixtureRead {
  std::string name;
  int64_t position = -1;
  std::vector<CigarUnit> cigar;
  std::string sequence;
};

std::vector<FixtureRead> read_fixture_reads(const std::string& path) {
  std::vector<FixtureRead> out;
  std::istringstream in(testutil::read_file(path));
  std::string line, block;
  std::vector<std::string> stack;
  FixtureRead r;
  std::string read_number = "0";
  auto value = [](const std::string& l) {
    std::string v = l.substr(l.find(':') + 1);
    v.erase(0, v.find_first_not_of(' '));
    if (!v.empty() && v.front() == '"') v = v.substr(1, v.size() - 2);
    return v;
  };
  auto finish = [&] {
    if (r.name.empty()) return;
    r.name += "/" + read_number;
    out.push_back(r);
    r = FixtureRead{};
    read_number = "0";
  };
  char op = 0;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(' ');
    if (b == std::string::npos) {
      finish();
      continue;
    }
    line = line.substr(b);
    if (line.back() == '{') {
      stack.push_back(line.substr(0, line.find(' ')));
      continue;
    }
    if (line == "}") {
      stack.pop_back();
      continue;
    }
    const std::string key = line.substr(0, line.find(':'));
    if (stack.empty() && key == "fragment_name") r.name = value(line);
    if (stack.empty() && key == "read_number") read_number = value(line);
    if (stack.empty() && key == "aligned_sequence") r.sequence = value(line);
    if (stack == std::vector<std::string>{"alignment", "position"} && key == "position") r.position = std::stoll(value(line));
    if (stack == std::vector<std::string>{"alignment", "cigar"}) {
      if (key == "operation") {
        const std::string o = value(line);
        op = o == "ALIGNMENT_MATCH" ? 'M' : o == "INSERT" ? 'I' : o == "DELETE" ? 'D' : o == "CLIP_SOFT" ? 'S' : 'H';
      } else if (key == "operation_length") {
        r.cigar.push_back({op, std::stoi(value(line))});
      }
    }
  }
  finish();
  return out;
}

}  // namespace

TEST_CASE("DeepVariant's realigner fixture: 102 reads realigned to two haplotypes", "[realigner][fixtures]") {
  const std::string dir = testutil::fixture("reads/dv-testdata/");
  std::string reference = testutil::read_file(dir + "reference.pbtxt");
  reference.erase(reference.find_last_not_of("\n ") + 1);
  std::vector<std::string> haplotypes;
  {
    std::istringstream in(testutil::read_file(dir + "haplotypes.pbtxt"));
    std::string h;
    while (std::getline(in, h))
      if (!h.empty()) haplotypes.push_back(h);
  }
  const auto reads = read_fixture_reads(dir + "reads.pbtxt");
  const auto expected = read_fixture_reads(dir + "realigned_reads.pbtxt");
  REQUIRE(reference.size() == 434);
  REQUIRE(haplotypes.size() == 2);
  REQUIRE(reads.size() == 102);
  REQUIRE(expected.size() == 102);
  std::map<std::string, const FixtureRead*> want;
  for (const auto& e : expected) want[e.name] = &e;
  std::vector<std::string> sequences;
  for (const auto& r : reads) sequences.push_back(r.sequence);

  for (const bool veto : {false, true}) {
    AlignerOptions o;  // the flag defaults
    o.read_size = 148;
    o.normalize_reads = !veto;  // the fixture predates the normalisation veto
    FastPassAligner f(o);
    f.set_reference(reference);
    f.set_haplotypes(haplotypes);
    f.set_region_start(38091533);
    const auto result = f.align_reads(sequences);
    int match = 0, changed = 0;
    std::vector<std::string> differ;
    for (std::size_t i = 0; i < reads.size(); ++i) {
      const int64_t pos = result[i].realigned ? result[i].position : reads[i].position;
      const auto& cigar = result[i].realigned ? result[i].cigar : reads[i].cigar;
      const FixtureRead& e = *want.at(reads[i].name);
      changed += e.position != reads[i].position || !(e.cigar == reads[i].cigar);
      if (pos == e.position && cigar == e.cigar) ++match;
      else differ.push_back(reads[i].name + " " + std::to_string(pos) + " " + cigar_text(cigar));
    }
    INFO("veto " << veto << ": " << (differ.empty() ? "" : differ[0]));
    REQUIRE(changed == 30);
    if (!veto) {
      REQUIRE(match == 102);
    } else {
      // With the veto (DeepVariant's default since the fixture was made) one read keeps its
      // 145M3S: its realigned 145M3I inserts a base equal to the reference base before it.
      REQUIRE(match == 101);
      REQUIRE(differ.size() == 1);
      REQUIRE(differ[0].find("2212:19230:14327") != std::string::npos);
      REQUIRE(differ[0].find("145M3S") != std::string::npos);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// DeepVariant's own test data: NA12878_S1.chr20.10_10p1mb.bam and ucsc.hg19.chr20.unittest.fasta.gz.
#include <htslib/faidx.h>

#include <cctype>
#include <set>

#include "smallcall/bam_input.hpp"

namespace {

const std::string kDvBam = "reads/dv-testdata/NA12878_S1.chr20.10_10p1mb.bam";
const std::string kDvFasta = "reads/dv-testdata/ucsc.hg19.chr20.unittest.fasta.gz";

// The reference of [from, to) on chr20, upper case.
std::string chr20(int64_t from, int64_t to) {
  faidx_t* fai = fai_load(testutil::fixture(kDvFasta).c_str());
  REQUIRE(fai);
  hts_pos_t len = 0;
  char* s = faidx_fetch_seq64(fai, "chr20", from, to - 1, &len);
  REQUIRE(s);
  std::string out(s, static_cast<std::size_t>(len));
  free(s);
  fai_destroy(fai);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Every read overlapping [begin, end), unfiltered, as nucleus' SamReader.query returns them
// in DeepVariant's tests.
struct RegionReads {
  std::vector<bam1_t*> reads;
  RegionReads(int64_t begin, int64_t end) {
    samFile* f = sam_open(testutil::fixture(kDvBam).c_str(), "r");
    REQUIRE(f);
    sam_hdr_t* h = sam_hdr_read(f);
    hts_idx_t* idx = sam_index_load(f, testutil::fixture(kDvBam).c_str());
    REQUIRE(idx);
    hts_itr_t* itr = sam_itr_queryi(idx, sam_hdr_name2tid(h, "chr20"), begin, end);
    bam1_t* b = bam_init1();
    while (sam_itr_next(f, itr, b) >= 0) {
      reads.push_back(b);
      b = bam_init1();
    }
    bam_destroy1(b);
    hts_itr_destroy(itr);
    hts_idx_destroy(idx);
    sam_hdr_destroy(h);
    sam_close(f);
  }
  ~RegionReads() {
    for (bam1_t* b : reads) bam_destroy1(b);
  }
};

constexpr int64_t kChr20Length = 63025520;

ReferenceSpan chr20_span(int64_t from, int64_t to) {
  ReferenceSpan s;
  s.offset = from;
  s.bases = chr20(from, to);
  s.contig_length = kChr20Length;
  return s;
}

std::vector<GraphRead> graph_reads(const RegionReads& r, std::vector<std::string>& sequences) {
  sequences.clear();
  sequences.reserve(r.reads.size());
  std::vector<GraphRead> out;
  for (const bam1_t* b : r.reads) {
    std::string s(static_cast<std::size_t>(b->core.l_qseq), 'N');
    for (int i = 0; i < b->core.l_qseq; ++i) s[static_cast<std::size_t>(i)] = seq_nt16_str[bam_seqi(bam_get_seq(b), i)];
    sequences.push_back(s);
    out.push_back({sequences.back(), bam_get_qual(b), b->core.qual});
  }
  return out;
}

}  // namespace

TEST_CASE("De Bruijn graph on DeepVariant's test regions (debruijn_graph_wrap_test.py)", "[realigner][fixtures]") {
  DeBruijnOptions o;  // dbg_options() of the test
  o.min_k = 12, o.max_k = 50, o.step_k = 2, o.min_mapq = 20, o.min_base_quality = 20, o.min_edge_weight = 2,
  o.max_num_paths = 10;
  std::vector<std::string> sequences;
  {
    // chr20:10,095,379-10,095,500: a heterozygous 9-bp deletion of a TGA repeat -> k 44, 2 haplotypes.
    const std::string ref = chr20(10095378, 10095500);
    RegionReads r(10095378, 10095500);
    REQUIRE(r.reads.size() > 20);
    const Assembly a = assemble_haplotypes(ref, graph_reads(r, sequences), o);
    REQUIRE(a.status == AssemblyStatus::kHaplotypes);
    CHECK(a.k == 44);
    CHECK(a.haplotypes.size() == 2);
    CHECK(std::count(a.haplotypes.begin(), a.haplotypes.end(), ref) == 1);
  }
  {
    // chr20:10,000,000-10,000,100 at k 30: only the reference.
    const std::string ref = chr20(9999999, 10000100);
    RegionReads r(9999999, 10000100);
    DeBruijnOptions k30 = o;
    k30.min_k = k30.max_k = 30, k30.step_k = 1;
    const Assembly a = assemble_haplotypes(ref, graph_reads(r, sequences), k30);
    REQUIRE(a.status == AssemblyStatus::kHaplotypes);
    CHECK(a.haplotypes == std::vector<std::string>{ref});
  }
  // test_ref_cycle_detector's real sequence, whose cycle is only in the last reference k-mer.
  const std::string real =
      "TGGTAAGTTTATAAGGTTATAAGCTGAGAGGTTTTGCTGATCTTGGCTGAGCTCAGCTGGGCAGGTC"
      "TTCCGGTCTTGGCTGGGGTTCACTGACACACAAGCAGCTGACAGTTGGCTGATCTAGGATGGCCTCA"
      "GCTGGG";
  DeBruijnOptions d;
  d.min_k = 1;
  CHECK(smallest_unique_k(real, d) == 11);
  for (int k = 6; k < 16; ++k) {
    DeBruijnOptions one = o;
    one.min_k = one.max_k = k, one.step_k = 1;
    INFO("k " << k);
    CHECK((assemble_haplotypes(real, {}, one).status == AssemblyStatus::kNoGraph) == (k < 11));
  }
}

namespace {

// realigner_test.py's RealignerTest: the linear window model (ws_use_window_selector_model),
// every other option at its flag default.
RealignerOptions linear_model() {
  RealignerOptions o;
  o.windows.use_window_selector_model = true;
  return o;
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

}  // namespace

TEST_CASE("the realigner on DeepVariant's test regions (realigner_test.py)", "[realigner][fixtures]") {
  const ReferenceSpan span = chr20_span(10040000, 10100000);
  SECTION("chr20:10,095,379-10,095,500: the 9-bp TGA-repeat deletion") {
    RegionReads r(10095378, 10095500);
    Realigner linear(linear_model());
    linear.realign(r.reads.data(), r.reads.size(), 10095378, 10095500, span);
    REQUIRE(!linear.windows().empty());
    const WindowReport& w = linear.windows()[0];
    CHECK(w.window == Window{10095351, 10095553});  // chr20:10,095,352-10,095,553
    CHECK(as_set(w.haplotypes) ==
          std::set<std::string>{
              "TAGTGATCTAGTCCTTTTTGTTGTGCAAAAGGAAGTGCTAAAATCAGAATGAGAACCATGGTCA"
              "CCTGACATAGACACAAGTGATGATGATGATGATGATGATGATGATGATGATGATATCCATGTTC"
              "AAGTACTAATTCTGGGCAAGACACTGTTCTAAGTGCTATGAATATATTACCTCATTTAATCATC"
              "T",
              "TAGTGATCTAGTCCTTTTTGTTGTGCAAAAGGAAGTGCTAAAATCAGAATGAGAACCATGGTCA"
              "CCTGACATAGACACAAGTGATGATGATGATGATGATGATGATGATGATGATGATGATGATGATA"
              "TCCATGTTCAAGTACTAATTCTGGGCAAGACACTGTTCTAAGTGCTATGAATATATTACCTCAT"
              "TTAATCATCT"});
  }
  SECTION("chr20:10,046,080-10,046,307: the 10-bp deletion, in every read spanning it") {
    RegionReads r(10046079, 10046307);
    const std::size_t n = r.reads.size();
    Realigner linear(linear_model());
    linear.realign(r.reads.data(), n, 10046079, 10046307, span);
    REQUIRE(!linear.windows().empty());
    const WindowReport& w = linear.windows()[0];
    CHECK(w.window == Window{10046095, 10046267});  // chr20:10,046,096-10,046,267
    CHECK(as_set(w.haplotypes) ==
          std::set<std::string>{
              "CCCAAAAAAAGAGTTAGGGATGCTGGAAAGGCAGAAAGAAAAGGGAAGGGAAGAGGAAGGGGAA"
              "AAGGAAAGAAAAAAAAGAAAGAAAGAAAGAGAAAGAAAGAGAAAGAGAAAGAAAGAGGAAAGAG"
              "AGAAAGAGAAAGAGAAGGAAAGAGAAAGAAAGAGAAGGAAAGAG",
              "CCCAAAAAAAGAGTTAGGGATGCTGGAAAGGCAGAAAGAAAAGGGAAGGGAAGAGGAAGGGGAA"
              "AAGGAAAGAAAAAAAAGAAAGAAAGAAAGAGAAAGAGAAAGAAAGAGGAAAGAGAGAAAGAGAA"
              "AGAGAAGGAAAGAGAAAGAAAGAGAAGGAAAGAG"});
    // test_realigner_example_variant: chr20:10,046,179-10,046,188 = [10046178, 10046188).
    int spanning = 0;
    for (const bam1_t* b : r.reads) {
      int64_t pos = b->core.pos;
      bool has = false;
      const uint32_t* c = bam_get_cigar(b);
      for (uint32_t i = 0; i < b->core.n_cigar; ++i) {
        const int op = bam_cigar_op(c[i]);
        const int64_t len = bam_cigar_oplen(c[i]);
        if (op == BAM_CDEL && pos == 10046178 && len == 10046188 - pos) has = true;
        if (bam_cigar_type(op) & 2) pos += len;
      }
      if (b->core.pos <= 10046178 && pos >= 10046188) {
        ++spanning;
        INFO(bam_get_qname(b));
        CHECK(has);
      }
    }
    CHECK(spanning > 10);
  }
  SECTION("test_realigner_diagnostics: the reads of chr20:10046178-10046188 assemble at k 25") {
    RegionReads r(10046177, 10046188);
    Realigner linear(linear_model());
    linear.realign(r.reads.data(), r.reads.size(), 10046177, 10046188, span);
    REQUIRE(linear.windows().size() == 1);  // realigner_metrics.csv has one row
    const WindowReport& w = linear.windows()[0];
    CHECK(w.window == Window{10046095, 10046267});  // "chr20:10046096-10046267"
    CHECK(w.k == 25);
    CHECK(w.haplotypes.size() == 2);
  }
  SECTION("the default VARIANT_READS selector on the same regions") {
    RegionReads a(10095378, 10095500), b(10046079, 10046307);
    Realigner variant_reads{RealignerOptions{}};
    variant_reads.realign(a.reads.data(), a.reads.size(), 10095378, 10095500, span);
    REQUIRE(!variant_reads.windows().empty());
    CHECK(variant_reads.windows()[0].window == Window{10095352, 10095553});
    variant_reads.realign(b.reads.data(), b.reads.size(), 10046079, 10046307, span);
    REQUIRE(!variant_reads.windows().empty());
    CHECK(variant_reads.windows()[0].window == Window{10046095, 10046286});
  }
}

TEST_CASE("the windows of each partition of chr20:10,000,000-10,010,000 (deepvariant-realigner.md 14.4)",
          "[realigner][fixtures]") {
  SourceOptions s;
  s.reads = testutil::fixture(kDvBam);
  s.ref = testutil::fixture(kDvFasta);
  s.regions = {"chr20:10,000,000-10,010,000"};
  BamPartitionReader reader(s);
  struct Expected {
    int64_t start, end;
    int k;
    std::size_t haplotypes;
  };
  // Windows as [start, end) with k and the number of haplotypes, from the spec's independent
  // transliteration of DeepVariant's realigner (the spec lists these four partitions).
  const std::map<int64_t, std::vector<Expected>> expected{
      {9999999, {{9999914, 10000290, 10, 8}, {10000358, 10000837, 11, 16}, {10000938, 10001098, 10, 2}}},
      {10000999, {{10000938, 10001098, 10, 2}, {10001217, 10001749, 10, 64}}},
      {10003999, {{10004013, 10004468, 20, 96}, {10004529, 10005089, 18, 48}}},
      {10007999,
       {{10007899, 10008300, 12, 16}, {10008377, 10008537, 10, 2}, {10008637, 10008838, 16, 4},
        {10008840, 10009042, 45, 3}}},
  };
  PartitionView view;
  std::string name;
  int partitions = 0, listed = 0;
  while (reader.next(view, name)) {
    ++partitions;
    INFO("partition " << view.begin);
    const auto it = expected.find(view.begin);
    if (it == expected.end()) continue;
    const std::vector<Expected>& want = it->second;
    const auto& got = reader.windows();
    ++listed;
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      CHECK(got[i].window == Window{want[i].start, want[i].end});
      CHECK(got[i].outcome == WindowOutcome::kAssembled);
      CHECK(got[i].k == want[i].k);
      CHECK(got[i].haplotypes.size() == want[i].haplotypes);
    }
    CHECK(view.guarded.empty());
  }
  CHECK(partitions == 11);  // [9999999, 10010000): the last one 1 bp
  CHECK(listed == 4);
  const ReadsCounters c = reader.counters();
  CHECK(c.reads_used == 5433);                 // "390 of 5,433 partition reads change alignment"
  CHECK(c.realigner.reads_realigned == 390);
}
