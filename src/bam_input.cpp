#include "smallcall/bam_input.hpp"

#include <htslib/faidx.h>
#include <htslib/sam.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

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
  if (o.realign_threads < 1) throw UsageError("--realign_threads must be at least 1");
  if (o.realign_threads > 1 && o.realigner.realign_reads) start_pipeline();
}

struct BamPartitionReader::Job {
  const CallingInterval* interval = nullptr;
  int64_t begin = 0, end = 0;
  std::string region;  // chr:from-to, 1-based: the partition's name in rows and errors
  std::vector<bam1_t*> reads;  // reservoir slots, allocated once and reused
  std::size_t used = 0;
  std::string reference;  // upper-case reference of [reference_offset, ...)
  int64_t reference_offset = 0;
  std::vector<Window> guarded;  // the windows the realigner gave up on
  std::vector<WindowReport> windows;
  ReadsCounters counts;  // this job's partitions (and the empty ones read before it)
  bool usable = false;   // false: only counts (the end of the partitions)
  std::exception_ptr error;
  ~Job() {
    for (bam1_t* b : reads) bam_destroy1(b);
  }
};

namespace {

void add(RealignerCounters& to, const RealignerCounters& c) {
  to.windows += c.windows;
  to.windows_assembled += c.windows_assembled;
  to.windows_reference_only += c.windows_reference_only;
  to.windows_too_long += c.windows_too_long;
  to.windows_off_contig += c.windows_off_contig;
  to.windows_no_graph += c.windows_no_graph;
  to.windows_too_many_paths += c.windows_too_many_paths;
  to.reads_realigned += c.reads_realigned;
}

void add(ReadsCounters& to, const ReadsCounters& c) {
  to.partitions += c.partitions;
  to.reads_seen += c.reads_seen;
  to.reads_filtered += c.reads_filtered;
  to.reads_without_qualities += c.reads_without_qualities;
  to.reads_downsampled += c.reads_downsampled;
  to.reads_used += c.reads_used;
  add(to.realigner, c.realigner);
}

}  // namespace

// --realign_threads N > 1: N threads each take the next partition with usable reads (reading
// the BAM one at a time, in calling order), realign it and fetch its reference with their own
// FASTA handle; next() hands the partitions out in calling order. At most 2N partitions are
// read ahead of the one next() returned: memory stays that of 2N + 1 partitions.
struct BamPartitionReader::Pipeline {
  std::mutex mu;
  std::condition_variable ready;   // a job finished, or room to read ahead
  std::map<uint64_t, std::unique_ptr<Job>> finished;  // by sequence number
  std::vector<std::unique_ptr<Job>> free;             // recycled jobs (and their read slots)
  uint64_t next_read = 0;      // sequence number of the next job to read
  uint64_t next_handed = 0;    // sequence number next() returns next
  bool reading_done = false;   // the reader saw the end (or an error)
  bool stop = false;
  std::vector<std::thread> threads;
  std::vector<faidx_t*> fastas;  // one per thread
  ~Pipeline() {
    for (faidx_t* f : fastas) fai_destroy(f);
  }
};

BamPartitionReader::~BamPartitionReader() {
  if (pipeline_) {
    {
      std::lock_guard<std::mutex> lock(pipeline_->mu);
      pipeline_->stop = true;
    }
    pipeline_->ready.notify_all();
    for (std::thread& t : pipeline_->threads) t.join();
  }
}

double BamPartitionReader::fraction_consumed() const {
  return bases_total_ ? static_cast<double>(bases_done_.load(std::memory_order_relaxed)) / static_cast<double>(bases_total_)
                      : 1.0;
}

const std::vector<WindowReport>& BamPartitionReader::windows() const {
  static const std::vector<WindowReport> none;
  return job_ ? job_->windows : none;
}

bool BamPartitionReader::advance(const CallingInterval*& interval, int64_t& begin, int64_t& end, ReadsCounters& counts) {
  while (interval_index_ < intervals_.size()) {
    const CallingInterval& iv = intervals_[interval_index_];
    begin = next_begin_;
    end = std::min(iv.end, begin + options_.partition_size);
    const uint64_t k = partition_index_++;
    bases_done_.fetch_add(static_cast<uint64_t>(end - begin), std::memory_order_relaxed);
    if (end >= iv.end) {
      if (++interval_index_ < intervals_.size()) next_begin_ = intervals_[interval_index_].begin;
    } else {
      next_begin_ = end;
    }
    if (options_.num_shards > 0 && static_cast<long long>(k % static_cast<uint64_t>(options_.num_shards)) != options_.task)
      continue;
    ++counts.partitions;
    interval = &iv;
    return true;
  }
  return false;
}

