#include "smallcall/postprocess.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace smallcall {

namespace {

// nucleus genomics_math._MAX_CONFIDENCE.
constexpr double kMaxConfidence = 1.0 - 1.25e-10;

// ptrue_to_bounded_phred.
double bounded_phred(double p) { return -10.0 * std::log10(1.0 - std::min(p, kMaxConfidence)); }

// Python's round(x, 7): the correctly rounded decimal (ties to even on the exact binary
// value), read back. glibc's printf rounds the exact value the same way.
double round7(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.7f", x);
  return std::strtod(buf, nullptr);
}

// compute_quals: GQ of the genotype at `index` (numpy.around: half to even, as nearbyint in
// the default rounding mode) and QUAL of P(not hom_ref).
void compute_quals(const std::vector<double>& p, std::size_t index, int& gq, double& qual) {
  gq = static_cast<int>(std::nearbyint(bounded_phred(p[index])));
  double alt = 0;  // Python's sum(predictions[1:]), left to right
  for (std::size_t i = 1; i < p.size(); ++i) alt += p[i];
  qual = round7(bounded_phred(std::min(alt, 1.0)));
}

double singleton_qual(const double p[3]) {
  int gq;
  double qual;
  compute_quals({p[0], p[1], p[2]}, 0, gq, qual);
  return qual;
}

// normalize_predictions: all zero -> uniform; then divide by the sum.
void normalize(std::vector<double>& p) {
  double sum = 0;
  for (double x : p) sum += x;
  if (sum == 0) {
    std::fill(p.begin(), p.end(), 1.0);
    sum = static_cast<double>(p.size());
  }
  for (double& x : p) x /= sum;
}

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// expected_alt_allele_indices: every singleton and every pair, each exactly once.
void check_subsets(const std::vector<SubsetProbabilities>& subsets, std::size_t n_alts) {
  std::vector<std::vector<int>> got;
  for (const auto& s : subsets) {
    std::vector<int> k = s.alt_indices;
    std::sort(k.begin(), k.end());
    got.push_back(k);
  }
  std::sort(got.begin(), got.end());
  std::vector<std::vector<int>> want;
  for (int i = 0; i < static_cast<int>(n_alts); ++i) {
    want.push_back({i});
    for (int j = i + 1; j < static_cast<int>(n_alts); ++j) want.push_back({i, j});
  }
  std::sort(want.begin(), want.end());
  if (got != want) throw std::invalid_argument("the alt subsets are not every singleton and pair exactly once");
}

}  // namespace

void simplify_alleles(std::string& ref, std::vector<std::string>& alts) {
  std::size_t shortest = ref.size();
  for (const auto& a : alts) shortest = std::min(shortest, a.size());
  std::size_t common = 0;
  for (std::size_t i = 1; i < shortest; ++i) {
    const char c = ref[ref.size() - i];
    bool same = true;
    for (const auto& a : alts) same = same && a[a.size() - i] == c;
    if (!same) break;
    common = i;
  }
  if (!common) return;
  ref.resize(ref.size() - common);
  for (auto& a : alts) a.resize(a.size() - common);
}

