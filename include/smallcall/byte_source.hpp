#pragma once
// An input byte stream whose compression is sniffed from its first bytes, not its name:
// gzip, multi-member gzip and bgzip through HTSlib's BGZF reader; zlib streams (TensorFlow's
// "ZLIB" TFRecords, which HTSlib does not decode) through zlib; anything else as plain bytes.
// "-" is stdin.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace smallcall {

enum class InputCompression { kPlain, kGzip, kZlib };

class ByteSource {
 public:
  explicit ByteSource(const std::string& path);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Up to n decompressed bytes; fewer only at the end of the stream. Throws DataError on
  // a read or decompression error, without the file name (callers add file and record).
  std::size_t read(void* out, std::size_t n);
  // The next decompressed bytes without consuming them (up to n; fewer at the end).
  std::string_view peek(std::size_t n);

  InputCompression compression() const { return compression_; }
  // Fraction of the (compressed) file consumed, or -1 when the size is unknown (stdin, pipes).
  double fraction_consumed() const;
  const std::string& path() const { return path_; }
  std::string display_name() const { return path_ == "-" ? "<stdin>" : path_; }

 private:
  std::size_t fill(char* out, std::size_t n);  // raw decompressed read

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  InputCompression compression_ = InputCompression::kPlain;
};

// The lines of a ByteSource, without '\n' and with any '\r' kept. Own line splitting
// because bgzf_getline drops '\r' and hands back the partial line of a truncated stream
// before reporting the error.
class LineReader {
 public:
  LineReader(ByteSource& source, std::size_t max_line_bytes);
  // The next line; false at the end. Throws DataError "FILE:LINE: ..." for a line longer
  // than max_line_bytes or a read/decompression error.
  bool getline(std::string& line);
  uint64_t line_no() const { return line_no_; }  // lines returned so far (1-based of the last)

 private:
  ByteSource& source_;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_ = std::vector<char>(1 << 16);
  std::size_t begin_ = 0, end_ = 0;  // unread bytes of buffer_
  bool eof_ = false;
  uint64_t line_no_ = 0;
};

}  // namespace smallcall
