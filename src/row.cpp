#include "smallcall/row.hpp"

#include <algorithm>

namespace smallcall {

void swap(Row& a, Row& b) noexcept {
  using std::swap;
  swap(a.contig, b.contig);
  swap(a.start, b.start);
  swap(a.end, b.end);
  swap(a.ref, b.ref);
  swap(a.alts, b.alts);
  swap(a.region, b.region);
  swap(a.is_snp, b.is_snp);
  swap(a.is_multiallelic, b.is_multiallelic);
  swap(a.realignment_sensitive, b.realignment_sensitive);
  swap(a.label, b.label);
  swap(a.record, b.record);
  swap(a.has_candidate, b.has_candidate);
  swap(a.alt_indices, b.alt_indices);
  CandidateInfo& x = a.candidate;
  CandidateInfo& y = b.candidate;
  swap(x.alts, y.alts);
  swap(x.depth, y.depth);
  swap(x.allele_depths, y.allele_depths);
  swap(x.allele_depths_int, y.allele_depths_int);
  swap(x.vaf, y.vaf);
  swap(x.sample, y.sample);
  swap(x.variant_proto, y.variant_proto);
  swap(x.alt_indices_proto, y.alt_indices_proto);
}

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

void SubsetCheck::clear() {
  num_alts_ = 0;
  subsets_.clear();
  bad_ = false;
  first_ = true;
}

void SubsetCheck::add(const Row& row) {
  if (first_) {
    first_ = false;
    with_candidate_ = row.has_candidate;
    end_ = row.end;
    if (with_candidate_) {  // what identifies the candidate (assignments keep capacity)
      const CandidateInfo& c = row.candidate;
      num_alts_ = static_cast<int>(c.alts.size());
      candidate_.alts = c.alts;
      candidate_.depth = c.depth;
      candidate_.allele_depths = c.allele_depths;
      candidate_.allele_depths_int = c.allele_depths_int;
      candidate_.vaf = c.vaf;
      candidate_.sample = c.sample;
    }
  }
  if (row.end != end_) bad_ = true;  // postprocess groups by (start, end)
  int k[2] = {-1, -1};
  std::size_t n = 0;
  if (row.has_candidate != with_candidate_) {
    bad_ = true;
  } else if (with_candidate_) {
    // One candidate: the same Variant in every row (postprocess compares them; as decoded, not
    // as bytes, which a map may order differently).
    const CandidateInfo& c = row.candidate;
    if (c.alts != candidate_.alts || c.depth != candidate_.depth || c.allele_depths != candidate_.allele_depths ||
        c.allele_depths_int != candidate_.allele_depths_int || c.vaf != candidate_.vaf || c.sample != candidate_.sample)
      bad_ = true;
    n = row.alt_indices.size();
    for (std::size_t i = 0; i < n && i < 2; ++i) k[i] = row.alt_indices[i];
  } else {
    // Rows without a candidate: its alts are their alts in order of appearance.
    n = row.alts.size();
    for (std::size_t i = 0; i < n && i < 2; ++i) {
      auto it = std::find(alts_.begin(), alts_.begin() + num_alts_, row.alts[i]);
      if (it == alts_.begin() + num_alts_) {
        if (static_cast<std::size_t>(num_alts_) == alts_.size()) alts_.emplace_back();
        alts_[static_cast<std::size_t>(num_alts_)] = row.alts[i];
        it = alts_.begin() + num_alts_++;
      }
      k[i] = static_cast<int>(it - alts_.begin());
    }
  }
  if (n < 1 || n > 2 || (n == 2 && k[0] == k[1])) {
    bad_ = true;
    return;
  }
  subsets_.emplace_back(n == 1 ? k[0] : std::min(k[0], k[1]), n == 1 ? -1 : std::max(k[0], k[1]));
}

bool SubsetCheck::complete_alone(const Row& row) {
  if (!row.has_candidate) return row.alts.size() == 1;
  return row.candidate.alts.size() == 1 && row.alt_indices.size() == 1 && row.alt_indices[0] == 0;
}

bool SubsetCheck::complete() {
  if (bad_ || first_) return false;
  const std::size_t k = static_cast<std::size_t>(num_alts_);
  if (subsets_.size() != k + k * (k - 1) / 2) return false;
  for (const auto& [a, b] : subsets_)
    if (a < 0 || a >= num_alts_ || b >= num_alts_) return false;
  std::sort(subsets_.begin(), subsets_.end());
  return std::adjacent_find(subsets_.begin(), subsets_.end()) == subsets_.end();
}

}  // namespace smallcall
