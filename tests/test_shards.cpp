// DeepVariant's NAME@N sharded specs.
#include <catch2/catch.hpp>

#include "smallcall/error.hpp"
#include "smallcall/shards.hpp"

using namespace smallcall;

TEST_CASE("specs expand exactly as DeepVariant's sharded_file_utils", "[shards]") {
  auto spec = parse_shard_spec("make_examples.tfrecord@16.gz");
  REQUIRE(spec);
  REQUIRE(spec->base == "make_examples.tfrecord");
  REQUIRE(spec->num_shards == 16);
  REQUIRE(shard_path(*spec, 3) == "make_examples.tfrecord-00003-of-00016.gz");
  REQUIRE(shard_path(*parse_shard_spec("foo@200.txt"), 0) == "foo-00000-of-00200.txt");
  REQUIRE(shard_path(*parse_shard_spec("dir/x@123456"), 7) == "dir/x-000007-of-123456");
  REQUIRE(shard_path(*parse_shard_spec("a@b@4"), 1) == "a@b-00001-of-00004");  // the last '@'
  REQUIRE_FALSE(parse_shard_spec("plain.tsv"));
  REQUIRE_FALSE(parse_shard_spec("user@host.tsv"));
  REQUIRE_THROWS_AS(parse_shard_spec("x@0.gz"), UsageError);
  REQUIRE_THROWS_AS(parse_shard_spec("x@00"), UsageError);
  REQUIRE_THROWS_AS(parse_shard_spec("x@4x"), UsageError);
  REQUIRE_THROWS_AS(parse_shard_spec("@4"), UsageError);
}

TEST_CASE("resolving paths for a task", "[shards]") {
  const auto r = resolve_shards({"in@4.tfrecord.gz", "acc@4.tfrecord.gz", "-", ""}, 2);
  REQUIRE(r.num_shards == 4);
  REQUIRE(r.paths == std::vector<std::string>{"in-00002-of-00004.tfrecord.gz", "acc-00002-of-00004.tfrecord.gz", "-", ""});
  const auto plain = resolve_shards({"in.tsv", "a.tsv"}, 0);
  REQUIRE(plain.num_shards == 0);
  REQUIRE(plain.paths == std::vector<std::string>{"in.tsv", "a.tsv"});
  REQUIRE_THROWS_WITH(resolve_shards({"in@4", "a@3"}, 0), Catch::Contains("disagree"));
  REQUIRE_THROWS_WITH(resolve_shards({"in@4", "a@4"}, 4), Catch::Contains("out of range"));
  REQUIRE_THROWS_WITH(resolve_shards({"in@4", "a@4"}, -1), Catch::Contains(">= 0"));
  REQUIRE_THROWS_WITH(resolve_shards({"in.tsv", "a.tsv"}, 1), Catch::Contains("needs sharded paths"));
  REQUIRE_THROWS_WITH(resolve_shards({"in@4", "a.tsv"}, 0), Catch::Contains("not sharded"));
}
