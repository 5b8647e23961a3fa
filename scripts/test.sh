#!/usr/bin/env bash
# Installs missing dependencies, builds, and runs the whole test suite through ctest.
#   scripts/test.sh              Release build in build/
#   scripts/test.sh --sanitize   the same suite built with -fsanitize=address,undefined in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--sanitize" ]]; then
  shift
  scripts/deps.sh
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMALLCALL_SANITIZE=ON >&2
  cmake --build build-asan -j"$(nproc)" >&2
  cd build-asan
  # Leaks inside libgomp/oneDNN's JIT caches at exit are theirs, not ours: suppressed by name.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export LSAN_OPTIONS="suppressions=$PWD/../tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  exec ctest --output-on-failure -j"$(nproc)" "$@"
fi
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
