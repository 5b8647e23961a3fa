#pragma once
// The confidence gate, exactly as DeepVariant's small model applies it. One gate for every
// command: `call` routes rows with it and `sweep` counts with it. (The GQ a VCF reports is
// postprocess_variants', postprocess.hpp.)
#include <cstddef>
#include <optional>

#include "smallcall/options.hpp"
#include "smallcall/row.hpp"

namespace smallcall {

// DeepVariant bounds the gate score at max p = 1 - 1e-7 (score <= 70;
// deepvariant/small_model/inference.py).
constexpr double kGateMaxProbability = 1.0 - 1e-7;
constexpr int kMaxGateScore = 70;

// -10 * log10(1 - min(p, bound)), in double (DeepVariant's ptrue_to_bounded_phred).
double bounded_phred(double p, double bound);

struct GateThresholds {
  int snp = 20;
  int indel = 28;
  bool call_multiallelics = true;
  // No realigner: a row flagged realignment_sensitive goes to the remainder whatever its GQ.
  bool realignment_sensitive_to_remainder = true;
};

// The thresholds when neither a flag nor the model sets them (DeepVariant's WGS values).
constexpr int kDefaultSnpGq = 20;
constexpr int kDefaultIndelGq = 28;

// The gate in force: each threshold from its flag, else the model's gate block, else the
// defaults; the switches from the flags.
GateThresholds gate_thresholds(const GateFlags& flags, const std::optional<int>& model_snp,
                               const std::optional<int>& model_indel);

enum class GateOutcome {
  kAccepted,
  kBelowThreshold,        // score < threshold
  kTypeDisabled,          // threshold < 0 (-1) for this row's variant type
  kMultiallelicDisabled,  // --small_model_call_multiallelics=false and the row is multi-allelic
  kRealignmentSensitive,  // the row's candidate needs the realigner
  kSubsetRejected,        // the row passed, but another alt subset of its candidate did not
  kIncompleteCandidate,   // every row passed, but the rows are not every alt subset of the
                          // candidate exactly once (postprocess_variants would refuse them)
};

struct GateDecision {
  GateOutcome outcome;
  double score;  // bounded phred of max(p): the gate score, compared unrounded
  int genotype;  // argmax: 0 hom_ref, 1 het, 2 hom_alt
};

// The row's decision on its own.
GateDecision gate_row(const float probabilities[3], const Row& row, const GateThresholds& t);
// The outcome for a row whose score is already known (the same rule as gate_row).
GateOutcome gate_outcome(double score, const Row& row, const GateThresholds& t);

// Whole candidates: the n decisions of one candidate's rows (its alt subsets, consecutive in
// the input) are accepted together or not at all. If any row is not accepted, every accepted
// row becomes kSubsetRejected: postprocess_variants needs every subset of a candidate from one
// source (the large model sees whole candidates). If all are, but the rows are not every
// subset once (`complete`, SubsetCheck), all become kIncompleteCandidate.
void route_candidate(GateDecision* decisions, std::size_t n, bool complete);

}  // namespace smallcall
