#pragma once
// Errors carry the process exit code they map to: 1 for bad data or I/O, 2 for bad usage.
#include <stdexcept>
#include <string>

namespace smallcall {

enum ExitCode : int { kExitOk = 0, kExitDataError = 1, kExitUsageError = 2 };

class Error : public std::runtime_error {
 public:
  Error(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Malformed input, model or I/O failure: exit 1.
class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(kExitDataError, message) {}
};

// Bad flags or flag combinations: exit 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(kExitUsageError, message) {}
};

// "FILE:LINE: what" — the one shape every located message has.
std::string located(const std::string& file, unsigned long long line, const std::string& what);

}  // namespace smallcall
