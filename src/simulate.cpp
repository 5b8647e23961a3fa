#include "smallcall/simulate.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <vector>

#include "smallcall/error.hpp"
#include "smallcall/example.hpp"
#include "smallcall/feature_encoder.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/paths.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/tsv_writer.hpp"
#include "smallcall/variant.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {

namespace {

// Standard normal quantiles at (i + 0.5) / 4096, by Acklam's rational approximation.
const double* normal_table() {
  static const std::vector<double> table = [] {
    const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                        6.680131188771972e+01, -1.328068155288572e+01};
    const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    std::vector<double> t(4096);
    for (int i = 0; i < 4096; ++i) {
      const double p = (i + 0.5) / 4096.0;
      const double lo = 0.02425;
      if (p < lo || p > 1 - lo) {
        const double q = std::sqrt(-2 * std::log(p < lo ? p : 1 - p));
        const double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                         ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        t[i] = p < lo ? x : -x;
      } else {
        const double q = p - 0.5, r = q * q;
        t[i] = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
               (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
      }
    }
    return t;
  }();
  return table.data();
}

// xoshiro256** seeded with splitmix64: the same rows for the same seed on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool bernoulli(double p) { return uniform() < p; }
  int below(int n) { return static_cast<int>(uniform() * n); }
  // Normal deviates from a 4096-entry quantile table: a few ns each instead of Box-Muller's
  // log/sqrt/cos, and plenty for values that are rounded to integers anyway.
  double normal(double mean, double sd) { return mean + sd * normal_table()[next() >> 52]; }
  int poisson(double mean) {
    if (mean > 60) return std::max(0, static_cast<int>(std::lround(normal(mean, std::sqrt(mean)))));
    const double limit = std::exp(-mean);
    double p = uniform();
    int k = 0;
    while (p > limit) {
      p *= uniform();
      ++k;
    }
    return k;
  }
  double exponential(double mean) { return -mean * std::log(std::max(uniform(), 1e-300)); }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

inline int round_int(double x) { return static_cast<int>(std::floor(x + 0.5)); }

constexpr int kWindow = 51;
constexpr int kNumFeatures = kBaseFeatures + kVariantFeatures + kWindow;
const char kBases[] = "ACGT";

struct Read {
  int allele;  // 0 ref, 1.. alt index + 1, -1 another (uncalled) allele
  int mq, bq;
  bool reverse;
};

struct SimulatedCandidate {
  std::string ref;
  std::vector<std::string> alts;
  int truth[2];  // alleles of the true genotype (0 ref, 1.. alts)
  std::vector<Read> reads;
  int context[kWindow];
};

std::string random_bases(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += kBases[rng.below(4)];
  return s;
}

// The candidate as the feature encoder sees it: the reads summed per allele they support.
Candidate feature_candidate(const SimulatedCandidate& sc) {
  Candidate c;
  c.ref = sc.ref;
  c.alts = sc.alts;
  c.alt_support.assign(sc.alts.size(), ReadSupportTotals{});
  for (const Read& r : sc.reads) {
    ReadSupportTotals& t = r.allele == 0  ? c.ref_support
                           : r.allele > 0 ? c.alt_support[static_cast<std::size_t>(r.allele - 1)]
                                          : c.uncalled_support;
    t.add(r.mq, r.bq, r.reverse);
  }
  c.vaf_context.assign(sc.context, sc.context + kWindow);
  return c;
}

// DeepVariant's training label for an alt subset: how many of the truth alleles it holds.
int label_for_subset(const SimulatedCandidate& c, const std::vector<int>& subset) {
  int n = 0;
  for (int a : c.truth)
    if (a > 0 && std::find(subset.begin(), subset.end(), a - 1) != subset.end()) ++n;
  return n;
}

class Simulator {
 public:
  Simulator(const SimulateOptions& o) : o_(o), rng_(o.seed) {
    if (o.profile != "wgs" && o.profile != "longread") throw UsageError("--profile must be wgs or longread");
    if (o.multiallelic_fraction < 0 || o.multiallelic_fraction > 1) throw UsageError("--multiallelic_fraction must be in [0, 1]");
    if (o.hom_ref_fraction < 0 || o.hom_ref_fraction > 1) throw UsageError("--hom_ref_fraction must be in [0, 1]");
  }

