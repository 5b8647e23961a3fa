// Forward-pass equivalence against an independent float64 reference, and batch invariance.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "smallcall/engine.hpp"
#include "smallcall/error.hpp"
#include "smallcall/model.hpp"

using namespace smallcall;

namespace {

// A random MLP whose logits land in a useful range for integer inputs 0..100, so the
// probabilities span confident and unconfident rows (checked below).
Model random_model(const std::vector<int>& dims, unsigned seed) {
  std::mt19937_64 rng(seed);
  Model m;
  for (int i = 0; i < dims[0]; ++i) m.features.push_back("f" + std::to_string(i));
  for (std::size_t l = 0; l + 1 < dims.size(); ++l) {
    DenseLayer L;
    L.in_dim = dims[l];
    L.out_dim = dims[l + 1];
    L.activation = l + 2 == dims.size() ? Activation::kSoftmax : Activation::kRelu;
    const double scale = l == 0 ? 1.0 / (50.0 * std::sqrt(double(L.in_dim))) : 2.2 / std::sqrt(double(L.in_dim));
    std::normal_distribution<float> w(0.f, static_cast<float>(scale));
    std::normal_distribution<float> b(0.f, 0.3f);
    for (int k = 0; k < L.in_dim * L.out_dim; ++k) L.kernel.push_back(w(rng));
    for (int k = 0; k < L.out_dim; ++k) L.bias.push_back(b(rng));
    m.layers.push_back(std::move(L));
  }
  // Calibrate: scale the last kernel so logits on typical rows spread with std ~2.5, which
  // gives a mix of confident and unconfident rows whatever the depth of the network.
  std::uniform_int_distribution<int> v(0, 100);
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int r = 0; r < 200; ++r) {
    std::vector<double> a(dims[0]), b;
    for (auto& f : a) f = v(rng);
    for (const auto& L : m.layers) {
      b.assign(L.bias.begin(), L.bias.end());
      for (int k = 0; k < L.in_dim; ++k)
        for (int j = 0; j < L.out_dim; ++j) b[j] += a[k] * L.kernel[static_cast<std::size_t>(k) * L.out_dim + j];
      if (L.activation == Activation::kRelu)
        for (auto& x : b) x = std::max(x, 0.0);
      a.swap(b);
    }
    for (double z : a) {
      sum += z;
      sum2 += z * z;
      ++n;
    }
  }
  const double sd = std::sqrt(std::max(sum2 / n - (sum / n) * (sum / n), 1e-12));
  for (auto& w : m.layers.back().kernel) w = static_cast<float>(w * 2.5 / sd);
  return m;
}

std::vector<float> random_rows(std::size_t rows, int width, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> v(0, 100);
  std::vector<float> x(rows * width);
  for (auto& f : x) f = static_cast<float>(v(rng));
  return x;
}

// Plain float64 loops; shares nothing with the engine.
std::vector<double> reference_forward(const Model& m, const std::vector<float>& x, std::size_t rows) {
  std::vector<double> out(rows * 3);
  std::vector<double> a, b;
  for (std::size_t r = 0; r < rows; ++r) {
    a.assign(x.begin() + r * m.num_features(), x.begin() + (r + 1) * m.num_features());
    for (const auto& L : m.layers) {
      b.assign(L.out_dim, 0.0);
      for (int j = 0; j < L.out_dim; ++j) b[j] = L.bias[j];
      for (int k = 0; k < L.in_dim; ++k) {
        const double ak = a[k];
        const float* wrow = &L.kernel[static_cast<std::size_t>(k) * L.out_dim];
        for (int j = 0; j < L.out_dim; ++j) b[j] += ak * wrow[j];
      }
      if (L.activation == Activation::kRelu)
        for (auto& v : b) v = std::max(v, 0.0);
      if (L.activation == Activation::kSigmoid)
        for (auto& v : b) v = 1.0 / (1.0 + std::exp(-v));
      if (L.activation == Activation::kTanh)
        for (auto& v : b) v = std::tanh(v);
      if (L.activation == Activation::kSoftmax) {
        const double mx = *std::max_element(b.begin(), b.end());
        double s = 0;
        for (auto& v : b) s += (v = std::exp(v - mx));
        for (auto& v : b) v /= s;
      }
      a.swap(b);
    }
    std::copy(a.begin(), a.end(), out.begin() + r * 3);
  }
  return out;
}

