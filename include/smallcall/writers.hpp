#pragma once
// The two outputs. The format follows the output name's suffix (paths.hpp: output_kind):
// ".tfrecord[.gz]" (also sharded "x.tfrecord-00000-of-00004[.gz]") -> TFRecord; ".vcf",
// ".vcf.gz", ".bcf" -> VCF; ".tsv[.gz]" and "-" -> TSV; any other name is a usage error.
#include <memory>
#include <string>
#include <vector>

#include "smallcall/gate.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/row.hpp"
#include "smallcall/tsv_reader.hpp"

namespace smallcall {

// The sample of the calls: `name`, and whether it was chosen for this run (--sample_name, or
// the reads' @RG SM), which then replaces the call_set_name of candidates copied from rows.
struct Sample {
  std::string name = "default";
  bool fixed = false;
};

class AcceptedWriter {
 public:
  virtual ~AcceptedWriter() = default;
  virtual void write(const CandidateId& id, const float probabilities[3], const GateDecision& d) = 0;
  virtual void close() = 0;    // flush and close, checking errors
  virtual void publish() = 0;  // move into place under the final name
};

class RemainderWriter {
 public:
  virtual ~RemainderWriter() = default;
  // Every row, accepted or not, in input order (before write() for a remainder row).
  virtual void observe(const CandidateId&) {}
  // raw_record is the row's input bytes (TSV line or TFRecord payload).
  virtual void write(const CandidateId& id, const float* features, const std::string& raw_record) = 0;
  virtual void close() = 0;
  virtual void publish() = 0;
};

// "<rows>.small_model_info.json" beside a row output (feature_names.hpp), and beside the
// "@N" spec too when `spec` is given; none for stdout or a device.
class SidecarWriter {
 public:
  SidecarWriter(const std::string& rows_path, const std::vector<std::string>& names, const std::string& spec = "");
  void publish();

 private:
  std::vector<std::unique_ptr<OutputFile>> files_;
};

// Accepted calls: TSV, VCF, or CallVariantsOutput TFRecords. ref_fasta (optional) names the
// contigs of VCF outputs. `flag` names the output in messages.
std::unique_ptr<AcceptedWriter> open_accepted_writer(const std::string& path, const std::string& flag,
                                                     const Sample& sample, const std::string& ref_fasta = "");

// The remainder (and `features`' rows): input records passed through byte-identical when the
// formats match, else converted (TSV lines <-> small-model tf.Examples) keeping everything the
// gate reads; a sites VCF. TSV and TFRecord outputs get a sidecar naming their features.
// `spec`: the "@N" spec the path came from, if any.
std::unique_ptr<RemainderWriter> open_remainder_writer(const std::string& path, const std::string& flag,
                                                       const RowReader& reader,
                                                       const std::vector<std::string>& features,
                                                       const std::string& ref_fasta = "", const std::string& spec = "");

}  // namespace smallcall
