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
#include <optional>
#include <string>

#include "smallcall/gate.hpp"

namespace smallcall {

struct SweepOptions {
  std::string model_path, input;
  bool require_labels = false;
  int threads = 1;
  // The thresholds and switches `call` would use (each type's threshold is held at its value
  // while the other type's is swept).
  std::optional<int> snp_gq_threshold, indel_gq_threshold;
  bool call_multiallelics = true;
  bool realignment_sensitive_to_remainder = true;
  int64_t partition_size = 1000;
  std::string small_model_info;
};

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

// Writes the JSON (when json_path is set) and draws the PNG with scripts/plot_sweep.py (when
// plot_path is set; the script is found in $SMALLCALL_SCRIPTS, beside the binary's build
// directory, or in the source tree). Throws DataError when plotting fails.
void write_sweep_outputs(const SweepResult& r, const std::string& json_path, const std::string& plot_path);

}  // namespace smallcall
