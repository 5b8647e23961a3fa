#include "smallcall/vcf_writer.hpp"

#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <queue>
#include <unordered_map>
#include <vector>

#include "smallcall/error.hpp"
#include "smallcall/fasta_index.hpp"
#include "smallcall/gate.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/paths.hpp"

namespace smallcall {

namespace {

// One output record. gt_class < 0: a sites-only record.
struct VcfRecord {
  uint32_t contig = 0;
  int64_t pos = 0;
  uint64_t seq = 0;  // input order, for a stable sort
  int8_t gt_class = -1;
  int32_t gq = 0;
  float p[3] = {0, 0, 0};
  std::string ref, alts;  // alts comma-separated
  int32_t depth = -1;                 // DP of the candidate, when the row carries it
  std::vector<int32_t> allele_depths;  // AD: ref, then the record's alts

  bool operator<(const VcfRecord& o) const {
    return contig != o.contig ? contig < o.contig : pos != o.pos ? pos < o.pos : seq < o.seq;
  }
};

void put(std::ostream& out, const void* p, std::size_t n) { out.write(static_cast<const char*>(p), static_cast<std::streamsize>(n)); }
void put_string(std::ostream& out, const std::string& s) {
  const auto n = static_cast<uint32_t>(s.size());
  put(out, &n, 4);
  put(out, s.data(), s.size());
}
bool get(std::istream& in, void* p, std::size_t n) { return static_cast<bool>(in.read(static_cast<char*>(p), static_cast<std::streamsize>(n))); }
bool get_string(std::istream& in, std::string& s) {
  uint32_t n;
  if (!get(in, &n, 4)) return false;
  s.resize(n);
  return get(in, s.data(), n);
}

bool get_vector(std::istream& in, std::vector<int32_t>& v) {
  uint32_t n;
  if (!get(in, &n, 4)) return false;
  v.resize(n);
  return get(in, v.data(), 4 * static_cast<std::size_t>(n));
}

void serialize(std::ostream& out, const VcfRecord& r) {
  put(out, &r.contig, 4);
  put(out, &r.pos, 8);
  put(out, &r.seq, 8);
  put(out, &r.gt_class, 1);
  put(out, &r.gq, 4);
  put(out, r.p, 12);
  put_string(out, r.ref);
  put_string(out, r.alts);
  put(out, &r.depth, 4);
  const auto n = static_cast<uint32_t>(r.allele_depths.size());
  put(out, &n, 4);
  put(out, r.allele_depths.data(), 4 * n);
}

bool deserialize(std::istream& in, VcfRecord& r) {
  return get(in, &r.contig, 4) && get(in, &r.pos, 8) && get(in, &r.seq, 8) && get(in, &r.gt_class, 1) &&
         get(in, &r.gq, 4) && get(in, r.p, 12) && get_string(in, r.ref) && get_string(in, r.alts) &&
         get(in, &r.depth, 4) && get_vector(in, r.allele_depths);
}

// Sorts any number of records with bounded memory: sorted runs of kRunRecords records are
// appended to one scratch file and merged at the end.
class RecordSorter {
 public:
  // Records per sorted run; SMALLCALL_SORT_RUN_RECORDS lowers it so tests reach the merge.
  // Runs spill to a file inside `dir` (a private temporary directory).
  explicit RecordSorter(const TempPath& dir) : dir_(dir) {
    if (const char* env = std::getenv("SMALLCALL_SORT_RUN_RECORDS")) run_records_ = std::max(1L, std::atol(env));
  }

  void add(VcfRecord r) {
    r.seq = next_seq_++;
    buffer_.push_back(std::move(r));
    if (buffer_.size() >= run_records_) spill();
  }

