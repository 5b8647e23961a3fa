// The feature encoder against DeepVariant's own unit-test vectors
// (make_small_model_examples_test.py in deepvariant/small_model/).
#include <catch2/catch.hpp>

#include <vector>

#include "smallcall/feature_encoder.hpp"

using namespace smallcall;

namespace {
struct TestRead {
  int mq, bq;
  bool reverse;
  int phase;
};
// DeepVariant's het SNP: read_1..3 support ref, read_4..6 alt.
const std::vector<TestRead> kRefReads = {{60, 30, false, 1}, {20, 35, true, 2}, {40, 25, true, 0}};
const std::vector<TestRead> kAltReads = {{60, 50, false, 1}, {30, 60, false, 1}, {60, 40, false, 2}};

ReadSupportTotals totals(const std::vector<TestRead>& reads, int phase = -1) {
  ReadSupportTotals t;
  for (const auto& r : reads)
    if (phase < 0 || r.phase == phase) t.add(r.mq, r.bq, r.reverse);
  return t;
}
}  // namespace

TEST_CASE("het SNP: DeepVariant's 24-value vector with a 5-wide context") {
  Candidate c;
  c.start = 5000;
  c.ref = "A";
  c.alts = {"C"};
  c.ref_support = totals(kRefReads);
  c.alt_support = {totals(kAltReads)};
  // allele_frequency_at_position {4997:0, 4998:0, 4999:50, 5000:87, 5001:30, 5002:40}, W = 5.
  c.vaf_context = {0, 50, 87, 30, 40};
  std::vector<int64_t> f(12 + 7 + 5);
  encode_wgs_features(c, {0}, f.data());
  CHECK(f == std::vector<int64_t>{3, 3, 6, 6, 50, 50, 40, 50, 30, 50, 66, 0, 1, 0, 0, 0, 0, 0, 0, 0, 50, 87, 30, 40});
}

TEST_CASE("haplotype blocks: base features over one haplotype's reads, total depth of all") {
  const std::vector<std::vector<int64_t>> expected = {{1, 0, 1, 6, 0, 0, 40, 0, 25, 0, 100, 0},
                                                      {1, 2, 3, 6, 33, 66, 60, 45, 30, 55, 0, 0},
                                                      {1, 1, 2, 6, 16, 50, 20, 60, 35, 40, 100, 0}};
  for (int hp = 0; hp < 3; ++hp) {
    std::vector<int64_t> f(12);
    encode_base_features(totals(kRefReads, hp), totals(kAltReads, hp), 6, f.data());
    CHECK(f == expected[static_cast<std::size_t>(hp)]);
  }
}

TEST_CASE("multi-allelic insertion A->AC,ACC,ACCC: subset (0,1)") {
  Candidate c;
  c.start = 100;
  c.ref = "A";
  c.alts = {"AC", "ACC", "ACCC"};
  for (int i = 0; i < 3; ++i) c.ref_support.add(60, 30, false);
  c.alt_support.resize(3);
  for (int i = 0; i < 3; ++i) c.alt_support[0].add(60, 30, false);
  c.alt_support[1].add(60, 30, false);
  for (int i = 0; i < 2; ++i) c.alt_support[2].add(60, 30, false);
  c.vaf_context.assign(51, 0);
  std::vector<int64_t> f(70);
  encode_wgs_features(c, {0, 1}, f.data());
  CHECK(f[2] == 7);   // alt_indices_depth
  CHECK(f[3] == 9);   // total_depth
  CHECK(f[5] == 57);  // alt_indices_variant_allele_frequency
  CHECK(f[12] == 0);  // is_snp
  CHECK(f[13] == 1);  // is_insertion
  CHECK(f[15] == 2);  // insertion_length
  CHECK(f[17] == 1);  // is_multiallelic
  CHECK(f[18] == 1);  // is_multiple_alt_alleles
}

TEST_CASE("variant features of a deletion subset and a mixed pair") {
  std::vector<int64_t> f(7);
  encode_variant_features("ACT", {"A", "AC", "GCT"}, {0}, f.data());
  CHECK(f == std::vector<int64_t>{0, 0, 1, 0, 2, 1, 0});
  encode_variant_features("ACT", {"A", "AC", "GCT"}, {0, 2}, f.data());
  CHECK(f == std::vector<int64_t>{0, 0, 0, 0, 2, 1, 1});
}

TEST_CASE("feature names: 70 for the default window, DeepVariant's order") {
  const auto names = wgs_feature_names();
  REQUIRE(names.size() == 70);
  CHECK(names[0] == "num_reads_supports_ref");
  CHECK(names[18] == "is_multiple_alt_alleles");
  CHECK(names[19] == "variant_allele_frequency_at_minus_25");
  CHECK(names[44] == "variant_allele_frequency_at_plus_0");
  CHECK(names[69] == "variant_allele_frequency_at_plus_25");
  CHECK(wgs_feature_names(5).size() == 24);
}
