#pragma once
// Labelled candidate rows in DeepVariant's 70-feature WGS layout, seeded and deterministic.
#include <cstdint>
#include <string>

namespace smallcall {

struct SimulateOptions {
  std::string output;        // .tsv[.gz] or .tfrecord[.gz] (format by name, as `call`)
  uint64_t rows = 10000;     // exactly this many rows
  uint64_t seed = 1;
  std::string profile = "wgs";  // wgs: ~5 rows per region; longread: ~150, up to thousands
  uint64_t giant_region = 0;    // put this many rows in one region first
  double multiallelic_fraction = 0.05;
  double hom_ref_fraction = 0.3;  // candidates that are not real variants
  bool quiet = false;             // no summary line on stderr
};

struct SimulateStats {
  uint64_t rows = 0, candidates = 0, regions = 0;
  uint64_t by_class[3] = {0, 0, 0};
  double seconds = 0;
};

// Writes the rows (and their sidecar), printing the summary line unless quiet.
SimulateStats run_simulate(const SimulateOptions& options);

// The one-line summary printed on stderr.
std::string simulate_summary(const SimulateStats& s);

}  // namespace smallcall
