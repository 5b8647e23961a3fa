// Region grouping: consecutive runs, partition bins, region column, tiles inside a region;
// the tile pipeline that runs the grouper, the caller's work and the finisher (threaded and
// inline).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "smallcall/region_grouper.hpp"
#include "smallcall/tile_pipeline.hpp"

using namespace smallcall;

namespace {
// Rows from memory; feature 0 holds the row number so tiles can be traced.
class VectorReader : public RowReader {
 public:
  VectorReader(std::vector<Row> ids, bool region_column) : ids_(std::move(ids)), region_column_(region_column) {}
  bool next(Row& row, float* features, std::string& raw) override {
    if (i_ == fail_at_) throw std::runtime_error("bad record " + std::to_string(i_));
    if (i_ == ids_.size()) return false;
    row = ids_[i_];
    features[0] = static_cast<float>(i_);
    raw = "row" + std::to_string(i_);
    ++i_;
    return true;
  }
  const std::string& preamble() const override { return empty_; }
  const std::string& path() const override { return empty_; }
  std::string where(const Row& row) const override { return "rows:" + std::to_string(row.record); }
  bool has_region_column() const override { return region_column_; }
  InputFormat format() const override { return InputFormat::kTsv; }
  const std::vector<std::string>& row_feature_names() const override { return names_; }
  const std::string& feature_names_source() const override { return empty_; }
  std::size_t fail_at_ = static_cast<std::size_t>(-1);  // next() throws at this row

 private:
  std::vector<std::string> names_{"f0"};
  std::vector<Row> ids_;
  bool region_column_;
  std::size_t i_ = 0;
  std::string empty_;
};

Row at(const std::string& contig, int64_t start, const std::string& region = "") {
  Row row;
  row.contig = contig;
  row.start = start;
  row.end = start + 1;
  row.region = region;
  return row;
}

struct TileSummary {
  std::size_t size;
  bool starts_region;
  uint64_t region_index;
  float first_row;
};

std::vector<TileSummary> tiles_of(RowReader& reader, std::size_t tile_rows, int64_t partition, RegionGrouper** keep = nullptr) {
  static std::unique_ptr<RegionGrouper> g;
  g = std::make_unique<RegionGrouper>(reader, tile_rows, partition);
  if (keep) *keep = g.get();
  RowTile tile;
  tile.reset(tile_rows, 1);
  std::vector<TileSummary> out;
  while (g->next(tile)) out.push_back({tile.size, tile.starts_region, tile.region_index, tile.features[0]});
  return out;
}
}  // namespace

TEST_CASE("regions are runs of the same contig and start / partition_size", "[grouper]") {
  VectorReader reader({at("chr1", 10), at("chr1", 999), at("chr1", 1000), at("chr2", 1500), at("chr2", 1999),
                       at("chr1", 1001)},
                      false);
  RegionGrouper* g = nullptr;
  const auto tiles = tiles_of(reader, 512, 1000, &g);
  REQUIRE(tiles.size() == 4);
  REQUIRE(tiles[0].size == 2);  // chr1 bin 0
  REQUIRE(tiles[1].size == 1);  // chr1 bin 1
  REQUIRE(tiles[2].size == 2);  // chr2 bin 1
  REQUIRE(tiles[3].size == 1);  // chr1 bin 1 again: not consecutive, so a new region
  REQUIRE(tiles[3].first_row == 5);
  for (std::size_t i = 0; i < 4; ++i) {
    REQUIRE(tiles[i].starts_region);
    REQUIRE(tiles[i].region_index == i);
  }
  REQUIRE(g->regions() == 4);
  REQUIRE(g->rows() == 6);
  REQUIRE(g->largest_region_rows() == 2);
}

TEST_CASE("a large region is walked in tiles with bounded size", "[grouper]") {
  std::vector<Row> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(at("chr1", i));
  ids.push_back(at("chr1", 5000));
  VectorReader reader(ids, false);
  RegionGrouper* g = nullptr;
  const auto tiles = tiles_of(reader, 4, 1000, &g);
  REQUIRE(tiles.size() == 4);
  REQUIRE(tiles[0].size == 4);
  REQUIRE(tiles[0].starts_region);
  REQUIRE(tiles[1].size == 4);
  REQUIRE_FALSE(tiles[1].starts_region);
  REQUIRE(tiles[2].size == 2);
  REQUIRE_FALSE(tiles[2].starts_region);
  REQUIRE(tiles[2].region_index == 0);
  REQUIRE(tiles[3].size == 1);
  REQUIRE(tiles[3].starts_region);
  REQUIRE(tiles[3].first_row == 10);
  REQUIRE(g->largest_region_rows() == 10);
  REQUIRE(g->regions() == 2);
}

