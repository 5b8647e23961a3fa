#include "smallcall/vcf_writer.hpp"

#include <htslib/faidx.h>

#include <cctype>
#include <iostream>
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
#include "smallcall/haplotypes.hpp"
#include "smallcall/postprocess.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/paths.hpp"

namespace smallcall {

namespace {

// One output record: a call, or a site (sites-only VCF).
struct VcfRecord {
  uint32_t contig = 0;
  int64_t sort_end = 0;  // the candidate's end: postprocess sorts CVOs by (contig, start, end)
  uint64_t seq = 0;      // input order, for a stable sort
  bool site = false;
  VcfCall call;

  bool operator<(const VcfRecord& o) const {
    if (contig != o.contig) return contig < o.contig;
    if (call.start != o.call.start) return call.start < o.call.start;
    if (sort_end != o.sort_end) return sort_end < o.sort_end;
    return seq < o.seq;
  }
};

const char* const kFilters[] = {"PASS", "RefCall", "LowQual", "NoCall"};

void put(std::ostream& out, const void* p, std::size_t n) { out.write(static_cast<const char*>(p), static_cast<std::streamsize>(n)); }
void put_string(std::ostream& out, const std::string& s) {
  const auto n = static_cast<uint32_t>(s.size());
  put(out, &n, 4);
  put(out, s.data(), s.size());
}
template <typename T>
void put_vector(std::ostream& out, const std::vector<T>& v) {
  const auto n = static_cast<uint32_t>(v.size());
  put(out, &n, 4);
  put(out, v.data(), sizeof(T) * v.size());
}
bool get(std::istream& in, void* p, std::size_t n) { return static_cast<bool>(in.read(static_cast<char*>(p), static_cast<std::streamsize>(n))); }
bool get_string(std::istream& in, std::string& s) {
  uint32_t n;
  if (!get(in, &n, 4)) return false;
  s.resize(n);
  return get(in, s.data(), n);
}
template <typename T>
bool get_vector(std::istream& in, std::vector<T>& v) {
  uint32_t n;
  if (!get(in, &n, 4)) return false;
  v.resize(n);
  return get(in, v.data(), sizeof(T) * static_cast<std::size_t>(n));
}

void serialize(std::ostream& out, const VcfRecord& r) {
  const VcfCall& c = r.call;
  put(out, &r.contig, 4);
  put(out, &r.sort_end, 8);
  put(out, &r.seq, 8);
  const uint8_t site = r.site;
  put(out, &site, 1);
  put(out, &c.start, 8);
  put(out, &c.end, 8);
  put_string(out, c.ref);
  const auto n = static_cast<uint32_t>(c.alts.size());
  put(out, &n, 4);
  for (const auto& a : c.alts) put_string(out, a);
  put(out, c.gt, 8);
  put(out, &c.gq, 4);
  put(out, &c.qual, 8);
  uint8_t f = 0;
  while (f < 3 && std::strcmp(kFilters[f], c.filter) != 0) ++f;
  put(out, &f, 1);
  put_vector(out, c.gl);
  put(out, &c.depth, 8);
  put_vector(out, c.allele_depths);
  put_vector(out, c.vaf);
}

bool deserialize(std::istream& in, VcfRecord& r) {
  VcfCall& c = r.call;
  uint8_t site = 0, f = 0;
  uint32_t n = 0;
  if (!(get(in, &r.contig, 4) && get(in, &r.sort_end, 8) && get(in, &r.seq, 8) && get(in, &site, 1) &&
        get(in, &c.start, 8) && get(in, &c.end, 8) && get_string(in, c.ref) && get(in, &n, 4)))
    return false;
  r.site = site;
  c.alts.resize(n);
  for (auto& a : c.alts)
    if (!get_string(in, a)) return false;
  if (!(get(in, c.gt, 8) && get(in, &c.gq, 4) && get(in, &c.qual, 8) && get(in, &f, 1) && get_vector(in, c.gl) &&
        get(in, &c.depth, 8) && get_vector(in, c.allele_depths) && get_vector(in, c.vaf)))
    return false;
  c.filter = kFilters[f < 4 ? f : 0];
  return true;
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
  // `header_lines`: extra ## lines; calls files get a sample column.
  VcfFile(const std::string& path, const std::string& sample, const std::string& ref_fasta,
          std::vector<std::string> header_lines, bool resolve_conflicts)
      : path_(path),
        sample_(sample),
        header_lines_(std::move(header_lines)),
        resolve_(resolve_conflicts),
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

  // A record of a candidate ending at `sort_end` (its unsimplified end; the largest end
  // decides TBI or CSI without --ref).
  void add(const std::string& contig, VcfRecord r) {
    max_end_ = std::max(max_end_, std::max(r.sort_end, r.call.end));
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
    for (const auto& line : header_lines_) bcf_hdr_append(h, line.c_str());
    for (std::size_t i = 0; i < contigs_.names().size(); ++i) {
      std::string line = "##contig=<ID=" + contigs_.names()[i];
      if (contigs_.lengths()[i] > 0) line += ",length=" + std::to_string(contigs_.lengths()[i]);
      bcf_hdr_append(h, (line + ">").c_str());
    }
    if (!sample_.empty()) bcf_hdr_add_sample(h, sample_.c_str());
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
    auto write = [&](const std::string& contig, const VcfCall& c, bool site) {
      bcf_clear(v);
      v->rid = bcf_hdr_name2id(h, contig.c_str());
      v->pos = c.start;
      std::string alleles = c.ref;
      for (const auto& a : c.alts) alleles += "," + a;
      bcf_update_alleles_str(h, v, alleles.c_str());
      if (site) {
        bcf_float_set_missing(v->qual);
      } else {
        write_call(h, v, c);
      }
      if (bcf_write(fp, h, v) != 0) throw DataError(path_ + ": write failed: " + std::strerror(errno ? errno : EIO));
    };
    ConflictResolver resolver([&](const std::string& contig, VcfCall& c) { write(contig, c, false); });
    sorter_.finish([&](const VcfRecord& r) {
      const std::string& contig = contigs_.names()[r.contig];
      if (r.site || !resolve_) write(contig, r.call, r.site);
      else resolver.add(contig, r.call);
    });
    resolver.finish();
    if (index_ && bcf_idx_save(fp) != 0) throw DataError(path_ + ": write failed (index)");
  }

  // The call's numbers as postprocess_variants' VCF writer prints them.
  static void write_call(bcf_hdr_t* h, bcf1_t* v, const VcfCall& c) {
    v->qual = static_cast<float>(vcf_qual(c.qual));
    int filter = bcf_hdr_id2int(h, BCF_DT_ID, c.filter);
    bcf_update_filter(h, v, &filter, 1);
    int32_t gt[2];
    for (int k = 0; k < 2; ++k) gt[k] = c.gt[k] < 0 ? bcf_gt_missing : bcf_gt_unphased(c.gt[k]);
    bcf_update_genotypes(h, v, gt, 2);
    const int32_t gq = c.gq;
    bcf_update_format_int32(h, v, "GQ", &gq, 1);
    if (c.depth >= 0) {
      const int32_t dp = static_cast<int32_t>(c.depth);
      bcf_update_format_int32(h, v, "DP", &dp, 1);
    }
    if (!c.allele_depths.empty()) {
      std::vector<int32_t> ad(c.allele_depths.begin(), c.allele_depths.end());
      bcf_update_format_int32(h, v, "AD", ad.data(), static_cast<int>(ad.size()));
    }
    if (!c.vaf.empty()) {
      std::vector<float> vaf(c.vaf.begin(), c.vaf.end());
      bcf_update_format_float(h, v, "VAF", vaf.data(), static_cast<int>(vaf.size()));
    }
    const std::vector<int32_t> pl = phred_likelihoods(c.gl);
    bcf_update_format_int32(h, v, "PL", pl.data(), static_cast<int>(pl.size()));
    const char* mid = "small_model";
    bcf_update_format_string(h, v, "MID", &mid, 1);
  }

  int64_t max_end_ = 0;
  std::string path_, sample_;
  std::vector<std::string> header_lines_;
  bool resolve_;
  Contigs contigs_;
  bool direct_;
  std::unique_ptr<TempPath> dir_;  // declared before what lives in it, so removed after it
  RecordSorter sorter_;
  bool closed_ = false;
  std::unique_ptr<TempPath> temp_, index_;
  std::string index_final_;
};

// postprocess_variants' header (deepvariant/dv_vcf_constants.py deepvariant_header, with the
// FORMAT fields a small-model call has), and the settings that shaped the numbers.
std::vector<std::string> calls_header(const PostprocessOptions& o) {
  char settings[256];
  std::snprintf(settings, sizeof settings,
                "##smallcall_postprocess=<multiallelic_mode=%s,qual_filter=%g,multi_allelic_qual_filter=%g,"
                "cnn_homref_call_min_gq=%g>",
                o.multiallelic_mode == MultiallelicMode::kProduct ? "product" : "min", o.qual_filter,
                o.multi_allelic_qual_filter, o.cnn_homref_call_min_gq);
  return {
      "##FILTER=<ID=RefCall,Description=\"Genotyping model thinks this site is reference.\">",
      "##FILTER=<ID=LowQual,Description=\"Confidence in this variant being real is below calling threshold.\">",
      "##FILTER=<ID=NoCall,Description=\"Site has depth=0 resulting in no call.\">",
      "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position (for use with symbolic alleles)\">",
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">",
      "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Conditional genotype quality\">",
      "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">",
      "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Read depth for each allele\">",
      "##FORMAT=<ID=VAF,Number=A,Type=Float,Description=\"Variant allele fractions.\">",
      "##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Phred-scaled genotype likelihoods rounded to the closest "
      "integer\">",
      "##FORMAT=<ID=MID,Number=1,Type=String,Description=\"Identifies which model called this variant.\">",
      settings,
  };
}

// One record per candidate, as postprocess_variants writes it from the candidate's CVOs: the
// router hands over a candidate's rows consecutively, and only whole candidates.
class AcceptedVcfWriter : public AcceptedWriter {
 public:
  AcceptedVcfWriter(const std::string& path, const Sample& sample, const std::string& ref, const PostprocessOptions& o)
      : file_(path, sample.name, ref, calls_header(o), true), sample_(sample), options_(o) {}

