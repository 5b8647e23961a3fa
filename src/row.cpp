#include "smallcall/row.hpp"

namespace smallcall {

bool subset_is_snp(const std::string& ref, const std::vector<std::string>& alts) {
  if (ref.size() != 1 || alts.empty()) return false;
  for (const auto& a : alts)
    if (a.size() != 1) return false;
  return true;
}

std::string joined_alts(const Row& row) {
  std::string out;
  for (std::size_t i = 0; i < row.alts.size(); ++i) {
    if (i) out += '|';
    out += row.alts[i];
  }
  return out;
}

void split_alts(std::string_view joined, std::vector<std::string>& alts) {
  std::size_t n = 0, begin = 0;
  while (true) {
    const std::size_t bar = joined.find('|', begin);
    const std::string_view a = joined.substr(begin, bar == std::string_view::npos ? std::string_view::npos : bar - begin);
    if (n == alts.size()) alts.emplace_back();
    alts[n++].assign(a);
    if (bar == std::string_view::npos) break;
    begin = bar + 1;
  }
  alts.resize(n);
}

std::vector<std::vector<int>> alt_subsets(int k) {
  std::vector<std::vector<int>> out;
  for (int a = 0; a < k; ++a) out.push_back({a});
  for (int a = 0; a < k; ++a)
    for (int b = a + 1; b < k; ++b) out.push_back({a, b});
  return out;
}

}  // namespace smallcall
