#include "smallcall/byte_source.hpp"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <zlib.h>

#include <sys/stat.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <vector>

#include "smallcall/tfrecord.hpp"
#include "smallcall/error.hpp"

namespace smallcall {

namespace {

bool is_zlib_header(const unsigned char* b, std::size_t n) {
  return n >= 2 && (b[0] & 0x0F) == 8 && (b[0] >> 4) <= 7 && ((b[0] << 8) | b[1]) % 31 == 0;
}

}  // namespace

struct ByteSource::Impl {
  hFILE* hf = nullptr;  // plain and zlib
  BGZF* bgzf = nullptr;  // gzip / bgzip
  z_stream zs{};
  bool zs_open = false;
  bool z_done = false;
  std::vector<unsigned char> zin = std::vector<unsigned char>(1 << 16);
  std::string lookahead;  // peeked, not yet consumed
  hFILE* raw = nullptr;    // the file under any decompression, for progress
  off_t size = -1;         // bytes, when a regular file

  ~Impl() {
    if (zs_open) inflateEnd(&zs);
    if (bgzf) bgzf_close(bgzf);
    if (hf) hclose_abruptly(hf);
  }
};

ByteSource::ByteSource(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
  hFILE* hf = hopen(path.c_str(), "r");
  if (!hf) throw DataError(display_name() + ": cannot open: " + std::strerror(errno));
  unsigned char magic[16];
  const ssize_t got = hpeek(hf, magic, sizeof magic);
  if (got < 0) {
    hclose_abruptly(hf);
    throw DataError(display_name() + ": read error: " + std::strerror(errno));
  }
  const auto n = static_cast<std::size_t>(got);
  impl_->raw = hf;
  struct stat st {};
  if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) impl_->size = st.st_size;
  if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    compression_ = InputCompression::kGzip;
    impl_->bgzf = bgzf_hopen(hf, "r");  // takes ownership of hf
    if (!impl_->bgzf) throw DataError(display_name() + ": cannot open gzip stream");
  } else if (!is_tfrecord_header(magic, n) && is_zlib_header(magic, n)) {
    // A plain TFRecord can start with bytes that look like a zlib header (78 01 is a valid
    // one); its length CRC tells them apart.
    compression_ = InputCompression::kZlib;
    impl_->hf = hf;
    if (inflateInit(&impl_->zs) != Z_OK) throw DataError(display_name() + ": cannot start zlib");
    impl_->zs_open = true;
  } else {
    impl_->hf = hf;
  }
}

ByteSource::~ByteSource() = default;

double ByteSource::fraction_consumed() const {
  if (impl_->size <= 0 || !impl_->raw) return -1;
  return std::min(1.0, static_cast<double>(htell(impl_->raw)) / static_cast<double>(impl_->size));
}

std::size_t ByteSource::fill(char* out, std::size_t n) {
  Impl& s = *impl_;
  if (s.bgzf) {
    const ssize_t got = bgzf_read(s.bgzf, out, n);
    if (got < 0) throw DataError("read error (corrupt or truncated gzip data)");
    return static_cast<std::size_t>(got);
  }
  if (!s.zs_open) {
    std::size_t total = 0;
    while (total < n) {
      const ssize_t got = hread(s.hf, out + total, n - total);
      if (got < 0) throw DataError(std::string("read error: ") + std::strerror(errno));
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
    }
    return total;
  }
  // zlib: inflate until n bytes or the end of the stream (concatenated streams continue).
  std::size_t total = 0;
  while (total < n && !s.z_done) {
    if (s.zs.avail_in == 0) {
      const ssize_t got = hread(s.hf, s.zin.data(), s.zin.size());
      if (got < 0) throw DataError(std::string("read error: ") + std::strerror(errno));
      if (got == 0) throw DataError("zlib stream is truncated");
      s.zs.next_in = s.zin.data();
      s.zs.avail_in = static_cast<uInt>(got);
    }
    s.zs.next_out = reinterpret_cast<Bytef*>(out + total);
    s.zs.avail_out = static_cast<uInt>(n - total);
    const int rc = inflate(&s.zs, Z_NO_FLUSH);
    total = n - s.zs.avail_out;
    if (rc == Z_STREAM_END) {
      // Another zlib stream may follow; stop at true end of input.
      if (s.zs.avail_in == 0) {
        const ssize_t got = hread(s.hf, s.zin.data(), s.zin.size());
        if (got < 0) throw DataError(std::string("read error: ") + std::strerror(errno));
        if (got == 0) {
          s.z_done = true;
          break;
        }
        s.zs.next_in = s.zin.data();
        s.zs.avail_in = static_cast<uInt>(got);
      }
      inflateReset(&s.zs);
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      throw DataError(std::string("corrupt zlib data (") + (s.zs.msg ? s.zs.msg : "inflate error") + ")");
    }
  }
  return total;
}

std::size_t ByteSource::read(void* out, std::size_t n) {
  auto* dst = static_cast<char*>(out);
  std::size_t from_peek = std::min(n, impl_->lookahead.size());
  if (from_peek) {
    std::memcpy(dst, impl_->lookahead.data(), from_peek);
    impl_->lookahead.erase(0, from_peek);
  }
  if (from_peek == n) return n;
  return from_peek + fill(dst + from_peek, n - from_peek);
}

std::string_view ByteSource::peek(std::size_t n) {
  std::string& la = impl_->lookahead;
  if (la.size() < n) {
    const std::size_t have = la.size();
    la.resize(n);
    la.resize(have + fill(la.data() + have, n - have));
  }
  return std::string_view(la).substr(0, std::min(n, la.size()));
}

LineReader::LineReader(ByteSource& source, std::size_t max_line_bytes)
    : source_(source), max_line_bytes_(max_line_bytes) {}

bool LineReader::getline(std::string& line) {
  line.clear();
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    const std::size_t take = nl ? static_cast<const char*>(nl) - start : end_ - begin_;
    if (line.size() + take > max_line_bytes_)
      throw DataError(located(source_.path(), line_no_ + 1,
                              "line is longer than " + std::to_string(max_line_bytes_) + " bytes"));
    line.append(start, take);
    if (nl) {
      begin_ += take + 1;
      ++line_no_;
      return true;
    }
    begin_ = end_ = 0;
    if (eof_) {
      if (line.empty()) return false;
      ++line_no_;
      return true;
    }
    try {
      end_ = source_.read(buffer_.data(), buffer_.size());
    } catch (const DataError& e) {
      throw DataError(located(source_.path(), line_no_ + 1, e.what()));
    }
    if (end_ == 0) eof_ = true;
  }
}

}  // namespace smallcall
