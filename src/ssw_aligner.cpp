#include "smallcall/ssw_aligner.hpp"

#include <ssw.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <memory>

namespace smallcall {

namespace {

int8_t code(char c) {
  switch (c) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return 4;
  }
}

void translate(std::string_view s, std::vector<int8_t>& out) {
  out.resize(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = code(s[i]);
}

void append_op(std::string& cigar, uint32_t n, char op) {
  if (n == 0) return;
  cigar += std::to_string(n);
  cigar += op;
}

// The alignment as DeepVariant's wrapper writes it: soft clips for the query's unaligned ends,
// each M split into = and X by the translated codes (N against N is =).
SswAlignment write_alignment(const std::vector<int8_t>& query, const std::vector<int8_t>& target, int score,
                             int read_begin, int read_end, int ref_begin,
                             const std::vector<std::pair<char, uint32_t>>& ops) {
  SswAlignment out;
  out.score = score;
  out.ref_begin = ref_begin;
  append_op(out.cigar, static_cast<uint32_t>(read_begin), 'S');
  const int8_t* ref = target.data() + ref_begin;
  const int8_t* q = query.data() + read_begin;
  for (const auto& [op, len] : ops) {
    if (op == 'M') {
      uint32_t run = 0;
      char run_op = 0;
      for (uint32_t k = 0; k < len; ++k) {
        const char o = ref[k] == q[k] ? '=' : 'X';
        if (o != run_op) {
          append_op(out.cigar, run, run_op);
          run_op = o;
          run = 0;
        }
        ++run;
      }
      append_op(out.cigar, run, run_op);
      ref += len;
      q += len;
    } else if (op == 'I') {
      append_op(out.cigar, len, 'I');
      q += len;
    } else if (op == 'D') {
      append_op(out.cigar, len, 'D');
      ref += len;
    } else {
      append_op(out.cigar, len, op);
    }
  }
  append_op(out.cigar, static_cast<uint32_t>(static_cast<int>(query.size()) - read_end - 1), 'S');
  return out;
}

}  // namespace

SswAligner::SswAligner(int match, int mismatch, int gap_open, int gap_extend)
    : match_(match), mismatch_(mismatch), gap_open_(static_cast<uint8_t>(gap_open)),
      gap_extend_(static_cast<uint8_t>(gap_extend)) {
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j)
      matrix_[i * 5 + j] = static_cast<int8_t>(i == 4 || j == 4 ? -mismatch : i == j ? match : -mismatch);
}

void SswAligner::set_target(std::string_view target) { translate(target, target_); }

std::optional<SswAlignment> SswAligner::align_one_substitution(std::string_view query_text) const {
  // Query and target of equal length n, A/C/G/T only, differing at one position q. With match
  // a > 0, mismatch b >= 0 and gap open o, the full-length ungapped alignment scores
  // U = a(n - 1) - b, and every other local alignment scores strictly less when:
  //  - o > b: an alignment with a gap pairs at most n - 1 bases and pays at least o, so it
  //    scores at most a(n - 1) - o < U;
  //  - a*q > b and a*(n - 1 - q) > b: an alignment on the main diagonal that leaves out a
  //    prefix or suffix loses that part's score, which is positive (a*c without the
  //    substitution, a*(c - 1) - b >= a*q - b with it);
  //  - a*M_d < U for every other diagonal d (M_d: its matching pairs), so no ungapped segment
  //    off the main diagonal reaches U; only |d| <= 1 + b/a needs counting, since M_d <= n - |d|.
  // The optimum is then unique, and libssw reports exactly it: score U, both ends at n - 1
  // (the first column and lowest row reaching U), both begins at 0, a path of n matched
  // pairs (every other path through the band is worse). tests/test_realigner.cpp checks this
  // against libssw on random and repetitive sequences.
  const std::size_t n = query_text.size();
  if (n == 0 || n != target_.size() || match_ <= 0 || mismatch_ < 0 || gap_open_ <= mismatch_) return std::nullopt;
  std::size_t q = n;
  for (std::size_t i = 0; i < n; ++i) {
    const int8_t c = code(query_text[i]);
    if (c > 3 || target_[i] > 3) return std::nullopt;
    if (c != target_[i]) {
      if (q != n) return std::nullopt;  // a second substitution
      q = i;
    }
  }
  if (q == n) return std::nullopt;  // identical
  const int64_t a = match_, b = mismatch_, u = a * static_cast<int64_t>(n - 1) - b;
  if (a * static_cast<int64_t>(q) <= b || a * static_cast<int64_t>(n - 1 - q) <= b) return std::nullopt;
  for (int64_t d = 1; d <= 1 + b / a && d < static_cast<int64_t>(n); ++d) {
    int64_t up = 0, down = 0;
    const auto ud = static_cast<std::size_t>(d);
    for (std::size_t i = 0; i + ud < n; ++i) {
      up += code(query_text[i]) == target_[i + ud];
      down += code(query_text[i + ud]) == target_[i];
    }
    if (a * up >= u || a * down >= u) return std::nullopt;
  }
  SswAlignment out;
  out.score = static_cast<int>(u);
  out.ref_begin = 0;
  append_op(out.cigar, static_cast<uint32_t>(q), '=');
  append_op(out.cigar, 1, 'X');
  append_op(out.cigar, static_cast<uint32_t>(n - 1 - q), '=');
  return out;
}

