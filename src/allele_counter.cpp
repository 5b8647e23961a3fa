#include "smallcall/allele_counter.hpp"

#include <htslib/sam.h>

#include <algorithm>
#include <unordered_map>

#include "smallcall/error.hpp"

namespace smallcall {

namespace {
bool canonical(char c) { return c == 'A' || c == 'C' || c == 'G' || c == 'T'; }
char read_base(const uint8_t* seq, int i) { return seq_nt16_str[bam_seqi(seq, i)]; }
// out[i] = how many of v[0..i) satisfy keep: any range is then counted in O(1).
template <typename T, typename Keep>
void prefix_count(const std::vector<T>& v, Keep keep, std::vector<uint32_t>& out) {
  out.assign(v.size() + 1, 0);
  for (std::size_t i = 0; i < v.size(); ++i) out[i + 1] = out[i] + (keep(v[i]) ? 1 : 0);
}
}  // namespace

struct AlleleCounter::Impl {
  enum AlleleType : uint8_t { kReference, kSubstitution, kInsertion, kDeletion, kSoftClip };

  explicit Impl(const AlleleCounterOptions& options) : options_(options) {}
  void find_candidates(const PartitionView& p, std::vector<Candidate>& out);

  struct Entry {  // one read's allele at one position (DeepVariant's ReadAllele)
    uint32_t read_key;
    AlleleType type;
    bool low_quality;
    bool reverse;
    uint8_t mapping_quality;
    int32_t base_quality;  // average_base_quality
    uint32_t bases_offset, bases_length;  // into bases_
  };
  struct Pending {  // an allele emitted by the CIGAR walk, before the supersede rule
    int64_t position;
    AlleleType type;
    bool low_quality;
    int32_t base_quality;
    uint32_t bases_offset, bases_length;  // into read_bases_
  };
  struct Group {  // non-low-quality entries at a position with the same (type, bases)
    AlleleType type;
    std::string_view bases;
    int64_t count;
    bool accepted;
  };

  void count_pass(const PartitionView& p);      // pass 1: counts and non-reference alleles
  void reference_pass(const PartitionView& p);  // pass 2: reference alleles at candidate positions
  void walk_read(const PartitionView& p, const bam1_t* read);
  // The walked read's alleles after the supersede rule (of two consecutive alleles at one
  // position the earlier is dropped), inside the partition.
  template <typename Fn>
  void for_each_kept_allele(const PartitionView& p, Fn fn) const {
    for (std::size_t k = 0; k < pending_.size(); ++k) {
      const Pending& a = pending_[k];
      if (k + 1 < pending_.size() && pending_[k + 1].position == a.position) continue;
      if (a.position < p.begin || a.position >= p.end) continue;
      fn(a);
    }
  }
  void store(const PartitionView& p, const bam1_t* read, uint32_t key, bool key_repeats, const Pending& a);
  void add_entry(std::size_t i, const bam1_t* read, uint32_t key, bool key_repeats, const Pending& a);
  std::string_view bases(const Entry& e) const { return std::string_view(bases_).substr(e.bases_offset, e.bases_length); }
  // Groups and accepts the alleles at position index i; true when any is accepted.
  bool select(std::size_t i);
  char ref_at(const PartitionView& p, int64_t pos) const;

