#include "smallcall/gate.hpp"

#include <algorithm>
#include <cmath>

namespace smallcall {

double bounded_phred(double p, double bound) { return -10.0 * std::log10(1.0 - std::min(p, bound)); }

GateThresholds gate_thresholds(const GateFlags& flags, const std::optional<int>& model_snp,
                               const std::optional<int>& model_indel) {
  GateThresholds t;
  t.snp = flags.snp_gq_threshold ? *flags.snp_gq_threshold : model_snp ? *model_snp : kDefaultSnpGq;
  t.indel = flags.indel_gq_threshold ? *flags.indel_gq_threshold : model_indel ? *model_indel : kDefaultIndelGq;
  t.call_multiallelics = flags.call_multiallelics;
  t.realignment_sensitive_to_remainder = flags.realignment_sensitive_to_remainder;
  return t;
}

GateOutcome gate_outcome(double score, const Row& row, const GateThresholds& t) {
  if (row.realignment_sensitive && t.realignment_sensitive_to_remainder) return GateOutcome::kRealignmentSensitive;
  if (row.is_multiallelic && !t.call_multiallelics) return GateOutcome::kMultiallelicDisabled;
  const int threshold = row.is_snp ? t.snp : t.indel;
  if (threshold < 0) return GateOutcome::kTypeDisabled;
  return score >= threshold ? GateOutcome::kAccepted : GateOutcome::kBelowThreshold;
}

GateDecision gate_row(const float probabilities[3], const Row& row, const GateThresholds& t) {
  int g = 0;  // first maximum, as numpy.argmax
  if (probabilities[1] > probabilities[g]) g = 1;
  if (probabilities[2] > probabilities[g]) g = 2;
  const double pmax = probabilities[g];
  GateDecision d;
  d.genotype = g;
  d.score = bounded_phred(pmax, kGateMaxProbability);
  d.outcome = gate_outcome(d.score, row, t);
  return d;
}

void route_candidate(GateDecision* d, std::size_t n, bool complete) {
  const bool whole = std::all_of(d, d + n, [](const GateDecision& x) { return x.outcome == GateOutcome::kAccepted; });
  for (std::size_t i = 0; i < n; ++i)
    if (d[i].outcome == GateOutcome::kAccepted)
      d[i].outcome = !whole ? GateOutcome::kSubsetRejected : complete ? GateOutcome::kAccepted : GateOutcome::kIncompleteCandidate;
}

}  // namespace smallcall
