#include "smallcall/row.hpp"

namespace smallcall {

bool subset_is_snp(const std::string& ref, const std::string& alts) {
  if (ref.size() != 1 || alts.empty()) return false;
  std::size_t begin = 0;
  while (true) {
    const std::size_t bar = alts.find('|', begin);
    const std::size_t len = (bar == std::string::npos ? alts.size() : bar) - begin;
    if (len != 1) return false;
    if (bar == std::string::npos) return true;
    begin = bar + 1;
  }
}

std::vector<std::vector<int>> alt_subsets(int k) {
  std::vector<std::vector<int>> out;
  for (int a = 0; a < k; ++a) out.push_back({a});
  for (int a = 0; a < k; ++a)
    for (int b = a + 1; b < k; ++b) out.push_back({a, b});
  return out;
}

}  // namespace smallcall