  AlleleCounterOptions options_;
  // Per position of the partition (index = position - begin), reused between partitions.
  std::vector<int64_t> ref_quality_count_;       // ref_supporting_read_count
  std::vector<std::vector<Entry>> entries_;      // read_alleles
  std::vector<char> is_candidate_;
  std::vector<uint32_t> candidate_prefix_;      // prefix counts of is_candidate_
  std::vector<uint32_t> read_keys_;              // per read: id of QNAME/n
  std::vector<char> key_repeats_;                // per key: more than one read has it
  std::string bases_;                            // allele bases of all entries
  std::string read_bases_;                       // scratch of the read being walked
  std::vector<Pending> pending_;
  std::vector<Group> groups_;
};

AlleleCounter::AlleleCounter(const AlleleCounterOptions& options) : impl_(std::make_unique<Impl>(options)) {
  const AlleleCounterOptions& c = options;
  if (c.vaf_context_window < 0)
    throw UsageError("--small_model_vaf_context_window_size must be >= 0 (0: no VAF context features)");
  if (c.min_base_quality < 0) throw UsageError("--min_base_quality must be >= 0");
  if (c.vsc_min_count_snps < 0 || c.vsc_min_count_indels < 0) throw UsageError("--vsc_min_count_* must be >= 0");
  if (!(c.vsc_min_fraction_snps >= 0 && c.vsc_min_fraction_snps <= 1) ||
      !(c.vsc_min_fraction_indels >= 0 && c.vsc_min_fraction_indels <= 1))
    throw UsageError("--vsc_min_fraction_* must be between 0 and 1");
}

char AlleleCounter::Impl::ref_at(const PartitionView& p, int64_t pos) const {
  const int64_t i = pos - p.reference_offset;
  if (i < 0 || i >= static_cast<int64_t>(p.reference.size())) return 'N';
  return p.reference[static_cast<std::size_t>(i)];
}

void AlleleCounter::Impl::walk_read(const PartitionView& p, const bam1_t* b) {
  pending_.clear();
  read_bases_.clear();
  const uint32_t* cigar = bam_get_cigar(b);
  const uint8_t* seq = bam_get_seq(b);
  const uint8_t* qual = bam_get_qual(b);
  const int min_bq = options_.min_base_quality;
  int64_t pos = b->core.pos;
  int roff = 0;
  // An insertion, soft clip or deletion is anchored at the preceding reference position
  // (VCF convention): bases = the base before it (the read's; the reference's at read
  // offset 0) + its own bases. Dropped when any base is not ACGT or there is no anchor.
  auto emit_anchored = [&](AlleleType type, int len, bool low_quality, int base_quality, auto op_base) {
    const bool at_start = roff == 0;
    if (len == 0 || (pos == 0 && at_start)) return;
    const auto offset = static_cast<uint32_t>(read_bases_.size());
    read_bases_ += at_start ? ref_at(p, pos - 1) : read_base(seq, roff - 1);
    for (int i = 0; i < len; ++i) read_bases_ += op_base(i);
    if (!std::all_of(read_bases_.begin() + offset, read_bases_.end(), canonical)) {
      read_bases_.resize(offset);
      return;
    }
    pending_.push_back({pos - 1, type, low_quality, base_quality, offset, static_cast<uint32_t>(len + 1)});
  };
  for (uint32_t k = 0; k < b->core.n_cigar; ++k) {
    const int op = bam_cigar_op(cigar[k]);
    const int len = static_cast<int>(bam_cigar_oplen(cigar[k]));
    switch (op) {
      case BAM_CMATCH:
      case BAM_CEQUAL:
      case BAM_CDIFF:
        // Only the bases inside the partition (long reads span many partitions).
        for (int i = static_cast<int>(std::clamp<int64_t>(p.begin - pos, 0, len)),
                 stop = static_cast<int>(std::clamp<int64_t>(p.end - pos, 0, len));
             i < stop; ++i) {
          const int64_t rp = pos + i;
          const char c = read_base(seq, roff + i);
          if (!canonical(c)) continue;
          const auto offset = static_cast<uint32_t>(read_bases_.size());
          read_bases_ += c;
          pending_.push_back({rp, c == ref_at(p, rp) ? kReference : kSubstitution, qual[roff + i] < min_bq,
                              qual[roff + i], offset, 1});
        }
        pos += len;
        roff += len;
        break;
      case BAM_CINS:
      case BAM_CSOFT_CLIP: {
        int sum = 0;
        for (int i = 0; i < len; ++i) sum += qual[roff + i];
        emit_anchored(op == BAM_CINS ? kInsertion : kSoftClip, len, sum < min_bq * len, sum / len,
                      [&](int i) { return read_base(seq, roff + i); });
        roff += len;
        break;
      }
      case BAM_CDEL:
        // A deletion is never low quality; its base quality is the anchor base's.
        if (pos + len <= p.contig_length)
          emit_anchored(kDeletion, len, false, roff == 0 ? 0 : qual[roff - 1],
                        [&](int i) { return ref_at(p, pos + i); });
        pos += len;
        break;
      case BAM_CREF_SKIP:
      case BAM_CPAD:  // DeepVariant advances the reference for P too
        pos += len;
        break;
      default:  // H, B: nothing
        break;
    }
  }
}

void AlleleCounter::Impl::store(const PartitionView& p, const bam1_t* read, uint32_t key, bool key_repeats,
                          const Pending& a) {
  const auto i = static_cast<std::size_t>(a.position - p.begin);
  if (a.type == kReference) {
    if (!a.low_quality) ++ref_quality_count_[i];
    return;  // stored only in the reference pass, at candidate positions
  }
  add_entry(i, read, key, key_repeats, a);
}

void AlleleCounter::Impl::add_entry(std::size_t i, const bam1_t* read, uint32_t key, bool key_repeats, const Pending& a) {
  const auto offset = static_cast<uint32_t>(bases_.size());
  bases_.append(read_bases_, a.bases_offset, a.bases_length);
  const Entry e{key,
                a.type,
                a.low_quality,
                (read->core.flag & BAM_FREVERSE) != 0,
                read->core.qual,
                a.base_quality,
                offset,
                a.bases_length};
  std::vector<Entry>& at = entries_[i];
  if (key_repeats) {  // read_alleles is keyed by read: the last write wins
    for (Entry& old : at)
      if (old.read_key == key) {
        old = e;
        return;
      }
  }
  at.push_back(e);
}

void AlleleCounter::Impl::count_pass(const PartitionView& p) {
  const auto n = static_cast<std::size_t>(p.end - p.begin);
  ref_quality_count_.assign(n, 0);
  if (entries_.size() < n) entries_.resize(n);
  for (std::size_t i = 0; i < n; ++i) entries_[i].clear();
  bases_.clear();
  for (std::size_t r = 0; r < p.num_reads; ++r) {
    const bam1_t* read = p.reads[r];
    walk_read(p, read);
    const uint32_t key = read_keys_[r];
    const bool repeats = key_repeats_[key] != 0;
    for_each_kept_allele(p, [&](const Pending& a) { store(p, read, key, repeats, a); });
  }
}

void AlleleCounter::Impl::reference_pass(const PartitionView& p) {
  // DeepVariant counts everything again with the candidate positions known. The result
  // equals pass 1 plus the reference alleles at those positions, so only reads that
  // reach a candidate are walked again. Reads sharing a key re-store all their alleles at
  // candidate positions in read order, so the last write wins as in a full recount.
  const auto n = static_cast<std::size_t>(p.end - p.begin);
  std::vector<uint32_t>& prefix = candidate_prefix_;
  prefix_count(is_candidate_, [](char c) { return c != 0; }, prefix);
  if (prefix[n] == 0) return;
  for (std::size_t r = 0; r < p.num_reads; ++r) {
    const bam1_t* read = p.reads[r];
    // Alleles lie in [start - 1, end]: anchors before the first base, deletions at the last.
    const int64_t lo = std::clamp<int64_t>(read->core.pos - 1, p.begin, p.end) - p.begin;
    const int64_t hi = std::clamp<int64_t>(bam_endpos(read) + 1, p.begin, p.end) - p.begin;
    if (prefix[static_cast<std::size_t>(hi)] == prefix[static_cast<std::size_t>(lo)]) continue;
    walk_read(p, read);
    const uint32_t key = read_keys_[r];
    const bool repeats = key_repeats_[key] != 0;
    for_each_kept_allele(p, [&](const Pending& a) {
      const auto i = static_cast<std::size_t>(a.position - p.begin);
      if (is_candidate_[i] && (repeats || a.type == kReference)) add_entry(i, read, key, repeats, a);
    });
  }
}

bool AlleleCounter::Impl::select(std::size_t i) {
  groups_.clear();
  int64_t total = ref_quality_count_[i];
  for (const Entry& e : entries_[i]) {
    if (e.type == kReference || e.low_quality) continue;
    ++total;
    const std::string_view b = bases(e);
    auto g = std::find_if(groups_.begin(), groups_.end(), [&](const Group& x) { return x.type == e.type && x.bases == b; });
    if (g == groups_.end())
      groups_.push_back({e.type, b, 1, false});
    else
      ++g->count;
  }
  bool any = false;
  for (Group& g : groups_) {
    const bool snp = g.type == kSubstitution;
    if (g.count < (snp ? options_.vsc_min_count_snps : options_.vsc_min_count_indels)) continue;
    if (g.type == kSoftClip) continue;
    const double min_fraction = snp ? options_.vsc_min_fraction_snps : options_.vsc_min_fraction_indels;
    if (static_cast<double>(g.count) / static_cast<double>(total) < min_fraction) continue;
    g.accepted = true;
    any = true;
  }
  return any;
}

void AlleleCounter::Impl::find_candidates(const PartitionView& p, std::vector<Candidate>& out) {
  out.clear();
  const auto n = static_cast<std::size_t>(p.end - p.begin);
  // Read keys QNAME/n (n = 0 unpaired or first of pair, else 1): mates count separately.
  {
    std::unordered_map<std::string, uint32_t> ids;
    ids.reserve(p.num_reads * 2);
    read_keys_.resize(p.num_reads);
    key_repeats_.clear();
    std::string key;
    for (std::size_t r = 0; r < p.num_reads; ++r) {
      const bam1_t* b = p.reads[r];
      key = bam_get_qname(b);
      key += (b->core.flag & BAM_FPAIRED) && !(b->core.flag & BAM_FREAD1) ? "/1" : "/0";
      auto [it, fresh] = ids.emplace(key, static_cast<uint32_t>(ids.size()));
      if (fresh) key_repeats_.push_back(0);
      else key_repeats_[it->second] = 1;
      read_keys_[r] = it->second;
    }
  }
  is_candidate_.assign(n, 0);

  // Pass 1 finds the candidate positions; with track_ref_reads, pass 2 counts again and
  // also stores the reference alleles at those positions (DeepVariant's two passes).
  count_pass(p);
  for (std::size_t i = 0; i < n; ++i)
    is_candidate_[i] = canonical(ref_at(p, p.begin + static_cast<int64_t>(i))) && select(i);
  if (options_.track_ref_reads) reference_pass(p);


  const int half = options_.vaf_context_window / 2;
  for (std::size_t i = 0; i < n; ++i) {
    // Pass 2 decides (it differs from pass 1 only when two reads share a key).
    if (!is_candidate_[i] || !select(i)) continue;
    const int64_t start = p.begin + static_cast<int64_t>(i);
    Candidate& c = out.emplace_back();
    c.start = start;
    // REF spans the longest accepted deletion.
    std::size_t deleted = 0;
    for (const Group& g : groups_)
      if (g.accepted && g.type == kDeletion) deleted = std::max(deleted, g.bases.size() - 1);
    c.ref.assign(1, ref_at(p, start));
    for (std::size_t k = 1; k <= deleted; ++k) c.ref += ref_at(p, start + static_cast<int64_t>(k));
    std::vector<std::pair<std::string, std::size_t>> alts;  // ALT string, group index
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      const Group& x = groups_[g];
      if (!x.accepted) continue;
      std::string alt = x.type == kDeletion ? std::string(1, x.bases[0]) + c.ref.substr(x.bases.size())
                                            : std::string(x.bases) + c.ref.substr(1);
      alts.emplace_back(std::move(alt), g);
    }
    std::sort(alts.begin(), alts.end());
    std::vector<int> alt_of_group(groups_.size(), -1);
    c.allele_depths.assign(1, ref_quality_count_[i]);
    c.depth = ref_quality_count_[i];
    for (const Group& g : groups_) c.depth += g.count;
    for (std::size_t k = 0; k < alts.size(); ++k) {
      c.alts.push_back(alts[k].first);
      alt_of_group[alts[k].second] = static_cast<int>(k);
      c.allele_depths.push_back(groups_[alts[k].second].count);
    }
    // Read support: every recorded allele at the position, any quality.
    c.alt_support.assign(c.alts.size(), ReadSupportTotals{});
    for (const Entry& e : entries_[i]) {
      if (e.type == kReference) {
        c.ref_support.add(e.mapping_quality, e.base_quality, e.reverse);
        continue;
      }
      const std::string_view b = bases(e);
      int alt = -1;
      for (std::size_t g = 0; g < groups_.size() && alt < 0; ++g)
        if (groups_[g].accepted && groups_[g].type == e.type && groups_[g].bases == b) alt = alt_of_group[g];
      (alt >= 0 ? c.alt_support[static_cast<std::size_t>(alt)] : c.uncalled_support)
          .add(e.mapping_quality, e.base_quality, e.reverse);
    }
    // VAF context: 100 * M / (R + M) at each position of the window inside the partition.
    // DeepVariant's offsets: -W/2..W/2 (W even too: W + 1 of them); none for W = 0.
    c.vaf_context.assign(options_.vaf_context_window ? static_cast<std::size_t>(2 * half + 1) : 0, 0);
    for (int o = -half; o <= half && options_.vaf_context_window; ++o) {
      const int64_t q = start + o;
      if (q < p.begin || q >= p.end) continue;
      const auto qi = static_cast<std::size_t>(q - p.begin);
      const int64_t m = static_cast<int64_t>(entries_[qi].size()), r = ref_quality_count_[qi];
      c.vaf_context[static_cast<std::size_t>(o + half)] = r + m > 0 ? static_cast<int>(100 * m / (r + m)) : 0;
    }
    // Realignment guard: inside a window the realigner gave up on.
    c.realignment_sensitive = std::any_of(p.guarded.begin(), p.guarded.end(), [&](const Window& w) {
      return start >= w.start && start < w.end;
    });
  }
}

AlleleCounter::~AlleleCounter() = default;
AlleleCounter::AlleleCounter(AlleleCounter&&) noexcept = default;
AlleleCounter& AlleleCounter::operator=(AlleleCounter&&) noexcept = default;

void AlleleCounter::find_candidates(const PartitionView& p, std::vector<Candidate>& out) {
  impl_->find_candidates(p, out);
}

}  // namespace smallcall
