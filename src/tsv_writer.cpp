#include "smallcall/tsv_writer.hpp"

#include <charconv>
#include <cmath>


namespace smallcall {

namespace {
const char* const kGenotypeText[3] = {"0/0", "0/1", "1/1"};

void append_int(std::string& out, long long v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}
}  // namespace

void append_double(std::string& out, double v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}

void append_float(std::string& out, float v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}

AcceptedTsvWriter::AcceptedTsvWriter(const std::string& path, int level, int threads)
    : file_(path, compression_for(path), level, threads) {
  file_.write("contig\tstart\tend\tref\talt\tgt\tgate_score\tp_hom_ref\tp_het\tp_hom_alt\n");
}

void AcceptedTsvWriter::write(const Row& row, const float p[3], const GateDecision& d) {
  std::string& b = row_;
  b.clear();
  append_tsv_ids(b, row, false);
  b += '\t';
  b += kGenotypeText[d.genotype];
  b += '\t';
  append_double(b, d.score);
  for (int c = 0; c < 3; ++c) {
    b += '\t';
    append_float(b, p[c]);
  }
  b += '\n';
  file_.write(b);
}

RowTsvWriter::RowTsvWriter(const OutputTarget& t, const std::string& header_line, bool pass_through, int num_features,
                           bool with_region, bool multiallelic_column, const std::vector<std::string>& names)
    : file_(t.path, compression_for(t.path), t.level, t.threads), sidecar_(t.path, names, t.spec), pass_through_(pass_through),
      num_features_(num_features), with_region_(with_region), multiallelic_column_(multiallelic_column) {
  if (header_line.empty()) return;
  file_.write(header_line);
  file_.write("\n");
}

void RowTsvWriter::write(const Row& row, const float* features, const std::string& raw_record) {
  row_.clear();
  if (pass_through_) row_ += raw_record;
  else append_tsv_row(row_, row, features, num_features_, with_region_, multiallelic_column_);
  row_ += '\n';
  file_.write(row_);
}


std::string tsv_header_for(const std::vector<std::string>& features, bool with_region, bool multiallelic_column) {
  std::string h = "contig\tstart\tend\tref\talt";
  if (with_region) h += "\tregion";
  h += "\trealignment_sensitive";
  if (multiallelic_column) h += "\tis_multiallelic";
  h += "\tcandidate_alts\tdp\tad";
  for (const auto& f : features) h += "\t" + f;
  return h;
}

void append_tsv_ids(std::string& out, const Row& row, bool with_region) {
  out += row.contig;
  out += '\t';
  append_int(out, row.start);
  out += '\t';
  append_int(out, row.end);
  out += '\t';
  out += row.ref;
  out += '\t';
  for (std::size_t i = 0; i < row.alts.size(); ++i) {
    if (i) out += '|';
    out += row.alts[i];
  }
  if (with_region) {
    out += '\t';
    out += row.region;
  }
}

void append_candidate_columns(std::string& out, const Row& row) {
  if (!row.has_candidate) {
    out += "\t.\t.\t.";
    return;
  }
  const CandidateInfo& c = row.candidate;
  out += '\t';
  for (std::size_t i = 0; i < c.alts.size(); ++i) {
    if (i) out += '|';
    out += c.alts[i];
  }
  if (c.depth < 0 || c.allele_depths.empty()) {
    out += "\t.\t.";
    return;
  }
  out += '\t';
  append_int(out, c.depth);
  out += '\t';
  for (std::size_t i = 0; i < c.allele_depths.size(); ++i) {
    if (i) out += ',';
    append_int(out, c.allele_depths[i]);
  }
}

void append_tsv_row(std::string& out, const Row& row, const float* features, int n, bool with_region,
                    bool multiallelic_column) {
  append_tsv_ids(out, row, with_region);
  out += row.realignment_sensitive ? "\t1" : "\t0";
  if (multiallelic_column) out += row.is_multiallelic ? "\t1" : "\t0";
  append_candidate_columns(out, row);
  for (int i = 0; i < n; ++i) {
    out += '\t';
    const float v = features[i];
    if (v == std::nearbyint(v) && std::fabs(v) < 1e15f) append_int(out, static_cast<long long>(v));
    else append_float(out, v);
  }
}

}  // namespace smallcall
