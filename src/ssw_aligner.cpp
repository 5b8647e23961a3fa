#include "smallcall/ssw_aligner.hpp"

#include <ssw.h>

#include <algorithm>
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
  out.score = a->score1;
  out.ref_begin = a->ref_begin1;
  append_op(out.cigar, static_cast<uint32_t>(a->read_begin1), 'S');
  const int8_t* ref = target_.data() + a->ref_begin1;
  const int8_t* q = query.data() + a->read_begin1;
  for (int32_t i = 0; i < a->cigarLen; ++i) {
    const char op = cigar_int_to_op(a->cigar[i]);
    const uint32_t len = cigar_int_to_len(a->cigar[i]);
    if (op == 'M') {  // split into = and X by the translated codes (N against N is =)
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
  append_op(out.cigar, static_cast<uint32_t>(static_cast<int32_t>(query.size()) - a->read_end1 - 1), 'S');
  return out;
}

}  // namespace smallcall
