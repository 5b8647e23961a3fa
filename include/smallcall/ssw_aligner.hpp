#pragma once
// Striped Smith-Waterman through libssw's C API (Debian's libssw-dev; the library
// DeepVariant's realigner links), with what DeepVariant's C++ wrapper adds on top
// (deepvariant/realigner/ssw.cc, libssw's ssw_cpp.cpp): bases translated A/C/G/T -> 0..3 and
// everything else to N (4); a 5x5 matrix with every pair involving N a mismatch; local
// alignment with the begin position and CIGAR; the CIGAR written with soft clips for the
// unaligned ends of the query and each M split into = and X by the translated bases.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smallcall {

struct SswAlignment {
  int score = 0;      // 0: no alignment (also when the library's traceback failed)
  int ref_begin = 0;  // 0-based target position of the first aligned query base
  std::string cigar;  // = X I D S, e.g. "3S10=1X4=2I6="
};

class SswAligner {
 public:
  // Scores as positive magnitudes: match +match, mismatch -mismatch, a gap of length g
  // -(gap_open + (g - 1) * gap_extend).
  SswAligner(int match, int mismatch, int gap_open, int gap_extend);
  void set_target(std::string_view target);
  SswAlignment align(std::string_view query, int mask_len) const;

 private:
  int8_t matrix_[25];
  uint8_t gap_open_, gap_extend_;
  std::vector<int8_t> target_;
};

}  // namespace smallcall