  SimulatedCandidate make_candidate() {
    SimulatedCandidate c;
    const bool multi = rng_.bernoulli(o_.multiallelic_fraction);
    const double kind_u = rng_.uniform();  // SNP 80 %, insertion 10 %, deletion 10 %
    const int kind = kind_u < 0.8 ? 0 : kind_u < 0.9 ? 1 : 2;
    const int n_alts = multi ? 2 : 1;
    const int del_len = kind == 2 ? 1 + rng_.below(6) + n_alts - 1 : 0;
    c.ref = random_bases(rng_, 1 + del_len);
    while (static_cast<int>(c.alts.size()) < n_alts) {
      std::string alt;
      if (kind == 0) {
        do alt = std::string(1, kBases[rng_.below(4)]);
        while (alt == c.ref);
      } else if (kind == 1) {
        alt = c.ref + random_bases(rng_, 1 + rng_.below(6));
      } else {
        alt = c.ref.substr(0, c.ref.size() - 1 - static_cast<std::size_t>(rng_.below(static_cast<int>(c.ref.size()) - 1)));
      }
      if (alt != c.ref && std::find(c.alts.begin(), c.alts.end(), alt) == c.alts.end()) c.alts.push_back(alt);
    }
    // Truth genotype: not a variant, het, hom-alt, or (multi-allelic) het-alt.
    const double g = rng_.uniform();
    if (g < o_.hom_ref_fraction) c.truth[0] = c.truth[1] = 0;
    else if (multi && g < o_.hom_ref_fraction + 0.35) c.truth[0] = 1, c.truth[1] = 2;
    else if (g < o_.hom_ref_fraction + (1 - o_.hom_ref_fraction) * 0.6) c.truth[0] = 0, c.truth[1] = 1 + rng_.below(n_alts);
    else c.truth[0] = c.truth[1] = 1 + rng_.below(n_alts);
    const bool artifact = c.truth[1] == 0;
    // Depth: mostly ~30x, some low-coverage sites.
    const int depth = rng_.bernoulli(0.12) ? rng_.poisson(6) + 1 : rng_.poisson(o_.profile == "longread" ? 25 : 32);
    const double error = 0.01;
    for (int i = 0; i < depth; ++i) {
      Read r;
      // Each read carries one of the two truth alleles; artifacts put a few alt reads at
      // low quality on one strand.
      int allele = c.truth[rng_.below(2)];
      if (artifact && rng_.bernoulli(0.12)) allele = 1 + rng_.below(n_alts);
      if (rng_.bernoulli(error)) allele = rng_.bernoulli(0.5) ? -1 : (allele == 0 ? 1 + rng_.below(n_alts) : 0);
      r.allele = allele;
      const bool bad = artifact && allele > 0;
      r.mq = std::clamp(round_int(rng_.normal(bad ? 38 : 57, bad ? 14 : 6)), 0, 60);
      r.bq = std::clamp(round_int(rng_.normal(bad ? 22 : 34, 5)), 2, 41);
      r.reverse = rng_.bernoulli(bad ? 0.85 : 0.5);
      c.reads.push_back(r);
    }
    // VAF context: mostly reference-matching neighbours (0), sequencing noise, and the odd
    // nearby variant; offset 0 is the candidate's own alt fraction.
    for (int o = 0; o < kWindow; ++o) {
      const double u = rng_.uniform();
      c.context[o] = u < 0.88 ? 0 : u < 0.98 ? 1 + rng_.below(8) : (rng_.bernoulli(0.5) ? 50 : 100) - rng_.below(10);
    }
    long ref_n = 0, alt_n = 0;
    for (const Read& r : c.reads) (r.allele == 0 ? ref_n : alt_n) += r.allele >= 0;
    c.context[kWindow / 2] = ref_n + alt_n ? static_cast<int>(100 * alt_n / (ref_n + alt_n)) : 0;
    return c;
  }

  // The stream the candidates are drawn from, also for their spacing (one stream, one seed).
  Rng& rng() { return rng_; }

 private:
  const SimulateOptions& o_;
  Rng rng_;
};

std::string genotype_text(const SimulatedCandidate& c) { return std::to_string(c.truth[0]) + "/" + std::to_string(c.truth[1]); }

}  // namespace

