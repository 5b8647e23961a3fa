#pragma once
// What a run reports: the summary line on stderr and the stats JSON.
#include <nlohmann/json.hpp>
#include <string>

#include "smallcall/call.hpp"
#include "smallcall/gate.hpp"

namespace smallcall {

// The one-line summary `call` prints on stderr. `options`: with the concrete shard paths.
std::string summary_line(const CallStats& stats, const CallOptions& options);

// Everything in the summary line and more (thresholds, GQ histogram, reasons, timings).
nlohmann::json stats_to_json(const CallStats& stats, const CallOptions& options, const GateThresholds& thresholds);

// The counts of rows computed from reads (`call --reads`, `features`).
nlohmann::json reads_to_json(const ReadsCounters& reads, uint64_t candidates, uint64_t realignment_sensitive);

}  // namespace smallcall
