#include "smallcall/output_file.hpp"

#include <fcntl.h>
#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "smallcall/error.hpp"
#include "smallcall/paths.hpp"

namespace smallcall {

namespace {

// Temporary paths the signal handler must remove; fixed storage so the handler only
// touches async-signal-safe state.
constexpr int kMaxTempFiles = 32;
constexpr std::size_t kMaxPath = 4096;
char g_temp_paths[kMaxTempFiles][kMaxPath];
std::atomic<bool> g_temp_used[kMaxTempFiles];
std::atomic<bool> g_temp_is_dir[kMaxTempFiles];

int register_temp(const std::string& path, bool is_dir) {
  if (path.size() >= kMaxPath) throw UsageError("output path too long: " + path);
  for (int i = 0; i < kMaxTempFiles; ++i) {
    if (!g_temp_used[i].load()) {
      std::memcpy(g_temp_paths[i], path.c_str(), path.size() + 1);
      g_temp_is_dir[i].store(is_dir);
      g_temp_used[i].store(true);
      return i;
    }
  }
  throw UsageError("too many output files");
}

void unregister_temp(int slot) {
  if (slot >= 0) g_temp_used[slot].store(false);
}

extern "C" void cleanup_and_reraise(int sig) {
  for (int pass = 0; pass < 2; ++pass)  // files first, then the directories that held them
    for (int i = 0; i < kMaxTempFiles; ++i)
      if (g_temp_used[i].load() && g_temp_is_dir[i].load() == (pass == 1))
        pass == 0 ? ::unlink(g_temp_paths[i]) : ::rmdir(g_temp_paths[i]);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Outputs get the mode an ordinary open() would give them (mkstemp's is 0600).
mode_t creation_mode() {
  static const mode_t mode = [] {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
  }();
  return mode;
}

std::string dir_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

TempPath::TempPath(std::string path, bool is_dir, int fd)
    : path_(std::move(path)), is_dir_(is_dir), fd_(fd), slot_(-1) {
  try {
    slot_ = register_temp(path_, is_dir_);
  } catch (...) {
    if (fd_ >= 0) ::close(fd_);
    is_dir_ ? ::rmdir(path_.c_str()) : ::unlink(path_.c_str());
    throw;
  }
}

std::unique_ptr<TempPath> TempPath::new_file(const std::string& final_path) {
  std::string name = final_path + ".tmp.XXXXXX";
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) throw DataError(final_path + ": cannot create output: " + std::strerror(errno));
  ::fchmod(fd, creation_mode());
  return std::unique_ptr<TempPath>(new TempPath(name, false, fd));
}

std::unique_ptr<TempPath> TempPath::new_dir(const std::string& final_path) {
  std::string name;
  if (final_path.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    name = std::string(tmp && *tmp ? tmp : "/tmp") + "/smallcall.tmp.XXXXXX";
  } else {
    name = dir_of(final_path) + "/." + base_of(final_path) + ".tmp.XXXXXX";
  }
  if (!::mkdtemp(name.data()))
    throw DataError((final_path.empty() ? name : final_path) + ": cannot create a temporary directory: " +
                    std::strerror(errno));
  return std::unique_ptr<TempPath>(new TempPath(name, true, -1));
}

std::unique_ptr<TempPath> TempPath::inside(const TempPath& dir, const std::string& name) {
  return std::unique_ptr<TempPath>(new TempPath(dir.path() + "/" + name, false, -1));
}

TempPath::~TempPath() {
  if (fd_ >= 0) ::close(fd_);
  if (!published_) is_dir_ ? ::rmdir(path_.c_str()) : ::unlink(path_.c_str());
  unregister_temp(slot_);
}

int TempPath::take_fd() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void TempPath::publish_as(const std::string& final_path) {
  if (::rename(path_.c_str(), final_path.c_str()) != 0)
    throw DataError(final_path + ": cannot rename " + path_ + " into place: " + std::strerror(errno));
  published_ = true;
}

Compression compression_for(const std::string& path) {
  return path_kind(path).compressed ? Compression::kBgzf : Compression::kNone;
}

bool written_in_place(const std::string& path) {
  struct stat st {};
  return path == "-" || (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode));
}

void install_cleanup_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = cleanup_and_reraise;
  sigemptyset(&sa.sa_mask);
  // SIGABRT too: an uncaught exception ends in std::terminate -> abort().
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGABRT}) ::sigaction(sig, &sa, nullptr);
}

namespace {
constexpr std::size_t kChunkBytes = 1 << 16;  // written (or handed to the writer thread) at once
constexpr std::size_t kMaxQueued = 16;        // bounds the writer thread's queue: 16 x 64 KiB
}  // namespace