int argmax3(const double* p) { return p[1] > p[0] ? (p[2] > p[1] ? 2 : 1) : (p[2] > p[0] ? 2 : 0); }
int argmax3(const float* p) { return p[1] > p[0] ? (p[2] > p[1] ? 2 : 1) : (p[2] > p[0] ? 2 : 0); }
double score(double pmax) { return -10.0 * std::log10(1.0 - std::min(pmax, 1.0 - 1e-7)); }

struct Case {
  const char* name;
  std::vector<int> dims;
  EngineFormulation formulation = EngineFormulation::kAuto;
};

}  // namespace

TEST_CASE("engine matches a float64 reference and is batch invariant", "[engine]") {
  const Case c = GENERATE(Case{"DeepVariant WGS 70-750-750-3", {70, 750, 750, 3}},
                          Case{"DeepVariant WGS as matmuls", {70, 750, 750, 3}, EngineFormulation::kMatmul},
                          Case{"DeepVariant WGS as 1x1 convolutions", {70, 750, 750, 3}, EngineFormulation::kConv1x1},
                          Case{"small 70-32-16-3", {70, 32, 16, 3}},
                          Case{"small as 1x1 convolutions", {70, 32, 16, 3}, EngineFormulation::kConv1x1});
  INFO(c.name);
  const Model model = random_model(c.dims, 1234);
  const std::size_t pool = 5000;
  const std::vector<float> x = random_rows(pool, 70, 99);
  const std::vector<double> ref = reference_forward(model, x, pool);

  // The random model must produce both confident and unconfident rows, or the test is weak.
  std::size_t confident = 0, unsure = 0;
  for (std::size_t r = 0; r < pool; ++r) {
    const double pm = std::max({ref[3 * r], ref[3 * r + 1], ref[3 * r + 2]});
    confident += pm > 0.99;
    unsure += pm < 0.9;
  }
  REQUIRE(confident > pool / 50);
  REQUIRE(unsure > pool / 50);

  Engine engine(model, EngineOptions{128, 1, c.formulation});  // the default tiles, 1 thread
  if (c.formulation != EngineFormulation::kAuto) REQUIRE(engine.formulation() == c.formulation);
  // Without AVX-512 oneDNN has no brgemm matmul: large weights go to the 1x1 kernel, small
  // ones stay matmuls (engine.cpp: choose_formulation).
  if (c.formulation == EngineFormulation::kAuto && !__builtin_cpu_supports("avx512f"))
    REQUIRE(engine.formulation() == (c.dims[1] >= 750 ? EngineFormulation::kConv1x1 : EngineFormulation::kMatmul));
  // Every row alone (M = 1): the baseline for bit-identity.
  std::vector<float> alone(pool * 3);
  for (std::size_t r = 0; r < pool; ++r) engine.forward(&x[r * 70], 1, &alone[r * 3]);

  double max_diff = 0;
  std::size_t gate_checked = 0;
  auto check_rows = [&](const float* p, std::size_t first, std::size_t m) {
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t r = first + i;
      // Bit-identical to the row computed alone.
      if (std::memcmp(&p[3 * i], &alone[3 * r], 3 * sizeof(float)) != 0) {
        FAIL_CHECK("row " << r << " differs at M=" << m << " position " << i);
        return;
      }
      for (int k = 0; k < 3; ++k) max_diff = std::max(max_diff, std::fabs(p[3 * i + k] - ref[3 * r + k]));
      REQUIRE(argmax3(&p[3 * i]) == argmax3(&ref[3 * r]));
      const double ref_score = score(std::max({ref[3 * r], ref[3 * r + 1], ref[3 * r + 2]}));
      const double got_score = score(std::max({p[3 * i], p[3 * i + 1], p[3 * i + 2]}));
      for (int threshold : {10, 20, 28}) {
        if (std::fabs(ref_score - threshold) <= 0.05) continue;
        ++gate_checked;
        REQUIRE((got_score >= threshold) == (ref_score >= threshold));
      }
    }
  };

  check_rows(alone.data(), 0, pool);
  std::vector<float> p(pool * 3);
  for (std::size_t m = 1; m <= 300; ++m) {
    const std::size_t first = (m * 37) % (pool - m);  // vary the rows each size sees
    engine.forward(&x[first * 70], m, p.data());
    check_rows(p.data(), first, m);
  }
  engine.forward(x.data(), pool, p.data());  // 5000 rows: 39 full 128-row tiles and a tail
  check_rows(p.data(), 0, pool);

  // A different tile size gives the same bits too (tile position does not matter).
  Engine small_tiles(model, EngineOptions{64, 1, c.formulation});
  small_tiles.forward(x.data(), pool, p.data());
  check_rows(p.data(), 0, pool);

  WARN(c.name << ": max |p - p_float64| = " << max_diff << " over " << pool << " rows; gate decisions compared: "
              << gate_checked << "; first-layer implementation at M=5: " << engine.implementation(5));
  REQUIRE(max_diff <= 1e-5);
  REQUIRE(gate_checked > pool);
}

