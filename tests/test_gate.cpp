// The gate: DeepVariant's bounded phred of max(p), SNP/indel thresholds, -1, multi-allelics.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "smallcall/gate.hpp"

using namespace smallcall;

namespace {
Row row(bool snp, bool multi = false, bool realign = false) {
  Row row;
  row.is_snp = snp;
  row.is_multiallelic = multi;
  row.realignment_sensitive = realign;
  return row;
}
GateDecision decide(float pmax, bool snp, int snp_t, int indel_t, bool multi = false, bool call_multi = true,
                    bool realign = false, bool guard = true) {
  const float rest = (1.f - pmax) / 2.f;
  const float p[3] = {rest, pmax, rest};
  return gate_row(p, row(snp, multi, realign), GateThresholds{snp_t, indel_t, call_multi, guard});
}
}  // namespace

TEST_CASE("the max probability DeepVariant's gate needs per GQ", "[gate]") {
  // GQ -> the max probability needed (rounded to 5 decimals in the table, so the true
  // boundary is within 5e-6 of it).
  const std::pair<int, double> table[] = {{9, 0.87411},  {15, 0.96838}, {16, 0.97488}, {17, 0.98005},
                                          {20, 0.99},    {25, 0.99684}, {28, 0.99842}, {30, 0.999}};
  for (const auto& [gq, p] : table) {
    INFO("GQ " << gq << " p " << p);
    REQUIRE(decide(static_cast<float>(p + 1e-5), true, gq, 99).outcome == GateOutcome::kAccepted);
    REQUIRE(decide(static_cast<float>(p - 1e-5), true, gq, 99).outcome == GateOutcome::kBelowThreshold);
    REQUIRE(decide(static_cast<float>(p + 1e-5), false, 99, gq).outcome == GateOutcome::kAccepted);
    REQUIRE(decide(static_cast<float>(p - 1e-5), false, 99, gq).outcome == GateOutcome::kBelowThreshold);
  }
}

TEST_CASE("exact float32 boundary at GQ 20", "[gate]") {
  // float32(0.99) = 0.990000009537; 1 - that < 0.01 exactly, so its score is just above 20.
  const float at = 0.99f;
  REQUIRE(static_cast<double>(at) > 0.99);
  REQUIRE(decide(at, true, 20, 28).outcome == GateOutcome::kAccepted);
  // The next float32 below is 0.98999995: score just below 20.
  const float below = std::nextafter(at, 0.f);
  REQUIRE(static_cast<double>(below) < 0.99);
  REQUIRE(decide(below, true, 20, 28).outcome == GateOutcome::kBelowThreshold);
}

TEST_CASE("score is capped at 70 by the 1 - 1e-7 bound, GQ at 150", "[gate]") {
  const GateDecision d = decide(1.0f, true, 70, 70);
  REQUIRE(d.score == Approx(70.0).margin(1e-6));
  REQUIRE(d.outcome == GateOutcome::kAccepted);
  REQUIRE(decide(1.0f, true, 71, 71).outcome == GateOutcome::kBelowThreshold);
  REQUIRE(d.gq == 150);  // round(-10 log10(1 - (1 - 1e-15))) = round(149.5...) = 150
  REQUIRE(bounded_phred(0.5, kGqMaxProbability) == Approx(3.0103).margin(1e-4));
}

TEST_CASE("GQ is postprocess_variants' rounded phred of p[argmax]", "[gate]") {
  const float p[3] = {0.001f, 0.99f, 0.009f};
  const GateDecision d = gate_row(p, row(true), GateThresholds{});
  REQUIRE(d.genotype == 1);
  REQUIRE(d.gq == 20);
  const float q[3] = {0.05f, 0.15f, 0.8f};  // -10 log10(0.2) = 6.99 -> 7
  REQUIRE(gate_row(q, row(true), GateThresholds{}).gq == 7);
  REQUIRE(gate_row(q, row(true), GateThresholds{}).genotype == 2);
}

TEST_CASE("argmax takes the first maximum, as numpy", "[gate]") {
  const float p[3] = {0.4f, 0.4f, 0.2f};
  REQUIRE(gate_row(p, row(true), GateThresholds{}).genotype == 0);
  const float q[3] = {0.2f, 0.4f, 0.4f};
  REQUIRE(gate_row(q, row(true), GateThresholds{}).genotype == 1);
}

TEST_CASE("SNP rows use the SNP threshold, indel rows the indel threshold", "[gate]") {
  const float p = 0.995f;  // score 23.0
  REQUIRE(decide(p, true, 20, 28).outcome == GateOutcome::kAccepted);
  REQUIRE(decide(p, false, 20, 28).outcome == GateOutcome::kBelowThreshold);
  REQUIRE(decide(p, false, 28, 20).outcome == GateOutcome::kAccepted);
  REQUIRE(decide(p, true, 28, 20).outcome == GateOutcome::kBelowThreshold);
  REQUIRE(decide(p, true, 0, 0).outcome == GateOutcome::kAccepted);  // 0: everything of that type
}

