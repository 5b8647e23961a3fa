#include "smallcall/engine.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>
#include <vector>

#include "smallcall/error.hpp"

namespace smallcall {

namespace {
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;
using dims = dnnl::memory::dims;

// softmax over 3 logits, in double so the float32 result is the correctly rounded one.
inline void softmax3(const float* logits, float* out) {
  const double z0 = logits[0], z1 = logits[1], z2 = logits[2];
  const double m = std::max(z0, std::max(z1, z2));
  const double e0 = std::exp(z0 - m), e1 = std::exp(z1 - m), e2 = std::exp(z2 - m);
  const double s = e0 + e1 + e2;
  out[0] = static_cast<float>(e0 / s);
  out[1] = static_cast<float>(e1 / s);
  out[2] = static_cast<float>(e2 / s);
}
}  // namespace

struct Engine::Impl {
  struct Layer {
    int in_dim, out_dim;
    Activation activation;  // fused as a post-op (softmax: by hand after the last layer)
    dnnl::memory user_weights;  // K x N, tag ab (Keras layout)
    dnnl::memory bias;          // N values
    // Weights reordered to each layout a primitive asked for (normally exactly one).
    std::vector<dnnl::memory> packed_weights;
  };
  // Everything needed to run one tile of a fixed row count: the primitives with their
  // arguments ready for oneDNN's C call (execute() through the C++ map allocates each time).
  struct Shape {
    std::vector<dnnl::primitive> primitives;
    std::vector<std::array<dnnl_exec_arg_t, 4>> args;
    std::vector<dnnl::memory> src, dst, bias;  // keep the arguments alive (weights: the Layer's)
    std::string first_impl;
  };

  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{eng};
  std::vector<Layer> layers;
  std::size_t tile_rows;
  int num_features;
  int widest;
  EngineFormulation formulation;
  std::vector<float> activations[2];  // ping-pong buffers, tile_rows x widest
  std::vector<std::unique_ptr<Shape>> shapes;  // index = row count
  std::size_t shapes_built = 0;
  // Batch invariance. The summation order oneDNN uses for a row can depend on the row count
  // and on the row's position in the tile (AVX2 gemm:jit sums rows of tail blocks, and a
  // single row, in other orders), so a shape is used only after it computed a probe tile
  // bit-identically to the reference: the largest shape that gives each probe row the same
  // bits at every position tried. run_rows[m] is the row count whose primitives compute m
  // rows (m <= it; the input is padded with zero rows), 0 while unknown.
  std::size_t max_rows = 0;                       // the reference shape: rows per tile
  std::vector<std::size_t> run_rows;
  std::vector<signed char> verdict;               // per shape: -1 unknown, 0 differs, 1 identical
  std::vector<float> probe;                       // tile_rows x num_features
  std::vector<std::vector<float>> reference;      // per layer: max_rows x out_dim
  std::vector<float> padded;                      // tile_rows x num_features: input of a padded tile

  Impl(const Model& model, const EngineOptions& opt) : tile_rows(opt.tile_rows), num_features(model.num_features()) {
    if (tile_rows == 0) throw UsageError("engine tile size must be at least 1 row");
    omp_set_num_threads(std::max(1, opt.threads));
    widest = 0;
    for (const auto& l : model.layers) {
      Layer L{l.in_dim, l.out_dim, l.activation, {}, {}, {}};
      L.user_weights = dnnl::memory({{l.in_dim, l.out_dim}, dt::f32, tag::ab}, eng);
      std::copy(l.kernel.begin(), l.kernel.end(), static_cast<float*>(L.user_weights.get_data_handle()));
      L.bias = dnnl::memory({{l.out_dim}, dt::f32, tag::a}, eng);
      std::copy(l.bias.begin(), l.bias.end(), static_cast<float*>(L.bias.get_data_handle()));
      layers.push_back(std::move(L));
      widest = std::max(widest, l.out_dim);
    }
    formulation = opt.formulation == EngineFormulation::kAuto ? choose_formulation() : opt.formulation;
    for (auto& a : activations) a.assign(tile_rows * static_cast<std::size_t>(widest), 0.f);
    shapes.resize(tile_rows + 1);
    padded.assign(tile_rows * static_cast<std::size_t>(num_features), 0.f);
    make_reference();
  }

