#include "smallcall/fast_pass_aligner.hpp"

#include <algorithm>
#include <cstdint>
#include <cctype>
#include <memory>
#include <set>

#include "smallcall/kmer_hash.hpp"
#include "smallcall/ssw_aligner.hpp"

namespace smallcall {

namespace {

int aligned_length(const std::vector<CigarUnit>& c) {
  int n = 0;
  for (const auto& u : c)
    if (u.op != 'D') n += u.len;
  return n;
}

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// Of two one-base operations, the one DeepVariant keeps: S, then D, then I, then M.
void merge_one_base(char a, char b, int read_len, std::vector<CigarUnit>& out) {
  for (char op : {'S', 'D', 'I', 'M'})
    if (a == op || b == op) {
      merge_cigar_op(op, 1, read_len, out);
      return;
    }
}

}  // namespace

std::pair<int, int> fast_align_strings(std::string_view a, std::string_view b, int max_mismatches, int match,
                                       int mismatch) {
  int matches = 0, mismatches = 0;
  std::size_t i = 0;
  const std::size_t n = std::min(a.size(), b.size());
  if (max_mismatches >= 1) {
    // 32 bases at a time (a loop the compiler vectorises): the count reaches max_mismatches
    // inside a block exactly when it would base by base, and then the answer is the same.
    for (; i + 32 <= n; i += 32) {
      int c = 0;
      for (std::size_t j = i; j < i + 32; ++j)
        c += static_cast<int>(a[j] != b[j]) & static_cast<int>(a[j] != 'N') & static_cast<int>(b[j] != 'N');
      if (mismatches + c >= max_mismatches) return {0, max_mismatches};
      mismatches += c;
      matches += 32 - c;
    }
  }
  for (; i < n; ++i) {
    if (a[i] != b[i] && a[i] != 'N' && b[i] != 'N') {
      if (++mismatches >= max_mismatches) return {0, mismatches};
    } else {
      ++matches;
    }
  }
  return {matches * match - mismatches * mismatch, mismatches};
}

CigarList cigar_string_to_ops(std::string_view cigar) {
  CigarList out;
  int n = 0;
  for (char c : cigar) {
    if (c >= '0' && c <= '9') {
      n = n * 10 + (c - '0');
      continue;
    }
    const char op = c == '=' || c == 'X' ? 'M' : c;
    if (!out.empty() && out.back().op == op) out.back().len += n;  // "3=1X" is one M run
    else out.push_back({op, n});
    n = 0;
  }
  return out;
}

std::vector<int> position_map(std::string_view cigar, std::size_t haplotype_length) {
  std::vector<int> map(haplotype_length, 0);
  int shift = 0;
  std::size_t hp = 0;
  int n = 0;
  for (char c : cigar) {
    if (c >= '0' && c <= '9') {
      n = n * 10 + (c - '0');
      continue;
    }
    switch (c) {
      case '=': case 'X':
        for (int i = 0; i < n && hp < map.size(); ++i) map[hp++] = shift;
        break;
      case 'S':
        shift -= n;
        for (int i = 0; i < n && hp < map.size(); ++i) map[hp++] = shift;
        break;
      case 'D': shift += n; break;
      case 'I':
        for (int i = 0; i < n && hp < map.size(); ++i) map[hp++] = shift--;
        break;
      default: break;
    }
    n = 0;
  }
  return map;
}

void merge_cigar_op(char op, int len, int read_len, std::vector<CigarUnit>& out) {
  const char last = out.empty() ? 0 : out.back().op;
  const int al = aligned_length(out);
  const int m = op == 'D' ? len : std::min(len, read_len - al);
  if (m <= 0 || al == read_len) return;
  if ((op == 'I' && last == 'D') || (op == 'D' && last == 'I')) {
    // An insertion against a deletion cancels one base (DeepVariant's MergeCigarOp).
    CigarUnit& before_last = out.size() > 1 ? out[out.size() - 2] : out.back();
    if (before_last.op != 'M') out.insert(out.end() - 1, CigarUnit{'M', 1});
    else before_last.len += 1;
    if (out.back().len == 1) out.pop_back();
    else out.back().len -= 1;
  } else if (op == last) {
    out.back().len += m;
  } else {
    out.push_back({op, m});
  }
}

CigarList left_trim(CigarList ops, int position) {
  int cur = 0;
  while (cur != position && !ops.empty()) {
    const CigarUnit o = ops.front();
    ops.pop_front();
    if (o.op == 'M' || o.op == 'H' || o.op == 'S' || o.op == 'I') {  // deletions dropped while trimming
      if (o.len + cur > position) ops.push_front({o.op, o.len - (position - cur)});
      cur = std::min(o.len + cur, position);
    }
  }
  if (!ops.empty() && ops.front().op == 'D') ops.pop_front();  // an alignment cannot start with D
  return ops;
}

std::vector<CigarUnit> compose_read_to_reference(CigarList r, CigarList h, int read_len) {
  std::vector<CigarUnit> out;
  if (h.empty()) return out;
  if (!r.empty() && r.front().op == 'S') {
    merge_cigar_op('S', r.front().len, read_len, out);
    r.pop_front();
  }
  CigarUnit cr{0, 0}, ch{0, 0};
  while ((!r.empty() || !h.empty()) && aligned_length(out) < read_len) {
    if (!r.empty() && h.empty() && ch.len == 0) {
      merge_cigar_op(r.front().op, r.front().len, read_len, out);
      r.pop_front();
      continue;
    }
    if (r.empty() && cr.len == 0 && !h.empty()) break;
    if (cr.len == 0) cr = r.front(), r.pop_front();
    if (ch.len == 0) ch = h.front(), h.pop_front();
    while (cr.len > 0 && ch.len > 0) {
      if ((cr.op == 'D' && ch.op == 'I') || (cr.op == 'I' && ch.op == 'D')) {
        --cr.len;
        --ch.len;
        if (ch.op == 'D') {  // a read insertion over a haplotype deletion is a match
          h.push_front({'M', 1});
          r.push_front({'M', 1});
        }
        continue;
      }
      if (cr.op == 'M' && ch.op == 'M') {  // a run of matches at once, as base by base
        const int n = std::min(cr.len, ch.len);
        merge_cigar_op('M', n, read_len, out);
        cr.len -= n;
        ch.len -= n;
        continue;
      }
      merge_one_base(cr.op, ch.op, read_len, out);
      if (cr.op == 'I') --cr.len;
      else if (ch.op == 'D') --ch.len;
      else --cr.len, --ch.len;
    }
  }
  if (cr.len > 0 && cr.op == 'S')
    while (cr.len > 0) merge_one_base('S', ch.op, read_len, out), --cr.len;
  if (!r.empty() || cr.len > 0) out.clear();  // the read runs past the haplotype: cannot realign
  return out;
}

bool alignment_normalized(std::string_view read, std::string_view reference, int64_t offset,
                          const std::vector<CigarUnit>& cigar) {
  if (offset < 0) return true;
  int64_t r = offset, q = 0;
  const auto ref_len = static_cast<int64_t>(reference.size());
  for (const CigarUnit& u : cigar) {
    if (u.op == 'S') {
      q += u.len;
      continue;
    }
    if (u.op == 'I' && r > 0 && q + u.len - 1 < static_cast<int64_t>(read.size()) && r - 1 < ref_len &&
        read[static_cast<std::size_t>(q + u.len - 1)] == reference[static_cast<std::size_t>(r - 1)])
      return false;
    if (u.op == 'D') {
      if (r + u.len > ref_len) return false;
      if (q > 0 && reference[static_cast<std::size_t>(r + u.len - 1)] == read[static_cast<std::size_t>(q - 1)])
        return false;
    }
    if (u.op != 'I') r += u.len;
    if (u.op != 'D') q += u.len;
  }
  return true;
}

FastPassAligner::FastPassAligner(const AlignerOptions& options) : options_(options) {
  // DeepVariant's set_options copies a value only when it is > 0: 0 keeps fast_pass_aligner.h's
  // default (note gap extend 1 there, 2 as the flag's default).
  auto keep = [](auto& v, auto header) {
    if (!(v > 0)) v = header;
  };
  keep(options_.kmer_size, 32);
  keep(options_.read_size, 100);
  keep(options_.max_num_mismatches, 2);
  keep(options_.similarity_threshold, 0.85);
  keep(options_.match, 4);
  keep(options_.mismatch, 6);
  keep(options_.gap_open, 8);
  keep(options_.gap_extend, 1);
}

void FastPassAligner::set_reference(std::string reference) { reference_ = upper(std::move(reference)); }

void FastPassAligner::set_haplotypes(std::vector<std::string> haplotypes) {
  haplotypes_.clear();
  for (auto& h : haplotypes) haplotypes_.push_back(upper(std::move(h)));
}

void FastPassAligner::set_reads(const std::vector<std::string>& reads) {
  reads_.clear();
  for (const auto& r : reads) reads_.push_back(upper(r));
  index_.clear();
  bucket_start_.clear();
  alignments_.clear();
}

int FastPassAligner::ssw_score_threshold() const {
  // DeepVariant's int16 member: the double truncated; negative -> 1 (every score >= 1 passes
  // at the default similarity).
  const double s = options_.similarity_threshold;
  const double v = options_.match * options_.read_size * s - options_.mismatch * options_.read_size * (1 - s);
  auto t = static_cast<int16_t>(v);
  if (t < 0) t = 1;
  return t;
}

void FastPassAligner::build_index() {
  const auto k = static_cast<std::size_t>(options_.kmer_size);
  const KmerHash hash(k);
  std::vector<KmerAt> kmers;  // in (read, offset) order
  std::size_t total = 0;
  for (const std::string& r : reads_) total += r.size() > k ? r.size() - k + 1 : 0;
  kmers.reserve(total);
  for (std::size_t id = 0; id < reads_.size(); ++id) {
    const std::string& r = reads_[id];
    if (r.size() <= k) continue;
    uint64_t h = hash(r.data());
    for (std::size_t off = 0; off + k <= r.size(); ++off) {
      if (off) h = hash.roll(h, r.data() + off - 1);
      kmers.push_back({h, static_cast<int>(id), static_cast<int>(off)});
    }
  }
  // A counting sort by bucket keeps each bucket's entries in (read, offset) order.
  std::size_t buckets = 16;
  while (buckets < 2 * kmers.size()) buckets <<= 1;
  bucket_mask_ = buckets - 1;
  bucket_start_.assign(buckets + 1, 0);
  for (const KmerAt& e : kmers) ++bucket_start_[bucket(e.hash) + 1];
  for (std::size_t b = 0; b < buckets; ++b) bucket_start_[b + 1] += bucket_start_[b];
  index_.resize(kmers.size());
  std::vector<uint32_t> fill(bucket_start_.begin(), bucket_start_.end() - 1);
  for (const KmerAt& e : kmers) index_[fill[bucket(e.hash)]++] = e;
}

std::pair<const FastPassAligner::KmerAt*, const FastPassAligner::KmerAt*> FastPassAligner::bucket_entries(
    uint64_t hash) const {
  if (bucket_start_.empty()) return {nullptr, nullptr};
  const std::size_t b = bucket(hash);
  return {index_.data() + bucket_start_[b], index_.data() + bucket_start_[b + 1]};
}

std::vector<std::pair<int, int>> FastPassAligner::occurrences(std::string_view kmer) const {
  std::vector<std::pair<int, int>> out;
  if (kmer.size() != static_cast<std::size_t>(options_.kmer_size)) return out;
  const uint64_t hash = KmerHash(kmer.size())(kmer.data());
  for (auto [e, last] = bucket_entries(hash); e != last; ++e)
    if (e->hash == hash && holds(*e, kmer)) out.emplace_back(e->read, e->offset);
  return out;
}

std::size_t FastPassAligner::index_kmers() const {
  std::set<std::string_view> kmers;
  for (const KmerAt& e : index_)
    kmers.insert(std::string_view(reads_[static_cast<std::size_t>(e.read)]).substr(static_cast<std::size_t>(e.offset),
                                                                                   static_cast<std::size_t>(options_.kmer_size)));
  return kmers.size();
}

HaplotypeAlignment FastPassAligner::fast_align_reads_to_haplotype(std::size_t hi) const {
  const std::string& h = haplotypes_[hi];
  HaplotypeAlignment a;
  a.haplotype_index = hi;
  a.reads.assign(reads_.size(), ReadAlignment{});
  const bool is_ref = h == reference_;
  const auto k = static_cast<std::size_t>(options_.kmer_size);
  // Coverage of haplotype position i by the reads aligned so far, needed only at i: every
  // alignment found at k-mer i starts at or before i and ends after it, so a running count
  // plus the ends to come (ends[p]: alignments ending at p) gives it.
  std::vector<int> ends(h.size() + 1, 0);
  int covered = 0;
  std::vector<std::size_t> failed_at(reads_.size(), SIZE_MAX);  // per read: where it last failed
  int score = 0;
  const KmerHash hash(k);
  uint64_t kmer_hash = h.size() >= k ? hash(h.data()) : 0;
  for (std::size_t i = 0; i + k <= h.size(); ++i) {
    if (i) {
      kmer_hash = hash.roll(kmer_hash, h.data() + i - 1);
      covered -= ends[i];
    }
    // The k-mer's occurrences in the reads; an occurrence that cannot change anything (the
    // read does not fit, or is aligned there already) is only compared to know whether the
    // k-mer occurs at all.
    bool found = false;
    const std::string_view kmer = std::string_view(h).substr(i, k);
    for (auto [e, last] = bucket_entries(kmer_hash); e != last; ++e) {
      const KmerAt& occ = *e;
      if (occ.hash != kmer_hash) continue;
      const std::string& read = reads_[static_cast<std::size_t>(occ.read)];
      const auto roff = static_cast<std::size_t>(occ.offset);
      const std::size_t t = i > roff ? i - roff : 0;
      ReadAlignment& ra = a.reads[static_cast<std::size_t>(occ.read)];
      // A comparison that failed changes nothing, and would fail again at the same place.
      std::size_t& failed = failed_at[static_cast<std::size_t>(occ.read)];
      const bool useless = t + read.size() > h.size() || (ra.position != ReadAlignment::kNotAligned && ra.position == t) ||
                           failed == t;
      if (useless && found) continue;
      if (!holds(occ, kmer)) continue;  // a hash collision
      found = true;
      if (useless) continue;
      const auto [sc, mm] = fast_align_strings(std::string_view(h).substr(t, read.size()), read,
                                               options_.max_num_mismatches + 1, options_.match, options_.mismatch);
      if (mm > options_.max_num_mismatches) failed = t;
      if (mm <= options_.max_num_mismatches) {
        ++covered;
        ++ends[t + read.size()];
        if (ra.score < sc) {  // strictly better replaces; ties keep the first
          score += sc - ra.score;
          ra = {static_cast<uint16_t>(t), std::to_string(read.size()) + "=", sc};
        }
      }
    }
    if (!found) continue;  // the coverage test below is skipped here too (DeepVariant)
    if (covered == 0 && static_cast<int>(i) >= ref_prefix_len_ &&
        static_cast<int64_t>(i) < static_cast<int64_t>(h.size()) - ref_suffix_len_ && !is_ref) {
      score = 0;
      break;
    }
  }
  a.haplotype_score = score;
  if (score == 0) a.reads.assign(reads_.size(), ReadAlignment{});
  return a;
}

void FastPassAligner::fast_align_reads_to_haplotypes() {
  alignments_.clear();
  for (std::size_t i = 0; i < haplotypes_.size(); ++i) alignments_.push_back(fast_align_reads_to_haplotype(i));
}

void FastPassAligner::align_haplotypes_to_reference() {
  align_haplotypes_to_reference(std::vector<char>(alignments_.size(), 1));
}

namespace {
constexpr int kMaxExactBand = 64;  // diagonals: beyond, libssw's SIMD pass is the cheaper
}  // namespace

void FastPassAligner::align_haplotypes_to_reference(const std::vector<char>& which) {
  SswAligner ssw(options_.match, options_.mismatch, options_.gap_open, options_.gap_extend);
  ssw.set_target(reference_);
  for (std::size_t j = 0; j < alignments_.size(); ++j) {
    if (!which[j]) continue;
    HaplotypeAlignment& a = alignments_[j];
    const std::string& h = haplotypes_[a.haplotype_index];
    if (h == reference_) {
      a.is_reference = true;
      a.cigar = std::to_string(h.size()) + "=";
      a.ref_pos = 0;
    } else {
      // libssw's answer where it can be known more cheaply and exactly (a haplotype is its
      // reference window with a few edits), else libssw.
      std::optional<SswAlignment> known = ssw.align_one_substitution(h);
      if (!known) known = ssw.align_unique_in_band(h, kMaxExactBand);
      const SswAlignment s = known ? *std::move(known) : ssw.align(h, options_.read_size);
      if (s.score > 0) {
        a.is_reference = s.cigar == std::to_string(h.size()) + "=";
        a.cigar = s.cigar;
        a.ref_pos = s.ref_begin;
      }
      // Score 0 (unreachable with shared flanks): DeepVariant leaves these unset; here they
      // stay "not the reference, at 0", with no CIGAR (no read can then be composed on it).
    }
    a.cigar_ops = cigar_string_to_ops(a.cigar);
    a.position_map = position_map(a.cigar, h.size());
  }
}

void FastPassAligner::ssw_align_reads_to_haplotypes(int score_threshold) {
  std::vector<char> fast_aligned(reads_.size(), 0);
  for (const auto& a : alignments_)
    for (std::size_t i = 0; i < reads_.size(); ++i) fast_aligned[i] = fast_aligned[i] || a.reads[i].score > 0;
  SswAligner ssw(options_.match, options_.mismatch, options_.gap_open, options_.gap_extend);
  std::vector<std::unique_ptr<SswQuery>> queries(reads_.size());  // profiled once per read
  for (HaplotypeAlignment& a : alignments_) {
    if (a.haplotype_score == 0) continue;
    ssw.set_target(haplotypes_[a.haplotype_index]);
    for (std::size_t i = 0; i < reads_.size(); ++i) {
      if (fast_aligned[i]) continue;
      if (!queries[i]) queries[i] = std::make_unique<SswQuery>(ssw.query(reads_[i]));
      const SswAlignment s = ssw.align(*queries[i], options_.read_size);
      if (s.score >= score_threshold) a.reads[i] = {static_cast<uint16_t>(s.ref_begin), s.cigar, s.score};
    }
  }
}

void FastPassAligner::sort_haplotype_alignments() {
  // std::sort on the score only, as DeepVariant (not stable beyond 16 haplotypes in libstdc++).
  std::sort(alignments_.begin(), alignments_.end(),
            [](const HaplotypeAlignment& a, const HaplotypeAlignment& b) { return a.haplotype_score < b.haplotype_score; });
}

int FastPassAligner::best_haplotype(std::size_t read) const {
  // The highest score; on a tie the last haplotype that is not the reference.
  int best = 0;
  int idx = -1;
  for (std::size_t j = 0; j < alignments_.size(); ++j) {
    const int s = alignments_[j].reads[read].score;
    if (s > best || (best > 0 && s == best && !alignments_[j].is_reference)) best = s, idx = static_cast<int>(j);
  }
  return idx;
}

std::vector<ReadRealignment> FastPassAligner::realign_reads_to_reference() const {
  std::vector<ReadRealignment> out(reads_.size());
  for (std::size_t i = 0; i < reads_.size(); ++i) {
    const int idx = best_haplotype(i);
    if (idx < 0) continue;
    const HaplotypeAlignment& a = alignments_[static_cast<std::size_t>(idx)];
    if (a.cigar.empty()) continue;
    const int rp = a.reads[i].position;
    if (rp < 0 || static_cast<std::size_t>(rp) >= a.position_map.size()) continue;
    const int64_t offset = a.ref_pos + rp + a.position_map[static_cast<std::size_t>(rp)];
    std::vector<CigarUnit> cigar = compose_read_to_reference(cigar_string_to_ops(a.reads[i].cigar),
                                                             left_trim(a.cigar_ops, rp), static_cast<int>(reads_[i].size()));
    if (cigar.empty()) continue;
    if (!options_.normalize_reads && !alignment_normalized(reads_[i], reference_, offset, cigar)) continue;
    out[i] = {true, region_start_ + offset, std::move(cigar)};
  }
  return out;
}

std::vector<ReadRealignment> FastPassAligner::align_reads(const std::vector<std::string>& reads) {
  set_reads(reads);
  const int threshold = ssw_score_threshold();
  build_index();
  fast_align_reads_to_haplotypes();
  ssw_align_reads_to_haplotypes(threshold);  // needs only the reads' fast-pass alignments
  sort_haplotype_alignments();
  // DeepVariant aligns every haplotype to the reference; only two things read the result: a
  // read's composed alignment, on its best haplotype, and is_reference, which breaks ties
  // between haplotypes. So: is_reference of every haplotype first (a haplotype that is not
  // the reference and not a substring of it cannot align as one run of matches: no
  // Smith-Waterman needed to know it is not), then the alignments of the haplotypes some
  // read chose. The results are those of aligning them all.
  std::vector<char> which(alignments_.size(), 0), done(alignments_.size(), 0);
  for (std::size_t j = 0; j < alignments_.size(); ++j) {
    const std::string& h = haplotypes_[alignments_[j].haplotype_index];
    which[j] = h == reference_ || reference_.find(h) != std::string::npos;
  }
  align_haplotypes_to_reference(which);
  done = which;
  std::fill(which.begin(), which.end(), 0);
  for (std::size_t i = 0; i < reads_.size(); ++i) {
    const int idx = best_haplotype(i);
    if (idx >= 0 && !done[static_cast<std::size_t>(idx)]) which[static_cast<std::size_t>(idx)] = 1;
  }
  align_haplotypes_to_reference(which);
  return realign_reads_to_reference();
}

}  // namespace smallcall