void BamPartitionReader::set_view(const Job& job, PartitionView& view, std::string& region_name) const {
  const CallingInterval& iv = *job.interval;
  region_name = job.region;
  view.contig = iv.contig;
  view.contig_length = iv.contig_length;
  view.begin = job.begin;
  view.end = job.end;
  view.reference = job.reference;
  view.reference_offset = job.reference_offset;
  view.reads = job.reads.data();
  view.num_reads = job.used;
  view.guarded = job.guarded;
}

bool BamPartitionReader::read_next(Job& job) {
  job.counts = ReadsCounters{};
  job.usable = false;
  job.error = nullptr;
  const CallingInterval* iv = nullptr;
  int64_t begin = 0, end = 0;
  while (advance(iv, begin, end, job.counts))
    if (read_partition(*iv, begin, end, job)) return job.usable = true;
  return false;
}

bool BamPartitionReader::next(PartitionView& view, std::string& region_name) {
  if (options_.realign_threads <= 1 || !options_.realigner.realign_reads) {
    // One thread: read, realign, fetch, in this one.
    if (!job_) job_ = std::make_unique<Job>();
    const bool got = read_next(*job_);
    if (got) finish_partition(*job_, realigner_, h_->fasta);
    add(counters_, job_->counts);
    if (got) set_view(*job_, view, region_name);
    return got;
  }
  Pipeline& p = *pipeline_;
  std::unique_lock<std::mutex> lock(p.mu);
  if (job_) {  // the partition returned last is done with: its slots go back
    p.free.push_back(std::move(job_));
    ++p.next_handed;
    p.ready.notify_all();
  }
  p.ready.wait(lock, [&] { return p.finished.count(p.next_handed) || (p.reading_done && p.next_handed >= p.next_read); });
  auto it = p.finished.find(p.next_handed);
  if (it == p.finished.end()) return false;
  job_ = std::move(it->second);
  p.finished.erase(it);
  lock.unlock();
  if (job_->error) std::rethrow_exception(job_->error);
  add(counters_, job_->counts);
  if (!job_->usable) {  // the counts of the empty partitions at the end
    std::lock_guard<std::mutex> again(p.mu);
    p.free.push_back(std::move(job_));
    ++p.next_handed;
    return false;
  }
  set_view(*job_, view, region_name);
  return true;
}

void BamPartitionReader::start_pipeline() {
  pipeline_ = std::make_unique<Pipeline>();
  Pipeline& p = *pipeline_;
  const int threads = options_.realign_threads;
  const uint64_t ahead = 2 * static_cast<uint64_t>(threads);
  // Each thread's FASTA handle, opened here so that a failure is this constructor's error;
  // and every job the read-ahead can need, so the threads allocate none.
  for (int t = 0; t < threads; ++t) p.fastas.push_back(load_fasta_index(options_.ref));
  for (uint64_t j = 0; j < ahead + static_cast<uint64_t>(threads) + 1; ++j) p.free.push_back(std::make_unique<Job>());
  for (int t = 0; t < threads; ++t) {
    faidx_t* fasta = p.fastas[static_cast<std::size_t>(t)];
    p.threads.emplace_back([this, &p, ahead, fasta] {
      Realigner realigner(options_.realigner);
      std::unique_ptr<Job> job;
      while (true) {
        uint64_t seq;
        {
          std::unique_lock<std::mutex> lock(p.mu);
          p.ready.wait(lock, [&] { return p.stop || p.reading_done || p.next_read < p.next_handed + ahead; });
          if (p.stop || p.reading_done) break;
          job = std::move(p.free.back());  // never empty: at most ahead + threads jobs are out
          p.free.pop_back();
          seq = p.next_read++;
          // Reading stays in order: the BAM handle is shared, under the lock.
          try {
            if (!read_next(*job)) p.reading_done = true;
          } catch (...) {
            job->error = std::current_exception();
            p.reading_done = true;
          }
        }
        if (job->usable && !job->error) {
          try {
            finish_partition(*job, realigner, fasta);
          } catch (...) {
            job->error = std::current_exception();
          }
        }
        {
          std::lock_guard<std::mutex> lock(p.mu);
          p.finished[seq] = std::move(job);
        }
        p.ready.notify_all();
      }
    });
  }
}

