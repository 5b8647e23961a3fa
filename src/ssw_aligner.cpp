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
    : gap_open_(static_cast<uint8_t>(gap_open)), gap_extend_(static_cast<uint8_t>(gap_extend)) {
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j)
      matrix_[i * 5 + j] = static_cast<int8_t>(i == 4 || j == 4 ? -mismatch : i == j ? match : -mismatch);
}

void SswAligner::set_target(std::string_view target) { translate(target, target_); }

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
