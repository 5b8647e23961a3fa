#pragma once
// An output that appears under its final name only when complete: bytes go to a temporary
// file beside it ("<final>.tmp.XXXXXX", see TempPath) and publish() renames it. A file never committed (error, exception,
// SIGINT/SIGTERM/SIGPIPE) is removed. "-" writes to stdout, and an existing device, FIFO or
// socket (/dev/null, a named pipe) is written in place: neither can be renamed into.
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace smallcall {

enum class Compression { kNone, kBgzf, kGzip };

// ".gz" (and ".bgz") names mean compressed output (any case); everything else is plain.
Compression compression_for(const std::string& path);

// "-", or an existing device, FIFO or socket (/dev/null, /dev/full, a named pipe): written in
// place, since a rename would replace it with a regular file. Everything else is written
// to a temporary file and renamed.
bool written_in_place(const std::string& path);

// smallcall's zlib level for compressed outputs (--compression_level): level 6 (zlib's
// default) costs ~3x the CPU for files ~15 % smaller, and compression of the outputs
// competes with the forward pass for the second core.
constexpr int kDefaultCompressionLevel = 1;

// A temporary file or directory beside an output, removed unless published: by the
// destructor, and by the signal handlers below (also SIGABRT, so an uncaught exception's
// std::terminate leaves nothing behind). Names are unpredictable and created exclusively
// (mkostemp / mkdtemp: O_CREAT|O_EXCL never follows a symlink), so nothing planted in a
// shared directory can redirect a write.
class TempPath {
 public:
  // A new file "<final_path>.tmp.XXXXXX", mode 0666 & ~umask, open for writing (take_fd()).
  static std::unique_ptr<TempPath> new_file(const std::string& final_path);
  // A new private directory "<dir of final_path>/.<base>.tmp.XXXXXX" (mode 0700) for files
  // that other code opens by name (HTSlib's index, sort runs): nobody else can create
  // anything in it. With an empty final_path, in $TMPDIR (default /tmp).
  static std::unique_ptr<TempPath> new_dir(const std::string& final_path);
  // The name `name` inside a directory made by new_dir (removed with it).
  static std::unique_ptr<TempPath> inside(const TempPath& dir, const std::string& name);
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }
  // The descriptor new_file opened; the caller owns it from now on.
  int take_fd();
  // Renames to `final_path`; the file is then no longer removed.
  void publish_as(const std::string& final_path);

 private:
  TempPath(std::string path, bool is_dir, int fd);
  std::string path_;
  bool is_dir_;
  int fd_;
  int slot_;
  bool published_ = false;
};

// What becomes a file under its final name only once complete: close() flushes and checks
// every error, publish() renames into place.
class Output {
 public:
  virtual ~Output() = default;
  virtual void close() = 0;
  virtual void publish() = 0;
};

// Closes every output (so any failure surfaces before anything is renamed), then publishes
// each: outputs appear together or not at all. Null entries are skipped.
void publish_all(std::initializer_list<Output*> outputs);

class OutputFile : public Output {
 public:
  // `level`: zlib level 0-9 of compressed outputs. `threads`: 1 hands compressed outputs' 64
  // KiB chunks to a writer thread, so compression overlaps the caller's work on the second
  // core; 0 compresses on the caller's thread (one core per process: --io_threads 0); > 1
  // compresses BGZF blocks on that many threads.
  OutputFile(const std::string& final_path, Compression compression, int level = kDefaultCompressionLevel,
             int threads = 1);
  ~OutputFile() override;  // removes the temporary file unless published
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Buffered: bytes reach the file (or the writer thread) in 64 KiB chunks.
  void write(std::string_view bytes);
  void close() override;
  void publish() override;
  const std::string& path() const { return final_path_; }
  // Where the bytes go until publish(): the temporary file (or the final path when written
  // in place), for a program that writes the output itself once this one is closed.
  const std::string& written_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string final_path_;
};

// Installs SIGINT/SIGTERM/SIGPIPE/SIGHUP/SIGABRT handlers that remove every unpublished
// temporary file and directory and then die of the same signal (exit status 128 + signal).
void install_cleanup_signal_handlers();

}  // namespace smallcall
