#pragma once
// The two outputs as TSV: accepted calls, and the remainder (input header + the input lines
// of the rows not accepted, byte-identical, in input order).
#include <memory>
#include <string>

#include "smallcall/gate.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/row.hpp"

namespace smallcall {

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
  virtual void write(const CandidateId& id, const std::string& raw_record) = 0;
  virtual void close() = 0;
  virtual void publish() = 0;
};

// Header: contig start end ref alt gt gq p_hom_ref p_het p_hom_alt.
class AcceptedTsvWriter : public AcceptedWriter {
 public:
  explicit AcceptedTsvWriter(const std::string& path);
  void write(const CandidateId& id, const float probabilities[3], const GateDecision& d) override;
  void close() override;
  void publish() override { close(); file_.publish(); }

 private:
  void flush();
  OutputFile file_;
  std::string buffer_;
};

class RemainderTsvWriter : public RemainderWriter {
 public:
  RemainderTsvWriter(const std::string& path, const std::string& header_line);
  void write(const CandidateId& id, const std::string& raw_record) override;
  void close() override;
  void publish() override { close(); file_.publish(); }

 private:
  void flush();
  OutputFile file_;
  std::string buffer_;
};

// Shortest decimal text that reads back as the same float32.
void append_float(std::string& out, float v);

}  // namespace smallcall