  // A Dense layer as oneDNN computes it: a matmul (rows x K times K x N), or a 1x1
  // convolution over M spatial points (N=1, C=K, W=M: the same row-major bytes, "nwc").
  // oneDNN's brgemm matmul (AVX-512) streams pre-packed weights; where matmul falls back to
  // gemm:jit (AVX2), which repacks the weights on every call (M=1: 128 us against 36 us for
  // reading them once), the 1x1 convolution kernel keeps them packed and sums every row in
  // the same order whatever M is.
  dnnl::primitive_desc layer_pd(const Layer& L, std::size_t m, EngineFormulation f) const {
    const auto M = static_cast<dnnl::memory::dim>(m);
    dnnl::primitive_attr attr;
    const dnnl::algorithm post = L.activation == Activation::kRelu      ? dnnl::algorithm::eltwise_relu
                                 : L.activation == Activation::kSigmoid ? dnnl::algorithm::eltwise_logistic
                                 : L.activation == Activation::kTanh    ? dnnl::algorithm::eltwise_tanh
                                                                        : dnnl::algorithm::undef;
    if (post != dnnl::algorithm::undef) {
      dnnl::post_ops po;
      po.append_eltwise(1.f, post, 0.f, 0.f);
      attr.set_post_ops(po);
    }
    if (f == EngineFormulation::kConv1x1) {
      dnnl::memory::desc src_md({1, L.in_dim, M}, dt::f32, tag::nwc);
      dnnl::memory::desc w_md({L.out_dim, L.in_dim, 1}, dt::f32, tag::any);
      dnnl::memory::desc b_md({L.out_dim}, dt::f32, tag::a);
      dnnl::memory::desc dst_md({1, L.out_dim, M}, dt::f32, tag::nwc);
      return dnnl::convolution_forward::primitive_desc(
          dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                          src_md, w_md, b_md, dst_md, {1}, {0}, {0}),
          attr, eng);
    }
    dnnl::memory::desc src_md({M, L.in_dim}, dt::f32, tag::ab);
    dnnl::memory::desc w_md({L.in_dim, L.out_dim}, dt::f32, tag::any);
    dnnl::memory::desc b_md({1, L.out_dim}, dt::f32, tag::ab);
    dnnl::memory::desc dst_md({M, L.out_dim}, dt::f32, tag::ab);
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src_md, w_md, b_md, dst_md), attr, eng);
  }

  // Matmul when oneDNN has a brgemm matmul for this machine or the weights are small
  // (repacking 35 KB per call costs less than the convolution's overhead: the shipped model
  // runs 20 % faster as gemm:jit at M = 128), else the 1x1 convolution when oneDNN has a JIT
  // 1x1 kernel for the machine. A rule on the ISA and the model, never a timing: results are
  // the same from run to run.
  EngineFormulation choose_formulation() const {
    const Layer& L = layers.front();
    std::size_t weight_bytes = 0;
    for (const Layer& l : layers) weight_bytes += sizeof(float) * static_cast<std::size_t>(l.in_dim) * l.out_dim;
    if (weight_bytes < kConvWeightBytes ||
        std::string(layer_pd(L, tile_rows, EngineFormulation::kMatmul).impl_info_str()).rfind("brg", 0) == 0)
      return EngineFormulation::kMatmul;
    try {
      if (std::string(layer_pd(L, tile_rows, EngineFormulation::kConv1x1).impl_info_str()).find("1x1") !=
          std::string::npos)
        return EngineFormulation::kConv1x1;
    } catch (const dnnl::error&) {
    }
    return EngineFormulation::kMatmul;
  }

  void execute_layer(Shape& s, std::size_t i) {
    if (dnnl_primitive_execute(s.primitives[i].get(), stream.get(), static_cast<int>(s.args[i].size()),
                               s.args[i].data()) != dnnl_success)
      throw Error(kExitDataError, "oneDNN failed to run layer " + std::to_string(i));
  }

  void execute(Shape& s) {
    for (std::size_t i = 0; i < s.primitives.size(); ++i) execute_layer(s, i);
    stream.wait();
  }

  // Runs shape `s` on x (its row count of rows); after(i, dst) sees layer i's output before
  // the ping-pong buffers are reused.
  template <typename After>
  void run_layers(Shape& s, const float* x, After after) {
    s.src.front().set_data_handle(const_cast<float*>(x));  // oneDNN only reads SRC
    for (std::size_t i = 0; i < s.primitives.size(); ++i) {
      execute_layer(s, i);
      stream.wait();
      after(i, static_cast<const float*>(s.dst[i].get_data_handle()));
    }
  }

  // True when shape m computes each of probe rows 0..m-1 with the bits of `expected` (per
  // layer, rows x out_dim; null: the identity arrangement's own results) at three positions:
  // in order, reversed, and rotated.
  bool same_at_every_position(std::size_t m, std::vector<std::vector<float>>* expected) {
    const std::size_t width = static_cast<std::size_t>(num_features);
    std::vector<std::vector<float>> first(layers.size());
    std::vector<float> x(m * width);
    const std::size_t shift = m / 3 + 1;
    bool same = true;
    for (int arrangement = 0; arrangement < 3 && same; ++arrangement) {
      std::vector<std::size_t> row_at(m);  // probe row at each position
      for (std::size_t p = 0; p < m; ++p)
        row_at[p] = arrangement == 0 ? p : arrangement == 1 ? m - 1 - p : (p + shift) % m;
      for (std::size_t p = 0; p < m; ++p)
        std::copy(&probe[row_at[p] * width], &probe[row_at[p] * width] + width, &x[p * width]);
      run_layers(shape(m), x.data(), [&](std::size_t i, const float* dst) {
        const std::size_t n = static_cast<std::size_t>(layers[i].out_dim);
        std::vector<float>& want = expected ? (*expected)[i] : first[i];
        if (!expected && arrangement == 0) {
          want.assign(dst, dst + m * n);
          return;
        }
        for (std::size_t p = 0; p < m && same; ++p)
          same = std::memcmp(dst + p * n, &want[row_at[p] * n], n * sizeof(float)) == 0;
      });
    }
    if (same && !expected) reference = std::move(first);
    return same;
  }

  // The reference shape: the largest row count whose results do not depend on the rows'
  // positions (one row alone always qualifies).
  void make_reference() {
    std::mt19937 rng(20261201);
    probe.resize(tile_rows * static_cast<std::size_t>(num_features));
    for (auto& v : probe) v = static_cast<float>(rng() % 101);  // integers 0..100, as DeepVariant's features
    max_rows = tile_rows;
    while (max_rows > 1 && !same_at_every_position(max_rows, nullptr)) --max_rows;
    if (max_rows == 1) same_at_every_position(1, nullptr);
    verdict.assign(max_rows + 1, -1);
    run_rows.assign(max_rows + 1, 0);
    verdict[max_rows] = 1;
    run_rows[max_rows] = max_rows;
  }

  bool identical(std::size_t c) {
    if (verdict[c] < 0) verdict[c] = same_at_every_position(c, &reference) ? 1 : 0;
    return verdict[c] == 1;
  }

  // Seconds for one run of shape c (the best of five after two warm-up runs).
  double time_shape(std::size_t c) {
    Shape& s = shape(c);
    s.src.front().set_data_handle(probe.data());
    double best = 1e9;
    for (int run = 0; run < 7; ++run) {
      const auto t0 = std::chrono::steady_clock::now();
      execute(s);
      if (run >= 2) best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
  }

  std::size_t rows_for(std::size_t m) {
    if (run_rows[m] == 0) {
      std::size_t c = m;
      while (c < max_rows && !identical(c)) ++c;
      // A few rows may run faster on a slightly larger shape (a kernel's row blocking: 1 row
      // on the AVX2 1x1 kernel takes longer than 2). Results are the same on every verified
      // shape, so the choice by time changes only the speed.
      if (c < kPaddedChoiceRows) {
        double best = time_shape(c);
        for (std::size_t d = c + 1; d <= std::min(kPaddedChoiceRows, max_rows); ++d) {
          if (!identical(d)) continue;
          const double t = time_shape(d);
          if (t < best) {
            best = t;
            c = d;
          }
        }
      }
      run_rows[m] = c;
    }
    return run_rows[m];
  }
  static constexpr std::size_t kPaddedChoiceRows = 4;
  static constexpr std::size_t kConvWeightBytes = 256 * 1024;

  dnnl::memory& weights_for(Layer& L, const dnnl::memory::desc& wanted, EngineFormulation f) {
    for (auto& m : L.packed_weights)
      if (m.get_desc() == wanted) return m;
    // The Keras K x N buffer, seen as the convolution's N x K x 1 where needed.
    dnnl::memory user =
        f == EngineFormulation::kConv1x1
            ? dnnl::memory({{L.out_dim, L.in_dim, 1}, dt::f32, dnnl::memory::dims{1, L.out_dim, 1}}, eng,
                           L.user_weights.get_data_handle())
            : L.user_weights;
    dnnl::memory packed(wanted, eng);
    dnnl::reorder(user, packed).execute(stream, user, packed);
    stream.wait();
    L.packed_weights.push_back(std::move(packed));
    return L.packed_weights.back();
  }

  Shape& shape(std::size_t m) {
    if (shapes[m]) return *shapes[m];
    auto s = std::make_unique<Shape>();
    for (std::size_t i = 0; i < layers.size(); ++i) {
      Layer& L = layers[i];
      const dnnl::primitive_desc pd = layer_pd(L, m, formulation);
      if (i == 0) s->first_impl = pd.impl_info_str();
      dnnl::memory& w = weights_for(L, pd.weights_desc(), formulation);
      // Internal activations live in the engine's ping-pong buffers; the first layer's
      // source is bound per call.
      dnnl::memory src(pd.src_desc(), eng, i == 0 ? nullptr : activations[(i - 1) % 2].data());
      dnnl::memory dst(pd.dst_desc(), eng, activations[i % 2].data());
      dnnl::memory bias(pd.weights_desc(1), eng, L.bias.get_data_handle());
      s->primitives.emplace_back(pd);
      s->args.push_back({dnnl_exec_arg_t{DNNL_ARG_SRC, src.get()}, dnnl_exec_arg_t{DNNL_ARG_WEIGHTS, w.get()},
                         dnnl_exec_arg_t{DNNL_ARG_BIAS, bias.get()}, dnnl_exec_arg_t{DNNL_ARG_DST, dst.get()}});
      s->src.push_back(src);
      s->dst.push_back(dst);
      s->bias.push_back(bias);
    }
    shapes[m] = std::move(s);
    ++shapes_built;
    return *shapes[m];
  }

  void run_tile(const float* x, std::size_t m, float* probs) {
    const std::size_t c = rows_for(m);
    const std::size_t width = static_cast<std::size_t>(num_features);
    if (c > m) {  // zero rows after the m real ones
      std::copy(x, x + m * width, padded.begin());
      std::fill(padded.begin() + static_cast<std::ptrdiff_t>(m * width),
                padded.begin() + static_cast<std::ptrdiff_t>(c * width), 0.f);
      x = padded.data();
    }
    Shape& s = shape(c);
    s.src.front().set_data_handle(const_cast<float*>(x));  // oneDNN only reads SRC
    execute(s);
    const float* logits = static_cast<const float*>(s.dst.back().get_data_handle());
    for (std::size_t r = 0; r < m; ++r) softmax3(logits + 3 * r, probs + 3 * r);
  }
};

