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

TEST_CASE("score is capped at 70 by the 1 - 1e-7 bound", "[gate]") {
  const GateDecision d = decide(1.0f, true, 70, 70);
  REQUIRE(d.score == Approx(70.0).margin(1e-6));
  REQUIRE(static_cast<int>(d.score) == kMaxGateScore);  // the histogram's last bin
  REQUIRE(d.outcome == GateOutcome::kAccepted);
  REQUIRE(decide(1.0f, true, 71, 71).outcome == GateOutcome::kBelowThreshold);
  REQUIRE(bounded_phred(0.5, kGateMaxProbability) == Approx(3.0103).margin(1e-4));
}

TEST_CASE("the score is the unrounded phred of p[argmax]", "[gate]") {
  const float q[3] = {0.05f, 0.15f, 0.8f};  // -10 log10(0.2) = 6.9897, not rounded to 7
  const GateDecision d = gate_row(q, row(true), GateThresholds{});
  REQUIRE(d.genotype == 2);
  REQUIRE(d.score == Approx(-10 * std::log10(1 - static_cast<double>(0.8f))).epsilon(1e-12));
  REQUIRE(d.score < 7);
  REQUIRE(gate_outcome(d.score, row(true), GateThresholds{7, 7, true, true}) == GateOutcome::kBelowThreshold);
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
  auto d = [](GateOutcome o) { return GateDecision{o, 0, 0}; };
  std::vector<GateDecision> all{d(GateOutcome::kAccepted), d(GateOutcome::kAccepted), d(GateOutcome::kAccepted)};
  route_candidate(all.data(), all.size(), true);
  for (const auto& x : all) REQUIRE(x.outcome == GateOutcome::kAccepted);
  std::vector<GateDecision> one_fails{d(GateOutcome::kAccepted), d(GateOutcome::kBelowThreshold),
                                      d(GateOutcome::kAccepted)};
  route_candidate(one_fails.data(), one_fails.size(), true);
  REQUIRE(one_fails[0].outcome == GateOutcome::kSubsetRejected);
  REQUIRE(one_fails[1].outcome == GateOutcome::kBelowThreshold);  // its own reason stays
  REQUIRE(one_fails[2].outcome == GateOutcome::kSubsetRejected);
  std::vector<GateDecision> single{d(GateOutcome::kTypeDisabled)};
  route_candidate(single.data(), 1, true);
  REQUIRE(single[0].outcome == GateOutcome::kTypeDisabled);
  // All pass, but the rows are not every subset once: none is accepted.
  std::vector<GateDecision> incomplete{d(GateOutcome::kAccepted), d(GateOutcome::kAccepted)};
  route_candidate(incomplete.data(), 2, false);
  for (const auto& x : incomplete) REQUIRE(x.outcome == GateOutcome::kIncompleteCandidate);
}

TEST_CASE("a candidate's rows must be every singleton and pair of its alts, once", "[gate]") {
  auto rows_of = [](std::vector<std::vector<std::string>> subsets) {
    std::vector<Row> rows;
    for (auto& s : subsets) {
      Row r;
      r.contig = "chr1";
      r.start = 10;
      r.ref = "A";
      r.alts = s;
      rows.push_back(r);
    }
    return rows;
  };
  auto complete = [](const std::vector<Row>& rows) {
    SubsetCheck c;
    c.clear();
    for (const auto& r : rows) c.add(r);
    const bool answer = c.complete();
    if (rows.size() == 1) REQUIRE(SubsetCheck::complete_alone(rows[0]) == answer);
    return answer;
  };
  REQUIRE(complete(rows_of({{"G"}})));
  REQUIRE_FALSE(complete(rows_of({{"G", "T"}})));
  {
    Row r = rows_of({{"G"}})[0];
    r.has_candidate = true;
    r.candidate.alts = {"G", "T"};  // one row of a two-alt candidate
    r.alt_indices = {0};
    REQUIRE_FALSE(complete({r}));
    r.candidate.alts = {"G"};
    REQUIRE(complete({r}));
    r.alt_indices = {1};
    REQUIRE_FALSE(complete({r}));
  }
  REQUIRE(complete(rows_of({{"G"}, {"T"}, {"G", "T"}})));
  REQUIRE(complete(rows_of({{"G"}, {"T"}, {"C"}, {"G", "T"}, {"G", "C"}, {"T", "C"}})));
  REQUIRE(complete(rows_of({{"G"}, {"G", "T"}, {"T"}})));  // any order
  REQUIRE_FALSE(complete(rows_of({{"G"}, {"T"}})));        // the pair is missing
  REQUIRE_FALSE(complete(rows_of({{"G", "T"}})));          // singletons missing
  REQUIRE_FALSE(complete(rows_of({{"G"}, {"G"}})));        // a duplicate
  REQUIRE_FALSE(complete(rows_of({{"G"}, {"T"}, {"G", "T"}, {"G", "T"}})));
  REQUIRE_FALSE(complete(rows_of({{"G"}, {"T"}, {"C"}, {"G", "T", "C"}})));  // a triple is not a subset DV makes
  // With the candidate: its alt count and indices decide; every row the same Variant.
  std::vector<Row> rows = rows_of({{"G"}, {"T"}});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].has_candidate = true;
    rows[i].candidate.alts = {"G", "T"};
    rows[i].candidate.variant_proto = "v";
    rows[i].alt_indices = {static_cast<int>(i)};
  }
  REQUIRE_FALSE(complete(rows));  // the pair [0, 1] is missing
  Row pair = rows[0];
  pair.alts = {"G", "T"};
  pair.alt_indices = {0, 1};
  rows.push_back(pair);
  REQUIRE(complete(rows));
  rows[2].candidate.allele_depths = {3, 4, 5};
  REQUIRE_FALSE(complete(rows));  // another Variant: postprocess would refuse the group
  rows[2].candidate.allele_depths.clear();
  REQUIRE(complete(rows));
  rows[2].end = 99;
  REQUIRE_FALSE(complete(rows));  // another end: another group in postprocess
  // Reused between candidates.
  SubsetCheck c;
  c.clear();
  c.add(rows_of({{"G"}})[0]);
  REQUIRE(c.complete());
  c.clear();
  c.add(rows_of({{"G", "T"}})[0]);
  REQUIRE_FALSE(c.complete());
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
