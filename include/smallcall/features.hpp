#pragma once
// `smallcall features`: DeepVariant's small-model rows computed from reads, to a file.
#include <string>

#include "smallcall/options.hpp"
#include "smallcall/reads_counters.hpp"

namespace smallcall {

// `smallcall features`: rows from reads to a TSV / TFRecord (/ sites VCF) file.
struct FeaturesStats {
  uint64_t rows = 0, candidates = 0, realignment_sensitive = 0;
  std::string sample_name;
  ReadsCounters reads;
  double seconds = 0;
  std::string output_path;
};
// Writes the rows and their sidecar (and the stats JSON), printing the summary line unless
// quiet. Throws UsageError (exit 2) or DataError (exit 1); on failure no output is left.
FeaturesStats run_features(const FeaturesOptions& options);
std::string features_summary_line(const FeaturesStats& stats);

}  // namespace smallcall
