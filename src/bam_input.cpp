#include "smallcall/bam_input.hpp"

#include <htslib/faidx.h>
#include <htslib/sam.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "smallcall/byte_source.hpp"
#include "smallcall/error.hpp"
#include "smallcall/fasta_index.hpp"

namespace smallcall {

uint32_t numpy_randint(std::mt19937& rng, uint64_t high) {
  const uint64_t range = high - 1;  // numpy draws in [0, range]
  if (range == 0) return 0;
  if (range == 0xFFFFFFFFull) return static_cast<uint32_t>(rng());
  uint64_t mask = range;
  for (int s = 1; s < 64; s <<= 1) mask |= mask >> s;
  while (true) {
    const uint64_t v = static_cast<uint64_t>(rng()) & mask;
    if (v <= range) return static_cast<uint32_t>(v);
  }
}

namespace {

constexpr uint32_t kReservoirSeed = 609314161;  // make_examples' RandomState seed

// DeepVariant's EXCLUDED_HUMAN_CONTIGS, by pattern: skipped when no --regions names them.
bool excluded_contig(const std::string& c) {
  auto ends_with = [&](const char* s) {
    const std::size_t n = std::char_traits<char>::length(s);
    return c.size() >= n && c.compare(c.size() - n, n, s) == 0;
  };
  return c.rfind("GL", 0) == 0 || c.rfind("chrUn", 0) == 0 || c.rfind("HLA-", 0) == 0 || c == "NC_007605" ||
         c == "hs37d5" || c == "chrEBV" || ends_with("_random") || ends_with("_alt") || ends_with("_decoy");
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool parse_position(std::string text, int64_t& value) {
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  if (text.empty() || text.size() > 12) return false;
  for (char ch : text)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  value = std::stoll(text);
  return true;
}

}  // namespace

struct BamPartitionReader::Handles {
  samFile* file = nullptr;
  sam_hdr_t* header = nullptr;
  hts_idx_t* index = nullptr;
  faidx_t* fasta = nullptr;
  bam1_t* record = nullptr;
  ~Handles() {
    if (record) bam_destroy1(record);
    if (index) hts_idx_destroy(index);
    if (header) sam_hdr_destroy(header);
    if (file) sam_close(file);
    if (fasta) fai_destroy(fasta);
  }
};

void BamPartitionReader::read_sample_names() {
  // make_examples' extract_sample_name_from_sam_reader: the read groups' non-empty SM
  // values; the first when there are several.
  const int groups = sam_hdr_count_lines(h_->header, "RG");
  kstring_t ks = KS_INITIALIZE;
  for (int i = 0; i < groups; ++i) {
    if (sam_hdr_find_tag_pos(h_->header, "RG", i, "SM", &ks) != 0 || ks.l == 0) continue;
    const std::string sample(ks.s, ks.l);
    if (std::find(samples_.begin(), samples_.end(), sample) == samples_.end()) samples_.push_back(sample);
  }
  ks_free(&ks);
}

BamPartitionReader::BamPartitionReader(const SourceOptions& o)
    : options_(o), h_(std::make_unique<Handles>()), realigner_(o.realigner) {
  if (o.partition_size < 1) throw UsageError("--partition_size must be at least 1");
  if (o.max_reads_per_partition < 1) throw UsageError("--max_reads_per_partition must be at least 1");
  if (o.ref.empty()) throw UsageError("--reads needs --ref (the FASTA the reads were aligned to)");

  // Reference first: CRAM decoding needs it.
  h_->fasta = load_fasta_index(o.ref);

  h_->file = sam_open(o.reads.c_str(), "r");
  if (!h_->file) throw DataError(o.reads + ": cannot open the reads (BAM/CRAM)");
  const htsFormat* fmt = hts_get_format(h_->file);
  if (fmt->category != sequence_data || (fmt->format != bam && fmt->format != cram))
    throw DataError(o.reads + ": not a BAM or CRAM file");
  if (fmt->format == cram && hts_set_opt(h_->file, CRAM_OPT_REFERENCE, o.ref.c_str()) != 0)
    throw DataError(o.reads + ": cannot use " + o.ref + " as the CRAM reference");
  // Consecutive partitions query overlapping BGZF blocks: keep decoded blocks cached.
  hts_set_cache_size(h_->file, 8 << 20);
  h_->header = sam_hdr_read(h_->file);
  if (!h_->header) throw DataError(o.reads + ": cannot read the header");
  h_->index = sam_index_load(h_->file, o.reads.c_str());
  if (!h_->index)
    throw DataError(o.reads + ": no index found (" + (fmt->format == cram ? ".crai" : ".bai or .csi") +
                    "); create it with `samtools index`");
  h_->record = bam_init1();
  read_sample_names();

  // Contigs shared by the reference and the reads, in reference order; equal names must
  // have equal lengths or the reads were aligned to another reference.
  std::map<std::string, std::size_t> shared;  // contig -> index into `contigs`
  std::vector<CallingInterval> contigs;
  for (int i = 0; i < faidx_nseq(h_->fasta); ++i) {
    const std::string name = faidx_iseq(h_->fasta, i);
    const int tid = sam_hdr_name2tid(h_->header, name.c_str());
    if (tid < 0) continue;
    const int64_t fasta_len = faidx_seq_len(h_->fasta, name.c_str());
    const int64_t bam_len = static_cast<int64_t>(sam_hdr_tid2len(h_->header, tid));
    if (fasta_len != bam_len)
      throw DataError("reference/reads contig mismatch: " + name + " is " + std::to_string(fasta_len) + " bp in " +
                      o.ref + " but " + std::to_string(bam_len) + " bp in " + o.reads +
                      " (the reads were aligned to another reference)");
    shared[name] = contigs.size();
    contigs.push_back({tid, name, fasta_len, 0, fasta_len});
  }
  if (contigs.empty())
    throw DataError("reference/reads contig mismatch: " + o.ref + " and " + o.reads +
                    " share no contig name");

  // Regions as DeepVariant builds them: --regions (or every shared contig), minus
  // --exclude_regions, as a sorted, merged range set; partitions are cut from it afterwards.
  // Both take "chr", "chr:pos", "chr:from-to" (1-based, inclusive) or BED files.
  auto parse = [&](const std::vector<std::string>& specs, const std::string& flag, bool strict,
                   std::vector<CallingInterval>& out) {
    auto add = [&](const std::string& contig, int64_t begin, int64_t end, const std::string& where) {
      auto it = shared.find(contig);
      if (it == shared.end()) {
        if (!strict) return;  // nothing of it to exclude
        throw UsageError(where + ": contig " + contig + " is not in both " + o.ref + " and " + o.reads);
      }
      const CallingInterval& c = contigs[it->second];
      if (begin < 0 || end > c.contig_length || begin >= end) {
        if (!strict) {
          begin = std::max<int64_t>(begin, 0);
          end = std::min(end, c.contig_length);
          if (begin >= end) return;
        } else {
          throw UsageError(where + ": outside " + contig + " (length " + std::to_string(c.contig_length) + ")");
        }
      }
      out.push_back({c.tid, c.contig, c.contig_length, begin, end});
    };
    for (const std::string& r : specs) {
      if (is_regular_file(r)) {  // BED (plain or gzip): contig, 0-based start, end
        ByteSource bed(r);
        LineReader lines(bed, 1 << 20);
        std::string text;
        while (lines.getline(text)) {
          if (!text.empty() && text.back() == '\r') text.pop_back();
          if (text.empty() || text[0] == '#' || text.rfind("track", 0) == 0 || text.rfind("browser", 0) == 0)
            continue;
          const std::size_t t1 = text.find('\t'), t2 = t1 == std::string::npos ? t1 : text.find('\t', t1 + 1);
          int64_t b = 0, e = 0;
          if (t2 == std::string::npos || !parse_position(text.substr(t1 + 1, t2 - t1 - 1), b) ||
              !parse_position(text.substr(t2 + 1, text.find('\t', t2 + 1) - t2 - 1), e))
            throw DataError(located(r, lines.line_no(), "expected contig<TAB>start<TAB>end (0-based, end exclusive)"));
          if (e == b) continue;  // empty interval
          add(text.substr(0, t1), b, e, located(r, lines.line_no(), "region"));
        }
        continue;
      }
      // "chr", "chr:pos" or "chr:from-to" (1-based, inclusive); a contig named with ':' wins.
      const std::size_t colon = r.rfind(':');
      if (colon == std::string::npos || shared.count(r)) {
        auto it = shared.find(r);
        if (it == shared.end()) {
          if (!strict) continue;
          throw UsageError(flag + " " + r + ": contig is not in both " + o.ref + " and " + o.reads);
        }
        out.push_back(contigs[it->second]);
        continue;
      }
      const std::string contig = r.substr(0, colon), span = r.substr(colon + 1);
      const std::size_t dash = span.find('-');
      int64_t from = 0, to = 0;
      const bool ok = dash == std::string::npos ? parse_position(span, from) && (to = from, true)
                                                : parse_position(span.substr(0, dash), from) &&
                                                      parse_position(span.substr(dash + 1), to);
      if (!ok || from < 1 || to < from)
        throw UsageError(flag + " " + r + ": expected chr, chr:pos or chr:from-to (1-based, from <= to) or a BED file");
      add(contig, from - 1, to, flag + " " + r);
    }
    // RangeSet: sort in reference order, merge overlapping or adjacent intervals.
    std::sort(out.begin(), out.end(), [&](const CallingInterval& a, const CallingInterval& b) {
      const std::size_t ia = shared[a.contig], ib = shared[b.contig];
      return ia != ib ? ia < ib : a.begin < b.begin;
    });
    std::vector<CallingInterval> merged;
    for (const auto& iv : out) {
      if (!merged.empty() && merged.back().tid == iv.tid && iv.begin <= merged.back().end)
        merged.back().end = std::max(merged.back().end, iv.end);
      else
        merged.push_back(iv);
    }
    out = std::move(merged);
  };
  std::vector<CallingInterval> include, exclude;
  if (o.regions.empty()) {
    for (const auto& c : contigs)
      if (!excluded_contig(c.contig)) include.push_back(c);
  } else {
    parse(o.regions, "--regions", true, include);
  }
  parse(o.exclude_regions, "--exclude_regions", false, exclude);
  // include minus exclude (both sorted and merged, in reference order).
  std::size_t x = 0;
  for (CallingInterval iv : include) {
    const std::size_t ci = shared[iv.contig];
    while (x < exclude.size() && (shared[exclude[x].contig] < ci || (exclude[x].tid == iv.tid && exclude[x].end <= iv.begin)))
      ++x;
    for (std::size_t k = x; k < exclude.size() && exclude[k].tid == iv.tid && exclude[k].begin < iv.end; ++k) {
      if (exclude[k].begin > iv.begin) {
        CallingInterval left = iv;
        left.end = exclude[k].begin;
        intervals_.push_back(left);
      }
      iv.begin = std::max(iv.begin, exclude[k].end);
      if (iv.begin >= iv.end) break;
    }
    if (iv.begin < iv.end) intervals_.push_back(iv);
  }
  for (const auto& iv : intervals_) bases_total_ += static_cast<uint64_t>(iv.end - iv.begin);
  if (!intervals_.empty()) next_begin_ = intervals_[0].begin;
}

BamPartitionReader::~BamPartitionReader() {
  for (bam1_t* b : pool_) bam_destroy1(b);
}

double BamPartitionReader::fraction_consumed() const {
  return bases_total_ ? static_cast<double>(bases_done_) / static_cast<double>(bases_total_) : 1.0;
}

bool BamPartitionReader::next(PartitionView& view, std::string& region_name) {
  while (interval_index_ < intervals_.size()) {
    const CallingInterval& iv = intervals_[interval_index_];
    const int64_t begin = next_begin_;
    const int64_t end = std::min(iv.end, begin + options_.partition_size);
    const uint64_t k = partition_index_++;
    bases_done_ += static_cast<uint64_t>(end - begin);
    if (end >= iv.end) {
      if (++interval_index_ < intervals_.size()) next_begin_ = intervals_[interval_index_].begin;
    } else {
      next_begin_ = end;
    }
    if (options_.num_shards > 0 && static_cast<long long>(k % static_cast<uint64_t>(options_.num_shards)) != options_.task)
      continue;
    ++counters_.partitions;
    region_name = iv.contig + ":" + std::to_string(begin + 1) + "-" + std::to_string(end);  // 1-based
    // A partition without a usable read has no candidate: nothing more is read for it.
    if (!load_partition(iv, begin, end, region_name)) continue;
    view.contig = iv.contig;
    view.contig_length = iv.contig_length;
    view.begin = begin;
    view.end = end;
    view.reference = reference_;
    view.reference_offset = reference_offset_;
    view.reads = pool_.data();
    view.num_reads = pool_used_;
    view.guarded = guarded_;
    return true;
  }
  return false;
}

bool BamPartitionReader::load_partition(const CallingInterval& iv, int64_t begin, int64_t end,
                                        const std::string& where) {
  pool_used_ = 0;
  guarded_.clear();
  realigner_.clear();
  hts_itr_t* itr = sam_itr_queryi(h_->index, iv.tid, begin, end);
  if (!itr) throw DataError(options_.reads + ": cannot query " + where + " in the index");
  // The BAM index lists no chunk: no read overlaps, nothing to read (most of a WGS contig
  // when the file covers a part of it).
  if (!itr->is_cram && itr->n_off == 0) {
    hts_itr_destroy(itr);
    return false;
  }
  rng_.seed(kReservoirSeed);  // DeepVariant re-seeds for every region
  const auto capacity = static_cast<std::size_t>(options_.max_reads_per_partition);
  uint64_t kept = 0;  // reads that passed the filters: Algorithm R's i
  int64_t max_end = end;
  int got;
  bam1_t* b = h_->record;
  while ((got = sam_itr_next(h_->file, itr, b)) >= 0) {
    ++counters_.reads_seen;
    const uint16_t flag = b->core.flag;
    const bool improperly_placed = (flag & BAM_FPAIRED) && !(flag & BAM_FPROPER_PAIR) && !(flag & BAM_FMUNMAP) &&
                                   b->core.mtid >= 0 && b->core.mtid != b->core.tid;
    if ((flag & (BAM_FUNMAP | BAM_FQCFAIL)) || ((flag & BAM_FDUP) && !options_.keep_duplicates) ||
        ((flag & BAM_FSECONDARY) && !options_.keep_secondary_alignments) ||
        ((flag & BAM_FSUPPLEMENTARY) && !options_.keep_supplementary_alignments) || improperly_placed ||
        b->core.qual < options_.min_mapping_quality) {
      ++counters_.reads_filtered;
      continue;
    }
    if (b->core.n_cigar && bam_cigar2qlen(static_cast<int>(b->core.n_cigar), bam_get_cigar(b)) != b->core.l_qseq)
      throw DataError(options_.reads + ": read " + bam_get_qname(b) + " in " + where +
                      ": CIGAR and sequence lengths differ");
    if (b->core.l_qseq == 0 || bam_get_qual(b)[0] == 0xff) {  // DeepVariant would abort on these
      ++counters_.reads_without_qualities;
      continue;
    }
    std::size_t slot;
    if (kept < capacity) {
      slot = static_cast<std::size_t>(kept);
    } else {
      slot = numpy_randint(rng_, kept + 1);
      ++counters_.reads_downsampled;
    }
    ++kept;
    if (slot >= capacity) continue;
    if (slot >= pool_.size()) pool_.push_back(bam_init1());
    if (!bam_copy1(pool_[slot], b)) {
      hts_itr_destroy(itr);
      throw DataError("out of memory copying a read");
    }
    pool_used_ = std::max(pool_used_, slot + 1);
  }
  hts_itr_destroy(itr);
  if (got < -1)
    throw DataError(options_.reads + ": cannot decode reads in " + where +
                    (hts_get_format(h_->file)->format == cram
                         ? " (is " + options_.ref + " the CRAM's reference?)"
                         : " (truncated or corrupt file)"));
  counters_.reads_used += pool_used_;
  if (pool_used_ == 0) return false;

  // The realigner, as make_examples runs it: on the sampled reads, per partition. Its
  // reference covers every window (partition +- 100 bp) and every read +- 20 bp.
  if (options_.realigner.realign_reads && pool_used_) {
    int64_t lo = begin - 120, hi = end + 120;
    for (std::size_t i = 0; i < pool_used_; ++i) {
      lo = std::min<int64_t>(lo, pool_[i]->core.pos - 20);
      hi = std::max<int64_t>(hi, bam_endpos(pool_[i]) + 20);
    }
    ReferenceSpan span;
    span.offset = std::max<int64_t>(0, lo);
    span.contig_length = iv.contig_length;
    fetch_reference(iv, span.offset, std::min(iv.contig_length, hi), where, span.bases);
    realigner_.realign(pool_.data(), pool_used_, begin, end, span);
    guarded_ = realigner_.given_up();
    // The allele counter sees the reads whose (new) span overlaps the partition, in order.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pool_used_; ++i)
      if (pool_[i]->core.pos < end && bam_endpos(pool_[i]) > begin) std::swap(pool_[kept++], pool_[i]);
    pool_used_ = kept;
  }
  for (std::size_t i = 0; i < pool_used_; ++i) max_end = std::max<int64_t>(max_end, bam_endpos(pool_[i]));

  // Reference for [begin - 1, max read end): anchors before the partition and deletions past it.
  reference_offset_ = std::max<int64_t>(0, begin - 1);
  fetch_reference(iv, reference_offset_, std::min(iv.contig_length, max_end), where, reference_);
  return true;
}

void BamPartitionReader::fetch_reference(const CallingInterval& iv, int64_t from, int64_t to, const std::string& where,
                                         std::string& out) {
  hts_pos_t len = 0;
  char* seq = faidx_fetch_seq64(h_->fasta, iv.contig.c_str(), from, to - 1, &len);
  if (!seq || len != to - from) {
    free(seq);
    throw DataError(options_.ref + ": cannot read " + where + " of the reference");
  }
  out.assign(seq, static_cast<std::size_t>(len));
  free(seq);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
}

}  // namespace smallcall
