#pragma once
// DeepVariant's sharded file specs: "name@N.suffix" means the N files
// "name-00000-of-0000N.suffix" ... (width max(5, digits of N)); the base is everything before
// the last '@'.
#include <optional>
#include <string>
#include <vector>

namespace smallcall {

struct ShardSpec {
  std::string base;
  long long num_shards = 0;
  std::string suffix;  // without the leading '.', may be empty
};

// nullopt for an ordinary path. Throws UsageError for a malformed "@N" (e.g. "@0", "@3x").
std::optional<ShardSpec> parse_shard_spec(const std::string& path);
std::string shard_path(const ShardSpec& spec, long long task);

struct ResolvedShards {
  long long num_shards = 0;  // 0 when nothing is sharded
  std::vector<std::string> paths;
};

// Resolves each path for `task`. Every sharded spec must have the same N and 0 <= task < N;
// when anything is sharded, every path other than "-" and "" must be sharded too (one
// process per shard must not share a file); with nothing sharded, task must be 0.
ResolvedShards resolve_shards(const std::vector<std::string>& paths, long long task);

}  // namespace smallcall
