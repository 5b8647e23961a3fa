#pragma once
// JSON text to nlohmann::json, fast for model files: a DeepVariant-shape model is 13 MB of
// numbers, which nlohmann's lexer (a byte at a time into a buffer, then strtod) takes 0.2 s
// to read. parse_json_plain() reads the plain subset every model writer produces (ASCII
// strings without escapes, numbers, nesting under 64 levels) with std::from_chars, building
// the same values nlohmann builds; on anything else it declines, and parse_json() hands the
// text to nlohmann, whose results and errors stay the reference.
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace smallcall {

// The value nlohmann::json::parse(text) returns, or nullopt when the text is outside the
// plain subset (then nothing is promised: it may be valid JSON or not).
std::optional<nlohmann::json> parse_json_plain(std::string_view text);

// parse_json_plain(text), else nlohmann::json::parse(text) (which throws on invalid JSON).
nlohmann::json parse_json(std::string_view text);

}  // namespace smallcall
