#pragma once
// The forward pass: oneDNN fixed-shape matmul primitives (bias + fused ReLU), hand softmax.
//
// A call of any size walks its rows in tiles of at most `tile_rows`, so memory is bounded by
// the tile, not the call. Primitives for a row count M are created the first time M is seen
// and kept; activation buffers are sized for one tile at construction. Rows are computed
// independently of their neighbours: a row's probabilities are bit-identical whatever the
// call size or its position in a tile. oneDNN does not promise that (AVX2 gemm:jit sums some
// tail rows in another order), so each shape is checked once against rows run alone on a
// probe tile, and a row count whose shape differs runs on the next larger shape that agrees,
// padded with zero rows (tests/test_engine.cpp checks the property on random models).
#include <cstddef>
#include <memory>
#include <string>

#include "smallcall/model.hpp"

namespace smallcall {

// How each Dense layer is handed to oneDNN (engine.cpp: layer_pd). kAuto: matmul where oneDNN
// has a brgemm matmul for the machine (AVX-512) or the weights are under 256 KiB, else a 1x1
// convolution (AVX2, DeepVariant's 2.5 MB of weights).
enum class EngineFormulation { kAuto, kMatmul, kConv1x1 };

struct EngineOptions {
  // 128 rows keep a 750-wide layer's activations (384 KB) inside the 1 MB L2: 2-3 % faster on
  // large regions than 512-row tiles (measured by scripts/bench.sh).
  std::size_t tile_rows = 128;  // rows per internal tile (and the largest primitive shape)
  int threads = 1;              // oneDNN threads; one process per shard is the deployment model
  EngineFormulation formulation = EngineFormulation::kAuto;
};

class Engine {
 public:
  explicit Engine(const Model& model, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  std::size_t tile_rows() const;

  // features: rows x the model's features, float32, row-major; probabilities: rows x 3 (written).
  void forward(const float* features, std::size_t rows, float* probabilities);

  // Row shapes whose primitives exist (for tests and diagnostics).
  std::size_t cached_shapes() const;
  // oneDNN implementation name of the first layer for a tile of `rows` rows.
  std::string implementation(std::size_t rows);
  EngineFormulation formulation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct SelfTestResult {
  bool present = false;
  bool passed = true;
  std::size_t rows = 0;
  double max_abs_diff = 0;
  std::size_t worst_row = 0;
  int worst_class = 0;
  double atol = 0;
  std::string message;  // the failure, naming row, class and difference
};

// Runs the model's self_test block through `engine`.
SelfTestResult run_self_test(const Model& model, Engine& engine);

// Runs the self test and throws DataError on a mismatch.
void require_self_test(const Model& model, Engine& engine);

}  // namespace smallcall
