#pragma once
// TFRecord framing: 8-byte little-endian length, masked CRC32C of it, payload, masked CRC32C
// of the payload. Both CRCs are verified on read.
#include <cstdint>
#include <memory>
#include <string>

#include "smallcall/byte_source.hpp"
#include "smallcall/output_file.hpp"

namespace smallcall {

class TfRecordReader {
 public:
  // Larger records are rejected before any allocation (a corrupt length must not OOM).
  static constexpr uint64_t kMaxRecordBytes = uint64_t{1} << 28;

  explicit TfRecordReader(const std::string& path);
  explicit TfRecordReader(std::unique_ptr<ByteSource> source);
  // Reads the next payload; false at a clean end of file (at a record boundary). Throws
  // DataError naming the file and the 0-based record index on truncation or a CRC mismatch.
  bool next(std::string& payload);
  uint64_t records_read() const { return index_; }
  const ByteSource& source() const { return *source_; }

 private:
  std::unique_ptr<ByteSource> source_;
  uint64_t index_ = 0;
};

class TfRecordWriter : public Output {
 public:
  // `.gz` names get one gzip stream (as TensorFlow and DeepVariant write) at zlib `level`,
  // compressed on a writer thread (threads 1) or the caller's (0); others plain. threads > 1
  // writes BGZF instead (multi-member gzip, which TensorFlow >= 2.5 and smallcall read),
  // compressed on that many threads: for bulk data (`simulate`).
  explicit TfRecordWriter(const std::string& path, int level = kDefaultCompressionLevel, int threads = 1);
  void write(std::string_view payload);
  void close() override { file_.close(); }
  void publish() override { file_.publish(); }

 private:
  OutputFile file_;
  std::string record_;  // scratch for one framed record
};

// True when the first 12 bytes are a TFRecord length header (8-byte length, its masked
// CRC32C): how an input whose name says nothing is told from TSV, and a plain TFRecord from
// a zlib stream.
bool is_tfrecord_header(const void* bytes, std::size_t n);

// Frames one payload (header, payload, footer) onto `out`.
void append_tfrecord(std::string& out, std::string_view payload);

}  // namespace smallcall