bool BamPartitionReader::read_partition(const CallingInterval& iv, int64_t begin, int64_t end, Job& job) {
  job.interval = &iv;
  job.begin = begin;
  job.end = end;
  job.used = 0;
  job.guarded.clear();
  job.windows.clear();
  job.region = iv.contig + ":" + std::to_string(begin + 1) + "-" + std::to_string(end);  // 1-based
  const std::string& where = job.region;
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
  int got;
  bam1_t* b = h_->record;
  ReadsCounters& counts = job.counts;
  while ((got = sam_itr_next(h_->file, itr, b)) >= 0) {
    ++counts.reads_seen;
    const uint16_t flag = b->core.flag;
    const bool improperly_placed = (flag & BAM_FPAIRED) && !(flag & BAM_FPROPER_PAIR) && !(flag & BAM_FMUNMAP) &&
                                   b->core.mtid >= 0 && b->core.mtid != b->core.tid;
    if ((flag & (BAM_FUNMAP | BAM_FQCFAIL)) || ((flag & BAM_FDUP) && !options_.keep_duplicates) ||
        ((flag & BAM_FSECONDARY) && !options_.keep_secondary_alignments) ||
        ((flag & BAM_FSUPPLEMENTARY) && !options_.keep_supplementary_alignments) || improperly_placed ||
        b->core.qual < options_.min_mapping_quality) {
      ++counts.reads_filtered;
      continue;
    }
    if (b->core.n_cigar && bam_cigar2qlen(static_cast<int>(b->core.n_cigar), bam_get_cigar(b)) != b->core.l_qseq) {
      hts_itr_destroy(itr);
      throw DataError(options_.reads + ": read " + bam_get_qname(b) + " in " + where +
                      ": CIGAR and sequence lengths differ");
    }
    if (b->core.l_qseq == 0 || bam_get_qual(b)[0] == 0xff) {  // DeepVariant would abort on these
      ++counts.reads_without_qualities;
      continue;
    }
    std::size_t slot;
    if (kept < capacity) {
      slot = static_cast<std::size_t>(kept);
    } else {
      slot = numpy_randint(rng_, kept + 1);
      ++counts.reads_downsampled;
    }
    ++kept;
    if (slot >= capacity) continue;
    if (slot >= job.reads.size()) job.reads.push_back(bam_init1());
    if (!bam_copy1(job.reads[slot], b)) {
      hts_itr_destroy(itr);
      throw DataError("out of memory copying a read");
    }
    job.used = std::max(job.used, slot + 1);
  }
  hts_itr_destroy(itr);
  if (got < -1)
    throw DataError(options_.reads + ": cannot decode reads in " + where +
                    (hts_get_format(h_->file)->format == cram
                         ? " (is " + options_.ref + " the CRAM's reference?)"
                         : " (truncated or corrupt file)"));
  counts.reads_used += job.used;
  return job.used > 0;
}

void BamPartitionReader::finish_partition(Job& job, Realigner& realigner, faidx_t* fasta) const {
  const CallingInterval& iv = *job.interval;
  const int64_t begin = job.begin, end = job.end;
  const std::string& where = job.region;
  bam1_t** reads = job.reads.data();
  realigner.clear();
  // The realigner, as make_examples runs it: on the sampled reads, per partition. Its
  // reference covers every window (partition +- 100 bp) and every read +- 20 bp.
  if (options_.realigner.realign_reads) {
    int64_t lo = begin - 120, hi = end + 120;
    for (std::size_t i = 0; i < job.used; ++i) {
      lo = std::min<int64_t>(lo, reads[i]->core.pos - 20);
      hi = std::max<int64_t>(hi, bam_endpos(reads[i]) + 20);
    }
    ReferenceSpan span;
    span.offset = std::max<int64_t>(0, lo);
    span.contig_length = iv.contig_length;
    fetch_reference(fasta, iv, span.offset, std::min(iv.contig_length, hi), where, span.bases);
    realigner.realign(reads, job.used, begin, end, span);
    add(job.counts.realigner, realigner.counters());
    job.guarded = realigner.given_up();
    job.windows = realigner.windows();
    // The allele counter sees the reads whose (new) span overlaps the partition, in order.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < job.used; ++i)
      if (reads[i]->core.pos < end && bam_endpos(reads[i]) > begin) std::swap(reads[kept++], reads[i]);
    job.used = kept;
  }
  int64_t max_end = end;
  for (std::size_t i = 0; i < job.used; ++i) max_end = std::max<int64_t>(max_end, bam_endpos(reads[i]));
  // Reference for [begin - 1, max read end): anchors before the partition and deletions past it.
  job.reference_offset = std::max<int64_t>(0, begin - 1);
  fetch_reference(fasta, iv, job.reference_offset, std::min(iv.contig_length, max_end), where, job.reference);
}

void BamPartitionReader::fetch_reference(faidx_t* fasta, const CallingInterval& iv, int64_t from, int64_t to,
                                         const std::string& where, std::string& out) const {
  hts_pos_t len = 0;
  char* seq = faidx_fetch_seq64(fasta, iv.contig.c_str(), from, to - 1, &len);
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