SimulateStats run_simulate(const SimulateOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.output.empty()) throw UsageError("--output is required");
  install_cleanup_signal_handlers();
  Simulator sim(o);
  const std::vector<std::string> names = wgs_feature_names(kWindow);  // DeepVariant's 70, in order
  const FileFormat format = output_kind(o.output, "--output").format;
  if (format != FileFormat::kTfRecord && format != FileFormat::kTsv)
    throw UsageError("--output " + o.output + ": simulate writes rows: .tsv[.gz] or .tfrecord[.gz]");
  const bool tfrecord = format == FileFormat::kTfRecord;
  SidecarWriter sidecar(o.output, names);
  std::unique_ptr<TfRecordWriter> tf;
  std::unique_ptr<OutputFile> text;
  std::string line;  // scratch for one TSV line
  if (tfrecord) {
    tf = std::make_unique<TfRecordWriter>(o.output, kDefaultCompressionLevel, 2);  // BGZF on 2 threads: bulk data
  } else {
    text = std::make_unique<OutputFile>(o.output, compression_for(o.output), kDefaultCompressionLevel, 2);
    std::string header = "contig\tstart\tend\tref\talt\tregion\tlabel\tgenotype\tcandidate_alts\tdp\tad";
    for (const auto& n : names) header += "\t" + n;
    text->write(header + "\n");
  }

  SimulateStats s;
  std::vector<float> f(kNumFeatures);
  std::vector<int64_t> values(kNumFeatures);  // one row from the feature encoder
  Row row;
  std::string record;
  // Region layout: wgs = 1 kb partitions with ~200 bp between candidates (~5 rows per region);
  // longread = 25 kb partitions whose candidate density varies (~150 rows, up to thousands).
  const bool longread = o.profile == "longread";
  const int64_t partition = longread ? 25000 : 1000;
  int contig_index = 20;
  int64_t pos = 1000000;
  double region_gap = 200;
  int64_t region_bin = -1;
  std::string region_name;
  while (s.rows < o.rows) {
    const bool in_giant = s.rows < o.giant_region;
    if (in_giant) {
      pos += 1 + static_cast<int64_t>(sim.rng().exponential(3));
    } else {
      pos += 1 + static_cast<int64_t>(sim.rng().exponential(region_gap));
      if (pos > 60000000) contig_index += 1, pos = 1000000;
    }
    const std::string contig = "chr" + std::to_string(contig_index);
    const int64_t bin = in_giant ? -2 : pos / partition;
    if (bin != region_bin || s.regions == 0) {
      region_bin = bin;
      ++s.regions;
      region_name = in_giant ? contig + ":giant" : contig + ":" + std::to_string(bin * partition + 1) + "-" +
                                                        std::to_string((bin + 1) * partition);
      if (longread) region_gap = std::clamp(std::exp(sim.rng().normal(std::log(300.0), 1.0)), 4.0, 5000.0);
    }
    if (!in_giant && s.rows >= o.giant_region && o.giant_region && pos < 2000000 && contig_index == 20) {
      contig_index = 21;  // after the giant region, move on to a fresh contig
      pos = 1000000;
      continue;
    }
    const SimulatedCandidate c = sim.make_candidate();
    const Candidate encoded = feature_candidate(c);
    ++s.candidates;
    // The candidate as make_examples reports it: DP = its reads, AD = reads per allele.
    row.has_candidate = true;
    row.candidate.alts = c.alts;
    row.candidate.depth = static_cast<int64_t>(c.reads.size());
    row.candidate.allele_depths.assign(c.alts.size() + 1, 0);
    for (const Read& r : c.reads)
      if (r.allele >= 0) ++row.candidate.allele_depths[static_cast<std::size_t>(r.allele)];
    row.candidate.vaf = candidate_vaf(row.candidate.depth, row.candidate.allele_depths);
    const std::vector<std::vector<int>> subsets = alt_subsets(static_cast<int>(c.alts.size()));
    for (const auto& subset : subsets) {
      if (s.rows >= o.rows) break;
      encode_wgs_features(encoded, subset, values.data());
      std::copy(values.begin(), values.end(), f.begin());
      const int label = label_for_subset(c, subset);
      ++s.by_class[label];
      row.contig = contig;
      row.start = pos;
      row.end = pos + static_cast<int64_t>(c.ref.size());
      row.ref = c.ref;
      row.alts.clear();
      for (int a : subset) row.alts.push_back(c.alts[a]);
      row.alt_indices = subset;
      row.region = region_name;
      if (tfrecord) {
        record.clear();
        encode_training_example(record, row, f.data(), kNumFeatures, label, {c.truth[0], c.truth[1]});
        tf->write(record);
      } else {
        line.clear();
        append_tsv_ids(line, row, true);
        line += "\t" + std::to_string(label) + "\t" + genotype_text(c);
        append_candidate_columns(line, row);
        // Features after the label columns.
        for (int k = 0; k < kNumFeatures; ++k) {
          char num[24];
          num[0] = '\t';
          auto [end, ec] = std::to_chars(num + 1, num + sizeof num, static_cast<long>(f[k]));
          line.append(num, end);
        }
        line += '\n';
        text->write(line);
      }
      ++s.rows;
    }
  }
  if (tf) {
    tf->publish();
  } else {
    text->publish();
  }
  sidecar.publish();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) std::cerr << simulate_summary(s) << "\n";
  return s;
}

std::string simulate_summary(const SimulateStats& s) {
  return "smallcall simulate: " + std::to_string(s.rows) + " rows, " + std::to_string(s.candidates) + " candidates, " +
         std::to_string(s.regions) + " regions (labels: " + std::to_string(s.by_class[0]) + " hom_ref, " +
         std::to_string(s.by_class[1]) + " het, " + std::to_string(s.by_class[2]) + " hom_alt) in " +
         std::to_string(s.seconds) + " s";
}

}  // namespace smallcall
