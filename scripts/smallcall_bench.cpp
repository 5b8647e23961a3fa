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
#include <cstdlib>
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

// Time to read `bytes` once (already cache-resident after the first pass), with 8 parallel
// AVX2 load streams: the floor for any forward pass that must touch every weight once.
__attribute__((target("avx2"))) double stream_us(std::size_t bytes, int passes, std::vector<double>& out) {
  std::vector<float> buf(bytes / 4, 1.0f);
  __m256 acc[8];
  for (auto& a : acc) a = _mm256_setzero_ps();
  for (int p = 0; p < passes; ++p) {
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i + 64 <= buf.size(); i += 64)
      for (int k = 0; k < 8; ++k) acc[k] = _mm256_add_ps(acc[k], _mm256_loadu_ps(&buf[i + 8 * k]));
    out.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  float tmp[8], sink = 0;
  for (auto& a : acc) {
    _mm256_storeu_ps(tmp, a);
    for (float f : tmp) sink += f;
  }
  return sink;
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
  if (argc >= 3 && std::strcmp(argv[1], "stream") == 0) {
    std::vector<double> us;
    const double sink = stream_us(std::stoul(argv[2]), 2001, us);
    us.erase(us.begin());  // the cold pass
    std::printf("{\"kind\":\"stream\",\"bytes\":%s,\"median_us\":%.3f,\"sink\":%.0f}\n", argv[2], median(us), sink > 0 ? 1.0 : 0.0);
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
    const char* tile_env = std::getenv("SMALLCALL_TILE_ROWS");
    // SMALLCALL_ENGINE=matmul|conv1x1 measures a formulation the engine would not choose here.
    const std::string formulation_env = std::getenv("SMALLCALL_ENGINE") ? std::getenv("SMALLCALL_ENGINE") : "auto";
    const smallcall::EngineFormulation formulation = formulation_env == "matmul"    ? smallcall::EngineFormulation::kMatmul
                                                     : formulation_env == "conv1x1" ? smallcall::EngineFormulation::kConv1x1
                                                                                    : smallcall::EngineFormulation::kAuto;
    smallcall::Engine engine(
        model, smallcall::EngineOptions{tile_env ? std::stoul(tile_env) : smallcall::EngineOptions{}.tile_rows, 1, formulation});
    const char* chosen = engine.formulation() == smallcall::EngineFormulation::kConv1x1 ? "conv1x1" : "matmul";
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
      std::printf("{\"kind\":\"engine\",\"m\":%zu,\"median_us\":%.3f,\"reps\":%d,\"flops_per_row\":%.0f,"
                  "\"formulation\":\"%s\",\"auto\":%s,\"implementation\":\"%s\"}\n",
                  m, med, reps, model.flops_per_row(), chosen, formulation_env == "auto" ? "true" : "false",
                  engine.implementation(m).c_str());
    }
    return 0;
  }
  std::fprintf(stderr, "usage: smallcall_bench peak | engine MODEL.json ROWS.f32 M...\n");
  return 2;
}
