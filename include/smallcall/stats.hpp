#pragma once
#include <nlohmann/json.hpp>

#include "smallcall/call.hpp"

namespace smallcall {

// Everything in the summary line and more (GQ histogram, reasons, timings) as JSON.
nlohmann::json stats_to_json(const CallStats& stats, const CallOptions& options);

}  // namespace smallcall