  template <typename Emit>
  void finish(Emit emit) {
    std::stable_sort(buffer_.begin(), buffer_.end());
    if (runs_.empty()) {
      for (const auto& r : buffer_) emit(r);
      return;
    }
    spill();
    scratch_out_.close();
    if (!scratch_out_) throw DataError(scratch_->path() + ": cannot write sort scratch file");
    struct Cursor {
      std::ifstream in;
      uint64_t left;
      VcfRecord rec;
    };
    std::vector<std::unique_ptr<Cursor>> cursors;
    auto cmp = [&](std::size_t a, std::size_t b) { return cursors[b]->rec < cursors[a]->rec; };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(cmp)> heap(cmp);
    for (const auto& [offset, count] : runs_) {
      auto c = std::make_unique<Cursor>();
      c->in.open(scratch_->path(), std::ios::binary);
      c->in.seekg(static_cast<std::streamoff>(offset));
      c->left = count;
      if (!deserialize(c->in, c->rec)) throw DataError(scratch_->path() + ": cannot read sort scratch file");
      --c->left;
      cursors.push_back(std::move(c));
      heap.push(cursors.size() - 1);
    }
    while (!heap.empty()) {
      const std::size_t i = heap.top();
      heap.pop();
      emit(cursors[i]->rec);
      if (cursors[i]->left) {
        if (!deserialize(cursors[i]->in, cursors[i]->rec)) throw DataError(scratch_->path() + ": cannot read sort scratch file");
        --cursors[i]->left;
        heap.push(i);
      }
    }
  }

 private:
  void spill() {
    if (buffer_.empty()) return;
    if (!scratch_) {
      scratch_ = TempPath::inside(dir_, "sort-runs");
      scratch_out_.open(scratch_->path(), std::ios::binary | std::ios::trunc);
      if (!scratch_out_) throw DataError(scratch_->path() + ": cannot create sort scratch file");
    }
    std::stable_sort(buffer_.begin(), buffer_.end());
    runs_.emplace_back(static_cast<uint64_t>(scratch_out_.tellp()), buffer_.size());
    for (const auto& r : buffer_) serialize(scratch_out_, r);
    if (!scratch_out_) throw DataError(scratch_->path() + ": write failed (disk full?)");
    buffer_.clear();
  }

  const TempPath& dir_;
  std::unique_ptr<TempPath> scratch_;
  std::ofstream scratch_out_;
  std::vector<VcfRecord> buffer_;
  std::vector<std::pair<uint64_t, uint64_t>> runs_;  // offset, records
  uint64_t next_seq_ = 0;
  std::size_t run_records_ = 200000;
};

// Contigs for the header: from the FASTA index when given (order and lengths), else in the
// order rows first name them.
class Contigs {
 public:
  explicit Contigs(const std::string& ref_fasta) : from_fai_(!ref_fasta.empty()), ref_(ref_fasta) {
    if (!from_fai_) return;
    faidx_t* fai = load_fasta_index(ref_fasta);
    for (int i = 0; i < faidx_nseq(fai); ++i) {
      const char* name = faidx_iseq(fai, i);
      index_.emplace(name, static_cast<uint32_t>(names_.size()));
      names_.emplace_back(name);
      lengths_.push_back(faidx_seq_len(fai, name));
    }
    fai_destroy(fai);
  }
  uint32_t index_of(const std::string& contig) {
    auto it = index_.find(contig);
    if (it != index_.end()) return it->second;
    if (from_fai_) throw DataError("contig \"" + contig + "\" is not in the reference " + ref_);
    index_.emplace(contig, static_cast<uint32_t>(names_.size()));
    names_.push_back(contig);
    lengths_.push_back(-1);
    return static_cast<uint32_t>(names_.size() - 1);
  }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<int64_t>& lengths() const { return lengths_; }

