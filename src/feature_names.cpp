#include "smallcall/feature_names.hpp"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "smallcall/error.hpp"
#include "smallcall/feature_encoder.hpp"

namespace smallcall {

namespace {
constexpr const char* kSuffix = ".small_model_info.json";

bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}
}  // namespace

std::string sidecar_path(const std::string& rows_path) { return rows_path + kSuffix; }

std::optional<std::string> find_sidecar(const std::string& rows_path) {
  if (rows_path == "-") return std::nullopt;
  std::vector<std::string> candidates{sidecar_path(rows_path)};
  // A shard "NAME-<i>-of-<n>[.SUFFIX]" (after the last '/'): shard 0, then the "@n" spec.
  const std::size_t slash = rows_path.rfind('/');
  const std::size_t of = rows_path.rfind("-of-");
  if (of != std::string::npos && (slash == std::string::npos || of > slash)) {
    std::size_t i_begin = of;
    while (i_begin > 0 && std::isdigit(static_cast<unsigned char>(rows_path[i_begin - 1]))) --i_begin;
    std::size_t n_end = of + 4;
    while (n_end < rows_path.size() && std::isdigit(static_cast<unsigned char>(rows_path[n_end]))) ++n_end;
    if (i_begin < of && i_begin > 0 && rows_path[i_begin - 1] == '-' && n_end > of + 4 &&
        (n_end == rows_path.size() || rows_path[n_end] == '.')) {
      const std::string base = rows_path.substr(0, i_begin - 1);
      const std::string rest = rows_path.substr(n_end);
      const std::string n = rows_path.substr(of + 4, n_end - of - 4);
      candidates.push_back(sidecar_path(base + "-" + std::string(of - i_begin, '0') + "-of-" + n + rest));
      candidates.push_back(sidecar_path(base + "@" + std::to_string(std::stoll(n)) + rest));
    }
  }
  for (const auto& c : candidates)
    if (is_file(c)) return c;
  return std::nullopt;
}

std::vector<std::string> parse_sidecar(const std::string& text, const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("model_features") || !j["model_features"].is_array())
    throw DataError(path + ": no \"model_features\" list of feature names");
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  for (const auto& v : j["model_features"]) {
    if (!v.is_string() || v.get<std::string>().empty())
      throw DataError(path + ": model_features entry " + std::to_string(names.size()) + " is not a feature name");
    if (!seen.insert(v.get<std::string>()).second)
      throw DataError(path + ": feature \"" + v.get<std::string>() + "\" is named twice");
    names.push_back(v.get<std::string>());
  }
  if (names.empty()) throw DataError(path + ": model_features is empty");
  if (j.contains("shape")) {
    const auto& shape = j["shape"];
    if (!shape.is_number_integer() || shape.get<long long>() != static_cast<long long>(names.size()))
      throw DataError(path + ": shape " + shape.dump() + " does not match the " + std::to_string(names.size()) +
                      " names of model_features");
  }
  return names;
}

std::vector<std::string> read_sidecar(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_sidecar(text.str(), path);
}

std::string sidecar_json(const std::vector<std::string>& names) {
  nlohmann::ordered_json j;
  j["version"] = std::string("smallcall ") + SMALLCALL_VERSION;
  j["shape"] = names.size();
  j["model_features"] = names;
  j["config"] = nlohmann::ordered_json::object();
  return j.dump(2) + "\n";
}

std::vector<std::string> deepvariant_feature_names(std::size_t width) {
  const std::size_t fixed = static_cast<std::size_t>(kBaseFeatures + kVariantFeatures);
  if (width == fixed) return wgs_feature_names(0);
  if (width < fixed || (width - fixed) % 2 == 0) return {};
  return wgs_feature_names(static_cast<int>(width - fixed));
}

std::vector<int> match_features(const std::vector<std::string>& model_features,
                                const std::vector<std::string>& row_names, const std::string& names_source) {
  std::unordered_map<std::string, int> at;
  for (std::size_t i = 0; i < row_names.size(); ++i) at.emplace(row_names[i], static_cast<int>(i));
  std::vector<int> out;
  for (const auto& f : model_features) {
    auto it = at.find(f);
    if (it == at.end())
      throw DataError(names_source + ": the rows have no feature \"" + f + "\", which the model needs");
    out.push_back(it->second);
  }
  return out;
}

}  // namespace smallcall
