#include "smallcall/realigner.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "smallcall/error.hpp"

namespace smallcall {

namespace {

std::string read_sequence(const bam1_t* b) {
  std::string s(static_cast<std::size_t>(b->core.l_qseq), 'N');
  const uint8_t* seq = bam_get_seq(b);
  for (int i = 0; i < b->core.l_qseq; ++i) s[static_cast<std::size_t>(i)] = seq_nt16_str[bam_seqi(seq, i)];
  return s;
}

int64_t overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1) { return std::max<int64_t>(0, std::min(a1, b1) - std::max(a0, b0)); }

bool same_alignment(const bam1_t* b, int64_t pos, const std::vector<CigarUnit>& cigar) {
  if (b->core.pos != pos || b->core.n_cigar != cigar.size()) return false;
  const uint32_t* c = bam_get_cigar(b);
  for (std::size_t i = 0; i < cigar.size(); ++i)
    if (BAM_CIGAR_STR[bam_cigar_op(c[i])] != cigar[i].op || static_cast<int>(bam_cigar_oplen(c[i])) != cigar[i].len)
      return false;
  return true;
}

}  // namespace

void set_alignment(bam1_t* b, int64_t position, const std::vector<CigarUnit>& cigar) {
  const std::size_t qname = b->core.l_qname;
  const std::size_t old_cigar = 4 * static_cast<std::size_t>(b->core.n_cigar);
  const std::size_t new_cigar = 4 * cigar.size();
  const std::size_t rest = static_cast<std::size_t>(b->l_data) - qname - old_cigar;
  const std::size_t length = qname + new_cigar + rest;
  if (length > b->m_data) {  // bam_init1 records own malloc'ed data
    auto* grown = static_cast<uint8_t*>(std::realloc(b->data, length));
    if (!grown) throw DataError("out of memory realigning a read");
    b->data = grown;
    b->m_data = static_cast<uint32_t>(length);
  }
  std::memmove(b->data + qname + new_cigar, b->data + qname + old_cigar, rest);
  auto* out = reinterpret_cast<uint32_t*>(b->data + qname);
  for (std::size_t i = 0; i < cigar.size(); ++i) {
    const char op = cigar[i].op;
    const uint32_t code = op == 'M' ? BAM_CMATCH : op == 'I' ? BAM_CINS : op == 'D' ? BAM_CDEL : op == 'S' ? BAM_CSOFT_CLIP : BAM_CHARD_CLIP;
    out[i] = bam_cigar_gen(static_cast<uint32_t>(cigar[i].len), code);
  }
  b->core.n_cigar = static_cast<uint32_t>(cigar.size());
  b->l_data = static_cast<int>(length);
  b->core.pos = position;
  b->core.bin = static_cast<uint16_t>(hts_reg2bin(position, bam_endpos(b), 14, 5));
}

std::vector<Window> Realigner::given_up() const {
  std::vector<Window> out;
  for (const auto& w : windows_)
    if (w.outcome == WindowOutcome::kNoGraph || w.outcome == WindowOutcome::kTooManyPaths ||
        w.outcome == WindowOutcome::kTooLong)
      out.push_back(w.window);
  return out;
}

void check_options(const RealignerOptions& o) {
  auto need = [](bool ok, const std::string& message) {
    if (!ok) throw UsageError(message);
  };
  const WindowSelectorOptions& w = o.windows;
  need(!(w.use_window_selector_model && w.supporting_reads_given),
       "--ws_min_num_supporting_reads and --ws_max_num_supporting_reads cannot be used with "
       "--ws_use_window_selector_model (DeepVariant refuses both)");
  need(w.min_num_supporting_reads <= w.max_num_supporting_reads,
       "--ws_min_num_supporting_reads must not be above --ws_max_num_supporting_reads");
  need(w.min_windows_distance >= 0, "--ws_min_windows_distance must be at least 0");
  need(w.region_expansion_in_bp >= 0, "--ws_region_expansion_in_bp must be at least 0");
  need(o.max_window_size >= 0, "--ws_max_window_size must be at least 0");
  need(o.max_read_length_to_realign >= 0, "--max_read_length_to_realign must be at least 0 (0: every length)");
  const DeBruijnOptions& g = o.graph;
  need(g.min_k >= 1, "--dbg_min_k must be at least 1");
  need(g.max_k >= g.min_k, "--dbg_max_k must be at least --dbg_min_k");
  need(g.step_k >= 1, "--dbg_step_k must be at least 1");
  need(g.max_num_paths >= 0, "--dbg_max_num_paths must be at least 0");
  const AlignerOptions& a = o.aligner;
  // 0 keeps fast_pass_aligner.h's default, as DeepVariant's set_options does.
  need(a.kmer_size == 0 || (a.kmer_size >= 3 && a.kmer_size <= 32), "--kmer_size must be between 3 and 32");
  need(a.max_num_mismatches >= 0, "--max_num_mismatches must be at least 0");
  need(a.match >= 0 && a.match <= 127, "--aln_match must be between 0 and 127 (libssw's 8-bit scores)");
  need(a.mismatch >= 0 && a.mismatch <= 127, "--aln_mismatch must be between 0 and 127 (libssw's 8-bit scores)");
  need(a.gap_open >= 0 && a.gap_open <= 255, "--aln_gap_open must be between 0 and 255 (libssw's 8-bit scores)");
  need(a.gap_extend >= 0 && a.gap_extend <= 255,
       "--aln_gap_extend must be between 0 and 255 (libssw's 8-bit scores)");
  need(a.similarity_threshold >= 0 && a.similarity_threshold <= 1,
       "--realignment_similarity_threshold must be between 0 and 1");
}

