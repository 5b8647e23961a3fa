#include "smallcall/gate.hpp"

#include <algorithm>
#include <cmath>

namespace smallcall {

double bounded_phred(double p, double bound) { return -10.0 * std::log10(1.0 - std::min(p, bound)); }

GateDecision gate_row(const float probabilities[3], bool is_snp, bool is_multiallelic, const GateThresholds& t) {
  int g = 0;  // first maximum, as numpy.argmax
  if (probabilities[1] > probabilities[g]) g = 1;
  if (probabilities[2] > probabilities[g]) g = 2;
  const double pmax = probabilities[g];
  GateDecision d;
  d.genotype = g;
  d.score = bounded_phred(pmax, kGateMaxProbability);
  // postprocess_variants rounds with numpy.around (half to even); nearbyint does the same.
  d.gq = static_cast<int>(std::nearbyint(bounded_phred(pmax, kGqMaxProbability)));
  const int threshold = is_snp ? t.snp : t.indel;
  if (is_multiallelic && !t.call_multiallelics) d.outcome = GateOutcome::kMultiallelicDisabled;
  else if (threshold < 0) d.outcome = GateOutcome::kTypeDisabled;
  else d.outcome = d.score >= threshold ? GateOutcome::kAccepted : GateOutcome::kBelowThreshold;
  return d;
}

}  // namespace smallcall
