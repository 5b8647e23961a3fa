#pragma once
// Groups the reader's rows into regions and hands them out as tiles of at most
// `tile_rows` rows of one region. A region is a maximal run of consecutive rows with the
// same `region` value, or (without that column) the same contig and start / partition_size.
// Only one tile (plus one look-ahead row) is held at a time, so memory does not grow with
// the region size.
#include <cstdint>

#include "smallcall/row.hpp"
#include "smallcall/row_reader.hpp"

namespace smallcall {

class RegionGrouper {
 public:
  RegionGrouper(RowReader& reader, std::size_t tile_rows, int64_t partition_size);

  // Fills `tile` with the next rows of one region; false when the input is exhausted.
  bool next(RowTile& tile);

  uint64_t regions() const { return regions_; }
  uint64_t rows() const { return rows_; }
  uint64_t largest_region_rows() const { return largest_region_rows_; }

 private:
  bool same_region(const Row& a, const Row& b) const;

  RowReader& reader_;
  std::size_t tile_rows_;
  int64_t partition_size_;
  bool use_region_column_;
  RowTile lookahead_;         // one row read past the end of the previous tile
  bool have_lookahead_ = false;  // the look-ahead row always opens a new region
  bool exhausted_ = false;
  Row current_;       // identifies the region being emitted
  uint64_t regions_ = 0;
  uint64_t rows_ = 0;
  uint64_t current_region_rows_ = 0;
  uint64_t largest_region_rows_ = 0;
};

}  // namespace smallcall