void publish_all(std::initializer_list<Output*> outputs) {
  for (Output* o : outputs)
    if (o) o->close();
  for (Output* o : outputs)
    if (o) o->publish();
}

struct OutputFile::Impl {
  std::string path;
  std::unique_ptr<TempPath> temp;  // null for stdout and special files (written in place)
  BGZF* fp = nullptr;              // compressed outputs
  hFILE* hf = nullptr;             // plain outputs
  std::string pending;
  // Compressed outputs: a writer thread compresses full chunks (one stream, in order;
  // errors surface on the next call).
  std::thread writer;
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::string> queue;
  bool stopping = false;
  std::exception_ptr error;

  void write_now(std::string_view bytes) {
    const ssize_t n = hf ? hwrite(hf, bytes.data(), bytes.size()) : bgzf_write(fp, bytes.data(), bytes.size());
    if (n != static_cast<ssize_t>(bytes.size()))
      throw DataError(path + ": write failed: " + std::strerror(errno ? errno : EIO));
  }

  void start_writer() {
    writer = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex);
      while (true) {
        cv.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, nothing left
        std::string chunk = std::move(queue.front());
        lock.unlock();
        std::exception_ptr failed;
        try {
          if (!error) write_now(chunk);
        } catch (...) {
          failed = std::current_exception();
        }
        lock.lock();
        if (failed) error = failed;
        queue.pop_front();
        cv.notify_all();
      }
    });
  }

  void stop_writer() {
    if (!writer.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    cv.notify_all();
    writer.join();
  }

  void enqueue(std::string&& chunk) {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [this] { return queue.size() < kMaxQueued || error; });
    if (error) std::rethrow_exception(error);
    queue.push_back(std::move(chunk));
    cv.notify_all();
  }

  void flush_pending() {
    if (pending.empty()) return;
    if (writer.joinable()) enqueue(std::move(pending));
    else write_now(pending);
    pending.clear();
  }

  ~Impl() {
    stop_writer();
    // Before temp removes the file.
    if (fp) bgzf_close(fp);
    if (hf) hclose_abruptly(hf);
  }
};

OutputFile::OutputFile(const std::string& final_path, Compression compression, int level, int threads)
    : impl_(std::make_unique<Impl>()), final_path_(final_path) {
  if (level < 0 || level > 9) throw UsageError("--compression_level must be 0..9");
  Impl& s = *impl_;
  s.path = final_path;
  const std::string mode = (compression == Compression::kGzip ? "wg" : "w") + std::to_string(level);
  // Plain outputs are written through an hFILE: it is freed even when closing fails (a full
  // disk), where bgzf_close of an uncompressed BGZF returns early and leaks it.
  int fd = -1;
  if (written_in_place(final_path)) {
    fd = final_path == "-" ? ::dup(STDOUT_FILENO) : ::open(final_path.c_str(), O_WRONLY | O_CLOEXEC);
  } else {
    s.temp = TempPath::new_file(final_path);
    fd = s.temp->take_fd();
  }
  if (fd >= 0) {
    if (compression == Compression::kNone) {
      s.hf = hdopen(fd, "w");
      if (!s.hf) ::close(fd);
    } else {
      s.fp = bgzf_dopen(fd, mode.c_str());
      if (!s.fp) ::close(fd);
    }
  }
  if (!s.fp && !s.hf) throw DataError(final_path + ": cannot create output: " + std::strerror(errno));
  if (threads > 1 && compression == Compression::kBgzf) bgzf_mt(s.fp, threads, 256);
  else if (threads == 1 && compression != Compression::kNone && final_path != "-") s.start_writer();
}

OutputFile::~OutputFile() = default;

const std::string& OutputFile::written_path() const { return impl_->temp ? impl_->temp->path() : final_path_; }

void OutputFile::write(std::string_view bytes) {
  impl_->pending.append(bytes);
  if (impl_->pending.size() >= kChunkBytes) impl_->flush_pending();
}

void OutputFile::close() {
  Impl& s = *impl_;
  if (!s.fp && !s.hf) return;
  s.flush_pending();
  if (s.writer.joinable()) {
    s.stop_writer();
    if (s.error) std::rethrow_exception(s.error);
  }
  BGZF* fp = s.fp;
  hFILE* hf = s.hf;
  s.fp = nullptr;
  s.hf = nullptr;
  errno = 0;
  if ((fp ? bgzf_close(fp) : hclose(hf)) != 0)
    throw DataError(final_path_ + ": write failed at close: " + std::strerror(errno ? errno : EIO));
}

void OutputFile::publish() {
  close();
  if (impl_->temp) impl_->temp->publish_as(final_path_);
}

}  // namespace smallcall
