#pragma once
// Tiles of one region each, from the input to the outputs: read and grouped (RegionGrouper),
// computed by the caller (next() -> the forward pass -> done()), then finished (gate, route,
// write) in input order by the `finish` callback.
//
// Threaded: reading runs on one thread a few tiles ahead, finishing on another a few tiles
// behind, so the caller's thread does only the forward pass (one process per machine).
// Inline (--io_threads 0): reading happens inside next() and finishing inside done(), all on
// the caller's thread: no handoffs and no second core, for one shard per core.
//
// Tiles change hands in batches: each side takes every tile waiting for it under one lock
// and hands its tiles on a batch at a time. The caller never wakes anyone (the finisher
// looks for work on its own every 200 us) and is woken as soon as a tile is ready for it;
// the reader is woken for a whole batch of free tiles. WGS regions average ~5 rows, and a
// lock and a futex wake per tile cost ~2 % of the forward pass's thread.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "smallcall/region_grouper.hpp"
#include "smallcall/row.hpp"
#include "smallcall/row_reader.hpp"

namespace smallcall {

class TilePipeline {
 public:
  using Finish = std::function<void(RowTile&)>;
  TilePipeline(RowReader& reader, std::size_t tile_rows, int64_t partition_size, int num_features, bool threaded,
               Finish finish, std::size_t depth = 32);
  ~TilePipeline();  // stops both threads; tiles not finished are dropped (an error is on its way)
  TilePipeline(const TilePipeline&) = delete;
  TilePipeline& operator=(const TilePipeline&) = delete;

  // The next tile to compute, or nullptr at the end of the input. Rethrows the reader's error
  // (after the tiles read before it) and the finisher's.
  RowTile* next();
  // Hands a computed tile on to be finished; tiles are finished in the order they came out.
  void done(RowTile* tile);
  // Once next() returned nullptr: waits until every tile is finished; rethrows the finisher's error.
  void finish_all();

  // Valid after finish_all().
  const RegionGrouper& grouper() const { return grouper_; }
  double fraction_consumed() const { return fraction_.load(std::memory_order_relaxed); }
  bool threaded() const { return threaded_; }

 private:
  bool read_one(RowTile& tile);  // grouper_.next plus the progress fraction
  void read_loop();
  void finish_loop();
  void rethrow_finish_error();  // under the lock
  void hand_over_computed();    // under the lock: the caller's computed tiles to the finisher

  RowReader& reader_;
  RegionGrouper grouper_;
  const bool threaded_;
  Finish finish_;
  std::vector<RowTile> tiles_;
  std::size_t batch_;  // tiles a waiting side is woken for
  std::deque<RowTile*> free_, ready_, computed_;  // shared, under mutex_
  std::deque<RowTile*> caller_ready_;              // taken by the caller, not yet handed out
  std::vector<RowTile*> caller_computed_;          // computed, not yet handed to the finisher
  bool read_done_ = false, compute_done_ = false, stop_ = false;
  bool reader_waiting_ = false, caller_waiting_ = false, finisher_waiting_ = false;
  std::exception_ptr read_error_, finish_error_;
  std::mutex mutex_;
  std::condition_variable reader_cv_, caller_cv_, finisher_cv_;
  std::atomic<double> fraction_{-1};
  std::thread reader_thread_, finisher_thread_;
};

}  // namespace smallcall
