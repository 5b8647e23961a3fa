#pragma once
// Striped Smith-Waterman through libssw's C API (Debian's libssw-dev; the library
// DeepVariant's realigner links), with what DeepVariant's C++ wrapper adds on top
// (deepvariant/realigner/ssw.cc, libssw's ssw_cpp.cpp): bases translated A/C/G/T -> 0..3 and
// everything else to N (4); a 5x5 matrix with every pair involving N a mismatch; local
// alignment with the begin position and CIGAR; the CIGAR written with soft clips for the
// unaligned ends of the query and each M split into = and X by the translated bases.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smallcall {

struct SswAlignment {
  int score = 0;      // 0: no alignment (also when the library's traceback failed)
  int ref_begin = 0;  // 0-based target position of the first aligned query base
  std::string cigar;  // = X I D S, e.g. "3S10=1X4=2I6="
};

struct SswProfile;

// A query translated and profiled once, aligned to any number of targets. Only libssw's
// 16-bit profile is built: the 8-bit pass DeepVariant's wrapper runs first gives the same
// alignment (same score, same first best column, same lowest best query row) and is redone in
// 16 bits whenever the score reaches 255, which 101-bp reads at match 4 always can.
class SswQuery {
 public:
  explicit SswQuery(std::string_view query, const int8_t* matrix);
  ~SswQuery();
  SswQuery(SswQuery&&) noexcept;
  SswQuery& operator=(SswQuery&&) noexcept;

 private:
  friend class SswAligner;
  std::unique_ptr<SswProfile> profile_;  // the translated query, the matrix, libssw's profile
};

class SswAligner {
 public:
  // Scores as positive magnitudes: match +match, mismatch -mismatch, a gap of length g
  // -(gap_open + (g - 1) * gap_extend).
  SswAligner(int match, int mismatch, int gap_open, int gap_extend);
  void set_target(std::string_view target);
  SswAlignment align(std::string_view query, int mask_len) const;
  SswAlignment align(const SswQuery& query, int mask_len) const;
  SswQuery query(std::string_view text) const { return SswQuery(text, matrix_); }
  // What align(query) returns, computed without Smith-Waterman, when the query is the target
  // with one base substituted and no other alignment can score as high (see the .cpp for
  // the argument); nullopt otherwise (then call align).
  std::optional<SswAlignment> align_one_substitution(std::string_view query) const;
  // What align(query) returns, computed by an exact dynamic programme over a band of
  // diagonals, when the best alignment is unique and provably inside the band (every
  // alignment leaving it scores less; see the .cpp); nullopt otherwise, or when the band
  // would be wider than max_band diagonals (then call align). For a query and target that
  // share most of their length (a haplotype and its reference window).
  std::optional<SswAlignment> align_unique_in_band(std::string_view query, int max_band) const;

 private:
  int8_t matrix_[25];
  int match_, mismatch_;
  uint8_t gap_open_, gap_extend_;
  std::vector<int8_t> target_;
};

}  // namespace smallcall
