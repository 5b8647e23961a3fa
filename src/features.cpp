#include "smallcall/features.hpp"

#include <htslib/hts.h>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "smallcall/cpus.hpp"
#include "smallcall/error.hpp"
#include "smallcall/feature_encoder.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/paths.hpp"
#include "smallcall/reads_row_reader.hpp"
#include "smallcall/shards.hpp"
#include "smallcall/stats.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {

FeaturesStats run_features(const FeaturesOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  if (options.output.empty()) throw UsageError("--output is required");
  const ResolvedShards shards = resolve_shards({options.output, options.stats_json}, options.source.task);
  FeaturesOptions o = options;
  o.output = shards.paths[0];
  o.stats_json = shards.paths[1];
  o.source.num_shards = shards.num_shards;
  o.io_threads = resolve_io_threads(options.io_threads);
  if (o.output == o.source.reads || o.output == o.source.ref)
    throw UsageError("--output would overwrite an input: " + o.output);
  output_kind(o.output, "--output");
  install_cleanup_signal_handlers();
  hts_set_log_level(HTS_LOG_OFF);

  const std::vector<std::string> names = wgs_feature_names(o.source.counter.vaf_context_window);
  ReadsRowReader reader(o.source, names);
  // The rows go out as a converted "remainder" of everything: TSV, TFRecord or sites VCF.
  const auto out = open_row_writer(
      {o.output, "--output", o.compression_level, o.io_threads, o.source.ref, shards.num_shards ? options.output : "", {}, nullptr}, reader, names);
  std::unique_ptr<OutputFile> stats_file;
  if (!o.stats_json.empty()) stats_file = std::make_unique<OutputFile>(o.stats_json, Compression::kNone);
  Row row;
  std::vector<float> features(names.size());
  std::string raw;
  FeaturesStats s;
  while (reader.next(row, features.data(), raw)) {
    out->observe(row);
    out->write(row, features.data(), raw);
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
  }
  publish_all({out.get(), stats_file.get()});
  if (!o.quiet) std::cerr << features_summary_line(s) << "\n";
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