Engine::Engine(const Model& model, EngineOptions options) : impl_(std::make_unique<Impl>(model, options)) {}
Engine::~Engine() = default;

std::size_t Engine::tile_rows() const { return impl_->max_rows; }
std::size_t Engine::cached_shapes() const { return impl_->shapes_built; }
EngineFormulation Engine::formulation() const { return impl_->formulation; }
std::string Engine::implementation(std::size_t rows) {
  return impl_->shape(impl_->rows_for(std::min(std::max<std::size_t>(rows, 1), impl_->max_rows))).first_impl;
}

void Engine::forward(const float* features, std::size_t rows, float* probabilities) {
  const std::size_t tile = impl_->max_rows;
  const std::size_t width = static_cast<std::size_t>(impl_->num_features);
  for (std::size_t done = 0; done < rows; done += tile) {
    const std::size_t m = std::min(tile, rows - done);
    impl_->run_tile(features + done * width, m, probabilities + done * 3);
  }
}

SelfTestResult run_self_test(const Model& model, Engine& engine) {
  SelfTestResult r;
  if (!model.self_test) return r;
  const SelfTest& st = *model.self_test;
  r.present = true;
  r.rows = st.inputs.size();
  r.atol = st.atol;
  if (st.inputs.empty()) return r;
  const std::size_t width = static_cast<std::size_t>(model.num_features());
  std::vector<float> x;
  x.reserve(st.inputs.size() * width);
  for (const auto& row : st.inputs) x.insert(x.end(), row.begin(), row.end());
  std::vector<float> p(st.inputs.size() * 3);
  engine.forward(x.data(), st.inputs.size(), p.data());
  for (std::size_t i = 0; i < st.inputs.size(); ++i)
    for (int c = 0; c < 3; ++c) {
      const double d = std::fabs(static_cast<double>(p[i * 3 + c]) - st.probabilities[i][c]);
      if (!(d <= r.max_abs_diff)) {  // also catches NaN
        r.max_abs_diff = d;
        r.worst_row = i;
        r.worst_class = c;
      }
    }
  r.passed = r.max_abs_diff <= st.atol;
  if (!r.passed)
    r.message = "self_test failed: row " + std::to_string(r.worst_row) + " class " + std::to_string(r.worst_class) +
                " differs by " + std::to_string(r.max_abs_diff) + " (atol " + std::to_string(st.atol) +
                "; computed " + std::to_string(p[r.worst_row * 3 + r.worst_class]) + ", expected " +
                std::to_string(st.probabilities[r.worst_row][r.worst_class]) + ")";
  return r;
}

void require_self_test(const Model& model, Engine& engine) {
  const SelfTestResult r = run_self_test(model, engine);
  if (!r.passed) throw DataError("model " + model.source_path + ": " + r.message);
}

}  // namespace smallcall
