#pragma once
// Real third-party files live outside the repository: ../shared/fixtures beside the project,
// or $SMALLCALL_FIXTURES. CMake registers the [fixtures] tests only when the folder exists
// (otherwise ctest shows one skipped test), so here a missing file is a failure.
#include <cstdlib>
#include <string>

#include "test_util.hpp"

namespace testutil {
inline std::string fixtures_dir() {
  if (const char* env = std::getenv("SMALLCALL_FIXTURES")) return env;
  return source_dir() + "/../shared/fixtures";
}
inline std::string fixture(const std::string& name) { return fixtures_dir() + "/" + name; }
}  // namespace testutil
