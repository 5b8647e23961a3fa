#pragma once
// The two outputs. The format follows the output name: ".tfrecord" (also sharded
// "x.tfrecord-00000-of-00004", and with ".gz") -> TFRecord; ".vcf", ".vcf.gz", ".bcf" -> VCF;
// anything else (".tsv", "-") -> TSV.
#include <memory>
#include <string>
#include <vector>

#include "smallcall/gate.hpp"
#include "smallcall/row.hpp"
#include "smallcall/tsv_reader.hpp"

namespace smallcall {

enum class OutputFormat { kTsv, kTfRecord, kVcf };
OutputFormat output_format_for(const std::string& path);

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

// Accepted calls: TSV, or CallVariantsOutput TFRecords carrying `sample_name`.
// ref_fasta (optional) names the contigs of VCF outputs.
std::unique_ptr<AcceptedWriter> open_accepted_writer(const std::string& path, const std::string& sample_name,
                                                     const std::string& ref_fasta = "");

// The remainder: input records passed through byte-identical when the formats match, else
// converted (TSV lines <-> small-model tf.Examples).
std::unique_ptr<RemainderWriter> open_remainder_writer(const std::string& path, const RowReader& reader,
                                                       const std::vector<std::string>& features,
                                                       const std::string& ref_fasta = "");

}  // namespace smallcall
