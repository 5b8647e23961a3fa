#include "smallcall/writers.hpp"

#include <algorithm>

#include "smallcall/error.hpp"
#include "smallcall/example.hpp"
#include "smallcall/feature_names.hpp"
#include "smallcall/paths.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/tsv_writer.hpp"
#include "smallcall/variant.hpp"
#include "smallcall/vcf_writer.hpp"

namespace smallcall {

SidecarWriter::SidecarWriter(const std::string& rows_path, const std::vector<std::string>& names,
                             const std::string& spec) {
  for (const std::string& rows : {rows_path, spec}) {
    if (rows.empty() || written_in_place(rows)) continue;
    files_.push_back(std::make_unique<OutputFile>(sidecar_path(rows), Compression::kNone));
    files_.back()->write(sidecar_json(names));
  }
}

void SidecarWriter::close() {
  for (auto& f : files_) f->close();
}

void SidecarWriter::publish() {
  for (auto& f : files_) f->publish();
}

namespace {

class AcceptedCvoWriter : public AcceptedWriter {
 public:
  AcceptedCvoWriter(const OutputTarget& t, const Sample& sample)
      : out_(t.path, t.level, t.threads), sample_(sample), input_(t.input), path_(t.path) {}
  void write(const Row& row, const float p[3], const GateDecision&) override {
    // postprocess_variants merges a candidate's CVOs through the candidate (all its alts) and
    // calls ./. without AD read as int_value: a row without them cannot become a CVO.
    if (!row.has_candidate || row.candidate.allele_depths.empty() || !row.candidate.allele_depths_int)
      throw DataError((input_ ? input_->where(row) + ": " : std::string()) + path_ +
                      (!row.has_candidate || row.candidate.allele_depths.empty()
                           ? ": a CallVariantsOutput needs the row's candidate with its AD and DP (TFRecord "
                             "variant/encoded + alt_allele_indices/encoded, TSV columns candidate_alts, dp, ad, or "
                             "--reads); this row has none, and postprocess_variants would call it ./."
                           : ": the candidate's AD holds number_value entries; postprocess_variants reads only "
                             "int_value and would call it ./."));
    record_.clear();
    // A candidate without a call_set_name (TSV rows) takes the run's sample.
    encode_call_variants_output(record_, row, p, sample_.name, sample_.replace || row.candidate.sample.empty());
    out_.write(record_);
  }
  void close() override { out_.close(); }
  void publish() override { out_.publish(); }

 private:
  TfRecordWriter out_;
  Sample sample_;
  const RowReader* input_;
  std::string path_;
  std::string record_;
};

class RowTfRecordWriter : public RowWriter {
 public:
  RowTfRecordWriter(const OutputTarget& t, bool pass_through, const std::vector<std::string>& names)
      : out_(t.path, t.level, t.threads), sidecar_(t.path, names, t.spec), pass_through_(pass_through),
        num_features_(static_cast<int>(names.size())) {
    const auto m = std::find(names.begin(), names.end(), "is_multiallelic");
    multiallelic_feature_ = m == names.end() ? -1 : static_cast<int>(m - names.begin());
  }
  void write(const Row& row, const float* features, const std::string& raw) override {
    if (pass_through_) {
      out_.write(raw);  // the input record's payload, byte for byte
      return;
    }
    record_.clear();
    encode_small_model_example(record_, row, features, num_features_, multiallelic_feature_);
    out_.write(record_);
  }
  void close() override {
    out_.close();
    sidecar_.close();
  }
  void publish() override {
    out_.publish();
    sidecar_.publish();
  }

 private:
  TfRecordWriter out_;
  SidecarWriter sidecar_;
  bool pass_through_;
  int num_features_;
  int multiallelic_feature_;
  std::string record_;
};

}  // namespace

std::unique_ptr<AcceptedWriter> open_accepted_writer(const OutputTarget& t, const Sample& sample) {
  switch (output_kind(t.path, t.flag).format) {
    case FileFormat::kVcf:
    case FileFormat::kBcf: return open_accepted_vcf(t.path, sample, t.ref, t.postprocess);
    case FileFormat::kTfRecord: return std::make_unique<AcceptedCvoWriter>(t, sample);
    default: return std::make_unique<AcceptedTsvWriter>(t.path, t.level, t.threads);
  }
}

std::unique_ptr<RowWriter> open_row_writer(const OutputTarget& t, const RowReader& reader,
                                           const std::vector<std::string>& features) {
  const int n = static_cast<int>(features.size());
  switch (output_kind(t.path, t.flag).format) {
    case FileFormat::kVcf:
    case FileFormat::kBcf: return open_sites_vcf(t.path, t.ref);
    case FileFormat::kTfRecord: {
      const bool pass_through = reader.format() == InputFormat::kTfRecord;
      return std::make_unique<RowTfRecordWriter>(t, pass_through, pass_through ? reader.row_feature_names() : features);
    }
    default: break;
  }
  if (reader.format() == InputFormat::kTsv)
    return std::make_unique<RowTsvWriter>(t, reader.preamble(), true, n, false, false, reader.row_feature_names());
  // Rows converted to TSV carry the gate's inputs as columns: the realignment flag, and the
  // multi-allelic flag when the model has no is_multiallelic feature.
  const bool multiallelic_column = std::find(features.begin(), features.end(), "is_multiallelic") == features.end();
  return std::make_unique<RowTsvWriter>(t, tsv_header_for(features, reader.has_region_column(), multiallelic_column),
                                        false, n, reader.has_region_column(), multiallelic_column, features);
}

}  // namespace smallcall
