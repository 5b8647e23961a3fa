#include "smallcall/writers.hpp"

#include "smallcall/tfrecord.hpp"
#include "smallcall/tfrecord_reader.hpp"
#include "smallcall/tsv_writer.hpp"
#include "smallcall/variant.hpp"
#include "smallcall/vcf_writer.hpp"

namespace smallcall {

OutputFormat output_format_for(const std::string& path) {
  if (is_vcf_path(path)) return OutputFormat::kVcf;
  std::string name = path;
  for (const char* suffix : {".gz", ".bgz"})
    if (name.size() > 3 && name.compare(name.size() - std::char_traits<char>::length(suffix), std::string::npos, suffix) == 0)
      name.erase(name.size() - std::char_traits<char>::length(suffix));
  const std::size_t slash = name.rfind('/');
  const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  const std::size_t t = base.find(".tfrecord");
  if (t != std::string::npos) {
    const std::string rest = base.substr(t + 9);
    if (rest.empty() || rest == "s" || rest[0] == '-' || rest[0] == '.') return OutputFormat::kTfRecord;
  }
  return OutputFormat::kTsv;
}

namespace {

class AcceptedCvoWriter : public AcceptedWriter {
 public:
  AcceptedCvoWriter(const std::string& path, const std::string& sample_name) : out_(path), sample_name_(sample_name) {}
  void write(const CandidateId& id, const float p[3], const GateDecision&) override {
    record_.clear();
    encode_call_variants_output(record_, id, p, sample_name_);
    out_.write(record_);
  }
  void close() override { out_.close(); }
  void publish() override { out_.publish(); }

 private:
  TfRecordWriter out_;
  std::string sample_name_;
  std::string record_;
};

class RemainderTfRecordWriter : public RemainderWriter {
 public:
  RemainderTfRecordWriter(const std::string& path, bool pass_through, int num_features)
      : out_(path), pass_through_(pass_through), num_features_(num_features) {}
  void write(const CandidateId& id, const float* features, const std::string& raw) override {
    if (pass_through_) {
      out_.write(raw);  // the input record's payload, byte for byte
      return;
    }
    record_.clear();
    encode_small_model_example(record_, id, features, num_features_);
    out_.write(record_);
  }
  void close() override { out_.close(); }
  void publish() override { out_.publish(); }

 private:
  TfRecordWriter out_;
  bool pass_through_;
  int num_features_;
  std::string record_;
};

}  // namespace

std::unique_ptr<AcceptedWriter> open_accepted_writer(const std::string& path, const std::string& sample_name,
                                                     const std::string& ref_fasta) {
  if (output_format_for(path) == OutputFormat::kVcf) return open_accepted_vcf(path, sample_name, ref_fasta);
  if (output_format_for(path) == OutputFormat::kTfRecord) return std::make_unique<AcceptedCvoWriter>(path, sample_name);
  return std::make_unique<AcceptedTsvWriter>(path);
}

std::unique_ptr<RemainderWriter> open_remainder_writer(const std::string& path, const RowReader& reader,
                                                       const std::vector<std::string>& features,
                                                       const std::string& ref_fasta) {
  const int n = static_cast<int>(features.size());
  if (output_format_for(path) == OutputFormat::kVcf) return open_remainder_vcf(path, ref_fasta);
  if (output_format_for(path) == OutputFormat::kTfRecord)
    return std::make_unique<RemainderTfRecordWriter>(path, reader.format() == InputFormat::kTfRecord, n);
  if (reader.format() == InputFormat::kTsv)
    return std::make_unique<RemainderTsvWriter>(path, reader.preamble(), true, n, false);
  const bool from_reads = reader.format() == InputFormat::kReads;
  return std::make_unique<RemainderTsvWriter>(path, tsv_header_for(features, reader.has_region_column(), from_reads),
                                              false, n, reader.has_region_column(), from_reads);
}

}  // namespace smallcall