 private:
  bool from_fai_;
  std::string ref_;
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<std::string> names_;
  std::vector<int64_t> lengths_;
};


// Writes sorted records as VCF/BCF, under a temporary name, with its index.
class VcfFile {
 public:
  // Everything is written inside a private temporary directory beside the output (in
  // $TMPDIR when the output is written in place): the VCF, its index and the sort runs.
  VcfFile(const std::string& path, const std::string& sample, const std::string& ref_fasta)
      : path_(path),
        sample_(sample),
        contigs_(ref_fasta),
        direct_(written_in_place(path)),
        dir_(TempPath::new_dir(direct_ ? std::string() : path)),
        sorter_(*dir_) {
    if (!direct_) {
      temp_ = TempPath::inside(*dir_, "out");
      FILE* probe = std::fopen(temp_->path().c_str(), "wb");
      if (!probe) throw DataError(path + ": cannot create output: " + std::strerror(errno));
      std::fclose(probe);
    }
  }

  void set_sample(const std::string& sample) { sample_ = sample; }

  // A record of a row ending at `end` (the largest end decides TBI or CSI without --ref).
  void add(const std::string& contig, VcfRecord r, int64_t end) {
    max_end_ = std::max(max_end_, end);
    r.contig = contigs_.index_of(contig);
    sorter_.add(std::move(r));
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    const PathKind kind = path_kind(path_);
    const bool bcf = kind.format == FileFormat::kBcf;
    const bool bgz = kind.format == FileFormat::kVcf && kind.compressed;
    const char* mode = bcf ? "wb" : bgz ? "wz" : "w";
    const std::string target = direct_ ? path_ : temp_->path();
    htsFile* fp = hts_open(target.c_str(), mode);
    if (!fp) throw DataError(path_ + ": cannot create output: " + std::strerror(errno));
    bcf_hdr_t* h = bcf_hdr_init("w");
    bcf1_t* v = bcf_init();
    auto cleanup = [&] {
      bcf_destroy(v);
      bcf_hdr_destroy(h);
    };
    try {
      write_all(fp, h, v, bcf || bgz);
    } catch (...) {
      hts_close(fp);
      cleanup();
      throw;
    }
    cleanup();
    if (hts_close(fp) != 0) throw DataError(path_ + ": write failed at close: " + std::strerror(errno ? errno : EIO));
  }

  void publish() {
    close();
    if (!direct_) {
      temp_->publish_as(path_);
      if (index_) index_->publish_as(index_final_);
    }
  }

