#include "smallcall/shards.hpp"

#include <cctype>
#include <cstdio>

#include "smallcall/error.hpp"

namespace smallcall {

std::optional<ShardSpec> parse_shard_spec(const std::string& path) {
  const std::size_t at = path.rfind('@');
  if (at == std::string::npos || at + 1 >= path.size() || !std::isdigit(static_cast<unsigned char>(path[at + 1])))
    return std::nullopt;
  std::size_t i = at + 1;
  while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i]))) ++i;
  const std::string digits = path.substr(at + 1, i - at - 1);
  ShardSpec spec;
  spec.base = path.substr(0, at);
  if (i < path.size()) {
    if (path[i] != '.' || i + 1 == path.size())
      throw UsageError("bad sharded file spec \"" + path + "\": expected NAME@N or NAME@N.SUFFIX");
    spec.suffix = path.substr(i + 1);
  }
  if (digits.find_first_not_of('0') == std::string::npos)
    throw UsageError("bad sharded file spec \"" + path + "\": the shard count must be at least 1");
  if (digits.size() > 9) throw UsageError("bad sharded file spec \"" + path + "\": too many shards");
  spec.num_shards = std::stoll(digits);
  if (spec.base.empty()) throw UsageError("bad sharded file spec \"" + path + "\": no file name before '@'");
  return spec;
}

std::string shard_path(const ShardSpec& spec, long long task) {
  const int width = std::max<int>(5, static_cast<int>(std::to_string(spec.num_shards).size()));
  char buf[64];
  std::snprintf(buf, sizeof buf, "-%0*lld-of-%0*lld", width, task, width, spec.num_shards);
  return spec.base + buf + (spec.suffix.empty() ? "" : "." + spec.suffix);
}

ResolvedShards resolve_shards(const std::vector<std::string>& paths, long long task) {
  if (task < 0) throw UsageError("--task must be >= 0");
  ResolvedShards r;
  std::vector<std::optional<ShardSpec>> specs;
  std::string first;
  for (const auto& p : paths) {
    specs.push_back(p.empty() || p == "-" ? std::nullopt : parse_shard_spec(p));
    if (!specs.back()) continue;
    if (r.num_shards == 0) {
      r.num_shards = specs.back()->num_shards;
      first = p;
    } else if (specs.back()->num_shards != r.num_shards) {
      throw UsageError("sharded specs disagree: \"" + first + "\" has " + std::to_string(r.num_shards) +
                       " shards, \"" + p + "\" has " + std::to_string(specs.back()->num_shards));
    }
  }
  if (r.num_shards == 0) {
    if (task != 0) throw UsageError("--task " + std::to_string(task) + " needs sharded paths (NAME@N)");
    r.paths = paths;
    return r;
  }
  if (task >= r.num_shards)
    throw UsageError("--task " + std::to_string(task) + " is out of range for " + std::to_string(r.num_shards) +
                     " shards (0.." + std::to_string(r.num_shards - 1) + ")");
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (paths[i].empty() || paths[i] == "-") {
      r.paths.push_back(paths[i]);
    } else if (!specs[i]) {
      throw UsageError("\"" + paths[i] + "\" is not sharded but \"" + first +
                       "\" is: with @N specs every file must be sharded");
    } else {
      r.paths.push_back(shard_path(*specs[i], task));
    }
  }
  return r;
}

}  // namespace smallcall
