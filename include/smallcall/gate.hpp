#pragma once
// The confidence gate, exactly as DeepVariant's small model applies it, and the GQ that
// DeepVariant's postprocess_variants reports for a call.
#include <array>

#include "smallcall/row.hpp"

namespace smallcall {

// DeepVariant bounds the gate score at max p = 1 - 1e-7 (score <= 70) and postprocess's GQ at
// p = 1 - 1e-15 (GQ <= 150).
constexpr double kGateMaxProbability = 1.0 - 1e-7;
constexpr double kGqMaxProbability = 1.0 - 1e-15;

// -10 * log10(1 - min(p, bound)), in double (DeepVariant's ptrue_to_bounded_phred).
double bounded_phred(double p, double bound);

struct GateThresholds {
  int snp = 20;
  int indel = 28;
  bool call_multiallelics = true;
};

enum class GateOutcome {
  kAccepted,
  kBelowThreshold,      // score < threshold
  kTypeDisabled,        // threshold < 0 (-1) for this row's variant type
  kMultiallelicDisabled, // --small_model_call_multiallelics=false and the row is multi-allelic
  kRealignmentSensitive  // set by the caller, not gate_row: the row's candidate needs the realigner
};

struct GateDecision {
  GateOutcome outcome;
  double score;  // bounded phred of max(p)
  int genotype;  // argmax: 0 hom_ref, 1 het, 2 hom_alt
  int gq;        // round(bounded_phred(p[genotype], 1 - 1e-15))
};

GateDecision gate_row(const float probabilities[3], bool is_snp, bool is_multiallelic, const GateThresholds& t);

}  // namespace smallcall