void Realigner::realign(bam1_t** reads, std::size_t n, int64_t begin, int64_t end, const ReferenceSpan& ref) {
  clear();
  // Reads longer than --max_read_length_to_realign never enter the realigner.
  std::vector<bam1_t*> short_reads;
  for (std::size_t i = 0; i < n; ++i)
    if (options_.max_read_length_to_realign <= 0 || reads[i]->core.l_qseq <= options_.max_read_length_to_realign)
      short_reads.push_back(reads[i]);
  if (short_reads.empty()) return;
  const std::vector<Window> selected =
      select_windows(short_reads.data(), short_reads.size(), begin, end, ref, options_.windows);
  counters_.windows += selected.size();

  // Assembly, window by window, on the reads as aligned.
  struct Assembled {
    std::size_t report;
    std::vector<bam1_t*> reads;
  };
  std::vector<Assembled> assembled;
  std::vector<std::string> sequences;
  for (const Window& w : selected) {
    WindowReport r;
    r.window = w;
    if (w.end - w.start > options_.max_window_size) {
      r.outcome = WindowOutcome::kTooLong;
      ++counters_.windows_too_long;
    } else if (w.start < 0 || w.start > w.end || w.start >= ref.contig_length || w.end > ref.contig_length) {
      r.outcome = WindowOutcome::kOffContig;
      ++counters_.windows_off_contig;
    } else {
      std::string window_ref;
      for (int64_t p = w.start; p < w.end; ++p) window_ref += ref.at(p) ? ref.at(p) : 'N';
      std::vector<GraphRead> graph_reads;
      sequences.clear();
      std::vector<bam1_t*> overlapping;
      for (bam1_t* b : short_reads)
        if (overlap(b->core.pos, bam_endpos(b), w.start, w.end) > 0) overlapping.push_back(b);
      sequences.reserve(overlapping.size());
      for (bam1_t* b : overlapping) {
        sequences.push_back(read_sequence(b));
        graph_reads.push_back({sequences.back(), bam_get_qual(b), b->core.qual});
      }
      Assembly a = assemble_haplotypes(window_ref, graph_reads, options_.graph);
      r.k = a.k;
      if (a.status == AssemblyStatus::kNoGraph) {
        r.outcome = WindowOutcome::kNoGraph;
        ++counters_.windows_no_graph;
      } else if (a.status == AssemblyStatus::kTooManyPaths) {
        r.outcome = WindowOutcome::kTooManyPaths;
        ++counters_.windows_too_many_paths;
      } else if (a.haplotypes.size() < 2) {
        r.outcome = WindowOutcome::kReferenceOnly;
        ++counters_.windows_reference_only;
        r.haplotypes = std::move(a.haplotypes);
      } else {
        r.outcome = WindowOutcome::kAssembled;
        ++counters_.windows_assembled;
        assembled.push_back({windows_.size(), {}});
        r.haplotypes = std::move(a.haplotypes);
      }
    }
    windows_.push_back(r);
  }
  if (assembled.empty()) return;

  // Each read to the assembled window its original span overlaps most (the first on ties).
  for (bam1_t* b : short_reads) {
    int64_t best = 0;
    Assembled* to = nullptr;
    for (Assembled& a : assembled) {
      const Window& w = windows_[a.report].window;
      const int64_t o = overlap(b->core.pos, bam_endpos(b), w.start, w.end);
      if (o > best) best = o, to = &a;
    }
    if (to) to->reads.push_back(b);
  }

  // Realignment per window: haplotypes and reference extended by the reads' span +- 20 bp.
  const int margin = options_.ref_align_margin;
  for (Assembled& a : assembled) {
    WindowReport& report = windows_[a.report];
    report.reads = a.reads.size();
    if (a.reads.empty()) continue;
    const Window& w = report.window;
    int64_t span_start = a.reads[0]->core.pos, span_end = bam_endpos(a.reads[0]);
    for (const bam1_t* b : a.reads) {
      span_start = std::min<int64_t>(span_start, b->core.pos);
      span_end = std::max<int64_t>(span_end, bam_endpos(b));
    }
    const int64_t ref_start = std::max<int64_t>(0, std::min(span_start, w.start) - margin);
    const int64_t ref_end = std::min(ref.contig_length, std::max(span_end, w.end) + margin);
    if (ref_end <= w.end) continue;  // the window ends at the contig end: reads unchanged
    auto bases = [&](int64_t from, int64_t to) {
      std::string s;
      for (int64_t p = from; p < to; ++p) s += ref.at(p) ? ref.at(p) : 'N';
      return s;
    };
    const std::string prefix = bases(ref_start, w.start), middle = bases(w.start, w.end), suffix = bases(w.end, ref_end);
    std::vector<std::string> haplotypes;
    for (const auto& h : report.haplotypes) haplotypes.push_back(prefix + h + suffix);
    AlignerOptions options = options_.aligner;
    options.read_size = a.reads[0]->core.l_qseq;
    FastPassAligner aligner(options);
    aligner.set_reference(prefix + middle + suffix);
    aligner.set_haplotypes(std::move(haplotypes));
    aligner.set_region_start(ref_start);
    aligner.set_ref_prefix_len(static_cast<int>(prefix.size()));
    aligner.set_ref_suffix_len(static_cast<int>(suffix.size()));
    sequences.clear();
    for (const bam1_t* b : a.reads) sequences.push_back(read_sequence(b));
    const std::vector<ReadRealignment> result = aligner.align_reads(sequences);
    for (std::size_t i = 0; i < a.reads.size(); ++i) {
      if (!result[i].realigned) continue;
      if (!same_alignment(a.reads[i], result[i].position, result[i].cigar)) ++counters_.reads_realigned;
      set_alignment(a.reads[i], result[i].position, result[i].cigar);
    }
  }
}

}  // namespace smallcall
