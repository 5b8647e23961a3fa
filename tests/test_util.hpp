#pragma once
// Small helpers shared by the tests: scratch directories, files, running the binary.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace testutil {

inline std::string source_dir() { return SMALLCALL_SOURCE_DIR; }
inline std::string binary() { return SMALLCALL_BIN; }

// A fresh directory under /tmp, removed when the object dies.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    char tmpl[] = "/tmp/smallcall_test_XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~ScratchDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
  // Names of every entry in the directory.
  std::vector<std::string> list() const {
    std::vector<std::string> out;
    FILE* p = ::popen(("ls -A '" + path + "'").c_str(), "r");
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) {
      std::string s(buf);
      if (!s.empty() && s.back() == '\n') s.pop_back();
      out.push_back(s);
    }
    ::pclose(p);
    return out;
  }
};

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t b = 0;
  while (b < text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string::npos) e = text.size();
    lines.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  return lines;
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (true) {
    std::size_t e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

struct RunResult {
  int exit_code;
  std::string err;
};

// Runs a shell command line; stderr is captured, stdout goes where the command sends it.
inline RunResult run(const std::string& command_line, const std::string& scratch) {
  const std::string err_path = scratch + "/.stderr";
  const int status = std::system((command_line + " 2>'" + err_path + "'").c_str());
  RunResult r{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), read_file(err_path)};
  ::unlink(err_path.c_str());
  return r;
}

// `bash -c 'CMD'`, with CMD quoted for the outer shell.
inline std::string bash(const std::string& cmd) {
  std::string c;
  for (char ch : cmd) c += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return "bash -c '" + c + "'";
}

// `smallcall call ARGS` as a shell command line.
inline std::string call(const std::string& args) { return "'" + binary() + "' call " + args; }

// The decompressed bytes of a (b)gzip file.
inline std::string gunzip(const std::string& path) {
  std::string out;
  FILE* p = ::popen(("gzip -dc '" + path + "'").c_str(), "r");
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

}  // namespace testutil