VcfCall postprocess_call(const CandidateVariant& c, std::vector<SubsetProbabilities> subsets,
                         const PostprocessOptions& o) {
  const std::size_t n = c.alts.size();
  check_subsets(subsets, n);
  // _sort_grouped_variants: by the sorted indices; the first supplies the variant.
  for (auto& s : subsets) std::sort(s.alt_indices.begin(), s.alt_indices.end());
  std::stable_sort(subsets.begin(), subsets.end(),
                   [](const SubsetProbabilities& a, const SubsetProbabilities& b) { return a.alt_indices < b.alt_indices; });

  std::vector<double> pred;
  std::vector<int> kept;  // retained alt indices
  if (subsets.size() == 1) {
    // One CVO: its probabilities as stored, not renormalized.
    pred.assign(subsets[0].p, subsets[0].p + 3);
    kept.push_back(0);
  } else {
    // get_alt_alleles_to_remove: singletons with QUAL < --multi_allelic_qual_filter, but
    // never every alt (the one with the highest QUAL, first on ties, stays).
    std::vector<bool> removed(n, false);
    if (o.multi_allelic_qual_filter != 0) {
      double max_qual = 0;
      int max_alt = -1;
      std::size_t n_removed = 0;
      for (const auto& s : subsets) {
        if (s.alt_indices.size() != 1) continue;
        const double qual = singleton_qual(s.p);
        const int a = s.alt_indices[0];
        if (max_alt < 0 || max_qual < qual) max_qual = qual, max_alt = a;
        if (qual < o.multi_allelic_qual_filter && !removed[static_cast<std::size_t>(a)]) {
          removed[static_cast<std::size_t>(a)] = true;
          ++n_removed;
        }
      }
      if (n_removed == n) removed[static_cast<std::size_t>(max_alt)] = false;
    }
    for (int a = 0; a < static_cast<int>(n); ++a)
      if (!removed[static_cast<std::size_t>(a)]) kept.push_back(a);
    std::vector<const SubsetProbabilities*> used;  // CVOs without a removed alt
    for (const auto& s : subsets) {
      bool skip = false;
      for (int a : s.alt_indices) skip = skip || removed[static_cast<std::size_t>(a)];
      if (!skip) used.push_back(&s);
    }
    // Genotypes (i, j) over the retained alleles in VCF order; allele 0 is the reference,
    // allele k > 0 the alt kept[k - 1].
    const int m = static_cast<int>(kept.size());
    for (int j = 0; j <= m; ++j)
      for (int i = 0; i <= j; ++i) {
        const int ai = i ? kept[static_cast<std::size_t>(i - 1)] : -1;
        const int aj = j ? kept[static_cast<std::size_t>(j - 1)] : -1;
        if (o.multiallelic_mode == MultiallelicMode::kProduct) {
          // r1.10: the product over CVOs of P(overlap), overlap = how many of the genotype's
          // two alleles the CVO's alt set holds.
          double prod = 1.0;
          for (const auto* s : used) {
            const int overlap = (ai >= 0 && contains(s->alt_indices, ai)) + (aj >= 0 && contains(s->alt_indices, aj));
            prod *= s->p[overlap];
          }
          pred.push_back(prod);
        } else {
          // r1.9: the minimum over the CVOs that speak for the allele pair: p11 for ref/ref,
          // p12 of sets holding the alt for ref/alt, p22 of sets holding both alts; 0 if none.
          bool any = false;
          double lo = 0;
          for (const auto* s : used) {
            double v;
            if (ai < 0 && aj < 0) v = s->p[0];
            else if (ai < 0) {
              if (!contains(s->alt_indices, aj)) continue;
              v = s->p[1];
            } else {
              if (!contains(s->alt_indices, ai) || !contains(s->alt_indices, aj)) continue;
              v = s->p[2];
            }
            lo = any ? std::min(lo, v) : v;
            any = true;
          }
          pred.push_back(any ? lo : 0.0);
        }
      }
    normalize(pred);
  }

  VcfCall call;
  call.start = c.start;
  call.ref = c.ref;
  for (int a : kept) call.alts.push_back(c.alts[static_cast<std::size_t>(a)]);
  simplify_alleles(call.ref, call.alts);
  call.end = call.start + static_cast<int64_t>(call.ref.size());
  call.depth = c.depth;
  if (!c.allele_depths.empty()) {
    call.allele_depths.push_back(c.allele_depths[0]);
    for (int a : kept) call.allele_depths.push_back(c.allele_depths[static_cast<std::size_t>(a) + 1]);
  }
  if (!c.vaf.empty())
    for (int a : kept) call.vaf.push_back(c.vaf[static_cast<std::size_t>(a)]);

  // most_likely_genotype: the first maximum; index -> [h2, h1] for h1 = 0.., h2 = 0..h1.
  const std::size_t idx = static_cast<std::size_t>(std::max_element(pred.begin(), pred.end()) - pred.begin());
  std::size_t k = 0;
  for (int h1 = 0; k <= idx; ++h1)
    for (int h2 = 0; h2 <= h1 && k <= idx; ++h2, ++k)
      if (k == idx) call.gt[0] = h2, call.gt[1] = h1;
  compute_quals(pred, idx, call.gq, call.qual);
  for (double p : pred) call.gl.push_back(std::log10(std::max(p, 1.0 - kMaxConfidence)));

  // uncall_gt_if_no_ad: AD read as int_value (a missing AD, or one of doubles, sums to 0).
  int64_t ad_sum = 0;
  if (c.allele_depths_int)
    for (int64_t x : call.allele_depths) ad_sum += x;
  if (ad_sum == 0) {
    call.gt[0] = call.gt[1] = -1;
    call.gl.assign(2, 0.0);
    call.gq = 0;
  }
  // compute_filter_fields.
  if (call.gt[0] == -1 && call.gt[1] == -1) call.filter = "NoCall";
  else if (call.gt[0] == 0 && call.gt[1] == 0) call.filter = "RefCall";
  else if (call.qual < o.qual_filter) call.filter = "LowQual";
  else call.filter = "PASS";
  // uncall_homref_gt_if_lowqual (r1.10 also sets FILTER NoCall; r1.9 kept RefCall).
  if (std::string_view(call.filter) == "RefCall" && call.gq < o.cnn_homref_call_min_gq) {
    call.gt[0] = call.gt[1] = -1;
    call.filter = "NoCall";
  }
  return call;
}

double vcf_qual(double qual) { return std::floor(qual * 10 + 0.5) / 10; }

std::vector<int32_t> phred_likelihoods(const std::vector<double>& gl) {
  std::vector<int32_t> pl;
  if (gl.empty()) return pl;
  const double m = *std::max_element(gl.begin(), gl.end());
  for (double g : gl) pl.push_back(static_cast<int32_t>(-10.0 * (g - m)));
  return pl;
}

}  // namespace smallcall
