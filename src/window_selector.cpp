#include "smallcall/window_selector.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

namespace smallcall {

namespace {

enum Type : uint8_t { kReference, kSubstitution, kInsertion, kDeletion, kSoftClip };

bool canonical(char c) { return c == 'A' || c == 'C' || c == 'G' || c == 'T'; }

struct Allele {
  int64_t position;
  Type type;
  bool low_quality;
  uint32_t bases_at, bases_len;  // the allele's bases: [bases_at, + bases_len) of the read's buffer
};

struct Entry {  // one read's allele at one position
  int key;
  Type type;
  std::string bases;
  bool low_quality;
};

// DeepVariant's AlleleCounter::Add as the window selector runs it: the read's alleles in
// CIGAR order (deepvariant-realigner.md 5.1), each passed to emit(position, type, low quality,
// bases) unless the next one is at the same position (the supersede rule: the later allele
// replaces it).
template <typename Emit>
void read_alleles(const bam1_t* b, const ReferenceSpan& ref, int min_bq, std::string& buffer, Emit emit) {
  buffer.clear();
  Allele pending{};
  bool has_pending = false;
  auto emit_pending = [&]() {
    emit(pending.position, pending.type, pending.low_quality,
         std::string_view(buffer).substr(pending.bases_at, pending.bases_len));
  };
  auto add = [&](int64_t position, Type type, bool low_quality, std::size_t at) {
    if (has_pending && pending.position != position) emit_pending();
    pending = {position, type, low_quality, static_cast<uint32_t>(at), static_cast<uint32_t>(buffer.size() - at)};
    has_pending = true;
  };
  const uint32_t* cigar = bam_get_cigar(b);
  const uint8_t* seq = bam_get_seq(b);
  const uint8_t* qual = bam_get_qual(b);
  auto base = [&](int i) { return seq_nt16_str[bam_seqi(seq, i)]; };
  int64_t pos = b->core.pos;
  int ro = 0;
  auto prev_base = [&]() -> char { return ro > 0 ? base(ro - 1) : ref.at(pos - 1); };
  for (uint32_t k = 0; k < b->core.n_cigar; ++k) {
    const int op = bam_cigar_op(cigar[k]);
    const int len = static_cast<int>(bam_cigar_oplen(cigar[k]));
    switch (op) {
      case BAM_CMATCH: case BAM_CEQUAL: case BAM_CDIFF:
        // Only the run's last base can be superseded (by an insertion, deletion or soft clip
        // anchored on it); the others are passed on at once, after what was pending (always
        // at another position: every earlier allele lies before this run).
        for (int i = 0; i < len; ++i) {
          const char c = base(ro + i);
          if (!canonical(c)) continue;
          const int64_t p = pos + i;
          const Type type = c == ref.at(p) ? kReference : kSubstitution;
          const bool low = qual[ro + i] < min_bq;
          if (i + 1 < len) {
            if (has_pending) emit_pending(), has_pending = false;
            emit(p, type, low, std::string_view(&c, 1));
          } else {
            const std::size_t at = buffer.size();
            buffer += c;
            add(p, type, low, at);
          }
        }
        pos += len;
        ro += len;
        break;
      case BAM_CINS: case BAM_CSOFT_CLIP: {
        const char anchor = prev_base();
        const std::size_t at = buffer.size();
        buffer += anchor;
        int sum = 0;
        bool ok = canonical(anchor);
        for (int i = 0; i < len && ok; ++i) {
          buffer += base(ro + i);
          ok = canonical(buffer.back());
          sum += qual[ro + i];
        }
        if (ok && len > 0) add(pos - 1, op == BAM_CINS ? kInsertion : kSoftClip, sum < min_bq * len, at);
        ro += len;
        break;
      }
      case BAM_CDEL: {
        const char anchor = prev_base();
        const std::size_t at = buffer.size();
        buffer += anchor;
        bool ok = canonical(anchor) && pos + len <= ref.contig_length;
        for (int i = 0; i < len && ok; ++i) {
          buffer += ref.at(pos + i);
          ok = canonical(buffer.back());
        }
        if (ok && len > 0) add(pos - 1, kDeletion, false, at);
        pos += len;
        break;
      }
      case BAM_CREF_SKIP: pos += len; break;
      default: break;  // hard clips, padding
    }
  }
  if (has_pending) emit_pending();
}

}  // namespace

std::vector<int64_t> window_candidate_positions(const bam1_t* const* reads, std::size_t n, int64_t begin,
                                                int64_t end, const ReferenceSpan& ref,
                                                const WindowSelectorOptions& o) {
  const int64_t e_begin = std::max<int64_t>(0, begin - o.region_expansion_in_bp);
  const int64_t e_end = std::min(ref.contig_length, end + o.region_expansion_in_bp);
  const auto size = static_cast<std::size_t>(std::max<int64_t>(0, e_end - e_begin));
  std::vector<int64_t> ref_count(size, 0);
  std::vector<std::vector<Entry>> entries(size);
  std::unordered_map<std::string, int> keys;
  std::string buffer;
  for (std::size_t r = 0; r < n; ++r) {
    const bam1_t* b = reads[r];
    if (b->core.qual < o.min_mapq) continue;
    const std::string name = std::string(bam_get_qname(b)) + "/" + ((b->core.flag & BAM_FREAD2) ? "1" : "0");
    const int key = keys.emplace(name, static_cast<int>(keys.size())).first->second;
    read_alleles(b, ref, o.min_base_quality, buffer, [&](int64_t position, Type type, bool low_quality, std::string_view bases) {
      if (position < e_begin || position >= e_end) return;
      const auto i = static_cast<std::size_t>(position - e_begin);
      if (type == kReference && !low_quality) {
        ++ref_count[i];
        return;
      }
      auto& at = entries[i];
      Entry entry{key, type, std::string(bases), low_quality};
      auto it = std::find_if(at.begin(), at.end(), [&](const Entry& e) { return e.key == key; });
      if (it != at.end()) *it = std::move(entry);  // the read's last allele here
      else at.push_back(std::move(entry));
    });
  }

  std::vector<int64_t> positions;
  const auto isize = static_cast<int64_t>(size);
  auto range = [&](int64_t i, Type type, int64_t len, auto add) {
    int64_t lo = i, hi = i + 1;
    if (type == kInsertion || type == kSoftClip) lo = i + 2 - len, hi = i + len;
    else if (type == kDeletion) lo = i + 1, hi = i + len;
    for (int64_t j = std::max<int64_t>(lo, 0); j < std::min(hi, isize); ++j) add(static_cast<std::size_t>(j));
  };
  if (!o.use_window_selector_model) {
    // VARIANT_READS: each non-reference allele at least two reads carry (not low quality)
    // adds its read count over the positions it touches.
    std::vector<int64_t> w(size, 0);
    std::map<std::pair<Type, std::string>, int64_t> groups;
    for (std::size_t i = 0; i < size; ++i) {
      groups.clear();
      for (const Entry& e : entries[i])
        if (!e.low_quality) ++groups[{e.type, e.bases}];
      for (const auto& group : groups) {
        const auto& key = group.first;
        const int64_t count = group.second;
        if (key.first == kReference || count < o.min_allele_support) continue;
        range(static_cast<int64_t>(i), key.first, static_cast<int64_t>(key.second.size()),
              [&](std::size_t j) { w[j] += count; });
      }
    }
    for (std::size_t i = 0; i < size; ++i)
      if (w[i] >= o.min_num_supporting_reads && w[i] <= o.max_num_supporting_reads)
        positions.push_back(e_begin + static_cast<int64_t>(i));
  } else {
    // ALLELE_COUNT_LINEAR, in float, every read's allele (low-quality ones too).
    const LinearWindowModel& m = o.linear_model;
    std::vector<float> w(size, 0.f);
    for (std::size_t i = 0; i < size; ++i) {
      w[i] = m.bias;
      w[i] += static_cast<float>(ref_count[i]) * m.reference;
    }
    for (std::size_t i = 0; i < size; ++i)
      for (const Entry& e : entries[i]) {
        const float c = e.type == kSubstitution ? m.substitution
                        : e.type == kSoftClip   ? m.soft_clip
                        : e.type == kInsertion  ? m.insertion
                        : e.type == kDeletion   ? m.deletion
                                                : 0.f;
        if (e.type == kReference) continue;
        range(static_cast<int64_t>(i), e.type, static_cast<int64_t>(e.bases.size()), [&](std::size_t j) { w[j] += c; });
      }
    for (std::size_t i = 0; i < size; ++i)
      if (w[i] > m.decision_boundary) positions.push_back(e_begin + static_cast<int64_t>(i));
  }
  return positions;
}

std::vector<Window> candidates_to_windows(std::vector<int64_t> positions, int d) {
  std::vector<Window> out;
  if (positions.empty()) return out;
  std::sort(positions.begin(), positions.end());
  int64_t start = positions[0], end = positions[0];
  for (std::size_t k = 1; k < positions.size(); ++k) {
    if (positions[k] > end + 2 * static_cast<int64_t>(d)) {
      out.push_back({start - d, end + d});
      start = end = positions[k];
    } else {
      end = positions[k];
    }
  }
  out.push_back({start - d, end + d});
  return out;
}

std::vector<Window> select_windows(const bam1_t* const* reads, std::size_t n, int64_t begin, int64_t end,
                                   const ReferenceSpan& ref, const WindowSelectorOptions& o) {
  if (n == 0) return {};
  if (o.realign_all) return {{begin, end}};
  return candidates_to_windows(window_candidate_positions(reads, n, begin, end, ref, o), o.min_windows_distance);
}

}  // namespace smallcall