 private:
  void header(bcf_hdr_t* h) {
    bcf_hdr_append(h, (std::string("##source=smallcall ") + SMALLCALL_VERSION).c_str());
    bcf_hdr_append(h, "##FILTER=<ID=RefCall,Description=\"Genotyping model thinks this site is reference.\">");
    for (std::size_t i = 0; i < contigs_.names().size(); ++i) {
      std::string line = "##contig=<ID=" + contigs_.names()[i];
      if (contigs_.lengths()[i] > 0) line += ",length=" + std::to_string(contigs_.lengths()[i]);
      bcf_hdr_append(h, (line + ">").c_str());
    }
    if (!sample_.empty()) {
      bcf_hdr_append(h, "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">");
      bcf_hdr_append(h, "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Conditional genotype quality\">");
      bcf_hdr_append(h, "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth of all passing filters reads.\">");
      bcf_hdr_append(h, "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Read depth of all passing filters reads for each allele.\">");
      bcf_hdr_append(h, "##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Phred-scaled genotype likelihoods "
                        "rounded to the closest integer (biallelic records)\">");
      bcf_hdr_append(h, "##FORMAT=<ID=SMP,Number=3,Type=Float,Description=\"Small-model probabilities of hom_ref, "
                        "het, hom_alt for this record's alt allele subset\">");
      bcf_hdr_append(h, "##FORMAT=<ID=MID,Number=1,Type=String,Description=\"Identifies which model called this variant.\">");
      bcf_hdr_add_sample(h, sample_.c_str());
    }
    if (bcf_hdr_sync(h) != 0) throw DataError(path_ + ": cannot build the VCF header");
  }

  void write_all(htsFile* fp, bcf_hdr_t* h, bcf1_t* v, bool indexed) {
    header(h);
    if (bcf_hdr_write(fp, h) != 0) throw DataError(path_ + ": write failed (header)");
    if (indexed && !direct_) {
      int64_t longest = 0;
      for (auto l : contigs_.lengths()) longest = std::max(longest, l);
      const bool csi = path_kind(path_).format == FileFormat::kBcf || longest > (int64_t{1} << 29) || max_end_ > (int64_t{1} << 29);
      index_final_ = path_ + (csi ? ".csi" : ".tbi");
      index_ = TempPath::inside(*dir_, "index");
      if (bcf_idx_init(fp, h, csi ? 14 : 0, index_->path().c_str()) != 0)
        throw DataError(path_ + ": cannot start the index");
    }
    const int pass = bcf_hdr_id2int(h, BCF_DT_ID, "PASS");
    const int refcall = bcf_hdr_id2int(h, BCF_DT_ID, "RefCall");
    sorter_.finish([&](const VcfRecord& r) {
      bcf_clear(v);
      v->rid = bcf_hdr_name2id(h, contigs_.names()[r.contig].c_str());
      v->pos = r.pos;
      const std::string alleles = r.ref + "," + r.alts;
      bcf_update_alleles_str(h, v, alleles.c_str());
      const bool pair = r.alts.find(',') != std::string::npos;
      if (r.gt_class < 0) {
        bcf_float_set_missing(v->qual);
      } else {
        // QUAL as postprocess_variants: phred of P(hom_ref), bounded at 1 - 1e-15.
        v->qual = static_cast<float>(bounded_phred(1.0 - r.p[0], kGqMaxProbability));
        int filter = r.gt_class == 0 ? refcall : pass;
        bcf_update_filter(h, v, &filter, 1);
        int32_t gt[2];
        if (r.gt_class == 0) gt[0] = gt[1] = bcf_gt_unphased(0);
        else if (r.gt_class == 2) gt[0] = bcf_gt_unphased(1), gt[1] = bcf_gt_unphased(pair ? 2 : 1);
        else gt[0] = bcf_gt_unphased(0), gt[1] = pair ? bcf_gt_missing : bcf_gt_unphased(1);
        bcf_update_genotypes(h, v, gt, 2);
        int32_t gq = r.gq;
        bcf_update_format_int32(h, v, "GQ", &gq, 1);
        if (!pair) {
          int32_t pl[3];
          int32_t lo = INT32_MAX;
          for (int k = 0; k < 3; ++k) {
            const double q = r.p[k] > 0 ? -10.0 * std::log10(static_cast<double>(r.p[k])) : 999.0;
            pl[k] = static_cast<int32_t>(std::lround(std::min(q, 999.0)));
            lo = std::min(lo, pl[k]);
          }
          for (auto& x : pl) x -= lo;
          bcf_update_format_int32(h, v, "PL", pl, 3);
        }
        if (r.depth >= 0) {
          bcf_update_format_int32(h, v, "DP", &r.depth, 1);
          bcf_update_format_int32(h, v, "AD", r.allele_depths.data(), static_cast<int>(r.allele_depths.size()));
        }
        float smp[3] = {r.p[0], r.p[1], r.p[2]};
        bcf_update_format_float(h, v, "SMP", smp, 3);
        const char* mid = "small_model";
        bcf_update_format_string(h, v, "MID", &mid, 1);
      }
      if (bcf_write(fp, h, v) != 0) throw DataError(path_ + ": write failed: " + std::strerror(errno ? errno : EIO));
    });
    if (index_ && bcf_idx_save(fp) != 0) throw DataError(path_ + ": cannot write the index");
  }

 private:
  int64_t max_end_ = 0;
  std::string path_, sample_;
  Contigs contigs_;
  bool direct_;
  std::unique_ptr<TempPath> dir_;  // declared before what lives in it, so removed after it
  RecordSorter sorter_;
  bool closed_ = false;
  std::unique_ptr<TempPath> temp_, index_;
  std::string index_final_;
};

class AcceptedVcfWriter : public AcceptedWriter {
 public:
  AcceptedVcfWriter(const std::string& path, const Sample& sample, const std::string& ref)
      : file_(path, sample.name, ref), sample_(sample) {}
  void write(const Row& row, const float p[3], const GateDecision& d) override {
    // The sample column: the run's sample, else the sample of the first candidate the rows
    // carry (make_examples named it), else "default".
    if (!sample_.replace && !named_from_rows_ && row.has_candidate && !row.candidate.sample.empty()) {
      file_.set_sample(row.candidate.sample);
      named_from_rows_ = true;
    }
    VcfRecord r;
    r.pos = row.start;
    r.gt_class = static_cast<int8_t>(d.genotype);
    r.gq = d.gq;
    std::copy(p, p + 3, r.p);
    r.ref = row.ref;
    for (const auto& a : row.alts) r.alts += (r.alts.empty() ? "" : ",") + a;
    if (row.has_candidate && row.candidate.depth >= 0) {  // DP, and AD of the record's alleles
      const CandidateInfo& c = row.candidate;
      r.depth = static_cast<int32_t>(c.depth);
      r.allele_depths.push_back(static_cast<int32_t>(c.allele_depths[0]));
      for (int i : row.alt_indices) r.allele_depths.push_back(static_cast<int32_t>(c.allele_depths[static_cast<std::size_t>(i) + 1]));
    }
    file_.add(row.contig, std::move(r), row.end);
  }
  void close() override { file_.close(); }
  void publish() override { file_.publish(); }

