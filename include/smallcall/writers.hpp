#pragma once
// The two outputs. The format follows the output name's suffix (paths.hpp: output_kind):
// ".tfrecord[.gz]" (also sharded "x.tfrecord-00000-of-00004[.gz]") -> TFRecord; ".vcf",
// ".vcf.gz", ".bcf" -> VCF; ".tsv[.gz]" and "-" -> TSV; any other name is a usage error.
#include <memory>
#include <string>
#include <vector>

#include "smallcall/gate.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/postprocess.hpp"
#include "smallcall/row.hpp"
#include "smallcall/row_reader.hpp"

namespace smallcall {

// The sample of the calls: `name`, and whether --sample_name chose it, which then replaces
// the call_set_name of candidates copied from rows (otherwise they keep their own, which for
// rows from reads is the reads' @RG SM, `name`).
struct Sample {
  std::string name = "default";
  bool replace = false;
};

// The accepted calls.
class AcceptedWriter : public Output {
 public:
  virtual void write(const Row& row, const float probabilities[3], const GateDecision& d) = 0;
};

// Rows: the remainder, and `features`' output.
class RowWriter : public Output {
 public:
  // Every row, accepted or not, in input order (before write() for a remainder row).
  virtual void observe(const Row&) {}
  // raw_record is the row's input bytes (TSV line or TFRecord payload).
  virtual void write(const Row& row, const float* features, const std::string& raw_record) = 0;
};

// "<rows>.small_model_info.json" beside a row output (feature_names.hpp), and beside the
// "@N" spec too when `spec` is given; none for stdout or a device.
class SidecarWriter : public Output {
 public:
  SidecarWriter(const std::string& rows_path, const std::vector<std::string>& names, const std::string& spec = "");
  void close() override;
  void publish() override;

 private:
  std::vector<std::unique_ptr<OutputFile>> files_;
};

// Where a writer goes: its path, the flag naming it in messages, the zlib level of
// compressed outputs and where they are compressed, the reference whose index names VCF contigs (optional), and for rows
// the "@N" spec the path came from (their sidecar goes beside it too).
struct OutputTarget {
  std::string path, flag;
  int level = kDefaultCompressionLevel;
  int threads = 1;  // compressed outputs: 1 = on a writer thread, 0 = on the caller's (OutputFile)
  std::string ref;
  std::string spec;
  PostprocessOptions postprocess;  // accepted VCF: postprocess_variants' settings
  const RowReader* input = nullptr;  // accepted CVOs: names a row in messages
};

// Accepted calls: TSV, VCF, or CallVariantsOutput TFRecords.
std::unique_ptr<AcceptedWriter> open_accepted_writer(const OutputTarget& target, const Sample& sample);

// The remainder (and `features`' rows): input records passed through byte-identical when the
// formats match, else converted (TSV lines <-> small-model tf.Examples) keeping everything the
// gate reads; a sites VCF. TSV and TFRecord outputs get a sidecar naming their features.
std::unique_ptr<RowWriter> open_row_writer(const OutputTarget& target, const RowReader& reader,
                                           const std::vector<std::string>& features);

}  // namespace smallcall