  void write(const Row& row, const float p[3], const GateDecision&) override {
    if (have_ && !same_candidate(first_, row)) flush();
    // The sample column: the run's sample, else the sample of the first candidate the rows
    // carry (make_examples named it), else "default".
    if (!sample_.replace && !named_from_rows_ && row.has_candidate && !row.candidate.sample.empty()) {
      file_.set_sample(row.candidate.sample);
      named_from_rows_ = true;
    }
    if (!have_) start(row);
    SubsetProbabilities s;
    for (int k = 0; k < 3; ++k) s.p[k] = p[k];  // the CVO's doubles
    if (row.has_candidate) {
      s.alt_indices = row.alt_indices;
    } else {  // the candidate's alts: its rows' alts in order of appearance
      for (const auto& a : row.alts) {
        auto it = std::find(candidate_.alts.begin(), candidate_.alts.end(), a);
        if (it == candidate_.alts.end()) it = candidate_.alts.insert(it, a);
        s.alt_indices.push_back(static_cast<int>(it - candidate_.alts.begin()));
      }
    }
    subsets_.push_back(std::move(s));
  }
  void close() override {
    flush();
    file_.close();
  }
  void publish() override {
    close();
    file_.publish();
  }

 private:
  void start(const Row& row) {
    have_ = true;
    first_ = row;
    candidate_ = CandidateVariant{};
    candidate_.start = row.start;
    candidate_.end = row.end;
    candidate_.ref = row.ref;
    if (row.has_candidate) {
      const CandidateInfo& c = row.candidate;
      candidate_.alts = c.alts;
      candidate_.depth = c.depth;
      candidate_.allele_depths = c.allele_depths;
      candidate_.allele_depths_int = c.allele_depths_int;
      candidate_.vaf = c.vaf;
    }
    subsets_.clear();
  }