 private:
  VcfFile file_;
  Sample sample_;
  bool named_from_rows_ = false;
};

// One sites-only record per candidate with any row in the remainder, carrying all the
// candidate's alts (its rows are consecutive: same contig, start and ref).
class SitesVcfWriter : public RowWriter {
 public:
  SitesVcfWriter(const std::string& path, const std::string& ref) : file_(path, "", ref) {}
  void observe(const Row& row) override {
    if (!have_ || row.contig != contig_ || row.start != start_ || row.ref != ref_) {
      flush();
      have_ = true;
      contig_ = row.contig;
      start_ = row.start;
      ref_ = row.ref;
      alts_.clear();
      needed_ = false;
      end_ = row.end;
    }
    if (row.has_candidate)
      for (const auto& a : row.candidate.alts) add_alt(a);
    for (const auto& a : row.alts) add_alt(a);
    end_ = std::max(end_, row.end);
  }
  void write(const Row&, const float*, const std::string&) override { needed_ = true; }
  void close() override {
    flush();
    file_.close();
  }
  void publish() override {
    close();
    file_.publish();
  }

 private:
  void add_alt(const std::string& a) {
    if (std::find(alts_.begin(), alts_.end(), a) == alts_.end()) alts_.push_back(a);
  }
  void flush() {
    if (!have_ || !needed_) return;
    VcfRecord r;
    r.pos = start_;
    r.ref = ref_;
    for (const auto& a : alts_) r.alts += (r.alts.empty() ? "" : ",") + a;
    file_.add(contig_, std::move(r), end_);
    needed_ = false;
  }

  VcfFile file_;
  bool have_ = false, needed_ = false;
  std::string contig_, ref_;
  int64_t start_ = 0, end_ = 0;
  std::vector<std::string> alts_;
};

}  // namespace

std::unique_ptr<AcceptedWriter> open_accepted_vcf(const std::string& path, const Sample& sample,
                                                  const std::string& ref_fasta) {
  return std::make_unique<AcceptedVcfWriter>(path, sample, ref_fasta);
}

std::unique_ptr<RowWriter> open_sites_vcf(const std::string& path, const std::string& ref_fasta) {
  return std::make_unique<SitesVcfWriter>(path, ref_fasta);
}

}  // namespace smallcall
