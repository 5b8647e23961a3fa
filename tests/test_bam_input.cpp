// Reservoir sampling draws: numpy RandomState(609314161).randint(0, i + 1), values printed
// by Debian's numpy 1.24 (see the comment per case).
#include <catch2/catch.hpp>

#include <vector>

#include "smallcall/bam_input.hpp"

using namespace smallcall;

TEST_CASE("numpy_randint reproduces RandomState.randint on MT19937") {
  // [int(r.randint(0, i + 1)) for i in [1500, 1501, 1502, 2000, 5000, 1 << 20, 3000000000, 7]]
  std::mt19937 rng(609314161);
  std::vector<uint32_t> got;
  for (uint64_t i : {1500ull, 1501ull, 1502ull, 2000ull, 5000ull, 1ull << 20, 3000000000ull, 7ull})
    got.push_back(numpy_randint(rng, i + 1));
  CHECK(got == std::vector<uint32_t>{661, 933, 1258, 618, 4472, 217184, 2313821909u, 2});
  // [int(r.randint(0, 2)) for _ in range(10)]
  std::mt19937 again(609314161);
  std::vector<uint32_t> bits;
  for (int i = 0; i < 10; ++i) bits.push_back(numpy_randint(again, 2));
  CHECK(bits == std::vector<uint32_t>{1, 1, 1, 1, 0, 0, 0, 1, 1, 0});
}
