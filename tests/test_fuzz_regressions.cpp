// Replays every input under tests/fuzz/regressions/<target>/ (inputs that once crashed a
// fuzzer, plus hand-made edge cases) through the fuzzed entry points, in the normal build and
// the sanitizer build.
#include <dirent.h>

#include <catch2/catch.hpp>

#include "fuzz/fuzz_targets.hpp"
#include "test_util.hpp"

namespace {
std::size_t replay(const std::string& target, int (*fn)(const uint8_t*, std::size_t)) {
  const std::string dir = testutil::source_dir() + "/tests/fuzz/regressions/" + target;
  std::size_t n = 0;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      const std::string bytes = testutil::read_file(dir + "/" + e->d_name);
      INFO(target << ": " << e->d_name);
      REQUIRE(fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) == 0);
      ++n;
    }
    ::closedir(d);
  }
  return n;
}
}  // namespace

TEST_CASE("fuzz regression inputs are handled as data errors", "[fuzz]") {
  std::size_t n = 0;
  n += replay("tfrecord", fuzz::tfrecord);
  n += replay("example", fuzz::example);
  n += replay("variant", fuzz::variant);
  n += replay("tsv", fuzz::tsv);
  n += replay("model", fuzz::model);
  n += replay("reads", fuzz::reads);
  n += replay("nested", fuzz::nested);
  n += replay("cvo", fuzz::cvo);
  n += replay("sidecar", fuzz::sidecar);
  REQUIRE(n > 0);
}
