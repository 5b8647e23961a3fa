#include "smallcall/tfrecord.hpp"

#include <cstring>

#include "smallcall/crc32c.hpp"
#include "smallcall/error.hpp"

namespace smallcall {

namespace {
std::string where(const ByteSource& s, uint64_t index) { return s.display_name() + ": record " + std::to_string(index); }

void put32(std::string& out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);  // little-endian hosts only (x86_64, aarch64)
  out.append(b, 4);
}
}  // namespace

TfRecordReader::TfRecordReader(const std::string& path) : source_(std::make_unique<ByteSource>(path)) {}
TfRecordReader::TfRecordReader(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {}

bool TfRecordReader::next(std::string& payload) {
  unsigned char header[12];
  std::size_t got;
  try {
    got = source_->read(header, sizeof header);
  } catch (const DataError& e) {
    throw DataError(where(*source_, index_) + ": " + e.what());
  }
  if (got == 0) return false;
  if (got < sizeof header)
    throw DataError(where(*source_, index_) + ": truncated record header (" + std::to_string(got) + " of 12 bytes)");
  uint64_t length;
  uint32_t length_crc;
  std::memcpy(&length, header, 8);
  std::memcpy(&length_crc, header + 8, 4);
  if (masked_crc32c(header, 8) != length_crc)
    throw DataError(where(*source_, index_) + ": length CRC mismatch (corrupt data, or not a TFRecord file)");
  if (length > kMaxRecordBytes)
    throw DataError(where(*source_, index_) + ": record length " + std::to_string(length) + " exceeds the " +
                    std::to_string(kMaxRecordBytes) + "-byte limit");
  payload.resize(static_cast<std::size_t>(length));
  unsigned char footer[4];
  try {
    got = source_->read(payload.data(), payload.size());
    if (got < payload.size())
      throw DataError("truncated payload (" + std::to_string(got) + " of " + std::to_string(length) + " bytes)");
    got = source_->read(footer, 4);
    if (got < 4) throw DataError("truncated record (payload CRC missing)");
  } catch (const DataError& e) {
    throw DataError(where(*source_, index_) + ": " + e.what());
  }
  uint32_t data_crc;
  std::memcpy(&data_crc, footer, 4);
  if (masked_crc32c(payload.data(), payload.size()) != data_crc)
    throw DataError(where(*source_, index_) + ": data CRC mismatch (corrupt payload)");
  ++index_;
  return true;
}

bool is_tfrecord_header(const void* bytes, std::size_t n) {
  if (n < 12) return false;
  uint32_t stored;
  std::memcpy(&stored, static_cast<const char*>(bytes) + 8, 4);
  return masked_crc32c(bytes, 8) == stored;
}

void append_tfrecord(std::string& out, std::string_view payload) {
  const uint64_t length = payload.size();
  char header[8];
  std::memcpy(header, &length, 8);
  out.append(header, 8);
  put32(out, masked_crc32c(header, 8));
  out.append(payload);
  put32(out, masked_crc32c(payload.data(), payload.size()));
}

TfRecordWriter::TfRecordWriter(const std::string& path, int level, int threads)
    : file_(path,
            compression_for(path) == Compression::kNone ? Compression::kNone
            : threads > 1                               ? Compression::kBgzf
                                                        : Compression::kGzip,
            level, threads) {}

void TfRecordWriter::write(std::string_view payload) {
  record_.clear();
  append_tfrecord(record_, payload);
  file_.write(record_);
}

}  // namespace smallcall
