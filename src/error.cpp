#include "smallcall/error.hpp"

namespace smallcall {

std::string located(const std::string& file, unsigned long long line, const std::string& what) {
  return (file == "-" ? std::string("<stdin>") : file) + ":" + std::to_string(line) + ": " + what;
}

}  // namespace smallcall
