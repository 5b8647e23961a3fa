#pragma once
// A progress line on stderr when it is a terminal: rows, regions, rows/s, elapsed, and the
// percentage when the input's size is known. At most four updates a second; nothing when
// stderr is not a TTY or with --quiet.
#include <chrono>
#include <cstdint>

#include "smallcall/tile_pipeline.hpp"

namespace smallcall {

class Progress {
 public:
  Progress(bool wanted, const TilePipeline& input);
  void update(uint64_t rows, uint64_t regions) {
    if (enabled_ && ++calls_ % 8 == 0) maybe_print(rows, regions);
  }
  void finish();  // clears the line

 private:
  void maybe_print(uint64_t rows, uint64_t regions);
  bool enabled_;
  const TilePipeline& input_;
  uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
  bool printed_ = false;
};

}  // namespace smallcall
