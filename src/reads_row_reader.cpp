#include "smallcall/reads_row_reader.hpp"

#include <htslib/hts.h>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "smallcall/error.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/paths.hpp"
#include "smallcall/shards.hpp"
#include "smallcall/stats.hpp"
#include "smallcall/variant.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {


ReadsRowReader::ReadsRowReader(const ReadsOptions& reads, const AlleleCounterOptions& counter,
                               const std::vector<std::string>& features, const std::optional<std::string>& sample_name)
    : counter_(counter),
      partitions_(reads),
      path_(reads.reads_path),
      features_(features) {
  // The sample as make_examples names it: --sample_name, else the first read group's SM.
  const std::vector<std::string>& samples = partitions_.samples();
  if (sample_name) {
    sample_name_ = *sample_name;
  } else if (!samples.empty()) {
    sample_name_ = samples.front();
    if (samples.size() > 1) {
      std::string all;
      for (const auto& x : samples) all += (all.empty() ? "" : ", ") + x;
      std::cerr << "smallcall: warning: " << path_ << " has reads of " << samples.size() << " samples (" << all
                << "); calling them as one sample named " << sample_name_ << " (give --sample_name to choose)\n";
    }
  } else {
    sample_name_ = "default";
    std::cerr << "smallcall: warning: " << path_
              << " names no sample (no @RG line with SM); the calls' sample is \"default\" (give --sample_name)\n";
  }
  const std::vector<std::string> computed = wgs_feature_names(counter.vaf_context_window);
  computed_.resize(computed.size());
  for (const std::string& name : features) {
    int index = -1;
    for (std::size_t i = 0; i < computed.size() && index < 0; ++i)
      if (computed[i] == name) index = static_cast<int>(i);
    if (index < 0)
      throw UsageError("the model needs feature \"" + name + "\", which is not computed from reads (computed: the " +
                       std::to_string(computed.size()) + " WGS features with a VAF context window of " +
                       std::to_string(counter.vaf_context_window) + ")");
    feature_index_.push_back(index);
  }
}

bool ReadsRowReader::load_next_partition() {
  PartitionView view;
  while (partitions_.next(view, region_)) {
    counter_.find_candidates(view, candidates_);
    contig_.assign(view.contig);
    if (candidates_.empty()) continue;
    candidates_total_ += candidates_.size();
    candidate_ = 0;
    subset_ = 0;
    subsets_.clear();
    return true;
  }
  return false;
}

bool ReadsRowReader::next(CandidateId& id, float* features, std::string& raw) {
  if (candidate_ >= candidates_.size() && !load_next_partition()) return false;
  const Candidate& c = candidates_[candidate_];
  if (subset_ == 0) {
    // DeepVariant's rows: every single alt, then every pair (itertools.combinations).
    const int k = static_cast<int>(c.alts.size());
    subsets_.clear();
    for (int a = 0; a < k; ++a) subsets_.push_back({a});
    for (int a = 0; a < k; ++a)
      for (int b = a + 1; b < k; ++b) subsets_.push_back({a, b});
    variant_proto_.clear();
    encode_candidate_variant(variant_proto_, contig_, c.start, c.end(), c.ref, c.alts, c.depth, c.allele_depths,
                             sample_name_);
    sensitive_total_ += c.realignment_sensitive;
  }
  const std::vector<int>& subset = subsets_[subset_];
  encode_wgs_features(c, subset, computed_.data());
  for (std::size_t i = 0; i < feature_index_.size(); ++i)
    features[i] = static_cast<float>(computed_[static_cast<std::size_t>(feature_index_[i])]);

  id.contig = contig_;
  id.start = c.start;
  id.end = c.end();
  id.ref = c.ref;
  id.alt.clear();
  for (std::size_t i = 0; i < subset.size(); ++i) {
    if (i) id.alt += '|';
    id.alt += c.alts[static_cast<std::size_t>(subset[i])];
  }
  id.region = region_;
  id.is_snp = subset_is_snp(id.ref, id.alt);
  id.is_multiallelic = c.alts.size() > 1;
  id.record = rows_++;  // 0-based row number, for messages
  id.label = -1;
  id.realignment_sensitive = c.realignment_sensitive;
  id.has_candidate = true;
  id.variant_proto = variant_proto_;
  id.alt_indices_proto.clear();
  encode_alt_allele_indices(id.alt_indices_proto, subset);
  id.depth = c.depth;
  id.allele_depths.assign(1, c.allele_depths[0]);
  for (int a : subset) id.allele_depths.push_back(c.allele_depths[static_cast<std::size_t>(a) + 1]);
  id.call_set_name = sample_name_;
  raw.clear();

  if (++subset_ >= subsets_.size()) {
    subset_ = 0;
    ++candidate_;
  }
  return true;
}

FeaturesStats run_features(const FeaturesOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  if (options.output.empty()) throw UsageError("--output is required");
  const ResolvedShards shards = resolve_shards({options.output, options.stats_json}, options.reads.task);
  FeaturesOptions o = options;
  o.output = shards.paths[0];
  o.stats_json = shards.paths[1];
  o.reads.num_shards = shards.num_shards;
  if (o.output == o.reads.reads_path || o.output == o.reads.ref_path)
    throw UsageError("--output would overwrite an input: " + o.output);
  install_cleanup_signal_handlers();
  set_compression_level(o.compression_level);
  hts_set_log_level(HTS_LOG_OFF);

  output_kind(o.output, "--output");
  const std::vector<std::string> names = wgs_feature_names(o.counter.vaf_context_window);
  ReadsRowReader reader(o.reads, o.counter, names, o.sample_name);
  // The rows go out as a converted "remainder" of everything: TSV, TFRecord or sites VCF.
  std::unique_ptr<RemainderWriter> out = open_remainder_writer(o.output, "--output", reader, names, o.reads.ref_path,
                                                               shards.num_shards ? options.output : std::string());
  std::unique_ptr<OutputFile> stats_file;
  if (!o.stats_json.empty()) stats_file = std::make_unique<OutputFile>(o.stats_json, Compression::kNone);
  CandidateId id;
  std::vector<float> features(names.size());
  std::string raw;
  FeaturesStats s;
  while (reader.next(id, features.data(), raw)) {
    out->observe(id);
    out->write(id, features.data(), raw);
    ++s.rows;
  }
  out->close();
  s.candidates = reader.candidates();
  s.realignment_sensitive = reader.realignment_sensitive_candidates();
  s.reads = reader.counters();
  s.output_path = o.output;
  s.sample_name = reader.sample_name();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (stats_file) {
    nlohmann::json j = reads_to_json(s.reads, s.candidates, s.realignment_sensitive);
    j["rows"] = s.rows;
    j["output_path"] = s.output_path;
    j["sample_name"] = s.sample_name;
    j["seconds"] = s.seconds;
    stats_file->write(j.dump(2) + "\n");
    stats_file->close();
  }
  out->publish();
  if (stats_file) stats_file->publish();
  return s;
}

std::string features_summary_line(const FeaturesStats& s) {
  std::ostringstream line;
  line << "smallcall features: " << s.rows << " rows from " << s.candidates << " candidates ("
       << s.realignment_sensitive << " realignment-sensitive) in " << s.reads.partitions << " partitions; reads: "
       << s.reads.reads_seen << " seen, " << s.reads.reads_filtered << " filtered, " << s.reads.reads_downsampled
       << " downsampled, " << s.reads.reads_without_qualities << " without qualities; " << std::fixed
       << std::setprecision(2) << s.seconds << " s -> " << s.output_path;
  return line.str();
}

}  // namespace smallcall
