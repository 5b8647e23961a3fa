#pragma once
// A rolling polynomial hash (mod 2^64) of the k-mers of a sequence, for the realigner's k-mer
// lookups (De Bruijn graph vertices, the fast-pass aligner's read index). The hash only makes
// a lookup fast: equality is always decided by comparing the k bases.
#include <cstddef>
#include <cstdint>

namespace smallcall {

class KmerHash {
 public:
  explicit KmerHash(std::size_t k) : k_(k) {
    for (std::size_t i = 0; i < k; ++i) base_k_ *= kBase;
  }
  // The hash of s[0, k).
  uint64_t operator()(const char* s) const {
    uint64_t h = 0;
    for (std::size_t i = 0; i < k_; ++i) h = h * kBase + static_cast<unsigned char>(s[i]);
    return h;
  }
  // The hash of s[1, k + 1) from h, the hash of s[0, k).
  uint64_t roll(uint64_t h, const char* s) const {
    return h * kBase - static_cast<unsigned char>(s[0]) * base_k_ + static_cast<unsigned char>(s[k_]);
  }

 private:
  static constexpr uint64_t kBase = 1099511628211ull;
  std::size_t k_;
  uint64_t base_k_ = 1;
};

}  // namespace smallcall