  void flush() {
    if (!have_) return;
    have_ = false;
    VcfRecord r;
    r.sort_end = candidate_.end;
    try {
      r.call = postprocess_call(candidate_, std::move(subsets_), options_);
    } catch (const std::invalid_argument& e) {
      throw Error(kExitDataError, "internal error: candidate " + first_.contig + ":" + std::to_string(first_.start + 1) +
                                      " reached the VCF incomplete: " + e.what());
    }
    file_.add(first_.contig, std::move(r));
    subsets_.clear();
  }

  VcfFile file_;
  Sample sample_;
  PostprocessOptions options_;
  bool named_from_rows_ = false;
  bool have_ = false;
  Row first_;
  CandidateVariant candidate_;
  std::vector<SubsetProbabilities> subsets_;
};

// Alleles make_examples' candidate importer cannot use: symbolic and missing alleles
// (deepvariant-pipeline-contract §1.2: FillVariant copies ALTs verbatim).
bool symbolic(const std::string& a) { return a.empty() || a[0] == '<' || a == "." || a == "*"; }

// One sites-only record per candidate with any row in the remainder, carrying all the
// candidate's alts (its rows are consecutive: same contig, start and ref): the
// --proposed_variants of make_examples' candidate importer. Symbolic alts are left out, and
// with --ref every REF is checked against the reference (a mismatch stops make_examples).
class SitesVcfWriter : public RowWriter {
 public:
  SitesVcfWriter(const std::string& path, const std::string& ref)
      : file_(path, "", ref, {}, false), path_(path), ref_path_(ref) {
    if (!ref.empty()) fasta_ = load_fasta_index(ref);
  }
  ~SitesVcfWriter() override {
    if (fasta_) fai_destroy(fasta_);
  }
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
    if (only_symbolic_)
      std::cerr << "smallcall: warning: " << path_ << ": " << only_symbolic_
                << " remainder candidate(s) have only symbolic alleles (<*>, <NON_REF>, ., *) and are not in the "
                   "sites VCF: make_examples' candidate importer cannot use them\n";
    file_.close();
  }
  void publish() override {
    close();
    file_.publish();
  }

