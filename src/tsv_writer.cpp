#include "smallcall/tsv_writer.hpp"

#include <charconv>

#include "smallcall/tfrecord_reader.hpp"

namespace smallcall {

namespace {
const char* const kGenotypeText[3] = {"0/0", "0/1", "1/1"};

void append_int(std::string& out, long long v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}
}  // namespace

void append_float(std::string& out, float v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}

AcceptedTsvWriter::AcceptedTsvWriter(const std::string& path) : file_(path, compression_for(path)) {
  file_.write("contig\tstart\tend\tref\talt\tgt\tgq\tp_hom_ref\tp_het\tp_hom_alt\n");
}

void AcceptedTsvWriter::write(const CandidateId& id, const float p[3], const GateDecision& d) {
  std::string& b = row_;
  b.clear();
  b += id.contig;
  b += '\t';
  append_int(b, id.start);
  b += '\t';
  append_int(b, id.end);
  b += '\t';
  b += id.ref;
  b += '\t';
  b += id.alt;
  b += '\t';
  b += kGenotypeText[d.genotype];
  b += '\t';
  append_int(b, d.gq);
  for (int c = 0; c < 3; ++c) {
    b += '\t';
    append_float(b, p[c]);
  }
  b += '\n';
  file_.write(b);
}

RemainderTsvWriter::RemainderTsvWriter(const std::string& path, const std::string& header_line, bool pass_through,
                                       int num_features, bool with_region, bool with_realignment)
    : file_(path, compression_for(path)), pass_through_(pass_through), num_features_(num_features),
      with_region_(with_region), with_realignment_(with_realignment) {
  file_.write(header_line);
  file_.write("\n");
}

void RemainderTsvWriter::write(const CandidateId& id, const float* features, const std::string& raw_record) {
  row_.clear();
  if (pass_through_) row_ += raw_record;
  else append_tsv_row(row_, id, features, num_features_, with_region_, with_realignment_);
  row_ += '\n';
  file_.write(row_);
}

}  // namespace smallcall