std::optional<SswAlignment> SswAligner::align_unique_in_band(std::string_view query_text, int max_band) const {
  // libssw finds an optimal local alignment; when exactly one alignment is optimal, every
  // exact method finds that one, and libssw reports it as it is (its score, its first and
  // last aligned pairs, its path: every other path through libssw's band scores less). So:
  //  1. L0, a score some alignment reaches (d below: target index - query index).
  //  2. The band [dlo, dhi] holding every alignment that scores >= L0. An alignment whose
  //     diagonals span [lo, hi] pays gaps of total length >= hi - lo, so at least
  //     gap(L) = min(o + (L - 1)e, L*o) for L = hi - lo >= 1, and scores at most
  //     a*pairs - gap(hi - lo), with pairs <= min(m, n), pairs <= n - lo when lo > 0 and
  //     pairs <= m + hi when hi < 0. With G the smallest L where a*min(m, n) - gap(L) < L0
  //     and Pmin = ceil(L0 / a), an alignment reaching past dhi = n - Pmin + G has hi - lo < G,
  //     so lo > n - Pmin >= 0 and pairs < Pmin; past dlo = Pmin - m - G likewise: it scores
  //     below L0.
  //  3. Smith-Waterman with affine gaps (libssw's scores: a gap of length g costs
  //     o + (g - 1)e) inside the band, counting the alignments that reach each value (capped
  //     at 2; an empty alignment counts as one way to have 0): the answer stands only when
  //     exactly one alignment reaches the best score.
  //  4. libssw 1.1 reports that alignment as it is except for two shapes (below), declined.
  std::vector<int8_t> q;
  translate(query_text, q);
  const int m = static_cast<int>(q.size()), n = static_cast<int>(target_.size());
  const int a = match_, b = mismatch_, o = gap_open_, e = gap_extend_;
  if (m == 0 || n == 0 || a <= 0 || b < 0 || o <= 0) return std::nullopt;
  auto score = [&](int i, int j) {
    const int8_t x = q[static_cast<std::size_t>(i)], y = target_[static_cast<std::size_t>(j)];
    return x == y && x < 4 ? a : -b;
  };
  // 3's programme over diagonals [dlo, dhi]. Cell (i, j): row i, column j - i - dlo.
  constexpr int kNone = std::numeric_limits<int>::min() / 4;
  struct Value {
    int v = kNone;
    uint8_t ways = 0;  // alignments reaching v, capped at 2
    // No value is kNone with 0 ways: anything derived from it stays far below every real
    // value, and adding its 0 ways changes no count.
    void offer(int value, uint8_t w) {
      if (value > v) v = value, ways = w;
      else if (value == v) ways = static_cast<uint8_t>(std::min(2, ways + w));
    }
  };
  struct Cell {
    Value pair, ins, del, any;  // ending with a pair, in an insertion, in a deletion, any (or empty)
  };
  std::vector<Cell> cells;
  int dlo = 0, dhi = 0, width = 0;
  auto at = [&](int i, int j) -> const Cell* {
    const int k = j - i - dlo;
    if (i < 0 || j < 0 || j >= n || k < 0 || k >= width) return nullptr;
    return &cells[static_cast<std::size_t>(i) * static_cast<std::size_t>(width) + static_cast<std::size_t>(k)];
  };
  int end_i = -1, end_j = -1;  // where the best score is reached (the last such cell)
  auto run = [&](int lo, int hi) {
    dlo = lo, dhi = hi, width = hi - lo + 1;
    cells.assign(static_cast<std::size_t>(m) * static_cast<std::size_t>(width), Cell{});
    Value best;
    // Band index k = j - i - dlo: (i - 1, j - 1) is k of the row above, (i - 1, j) k + 1,
    // (i, j - 1) k - 1 of this row; cells never computed hold no value and add nothing.
    for (int i = 0; i < m; ++i) {
      Cell* row = cells.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(width);
      const Cell* above = i ? row - width : nullptr;
      const int jlo = std::max(0, i + dlo), jhi = std::min(n - 1, i + dhi);
      for (int j = jlo; j <= jhi; ++j) {
        const int k = j - i - dlo;
        Cell& c = row[k];
        const int s = score(i, j);
        if (above && j > 0) c.pair.offer(above[k].any.v + s, above[k].any.ways);
        else c.pair.offer(s, 1);  // starts here
        if (above && k + 1 < width) {
          c.ins.offer(above[k + 1].any.v - o, above[k + 1].any.ways);
          c.ins.offer(above[k + 1].ins.v - e, above[k + 1].ins.ways);
        }
        if (j > jlo) {
          c.del.offer(row[k - 1].any.v - o, row[k - 1].any.ways);
          c.del.offer(row[k - 1].del.v - e, row[k - 1].del.ways);
        }
        c.any.offer(0, 1);  // the empty alignment
        c.any.offer(c.pair.v, c.pair.ways);
        c.any.offer(c.ins.v, c.ins.ways);
        c.any.offer(c.del.v, c.del.ways);
        if (c.pair.ways && c.pair.v >= best.v) end_i = i, end_j = j;
        best.offer(c.pair.v, c.pair.ways);
      }
    }
    return best;
  };
  // 1. L0, the score of one alignment built without a search: the shared prefix and suffix
  //    matched, the bases between paired in order, the rest of the longer one a gap.
  int prefix = 0;
  while (prefix < std::min(m, n) && q[static_cast<std::size_t>(prefix)] == target_[static_cast<std::size_t>(prefix)] &&
         q[static_cast<std::size_t>(prefix)] < 4)
    ++prefix;
  int suffix = 0;
  while (suffix < std::min(m, n) - prefix &&
         q[static_cast<std::size_t>(m - 1 - suffix)] == target_[static_cast<std::size_t>(n - 1 - suffix)] &&
         q[static_cast<std::size_t>(m - 1 - suffix)] < 4)
    ++suffix;
  const int mq = m - prefix - suffix, mt = n - prefix - suffix;
  int64_t l0_wide = static_cast<int64_t>(a) * (prefix + suffix);
  for (int k = 0; k < std::min(mq, mt); ++k) l0_wide += score(prefix + k, prefix + k);
  if (mq != mt) l0_wide -= o + static_cast<int64_t>(std::abs(mq - mt) - 1) * e;
  if (l0_wide > std::numeric_limits<int>::max() / 4) return std::nullopt;
  int l0 = static_cast<int>(std::max<int64_t>(0, l0_wide));
  // 2. The band every alignment scoring >= L0 lies in.
  const int64_t best_possible = static_cast<int64_t>(a) * std::min(m, n);
  auto gap = [&](int64_t len) { return std::min<int64_t>(o + (len - 1) * e, len * o); };
  int need_lo = 0, need_hi = -1;
  auto band_for = [&](int score_reached) {
    if (score_reached <= 0) return false;
    int g = 1;
    while (best_possible - gap(g) >= score_reached)
      if (++g > m + n) return false;
    const int pmin = (score_reached + a - 1) / a;
    need_lo = pmin - m - g, need_hi = n - pmin + g;
    return need_hi - need_lo + 1 <= max_band;
  };
  Value best;
  if (band_for(l0)) {
    best = run(need_lo, need_hi);  // 3.
  } else {
    // L0 too weak to bound the band (the edits are spread out): the best alignment in a
    // first band around the diagonals the two lengths allow is a better L0.
    constexpr int kFirstBandMargin = 8;
    const int lo0 = std::min(0, n - m) - kFirstBandMargin, hi0 = std::max(0, n - m) + kFirstBandMargin;
    if (hi0 - lo0 + 1 > max_band) return std::nullopt;
    best = run(lo0, hi0);
    l0 = best.v;
    if (!band_for(l0)) return std::nullopt;
    if (need_lo < lo0 || need_hi > hi0) best = run(need_lo, need_hi);  // 3., over the whole band
  }
  if (best.v < l0 || best.ways != 1) return std::nullopt;
  // The one best alignment: its end is the one cell where it is reached; trace it back.
  const int ei = end_i, ej = end_j;
  std::vector<char> path;  // reversed
  int i = ei, j = ej;
  char state = 'M';
  int begin_i = ei, begin_j = ej;
  while (true) {
    const Cell* c = at(i, j);
    if (state == 'M') {
      path.push_back('M');
      begin_i = i, begin_j = j;
      const Cell* diag = at(i - 1, j - 1);
      if (!diag) break;
      const int want = c->pair.v - score(i, j);
      --i, --j;
      if (diag->pair.ways && diag->pair.v == want) state = 'M';
      else if (diag->ins.ways && diag->ins.v == want) state = 'I';
      else if (diag->del.ways && diag->del.v == want) state = 'D';
      else break;  // the alignment starts at (i + 1, j + 1)
    } else if (state == 'I') {
      path.push_back('I');
      const Cell* up = at(i - 1, j);
      const bool opened = up->any.ways && up->any.v - o == c->ins.v;
      --i;
      if (!opened) continue;  // extends the insertion
      if (up->pair.ways && up->pair.v == c->ins.v + o) state = 'M';
      else if (up->del.ways && up->del.v == c->ins.v + o) state = 'D';
      else return std::nullopt;  // cannot happen: a gap opened from nothing is never best
    } else {
      path.push_back('D');
      const Cell* left = at(i, j - 1);
      const bool opened = left->any.ways && left->any.v - o == c->del.v;
      --j;
      if (!opened) continue;
      if (left->pair.ways && left->pair.v == c->del.v + o) state = 'M';
      else if (left->ins.ways && left->ins.v == c->del.v + o) state = 'I';
      else return std::nullopt;
    }
  }
  std::vector<std::pair<char, uint32_t>> ops;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    if (!ops.empty() && ops.back().first == *it) ++ops.back().second;
    else ops.emplace_back(*it, 1);
  }
  // Left to libssw: an insertion next to a deletion (its striped pass treats such pairs
  // specially), and a deletion right after the first aligned pair, which libssw 1.1 does not
  // report as it is (its traceback stops on the first query row and writes 1M there).
  for (std::size_t k = 0; k + 1 < ops.size(); ++k)
    if (ops[k].first != 'M' && ops[k + 1].first != 'M') return std::nullopt;
  if (ops.size() > 1 && ops[0].second == 1 && ops[1].first == 'D') return std::nullopt;
  return write_alignment(q, target_, best.v, begin_i, ei, begin_j, ops);
}