 private:
  void add_alt(const std::string& a) {
    if (!symbolic(a) && std::find(alts_.begin(), alts_.end(), a) == alts_.end()) alts_.push_back(a);
  }
  void flush() {
    if (!have_ || !needed_) return;
    needed_ = false;
    if (alts_.empty()) {
      ++only_symbolic_;
      return;
    }
    if (fasta_) check_ref();
    VcfRecord r;
    r.site = true;
    r.sort_end = end_;
    r.call.start = start_;
    r.call.end = end_;
    r.call.ref = ref_;
    r.call.alts = alts_;
    file_.add(contig_, std::move(r));
  }

  void check_ref() {
    hts_pos_t len = 0;
    char* seq = faidx_fetch_seq64(fasta_, contig_.c_str(), start_, start_ + static_cast<hts_pos_t>(ref_.size()) - 1, &len);
    std::string bases = seq ? std::string(seq, static_cast<std::size_t>(std::max<hts_pos_t>(len, 0))) : std::string();
    std::free(seq);
    for (char& c : bases) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string ref = ref_;
    for (char& c : ref) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (bases != ref)
      throw DataError(path_ + ": candidate " + contig_ + ":" + std::to_string(start_ + 1) + " has REF " + ref_ +
                      " but " + ref_path_ + " has " + (bases.empty() ? std::string("no such position") : bases) +
                      " there; make_examples' candidate importer stops on a REF that differs from the reference");
  }

  VcfFile file_;
  std::string path_, ref_path_;
  faidx_t* fasta_ = nullptr;
  uint64_t only_symbolic_ = 0;
  bool have_ = false, needed_ = false;
  std::string contig_, ref_;
  int64_t start_ = 0, end_ = 0;
  std::vector<std::string> alts_;
};

}  // namespace

std::unique_ptr<AcceptedWriter> open_accepted_vcf(const std::string& path, const Sample& sample,
                                                  const std::string& ref_fasta, const PostprocessOptions& options) {
  return std::make_unique<AcceptedVcfWriter>(path, sample, ref_fasta, options);
}

std::unique_ptr<RowWriter> open_sites_vcf(const std::string& path, const std::string& ref_fasta) {
  return std::make_unique<SitesVcfWriter>(path, ref_fasta);
}

}  // namespace smallcall
