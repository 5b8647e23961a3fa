// Benchmark driver (not a test): the machine's FP32 FMA peak on one core, and the engine's
// time per region for a model and a row file. Used by scripts/bench.sh.
//
//   smallcall_bench peak
//   smallcall_bench engine MODEL.json ROWS.f32 M [M...]     (ROWS.f32: float32 rows, row-major)
//
// Prints one JSON object per line.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "smallcall/engine.hpp"
#include "smallcall/model.hpp"

namespace {
using Clock = std::chrono::steady_clock;

// 12 independent accumulator chains hide the FMA latency; the result is used so nothing is
// optimised away.
__attribute__((target("avx512f"))) double fma_peak_avx512(long iters) {
  __m512 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm512_set1_ps(0.f);
  const __m512 a = _mm512_set1_ps(1.0000001f), b = _mm512_set1_ps(0.9999999f);
  const auto t0 = Clock::now();
  for (long n = 0; n < iters; ++n)
    for (int i = 0; i < 12; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  float sink = 0;
  for (int i = 0; i < 12; ++i) sink += _mm512_reduce_add_ps(acc[i]);
  if (sink == 42.f) std::puts("");
  return 12.0 * 16 * 2 * iters / s / 1e9;
}

__attribute__((target("avx2,fma"))) double fma_peak_avx2(long iters) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(0.f);
  const __m256 a = _mm256_set1_ps(1.0000001f), b = _mm256_set1_ps(0.9999999f);
  const auto t0 = Clock::now();
  for (long n = 0; n < iters; ++n)
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  float buf[8], sink = 0;
  for (int i = 0; i < 12; ++i) {
    _mm256_storeu_ps(buf, acc[i]);
    for (float f : buf) sink += f;
  }
  if (sink == 42.f) std::puts("");
  return 12.0 * 8 * 2 * iters / s / 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "peak") == 0) {
    std::vector<double> avx512, avx2;
    const bool has512 = __builtin_cpu_supports("avx512f");
    for (int rep = 0; rep < 7; ++rep) {
      if (has512) avx512.push_back(fma_peak_avx512(20000000));
      avx2.push_back(fma_peak_avx2(20000000));
    }
    std::printf("{\"kind\":\"peak\",\"avx512_gflops\":%.2f,\"avx2_gflops\":%.2f,\"peak_gflops\":%.2f}\n",
                has512 ? median(avx512) : 0.0, median(avx2), std::max(has512 ? median(avx512) : 0.0, median(avx2)));
    return 0;
  }
  if (argc >= 5 && std::strcmp(argv[1], "engine") == 0) {
    const smallcall::Model model = smallcall::load_model(argv[2]);
    std::ifstream in(argv[3], std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<float> x(bytes.size() / 4);
    std::memcpy(x.data(), bytes.data(), x.size() * 4);
    const std::size_t width = static_cast<std::size_t>(model.num_features());
    const std::size_t available = x.size() / width;
    smallcall::Engine engine(model, smallcall::EngineOptions{512, 1});
    std::vector<float> p(available * 3);
    for (int a = 4; a < argc; ++a) {
      const std::size_t m = std::stoul(argv[a]);
      if (m > available) continue;
      // Regions of m rows at varying offsets, as a real run walks its input.
      const int reps = static_cast<int>(std::clamp<std::size_t>(400000 / (m * 10 + 50), 30, 4000));
      for (int w = 0; w < 5; ++w) engine.forward(x.data(), m, p.data());  // shape created, caches warm
      std::vector<double> us;
      std::size_t offset = 0;
      for (int r = 0; r < reps; ++r) {
        if (offset + m > available) offset = 0;
        const auto t0 = Clock::now();
        engine.forward(&x[offset * width], m, p.data());
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        offset += m;
      }
      const double med = median(us);
      std::printf("{\"kind\":\"engine\",\"m\":%zu,\"median_us\":%.3f,\"reps\":%d,\"flops_per_row\":%.0f}\n", m, med, reps,
                  model.flops_per_row());
    }
    return 0;
  }
  std::fprintf(stderr, "usage: smallcall_bench peak | engine MODEL.json ROWS.f32 M...\n");
  return 2;
}
