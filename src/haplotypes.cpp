#include "smallcall/haplotypes.hpp"

#include <algorithm>
#include <cmath>

namespace smallcall {

namespace {

constexpr std::size_t kMaxOverlappingToResolve = 12;  // _MAX_OVERLAPPING_VARIANTS_TO_RESOLVE

using Genotype = std::pair<int, int>;

int nonref_count(const VcfCall& c) { return (c.gt[0] > 0) + (c.gt[1] > 0); }

// variant_utils.genotype_likelihood_index.
std::size_t gl_index(Genotype g) {
  const int a = std::min(g.first, g.second), b = std::max(g.first, g.second);
  return static_cast<std::size_t>(a + b * (b + 1) / 2);
}

// The genotype at a GL index: (i, j) for j = 0.., i = 0..j.
Genotype genotype_at(std::size_t index) {
  std::size_t k = 0;
  for (int j = 0;; ++j)
    for (int i = 0; i <= j; ++i, ++k)
      if (k == index) return {i, j};
}

// variant_utils.allele_indices_with_num_alts.
std::vector<Genotype> with_num_alts(int n_alts, int k) {
  std::vector<Genotype> out;
  if (k == 0) out.push_back({0, 0});
  else if (k == 1)
    for (int i = 1; i <= n_alts; ++i) out.push_back({0, i});
  else
    for (int i = 1; i <= n_alts; ++i)
      for (int j = i; j <= n_alts; ++j) out.push_back({i, j});
  return out;
}

// _VariantCompatibilityCalculator.all_variants_compatible.
bool compatible(const std::vector<const VcfCall*>& calls, const std::vector<int>& counts) {
  int64_t lo = calls[0]->start, size = 0;
  for (const auto* c : calls) lo = std::min(lo, c->start);
  for (const auto* c : calls) size = std::max(size, c->end - lo);
  std::vector<int> span(static_cast<std::size_t>(std::max<int64_t>(size, 0)), 0);
  for (std::size_t v = 0; v < calls.size(); ++v)
    for (int64_t x = calls[v]->start - lo; x < calls[v]->end - lo; ++x) span[static_cast<std::size_t>(x)] += counts[v];
  return std::all_of(span.begin(), span.end(), [](int x) { return x <= 2; });
}

// genomics_math.log10sumexp, summing left to right as Python's sum does.
double log10sumexp(const std::vector<double>& xs) {
  const double m = *std::max_element(xs.begin(), xs.end());
  double sum = 0;
  for (double x : xs) sum += std::pow(10.0, x - m);
  return m + std::log10(sum);
}

// Calls with at least one alt allele called that overlap: _resolve_overlapping_variants.
std::vector<VcfCall> resolve_variant_calls(std::vector<VcfCall> calls) {
  std::vector<const VcfCall*> ptrs;
  std::vector<int> counts;
  for (const auto& c : calls) ptrs.push_back(&c), counts.push_back(nonref_count(c));
  if (calls.size() == 1 || compatible(ptrs, counts) || calls.size() > kMaxOverlappingToResolve) return calls;

  const std::size_t n = calls.size();
  std::vector<std::vector<std::vector<double>>> agg(n);  // per call, per genotype: joint log10 likelihoods
  for (std::size_t v = 0; v < n; ++v) agg[v].resize(calls[v].gl.size());
  std::vector<Genotype> best, config(n);
  double best_lik = 0;
  bool have_best = false;
  std::vector<std::vector<Genotype>> choices(n);
  // itertools.product([0, 1, 2], repeat=n): the last call varies fastest.
  std::vector<int> nonref(n, 0);
  while (true) {
    if (compatible(ptrs, nonref)) {
      for (std::size_t v = 0; v < n; ++v) choices[v] = with_num_alts(static_cast<int>(calls[v].alts.size()), nonref[v]);
      // itertools.product over the calls' allele configurations, last fastest.
      std::vector<std::size_t> pick(n, 0);
      bool empty = std::any_of(choices.begin(), choices.end(), [](const auto& c) { return c.empty(); });
      while (!empty) {
        double lik = 0;
        for (std::size_t v = 0; v < n; ++v) {
          config[v] = choices[v][pick[v]];
          lik += calls[v].gl[gl_index(config[v])];
        }
        if (!have_best || lik > best_lik) best_lik = lik, best = config, have_best = true;
        for (std::size_t v = 0; v < n; ++v) agg[v][gl_index(config[v])].push_back(lik);
        std::size_t v = n;
        while (v > 0 && ++pick[v - 1] == choices[v - 1].size()) pick[--v] = 0;
        if (v == 0) break;
      }
    }
    std::size_t v = n;
    while (v > 0 && ++nonref[v - 1] == 3) nonref[--v] = 0;
    if (v == 0) break;
  }
  // _LikelihoodAggregator.scaled_likelihoods (normalize_log10_probs of each genotype's
  // log10sumexp) and the marginal genotype; DeepVariant raises when a genotype has no mass or
  // a sum exceeds 0 — then the calls stay as they are.
  std::vector<std::vector<double>> scaled(n);
  for (std::size_t v = 0; v < n; ++v) {
    std::vector<double> lse;
    for (const auto& values : agg[v]) {
      if (values.empty()) return calls;
      lse.push_back(log10sumexp(values));
    }
    if (*std::max_element(lse.begin(), lse.end()) > 0.0) return calls;
    const double total = log10sumexp(lse);
    for (double x : lse) scaled[v].push_back(std::min(x - total, 0.0));
    const std::size_t ix = static_cast<std::size_t>(std::max_element(scaled[v].begin(), scaled[v].end()) - scaled[v].begin());
    if (genotype_at(ix) != best[v]) return calls;  // joint and marginal disagree: punt
  }
  for (std::size_t v = 0; v < n; ++v) {
    calls[v].gt[0] = best[v].first;
    calls[v].gt[1] = best[v].second;
    calls[v].gl = scaled[v];
  }
  return calls;
}

// _group_overlapping_variants over calls of one contig.
template <typename F>
void for_each_overlap_group(const std::vector<VcfCall>& calls, F f) {
  std::vector<VcfCall> group;
  int64_t max_end = -1;
  for (const auto& c : calls) {
    if (!group.empty() && c.start >= max_end) {
      f(std::move(group));
      group.clear();
    }
    if (group.empty()) max_end = c.end;
    else max_end = std::max(max_end, c.end);
    group.push_back(c);
  }
  if (!group.empty()) f(std::move(group));
}

}  // namespace

std::vector<VcfCall> resolve_overlapping_calls(std::vector<VcfCall> group) {
  if (group.size() == 1) return group;
  // _maybe_resolve_mixed_calls: reference calls aside, variant calls resolved per overlap.
  std::vector<VcfCall> reference, variants, out;
  for (auto& c : group) (nonref_count(c) > 0 ? variants : reference).push_back(std::move(c));
  out = std::move(reference);
  for_each_overlap_group(variants, [&](std::vector<VcfCall> g) {
    for (auto& c : resolve_variant_calls(std::move(g))) out.push_back(std::move(c));
  });
  std::stable_sort(out.begin(), out.end(), [](const VcfCall& a, const VcfCall& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  return out;
}

void ConflictResolver::add(const std::string& contig, VcfCall call) {
  if (!group_.empty() && (contig != contig_ || call.start >= max_end_)) finish();
  if (group_.empty()) {
    contig_ = contig;
    max_end_ = call.end;
  } else {
    max_end_ = std::max(max_end_, call.end);
  }
  group_.push_back(std::move(call));
}

void ConflictResolver::finish() {
  if (group_.empty()) return;
  for (auto& c : resolve_overlapping_calls(std::move(group_))) emit_(contig_, c);
  group_.clear();
}

}  // namespace smallcall