TEST_CASE("exactly a tile's worth of rows ends a region cleanly", "[grouper]") {
  std::vector<Row> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(at("chr1", i));
  ids.push_back(at("chr3", 0));
  VectorReader reader(ids, false);
  const auto tiles = tiles_of(reader, 4, 1000);
  REQUIRE(tiles.size() == 3);
  REQUIRE_FALSE(tiles[1].starts_region);
  REQUIRE(tiles[2].starts_region);
  REQUIRE(tiles[2].region_index == 1);
}

TEST_CASE("a region column overrides positions", "[grouper]") {
  VectorReader reader({at("chr1", 10, "a"), at("chr9", 99999, "a"), at("chr1", 11, "b"), at("chr1", 12, "a")}, true);
  const auto tiles = tiles_of(reader, 512, 1000);
  REQUIRE(tiles.size() == 3);
  REQUIRE(tiles[0].size == 2);
  REQUIRE(tiles[1].size == 1);
  REQUIRE(tiles[2].size == 1);
}

TEST_CASE("empty input gives no tiles", "[grouper]") {
  VectorReader reader({}, false);
  REQUIRE(tiles_of(reader, 8, 1000).empty());
}

namespace {
// n rows in regions of 1..7 rows (positions 1000 apart start a new region).
std::vector<Row> region_rows(std::size_t n) {
  std::vector<Row> rows;
  int64_t pos = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 7 == 0 || i % 3 == 0) pos += 1000;
    rows.push_back(at("chr1", pos + static_cast<int64_t>(i % 1000)));
  }
  return rows;
}

// Runs the pipeline the way `call` does: the caller writes each row's number into its
// probabilities, the finisher records what it sees. Returns the rows finished, in order.
std::vector<float> run_pipeline(RowReader& reader, bool threaded, std::size_t depth, std::size_t tile_rows = 4) {
  std::vector<float> finished;
  TilePipeline pipeline(reader, tile_rows, 1000, 1, threaded, [&](RowTile& tile) {
    for (std::size_t i = 0; i < tile.size; ++i) {
      REQUIRE(tile.probabilities[3 * i] == tile.features[i]);  // the caller's output reached the finisher
      finished.push_back(tile.probabilities[3 * i]);
    }
  }, depth);
  while (RowTile* tile = pipeline.next()) {
    for (std::size_t i = 0; i < tile->size; ++i) tile->probabilities[3 * i] = tile->features[i];
    pipeline.done(tile);
  }
  pipeline.finish_all();
  REQUIRE(pipeline.grouper().rows() == finished.size());
  return finished;
}
}  // namespace

TEST_CASE("the tile pipeline finishes every row once, in order, threaded and inline", "[pipeline]") {
  for (const bool threaded : {true, false})
    for (const std::size_t depth : {1, 2, 3, 5, 16}) {
      CAPTURE(threaded, depth);
      VectorReader reader(region_rows(2000), false);
      const std::vector<float> finished = run_pipeline(reader, threaded, depth);
      REQUIRE(finished.size() == 2000);
      for (std::size_t i = 0; i < finished.size(); ++i) REQUIRE(finished[i] == static_cast<float>(i));
    }
}

TEST_CASE("the tile pipeline: empty input, a reader's error after its rows, a finisher's error", "[pipeline]") {
  for (const bool threaded : {true, false}) {
    CAPTURE(threaded);
    VectorReader empty({}, false);
    REQUIRE(run_pipeline(empty, threaded, 16).empty());

    VectorReader failing(region_rows(100), false);
    failing.fail_at_ = 57;
    std::size_t computed = 0;
    {
      TilePipeline pipeline(failing, 4, 1000, 1, threaded, [](RowTile&) {});
      REQUIRE_THROWS_WITH(
          [&] {
            while (RowTile* tile = pipeline.next()) {
              computed += tile->size;
              pipeline.done(tile);
            }
          }(),
          "bad record 57");
    }
    // Every row read before the error was handed out (rows 0..56 make whole tiles only up to
    // the last region boundary the grouper could close).
    REQUIRE(computed <= 57);
    REQUIRE(computed >= 50);

    VectorReader rows(region_rows(3000), false);
    std::size_t finished = 0;
    TilePipeline pipeline(rows, 4, 1000, 1, threaded, [&](RowTile& tile) {
      finished += tile.size;
      if (finished > 1000) throw std::runtime_error("disk full");
    });
    REQUIRE_THROWS_WITH(
        [&] {
          while (RowTile* tile = pipeline.next()) pipeline.done(tile);
          pipeline.finish_all();
        }(),
        "disk full");
    REQUIRE(finished < 3000);  // the run stopped; nothing after the error was finished
  }
}

TEST_CASE("a tile pipeline dropped mid-run stops its threads", "[pipeline]") {
  VectorReader reader(region_rows(5000), false);
  std::size_t finished = 0;
  {
    TilePipeline pipeline(reader, 4, 1000, 1, true, [&](RowTile& tile) { finished += tile.size; });
    for (int i = 0; i < 10; ++i) pipeline.done(pipeline.next());
  }  // the destructor returns: neither thread waits forever
  REQUIRE(finished <= 5000);
}
