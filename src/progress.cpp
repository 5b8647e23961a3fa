#include "smallcall/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace smallcall {

Progress::Progress(bool wanted, const TilePipeline& input)
    : enabled_(wanted && ::isatty(STDERR_FILENO)), input_(input), start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::maybe_print(uint64_t rows, uint64_t regions) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fraction = input_.fraction_consumed();
  char percent[16] = "";
  if (fraction >= 0) std::snprintf(percent, sizeof percent, "%5.1f%%  ", 100 * fraction);
  std::fprintf(stderr, "\r%s%llu rows, %llu regions, %.0f rows/s, %.1f s   ", percent,
               static_cast<unsigned long long>(rows), static_cast<unsigned long long>(regions),
               elapsed > 0 ? rows / elapsed : 0.0, elapsed);
  printed_ = true;
}

void Progress::finish() {
  if (printed_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace smallcall