// libssw keeps pointers to the query and the matrix: both live here, on the heap, with it.
struct SswProfile {
  std::vector<int8_t> bases;
  int8_t matrix[25];
  s_profile* p = nullptr;
  ~SswProfile() {
    if (p) init_destroy(p);
  }
};

SswQuery::SswQuery(std::string_view query, const int8_t* matrix) : profile_(std::make_unique<SswProfile>()) {
  SswProfile& prof = *profile_;
  translate(query, prof.bases);
  std::copy(matrix, matrix + 25, prof.matrix);
  if (!prof.bases.empty()) prof.p = ssw_init(prof.bases.data(), static_cast<int32_t>(prof.bases.size()), prof.matrix, 5, 1);
}
SswQuery::~SswQuery() = default;
SswQuery::SswQuery(SswQuery&&) noexcept = default;
SswQuery& SswQuery::operator=(SswQuery&&) noexcept = default;

SswAlignment SswAligner::align(std::string_view query_text, int mask_len) const {
  return align(SswQuery(query_text, matrix_), mask_len);
}

SswAlignment SswAligner::align(const SswQuery& q_, int mask_len) const {
  SswAlignment out;
  const std::vector<int8_t>& query = q_.profile_->bases;
  if (query.empty() || target_.empty() || !q_.profile_->p) return out;
  s_profile* profile = q_.profile_->p;
  // Flag 0x0f: the begin position and the CIGAR, always (ssw_cpp's Filter() defaults). A
  // mask length below 15 only loses the sub-optimal score, which nothing reads, and makes the
  // library print a warning: never below 15.
  std::unique_ptr<s_align, void (*)(s_align*)> a(
      ssw_align(profile, target_.data(), static_cast<int32_t>(target_.size()), gap_open_, gap_extend_, 0x0f, 0,
                32767, std::max(15, mask_len)),
      align_destroy);
  // A failed traceback (libssw 1.1 returns no alignment or no path; 1.2.5 a nonzero flag,
  // which DeepVariant treats as no alignment).
  if (!a || !a->cigar || a->cigarLen <= 0 || a->ref_begin1 < 0 || a->read_begin1 < 0) return out;
  std::vector<std::pair<char, uint32_t>> ops;
  for (int32_t i = 0; i < a->cigarLen; ++i) ops.emplace_back(cigar_int_to_op(a->cigar[i]), cigar_int_to_len(a->cigar[i]));
  return write_alignment(query, target_, a->score1, a->read_begin1, a->read_end1, a->ref_begin1, ops);
}

}  // namespace smallcall
