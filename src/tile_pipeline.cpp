#include "smallcall/tile_pipeline.hpp"

#include <algorithm>
#include <chrono>

#include "smallcall/error.hpp"

namespace smallcall {

// The reader waits only when it holds no tiles, for a batch of B free tiles; the caller,
// holding none, for any ready tile; the finisher, holding none, for B computed tiles or at
// most 200 us. With D tiles, reader and caller can wait at once only if every tile is free
// (fewer than B: impossible for B = D / 4) or computed, which the finisher's timed look ends.
TilePipeline::TilePipeline(RowReader& reader, std::size_t tile_rows, int64_t partition_size, int num_features,
                           bool threaded, Finish finish, std::size_t depth)
    : reader_(reader), grouper_(reader, tile_rows, partition_size), threaded_(threaded), finish_(std::move(finish)),
      tiles_(std::max<std::size_t>(depth, 1)), batch_(std::max<std::size_t>(tiles_.size() / 4, 1)) {
  for (auto& t : tiles_) {
    t.reset(tile_rows, num_features);
    free_.push_back(&t);
  }
  caller_computed_.reserve(tiles_.size());
  if (!threaded_) return;
  reader_thread_ = std::thread([this] { read_loop(); });
  try {
    finisher_thread_ = std::thread([this] { finish_loop(); });
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    reader_cv_.notify_all();
    reader_thread_.join();
    throw;
  }
}

TilePipeline::~TilePipeline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  reader_cv_.notify_all();
  caller_cv_.notify_all();
  finisher_cv_.notify_all();
  if (reader_thread_.joinable()) reader_thread_.join();
  if (finisher_thread_.joinable()) finisher_thread_.join();
}

bool TilePipeline::read_one(RowTile& tile) {
  const bool got = grouper_.next(tile);
  fraction_.store(reader_.fraction_consumed(), std::memory_order_relaxed);
  return got;
}

void TilePipeline::read_loop() {
  std::vector<RowTile*> empty, filled;  // this thread's
  empty.reserve(tiles_.size());
  filled.reserve(tiles_.size());
  bool got = true;
  std::exception_ptr error;
  while (got) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Publish what was filled and give back what was not, then take every free tile.
      ready_.insert(ready_.end(), filled.begin(), filled.end());
      filled.clear();
      free_.insert(free_.end(), empty.begin(), empty.end());
      empty.clear();
      if (caller_waiting_ && !ready_.empty()) caller_cv_.notify_one();
      if (free_.empty() && !stop_) {
        reader_waiting_ = true;
        reader_cv_.wait(lock, [this] { return stop_ || free_.size() >= batch_; });
        reader_waiting_ = false;
      }
      if (stop_) return;
      empty.assign(free_.begin(), free_.end());
      free_.clear();
    }
    // Fill a batch at most before publishing it: the caller may be waiting for it.
    while (!empty.empty() && filled.size() < batch_) {
      RowTile* tile = empty.back();
      empty.pop_back();
      try {
        got = read_one(*tile);
      } catch (...) {
        error = std::current_exception();
        got = false;
      }
      if (!got) {
        empty.push_back(tile);
        break;
      }
      filled.push_back(tile);
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ready_.insert(ready_.end(), filled.begin(), filled.end());
  free_.insert(free_.end(), empty.begin(), empty.end());
  read_error_ = error;
  read_done_ = true;
  if (caller_waiting_) caller_cv_.notify_one();
}

void TilePipeline::finish_loop() {
  std::vector<RowTile*> mine;  // this thread's
  mine.reserve(tiles_.size());
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (stop_) return;
    if (computed_.empty()) {
      if (compute_done_) return;
      // Looks again on its own every 200 us: the caller, whose thread is the one that
      // matters, wakes it only when half the tiles are waiting (a futex wake costs the waker
      // microseconds on a VM).
      finisher_waiting_ = true;
      finisher_cv_.wait_for(lock, std::chrono::microseconds(200),
                            [this] { return stop_ || compute_done_ || computed_.size() >= batch_; });
      finisher_waiting_ = false;
      continue;
    }
    mine.assign(computed_.begin(), computed_.end());
    computed_.clear();
    const bool failed_before = finish_error_ != nullptr;  // then tiles are only recycled
    lock.unlock();
    std::exception_ptr error;
    if (!failed_before) {
      try {
        for (RowTile* tile : mine) finish_(*tile);
      } catch (...) {
        error = std::current_exception();
      }
    }
    lock.lock();
    if (error) {
      finish_error_ = error;
      if (caller_waiting_) caller_cv_.notify_one();
    }
    free_.insert(free_.end(), mine.begin(), mine.end());
    if (reader_waiting_ && free_.size() >= batch_) reader_cv_.notify_one();
  }
}

void TilePipeline::rethrow_finish_error() {
  if (finish_error_) std::rethrow_exception(finish_error_);
}

void TilePipeline::hand_over_computed() {
  computed_.insert(computed_.end(), caller_computed_.begin(), caller_computed_.end());
  caller_computed_.clear();
  if (finisher_waiting_ && computed_.size() >= tiles_.size() / 2) finisher_cv_.notify_one();
}

RowTile* TilePipeline::next() {
  if (!threaded_) {
    if (free_.empty()) throw Error(kExitDataError, "internal error: TilePipeline::next() without done()");
    RowTile* tile = free_.front();
    if (!read_one(*tile)) return nullptr;
    free_.pop_front();
    return tile;
  }
  if (caller_ready_.empty()) {
    std::unique_lock<std::mutex> lock(mutex_);
    rethrow_finish_error();
    hand_over_computed();  // before waiting: the reader may need them back as free tiles
    if (ready_.empty() && !read_done_) {
      caller_waiting_ = true;
      // Woken for the first tiles the reader publishes: the forward pass is what must not wait.
      caller_cv_.wait(lock, [this] { return !ready_.empty() || read_done_ || finish_error_; });
      caller_waiting_ = false;
      rethrow_finish_error();
    }
    caller_ready_.insert(caller_ready_.end(), ready_.begin(), ready_.end());
    ready_.clear();
    if (caller_ready_.empty()) {
      if (read_error_) std::rethrow_exception(read_error_);
      return nullptr;
    }
  }
  RowTile* tile = caller_ready_.front();
  caller_ready_.pop_front();
  return tile;
}

void TilePipeline::done(RowTile* tile) {
  if (!threaded_) {
    free_.push_back(tile);  // first: the tile is free again whatever finish_ throws
    finish_(*tile);
    return;
  }
  caller_computed_.push_back(tile);
  if (caller_computed_.size() < batch_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  rethrow_finish_error();
  hand_over_computed();
}

void TilePipeline::finish_all() {
  if (!threaded_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    hand_over_computed();
    compute_done_ = true;
  }
  finisher_cv_.notify_one();
  finisher_thread_.join();
  reader_thread_.join();  // it has stopped: next() returned nullptr
  std::lock_guard<std::mutex> lock(mutex_);
  rethrow_finish_error();
}

}  // namespace smallcall
