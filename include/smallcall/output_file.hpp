#pragma once
// An output that appears under its final name only when complete: bytes go to
// "<final>.tmp.<pid>" and commit() renames it. A file never committed (error, exception,
// SIGINT/SIGTERM/SIGPIPE) is removed. "-" writes to stdout, and an existing device, FIFO or
// socket (/dev/null, a named pipe) is written in place: neither can be renamed into.
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

struct BGZF;

namespace smallcall {

enum class Compression { kNone, kBgzf, kGzip };

// ".gz" (and ".bgz") names mean compressed output; everything else is plain.
Compression compression_for(const std::string& path);

// zlib level (0-9) for compressed outputs made after this call; smallcall's default is 1:
// level 6 (zlib's default) costs ~3x the CPU for files ~15 % smaller, and compression of
// the outputs otherwise competes with the forward pass for the second core.
void set_compression_level(int level);
int compression_level();

// A temporary path removed by the destructor and by the signal handlers below (for
// scratch files such as sort runs, and outputs written by other libraries).
class TempPath {
 public:
  explicit TempPath(std::string path);
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }
  // Renames to `final_path`; the file is then no longer removed.
  void publish_as(const std::string& final_path);

 private:
  std::string path_;
  int slot_;
  bool published_ = false;
};

class OutputFile {
 public:
  // threads > 1 compresses BGZF blocks in parallel (no effect on plain or single-stream gzip).
  OutputFile(const std::string& final_path, Compression compression, int threads = 1);
  ~OutputFile();  // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Buffered: bytes reach the file (or the writer thread) in 64 KiB chunks.
  void write(std::string_view bytes);
  // Flushes and closes (checking every error); the rename happens in publish().
  void close();
  // Renames the temporary file to its final name.
  void publish();

  const std::string& path() const { return final_path_; }
  bool is_stdout() const { return final_path_ == "-"; }

 private:
  // Compressed outputs hand full chunks to a writer thread, so compression overlaps the
  // forward pass on the second core (one stream, in order; errors surface on the next call).
  void start_writer();
  void stop_writer();
  void enqueue(std::string&& chunk);
  void flush_pending();
  void rethrow_writer_error();
  void write_now(std::string_view bytes);

  std::thread writer_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::string pending_;
  bool stopping_ = false;
  std::exception_ptr writer_error_;

  std::string final_path_;
  std::unique_ptr<TempPath> temp_;  // null for stdout and special files (written in place)
  BGZF* fp_ = nullptr;
};

// Installs SIGINT/SIGTERM/SIGPIPE handlers that remove every uncommitted temporary file and
// then die of the same signal (exit status 128 + signal).
void install_cleanup_signal_handlers();

}  // namespace smallcall
