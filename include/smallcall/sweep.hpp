#pragma once
// `smallcall sweep`: for GQ thresholds 0..70, SNPs and indels apart, the fraction of rows the
// gate accepts and, with labels, the genotype agreement among them.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace smallcall {

struct SweepOptions {
  std::string model_path, input;
  bool require_labels = false;
  int threads = 1;
};

struct SweepResult {
  static constexpr int kMaxGq = 70;  // the gate's cap
  // [type][bin]: rows whose floor(score) is bin (0..70); type 0 SNP, 1 indel.
  std::array<std::array<uint64_t, kMaxGq + 1>, 2> rows{}, labelled{}, correct{};
  uint64_t total_rows = 0, labelled_rows = 0;
  // Rows accepted at threshold t: score >= t  <=>  floor(score) >= t for integer t.
  uint64_t accepted(int type, int t, const std::array<std::array<uint64_t, kMaxGq + 1>, 2>& counts) const;
};

SweepResult run_sweep(const SweepOptions& options);
nlohmann::json sweep_to_json(const SweepResult& r);
std::string sweep_table(const SweepResult& r);

// Writes the JSON (when json_path is set) and draws the PNG with scripts/plot_sweep.py (when
// plot_path is set; the script is found in $SMALLCALL_SCRIPTS, beside the binary's build
// directory, or in the source tree). Throws DataError when plotting fails.
void write_sweep_outputs(const SweepResult& r, const std::string& json_path, const std::string& plot_path);

}  // namespace smallcall
