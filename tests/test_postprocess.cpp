// postprocess_variants' numbers on DeepVariant's own data: the CVOs of r1.9's
// deepvariant/testdata/golden.postprocess_single_site_input (probabilities, AD, DP, VAF
// copied here) and the records r1.9 wrote for them in golden.postprocess_single_site_output.vcf.
// The full comparison on real rows and crafted calls is postprocess_check.py.
#include <catch2/catch.hpp>
#include <cmath>

#include "smallcall/haplotypes.hpp"
#include "smallcall/postprocess.hpp"

using namespace smallcall;

namespace {

CandidateVariant candidate(int64_t start, int64_t end, const std::string& ref, std::vector<std::string> alts,
                           int64_t dp, std::vector<int64_t> ad, std::vector<double> vaf) {
  CandidateVariant c;
  c.start = start;
  c.end = end;
  c.ref = ref;
  c.alts = std::move(alts);
  c.depth = dp;
  c.allele_depths = std::move(ad);
  c.vaf = std::move(vaf);
  return c;
}

PostprocessOptions r19() {
  PostprocessOptions o;
  o.multiallelic_mode = MultiallelicMode::kMin;
  return o;
}

}  // namespace

TEST_CASE("biallelic calls as DeepVariant 1.9 wrote them", "[postprocess]") {
  // chr20:10000117 C>T  37.6 PASS  0/1:36:55:25,30:0.545455:37,0,42
  VcfCall c = postprocess_call(candidate(10000116, 10000117, "C", {"T"}, 55, {25, 30}, {0.5454545454545454}),
                               {{{0}, {0.00017409620340913534, 0.9997729659080505, 5.2928899094695225e-05}}}, r19());
  REQUIRE(c.gt[0] == 0);
  REQUIRE(c.gt[1] == 1);
  REQUIRE(c.gq == 36);
  REQUIRE(vcf_qual(c.qual) == Approx(37.6).margin(1e-9));
  REQUIRE(std::string(c.filter) == "PASS");
  REQUIRE(phred_likelihoods(c.gl) == std::vector<int32_t>{37, 0, 42});  // truncated: rounding gives 38
  REQUIRE(c.allele_depths == std::vector<int64_t>{25, 30});
  REQUIRE(c.depth == 55);

  // chr20:10000439 T>G  45.8 PASS  1/1:43:72:0,72:1:45,46,0
  c = postprocess_call(candidate(10000438, 10000439, "T", {"G"}, 72, {0, 72}, {1.0}),
                       {{{0}, {2.6325400540372357e-05, 2.312660035386216e-05, 0.9999505281448364}}}, r19());
  REQUIRE((c.gt[0] == 1 && c.gt[1] == 1 && c.gq == 43));
  REQUIRE(vcf_qual(c.qual) == Approx(45.8).margin(1e-9));
  REQUIRE(phred_likelihoods(c.gl) == std::vector<int32_t>{45, 46, 0});

  // chr20:10001019 T>G  2.8  ./.:3:44:31,13:0.295455:0,0,19 — a RefCall with GQ 3 < 20 loses
  // its GT. r1.9 kept FILTER RefCall; r1.10 (and smallcall) write NoCall.
  c = postprocess_call(candidate(10001018, 10001019, "T", {"G"}, 44, {31, 13}, {0.29545454545454547}),
                       {{{0}, {0.5270445346832275, 0.46703964471817017, 0.005915820598602295}}}, r19());
  REQUIRE((c.gt[0] == -1 && c.gt[1] == -1 && c.gq == 3));
  REQUIRE(vcf_qual(c.qual) == Approx(2.8).margin(1e-9));
  REQUIRE(std::string(c.filter) == "NoCall");
  REQUIRE(phred_likelihoods(c.gl) == std::vector<int32_t>{0, 0, 19});
}

TEST_CASE("multi-allelic sites merged as DeepVariant 1.9 did (min)", "[postprocess]") {
  // chr20:10002458 G>GTT,GTTT  29.7 PASS  1/2:7:53:3,27,15:0.509434,0.283019:28,26,7,26,0,15
  const CandidateVariant g = candidate(10002457, 10002458, "G", {"GTT", "GTTT"}, 53, {3, 27, 15},
                                       {0.5094339622641509, 0.2830188679245283});
  const std::vector<SubsetProbabilities> subsets{
      {{0}, {0.05393660068511963, 0.7627443075180054, 0.183319091796875}},
      {{1}, {0.3471650183200836, 0.6218832731246948, 0.030951738357543945}},
      {{0, 1}, {0.0012917518615722656, 0.0022054417058825493, 0.9965028166770935}}};
  VcfCall c = postprocess_call(g, subsets, r19());
  REQUIRE(c.alts == std::vector<std::string>{"GTT", "GTTT"});
  REQUIRE((c.gt[0] == 1 && c.gt[1] == 2 && c.gq == 7));
  REQUIRE(vcf_qual(c.qual) == Approx(29.7).margin(1e-9));
  REQUIRE(phred_likelihoods(c.gl) == std::vector<int32_t>{28, 26, 7, 26, 0, 15});
  REQUIRE(c.allele_depths == std::vector<int64_t>{3, 27, 15});
  // Any order of the subsets: postprocess sorts them first.
  const VcfCall reordered = postprocess_call(g, {subsets[2], subsets[0], subsets[1]}, r19());
  REQUIRE(reordered.gl == c.gl);
  // r1.10's product mode gives another distribution from the same CVOs.
  const VcfCall product = postprocess_call(g, subsets, PostprocessOptions{});
  REQUIRE(product.gl != c.gl);

  // chr20:10008952 CACACACACACA>C,CCACACACACA  39.7  1/2:23:...:39,32,34,32,0,24
  c = postprocess_call(candidate(10008951, 10008963, "CACACACACACA", {"C", "CCACACACACA"}, 42, {1, 15, 25},
                                 {0.35714285714285715, 0.5952380952380952}),
                       {{{0}, {0.03973018378019333, 0.9599336385726929, 0.0003361701965332031}},
                        {{1}, {0.002077043056488037, 0.9944857358932495, 0.0034372275695204735}},
                        {{0, 1}, {0.00010651350021362305, 0.0005822399980388582, 0.9993112683296204}}},
                       r19());
  REQUIRE((c.gt[0] == 1 && c.gt[1] == 2 && c.gq == 23));
  REQUIRE(vcf_qual(c.qual) == Approx(39.7).margin(1e-9));
  REQUIRE(phred_likelihoods(c.gl) == std::vector<int32_t>{39, 32, 34, 32, 0, 24});
}

