#pragma once
// `smallcall sweep`: for GQ thresholds 0..70, SNPs and indels apart, the rows the gate accepts
// and, with labels, the genotype agreement among them. It routes rows exactly as `call` does
// (gate.hpp: the realignment guard, the multi-allelic switch, disabled types, whole
// candidates): the SNP column at threshold t counts the SNP rows `call` would accept with
// --small_model_snp_gq_threshold=t and the indel threshold it would use (flag, model, 28),
// and the indel column the same the other way round.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "smallcall/gate.hpp"
#include "smallcall/options.hpp"

namespace smallcall {

struct SweepResult {
  static constexpr int kMaxGq = 70;  // the gate's cap
  // [type][t]: rows of that type (0 SNP, 1 indel) accepted when that type's threshold is t,
  // those of them with a label, and those whose argmax genotype equals the label.
  std::array<std::array<uint64_t, kMaxGq + 1>, 2> accepted{}, labelled{}, correct{};
  std::array<uint64_t, 2> rows{};
  uint64_t total_rows = 0, labelled_rows = 0;
  GateThresholds held;  // the thresholds in force for the type not being swept
};

SweepResult run_sweep(const SweepOptions& options);
nlohmann::json sweep_to_json(const SweepResult& r);
std::string sweep_table(const SweepResult& r);

// Writes the JSON (options.json) and draws the PNG (options.plot) with plot_sweep.py, found
// beside the binary (see sweep.cpp). Throws DataError when plotting fails.
void write_sweep_outputs(const SweepResult& r, const SweepOptions& options);

}  // namespace smallcall