TEST_CASE("a threshold of -1 disables a variant type: every such row goes to the remainder", "[gate]") {
  REQUIRE(decide(1.0f, true, -1, 28).outcome == GateOutcome::kTypeDisabled);
  REQUIRE(decide(1.0f, false, -1, 28).outcome == GateOutcome::kAccepted);
  REQUIRE(decide(1.0f, false, 20, -1).outcome == GateOutcome::kTypeDisabled);
  REQUIRE(decide(1.0f, true, 20, -1).outcome == GateOutcome::kAccepted);
  // Multi-allelic rows of a disabled type are not let through either.
  REQUIRE(decide(1.0f, true, -1, 28, true).outcome == GateOutcome::kTypeDisabled);
}

TEST_CASE("multi-allelic switch", "[gate]") {
  REQUIRE(decide(1.0f, true, 20, 28, true, true).outcome == GateOutcome::kAccepted);
  REQUIRE(decide(1.0f, true, 20, 28, true, false).outcome == GateOutcome::kMultiallelicDisabled);
  REQUIRE(decide(1.0f, true, 20, 28, false, false).outcome == GateOutcome::kAccepted);
}

TEST_CASE("is_snp of an alt subset", "[gate]") {
  using V = std::vector<std::string>;
  REQUIRE(subset_is_snp("A", V{"G"}));
  REQUIRE(subset_is_snp("A", V{"G", "T"}));
  REQUIRE_FALSE(subset_is_snp("A", V{"GT"}));
  REQUIRE_FALSE(subset_is_snp("AT", V{"G"}));
  REQUIRE_FALSE(subset_is_snp("A", V{"G", "TT"}));
  REQUIRE_FALSE(subset_is_snp("A", V{}));
  REQUIRE_FALSE(subset_is_snp("A", V{"G", ""}));
}

TEST_CASE("a subset's alts split from and join to A|AC", "[gate]") {
  Row row;
  split_alts("A|AC", row.alts);
  REQUIRE(row.alts == std::vector<std::string>{"A", "AC"});
  REQUIRE(joined_alts(row) == "A|AC");
  split_alts("G", row.alts);
  REQUIRE(row.alts == std::vector<std::string>{"G"});
  split_alts("G|", row.alts);
  REQUIRE(row.alts == std::vector<std::string>{"G", ""});
}

TEST_CASE("the realignment guard is an input of the gate", "[gate]") {
  REQUIRE(decide(1.0f, true, 20, 28, false, true, true).outcome == GateOutcome::kRealignmentSensitive);
  REQUIRE(decide(1.0f, true, 20, 28, false, true, true, false).outcome == GateOutcome::kAccepted);
  // It wins over every other reason, as the stats count it.
  REQUIRE(decide(1.0f, true, -1, 28, true, false, true).outcome == GateOutcome::kRealignmentSensitive);
  REQUIRE(gate_outcome(70.0, row(true, false, true), GateThresholds{}) == GateOutcome::kRealignmentSensitive);
}

TEST_CASE("a candidate's rows are accepted together or not at all", "[gate]") {
  auto d = [](GateOutcome o) { return GateDecision{o, 0, 0, 0}; };
  std::vector<GateDecision> all{d(GateOutcome::kAccepted), d(GateOutcome::kAccepted), d(GateOutcome::kAccepted)};
  route_candidate(all.data(), all.size());
  for (const auto& x : all) REQUIRE(x.outcome == GateOutcome::kAccepted);
  std::vector<GateDecision> one_fails{d(GateOutcome::kAccepted), d(GateOutcome::kBelowThreshold),
                                      d(GateOutcome::kAccepted)};
  route_candidate(one_fails.data(), one_fails.size());
  REQUIRE(one_fails[0].outcome == GateOutcome::kSubsetRejected);
  REQUIRE(one_fails[1].outcome == GateOutcome::kBelowThreshold);  // its own reason stays
  REQUIRE(one_fails[2].outcome == GateOutcome::kSubsetRejected);
  std::vector<GateDecision> single{d(GateOutcome::kTypeDisabled)};
  route_candidate(single.data(), 1);
  REQUIRE(single[0].outcome == GateOutcome::kTypeDisabled);
}

TEST_CASE("rows of one candidate share contig, start and ref", "[gate]") {
  Row a, b;
  a.contig = b.contig = "chr1";
  a.start = b.start = 100;
  a.ref = b.ref = "A";
  a.alts = {"G"};
  b.alts = {"G", "T"};
  REQUIRE(same_candidate(a, b));
  b.start = 101;
  REQUIRE_FALSE(same_candidate(a, b));
  b.start = 100;
  b.ref = "AT";
  REQUIRE_FALSE(same_candidate(a, b));
}
