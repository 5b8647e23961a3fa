#include "smallcall/region_grouper.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "smallcall/error.hpp"

namespace smallcall {

RegionGrouper::RegionGrouper(RowReader& reader, std::size_t tile_rows, int64_t partition_size)
    : reader_(reader), tile_rows_(tile_rows), partition_size_(partition_size),
      use_region_column_(reader.has_region_column()) {
  if (partition_size_ < 1) throw UsageError("--partition_size must be at least 1");
  if (tile_rows_ < 1) throw UsageError("tile size must be at least 1 row");
}

bool RegionGrouper::same_region(const Row& a, const Row& b) const {
  if (use_region_column_) return a.region == b.region;
  return a.contig == b.contig && a.start / partition_size_ == b.start / partition_size_;
}

bool RegionGrouper::next(RowTile& tile) {
  const int width = tile.num_features;
  if (lookahead_.capacity == 0) lookahead_.reset(1, width);
  tile.size = 0;
  tile.starts_region = false;
  tile.ends_region = false;
  if (have_lookahead_) {
    // The row that ended the previous tile opens this one.
    swap(tile.rows[0], lookahead_.rows[0]);
    std::swap(tile.raw_records[0], lookahead_.raw_records[0]);
    std::memcpy(tile.row_features(0), lookahead_.row_features(0), sizeof(float) * width);
    have_lookahead_ = false;
    tile.size = 1;
    tile.starts_region = true;
  } else if (!exhausted_) {
    if (!reader_.next(tile.rows[0], tile.row_features(0), tile.raw_records[0])) exhausted_ = true;
    else {
      tile.size = 1;
      tile.starts_region = rows_ == 0 || !same_region(current_, tile.rows[0]);
    }
  }
  if (tile.size == 0) return false;
  ++rows_;
  if (tile.starts_region) {
    ++regions_;
    current_region_rows_ = 0;
    current_ = tile.rows[0];
  }
  ++current_region_rows_;
  while (tile.size < tile.capacity && tile.size < tile_rows_ && !exhausted_) {
    const std::size_t i = tile.size;
    if (!reader_.next(tile.rows[i], tile.row_features(i), tile.raw_records[i])) {
      exhausted_ = true;
      break;
    }
    if (!same_region(current_, tile.rows[i])) {
      swap(lookahead_.rows[0], tile.rows[i]);
      std::swap(lookahead_.raw_records[0], tile.raw_records[i]);
      std::memcpy(lookahead_.row_features(0), tile.row_features(i), sizeof(float) * width);
      have_lookahead_ = true;
      tile.ends_region = true;
      break;
    }
    ++tile.size;
    ++rows_;
    ++current_region_rows_;
  }
  // A full tile may be followed by more rows of the same region: the next call reads
  // them and continues the region (starts_region stays false; ends_region is not known).
  if (exhausted_) tile.ends_region = true;
  largest_region_rows_ = std::max(largest_region_rows_, current_region_rows_);
  tile.region_index = regions_ - 1;
  return true;
}

}  // namespace smallcall
