#pragma once
#include <nlohmann/json.hpp>

#include "smallcall/call.hpp"

namespace smallcall {

// Everything in the summary line and more (GQ histogram, reasons, timings) as JSON.
nlohmann::json stats_to_json(const CallStats& stats, const CallOptions& options);

// The counts of rows computed from reads (`call --reads`, `features`).
nlohmann::json reads_to_json(const ReadsCounters& reads, uint64_t candidates, uint64_t realignment_sensitive);

}  // namespace smallcall