TEST_CASE("pruned alts, simplified alleles, missing AD", "[postprocess]") {
  // The deletion's own QUAL is below 1: it goes, and CAA/TAA simplifies to C/T.
  const VcfCall c = postprocess_call(candidate(99, 102, "CAA", {"C", "TAA"}, 30, {10, 1, 19}, {}),
                                     {{{0}, {0.97, 0.02, 0.01}}, {{1}, {0.01, 0.6, 0.39}}, {{0, 1}, {0.02, 0.6, 0.38}}},
                                     PostprocessOptions{});
  REQUIRE(c.ref == "C");
  REQUIRE(c.alts == std::vector<std::string>{"T"});
  REQUIRE(c.end == 100);
  REQUIRE(c.allele_depths == std::vector<int64_t>{10, 19});
  REQUIRE(c.gl.size() == 3);

  // Without AD the call is ./. NoCall with GQ 0 and PL 0,0 (uncall_gt_if_no_ad).
  const VcfCall n = postprocess_call(candidate(5, 6, "A", {"G"}, -1, {}, {}), {{{0}, {0.01, 0.98, 0.01}}},
                                     PostprocessOptions{});
  REQUIRE((n.gt[0] == -1 && n.gq == 0 && std::string(n.filter) == "NoCall"));
  REQUIRE(phred_likelihoods(n.gl) == std::vector<int32_t>{0, 0});

  // Subsets that are not every singleton and pair once are refused.
  REQUIRE_THROWS_AS(postprocess_call(candidate(5, 6, "A", {"G", "T"}, 9, {3, 3, 3}, {}), {{{0}, {0.1, 0.8, 0.1}}},
                                     PostprocessOptions{}),
                    std::invalid_argument);
  std::vector<std::string> alts{"ATT", "AT"};
  std::string ref = "ATTT";
  simplify_alleles(ref, alts);
  REQUIRE(ref == "ATT");  // one common T (the shortest allele keeps a base)
  REQUIRE(alts == std::vector<std::string>{"AT", "A"});
  ref = "CACA";
  alts = {"CA"};
  simplify_alleles(ref, alts);  // never to an empty allele
  REQUIRE(ref == "CAC");
  REQUIRE(alts == std::vector<std::string>{"C"});
}

TEST_CASE("overlapping calls resolved as deepvariant/haplotypes.py's example", "[postprocess]") {
  // A het deletion (0.01, 0.9, 0.09) over a hom-alt SNP (0.02, 0.48, 0.5): three alt alleles at
  // one position. The most likely compatible configuration is het/het, and the marginals agree:
  // about (0.022, 0.974, 0.004) and (0.043, 0.946, 0.011).
  auto call = [](int64_t start, int64_t end, int g0, int g1, std::vector<double> p) {
    VcfCall c;
    c.start = start;
    c.end = end;
    c.alts = {"X"};
    c.gt[0] = g0;
    c.gt[1] = g1;
    for (double x : p) c.gl.push_back(std::log10(x));
    return c;
  };
  const auto out = resolve_overlapping_calls({call(100, 105, 0, 1, {0.01, 0.9, 0.09}),
                                             call(102, 103, 1, 1, {0.02, 0.48, 0.5})});
  REQUIRE(out.size() == 2);
  REQUIRE((out[0].gt[0] == 0 && out[0].gt[1] == 1 && out[1].gt[0] == 0 && out[1].gt[1] == 1));
  REQUIRE(std::pow(10, out[0].gl[1]) == Approx(0.974).margin(0.001));
  REQUIRE(std::pow(10, out[1].gl[1]) == Approx(0.946).margin(0.001));
  REQUIRE(std::pow(10, out[1].gl[0]) == Approx(0.043).margin(0.001));
  // Compatible calls are left alone.
  const auto same = resolve_overlapping_calls({call(100, 105, 0, 1, {0.01, 0.9, 0.09}),
                                              call(102, 103, 0, 1, {0.02, 0.9, 0.08})});
  REQUIRE(same[1].gl[1] == std::log10(0.9));
}