TEST_CASE("engine creates a shape once and reuses it", "[engine]") {
  const Model model = random_model({70, 8, 3}, 5);
  Engine engine(model, EngineOptions{16, 1});
  // At load: the full tile, the batch-invariance reference (or, where its rows' bits depend on
  // their positions, the smaller shapes tried before one qualified).
  const std::size_t built_at_load = engine.cached_shapes();
  REQUIRE(built_at_load >= 1);
  REQUIRE(built_at_load <= 16);
  const std::vector<float> x = random_rows(100, 70, 3);
  std::vector<float> p(300);
  engine.forward(x.data(), 5, p.data());
  const std::size_t after_five = engine.cached_shapes();
  REQUIRE(after_five <= built_at_load + 16);
  engine.forward(x.data(), 5, p.data());
  REQUIRE(engine.cached_shapes() == after_five);  // a row count seen before builds nothing
  engine.forward(x.data(), 100, p.data());  // 6 tiles of 16 and a tail of 4
  const std::size_t after_hundred = engine.cached_shapes();
  engine.forward(x.data(), 100, p.data());
  engine.forward(x.data(), 5, p.data());
  REQUIRE(engine.cached_shapes() == after_hundred);
}

TEST_CASE("engine handles a linear hidden layer and zero rows", "[engine]") {
  Model model = random_model({70, 12, 3}, 8);
  model.layers[0].activation = Activation::kLinear;
  const std::vector<float> x = random_rows(50, 70, 4);
  const std::vector<double> ref = reference_forward(model, x, 50);
  Engine engine(model);
  std::vector<float> p(150);
  engine.forward(x.data(), 0, p.data());  // no rows: nothing happens
  engine.forward(x.data(), 50, p.data());
  for (std::size_t i = 0; i < 150; ++i) REQUIRE(std::fabs(p[i] - ref[i]) <= 1e-5);
}

TEST_CASE("self test passes on matching probabilities and names the row on a mismatch", "[engine][model]") {
  Model model = random_model({70, 16, 3}, 21);
  const std::vector<float> x = random_rows(20, 70, 6);
  const std::vector<double> ref = reference_forward(model, x, 20);
  SelfTest st;
  for (std::size_t r = 0; r < 20; ++r) {
    st.inputs.emplace_back(x.begin() + r * 70, x.begin() + (r + 1) * 70);
    st.probabilities.push_back({ref[3 * r], ref[3 * r + 1], ref[3 * r + 2]});
  }
  model.self_test = st;
  Engine engine(model);
  const SelfTestResult ok = run_self_test(model, engine);
  REQUIRE(ok.present);
  REQUIRE(ok.passed);
  REQUIRE(ok.max_abs_diff <= 1e-5);

  model.self_test->probabilities[7][1] += 0.01;
  const SelfTestResult bad = run_self_test(model, engine);
  REQUIRE_FALSE(bad.passed);
  REQUIRE(bad.worst_row == 7);
  REQUIRE(bad.worst_class == 1);
  REQUIRE_THAT(bad.message, Catch::Contains("row 7"));
  REQUIRE_THROWS_AS(require_self_test(model, engine), DataError);
}

TEST_CASE("engine runs sigmoid and tanh hidden layers (Keras models use them)", "[engine]") {
  Model model = random_model({70, 24, 16, 3}, 31);
  model.layers[0].activation = Activation::kTanh;
  model.layers[1].activation = Activation::kSigmoid;
  const std::vector<float> x = random_rows(300, 70, 12);
  const std::vector<double> ref = reference_forward(model, x, 300);
  Engine engine(model);
  std::vector<float> p(900), alone(3);
  engine.forward(x.data(), 300, p.data());
  double max_diff = 0;
  for (std::size_t i = 0; i < 900; ++i) max_diff = std::max(max_diff, std::fabs(p[i] - ref[i]));
  REQUIRE(max_diff <= 1e-5);
  for (std::size_t r = 0; r < 300; r += 37) {  // batch invariance holds for these post-ops too
    engine.forward(&x[r * 70], 1, alone.data());
    REQUIRE(std::memcmp(alone.data(), &p[3 * r], sizeof alone[0] * 3) == 0);
  }
}
